/** Launch profiles: settings → validated profiles → Engine API create options, and the `docker run` round trip. */
export type {
  ByteSize,
  DeviceSpec,
  GpuSelection,
  MountSpec,
  PortBinding,
  PortSpec,
  Problem,
  Profile,
  ProfileContext,
  ProfileSource,
  RestartPolicy,
  Severity,
  UlimitSpec,
  VolumeSpec,
} from './profileTypes';
export { emptyProfile } from './profileTypes';
export { parseProfiles } from './parse';
export { PROFILE_KEYS } from './fieldTable';
export { importDockerRun, toDockerRunArgs } from './dockerRun';
export { nameFromImage } from './imageName';
export { gpusFlagValue } from './fieldDescImage';
export { toCreateOptions, type CreateOptionsResult } from './createOptions';
export { resolveContainerName, DEFAULT_CONTAINER_NAME_TEMPLATE } from './containerName';
export { toComposeYaml } from './compose';
export { quoteHostPathArg, quoteShellLine, quoteShellArg, tokenizeShellLine } from './shell';
export { parseRamSize, parsePortSpec } from './fieldsSizePort';
export { parseVolumeSpec } from './fieldsMount';
export { parseGpusFlag } from './fieldsGpus';
export { KNOWN_VARIABLES, resolveVariables } from './variables';
export { toProfileSettings } from './settingsWriter';
export { profileNamesIn, upsertProfile } from './profileList';
export type { ProfileListWrite } from './profileList';
export { launchGate, problemLine, type LaunchGate } from './problems';
export { locateProfileField } from './locate';
export {
  exportNotice,
  looksSecret,
  portableProfile,
  savableProfile,
  toPortableCompose,
  toPortableDockerRun,
  type ExportOptions,
  type ExportResult,
} from './exports';
export { toDevcontainerJson } from './devcontainerExport';
export { profileFromInspect } from './fromContainer';
export { sizeText } from './fromContainerTail';
export type { ContainerInspectJson, ImageInspectJson } from './inspectJson';
export { pyxisImage, toDstackYaml, toSkyPilotYaml, toSlurmSrun } from './bridges';
export { importDevcontainer, parseJsonc } from './devcontainerImport';
