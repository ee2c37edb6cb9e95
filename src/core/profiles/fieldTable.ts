/**
 * One descriptor per typed profile field: its settings key, JSON-schema fragment, settings parser, the
 * `docker run` flags that import into it, its `docker run` export, its Compose key, its part of the Engine API
 * create body, its reading back from a container's inspect, and its settings form. The parser (parse.ts), the
 * schema (schemaProfile.ts), the `docker run` import (runArgs.ts) and export (dockerRun.ts), the Compose export
 * (compose.ts), the create body (createOptions.ts), the inspect import (fromContainer.ts) and the settings
 * writer (settingsWriter.ts) iterate FIELDS; the long tail of `docker create` flags is the same idea in
 * extraFlags.ts.
 */
import type { Report } from './parseValues';
import { IMAGE_FIELDS } from './fieldDescImage';
import { DEVICE_FIELDS } from './fieldDescDevices';
import { ENV_FIELDS } from './fieldDescEnv';
import { LABEL_FIELDS } from './fieldDescLabels';
import { MOUNT_FIELDS } from './fieldDescMounts';
import { PROCESS_FIELDS } from './fieldDescProcess';
import { RESOURCE_FIELDS } from './fieldDescResources';
import { SECURITY_FIELDS } from './fieldDescSecurity';
import { IDLE_FIELDS } from './fieldDescIdle';
import type { FieldDescriptor, ParseContext } from './fieldTypes';

/** Settings keys in the order they are read (gpus before gpuCapabilities; runArgs last: its flags refine the fields above) and written. */
export const PROFILE_KEYS = [
  'name',
  'description',
  'host',
  'image',
  'containerName',
  'gpus',
  'gpuCapabilities',
  'idle',
  'shmSize',
  'ipc',
  'network',
  'ports',
  'volumes',
  'mounts',
  'env',
  'envFile',
  'user',
  'execUser',
  'workdir',
  'entrypoint',
  'command',
  'autoRemove',
  'restart',
  'labels',
  'labelFile',
  'ulimits',
  'privileged',
  'init',
  'capAdd',
  'capDrop',
  'securityOpt',
  'devices',
  'hostname',
  'extraHosts',
  'cpus',
  'memory',
  'runtime',
  'extraFlags',
  'runArgs',
] as const;

export type ProfileKey = (typeof PROFILE_KEYS)[number];

const BY_KEY: Record<ProfileKey, FieldDescriptor> = {
  ...IMAGE_FIELDS,
  ...RESOURCE_FIELDS,
  ...MOUNT_FIELDS,
  ...DEVICE_FIELDS,
  ...ENV_FIELDS,
  ...PROCESS_FIELDS,
  ...LABEL_FIELDS,
  ...SECURITY_FIELDS,
  ...IDLE_FIELDS,
};

/** Every typed field, in PROFILE_KEYS order. */
export const FIELDS: ReadonlyArray<FieldDescriptor & { key: ProfileKey }> = PROFILE_KEYS.map((key) => ({
  ...BY_KEY[key],
  key,
}));

/** Applies one settings field to a profile (the descriptor's parser). */
export function applySettingsField(
  p: Parameters<FieldDescriptor['parse']>[0],
  key: string,
  v: unknown,
  report: Report,
  ctx: ParseContext,
): void {
  const d = (BY_KEY as Record<string, FieldDescriptor | undefined>)[key];
  d?.parse(p, v, report, key, ctx);
}
