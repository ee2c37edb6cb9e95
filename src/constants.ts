/** Every id string the extension uses: commands, views, context keys, settings. */

export const EXTENSION_ID = 'gpu-containers.gpu-containers';
export const PREFIX = 'gpuContainers';

export const Views = {
  container: 'gpuContainers',
  containers: 'gpuContainers.containers',
  images: 'gpuContainers.images',
  gpus: 'gpuContainers.gpus',
} as const;

export const Commands = {
  launch: 'gpuContainers.launch',
  refresh: 'gpuContainers.refresh',
  retry: 'gpuContainers.retry',
  showOutput: 'gpuContainers.showOutput',
  filterMine: 'gpuContainers.filterMine',
  filterAll: 'gpuContainers.filterAll',
  showUntagged: 'gpuContainers.showUntagged',
  hideUntagged: 'gpuContainers.hideUntagged',
  attachTerminal: 'gpuContainers.attachTerminal',
  attachMainProcess: 'gpuContainers.attachMainProcess',
  start: 'gpuContainers.start',
  stop: 'gpuContainers.stop',
  restart: 'gpuContainers.restart',
  remove: 'gpuContainers.remove',
  showLogs: 'gpuContainers.showLogs',
  inspect: 'gpuContainers.inspect',
  copyName: 'gpuContainers.copyName',
  copyId: 'gpuContainers.copyId',
  pruneStopped: 'gpuContainers.pruneStopped',
  commitContainer: 'gpuContainers.commitContainer',
  runImage: 'gpuContainers.runImage',
  pullImage: 'gpuContainers.pullImage',
  removeImage: 'gpuContainers.removeImage',
  buildImage: 'gpuContainers.buildImage',
  buildImageWithOptions: 'gpuContainers.buildImageWithOptions',
  saveImage: 'gpuContainers.saveImage',
  loadImage: 'gpuContainers.loadImage',
  tagImage: 'gpuContainers.tagImage',
  pushImage: 'gpuContainers.pushImage',
  copyImageName: 'gpuContainers.copyImageName',
  newProfile: 'gpuContainers.newProfile',
  importDockerRun: 'gpuContainers.importDockerRun',
  copyProfileAsDockerRun: 'gpuContainers.copyProfileAsDockerRun',
  exportProfileAsCompose: 'gpuContainers.exportProfileAsCompose',
  refreshGpus: 'gpuContainers.refreshGpus',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {
  engineState: 'gpuContainers.engineState',
  filter: 'gpuContainers.filter',
  showUntagged: 'gpuContainers.showUntagged',
  hasContainers: 'gpuContainers.hasContainers',
  hasImages: 'gpuContainers.hasImages',
} as const;
export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

/**
 * Every question or message the extension shows, by id (extension-host tests script answers by these ids).
 * A new prompt adds its id here; an id used nowhere else is harmless, a typo is a compile error.
 */
export const PromptIds = [
  'buildArgs',
  'buildContext',
  'buildOptions',
  'buildTag',
  'built',
  'commandError',
  'commitMessage',
  'commitTag',
  'committed',
  'confirmPrune',
  'confirmRecreate',
  'confirmRemove',
  'confirmRemoveImage',
  'confirmRemoveOthers',
  'confirmStopAutoRemove',
  'copiedDockerRun',
  'dockerRunLine',
  'gpuPreflight',
  'gpuUnavailable',
  'imageMissing',
  'importProblems',
  'inspectMasked',
  'loadImageFile',
  'loaded',
  'nameConflict',
  'newContainerName',
  'newProfileGpuList',
  'newProfileGpus',
  'newProfileImage',
  'newProfileImageName',
  'newProfileShm',
  'noContainers',
  'noImages',
  'noNvidiaRuntime',
  'noProfiles',
  'openDockerfile',
  'pickContainer',
  'pickDockerfile',
  'pickImage',
  'pickProfile',
  'profileName',
  'profileProblems',
  'profileSaved',
  'pruneNothing',
  'pruneUnlabelled',
  'pullFailed',
  'pullRef',
  'pushed',
  'replaceProfile',
  'saveDefaults',
  'saveImageFile',
  'saveTags',
  'saved',
  'shmWarning',
  'startBeforeAttach',
  'tagTarget',
  'untrustedProfiles',
] as const;
export type PromptId = (typeof PromptIds)[number];

export const Settings = {
  section: 'gpuContainers',
  host: 'host',
  dockerPath: 'dockerPath',
  shell: 'shell',
  profiles: 'profiles',
  defaultProfile: 'defaultProfile',
  containerNameTemplate: 'containerNameTemplate',
  gpusRefreshInterval: 'gpus.refreshInterval',
  gpusProbeImage: 'gpus.probeImage',
  gpusNvidiaSmiPath: 'gpus.nvidiaSmiPath',
} as const;

/** Workspace-state keys (remembered per workspace). */
export const StateKeys = {
  filter: 'gpuContainers.filter',
  showUntagged: 'gpuContainers.showUntagged',
  /** The folder of the last image archive saved or loaded. */
  imageArchiveFolder: 'gpuContainers.imageArchiveFolder',
} as const;
