/** Profile → dockerode `ContainerCreateOptions`, with variables resolved. */
import type { ContainerCreateOptions, HostConfig } from '../docker';
import { CREATED_BY_LABEL, OWNER_LABEL, PROFILE_LABEL } from '../docker/labels';
import { DEFAULT_CONTAINER_NAME_TEMPLATE, resolveContainerName } from './containerName';
import { applyExtraFlags } from './extraFlags';
import { FIELDS, type ProfileKey } from './fieldTable';
import type { CreateExport } from './fieldTypes';
import type { Problem, Profile, ProfileContext } from './profileTypes';
import { resolveHostPath, resolveVariables, type ResolveIssue } from './variables';

export interface CreateOptionsResult {
  name: string;
  options: ContainerCreateOptions;
  problems: Problem[];
}

/**
 * The fields whose `create` hook adds to the body, in the order the hooks run: the order of the problems they
 * report (env files before env, label files before labels, as docker reads them), and gpus' device request
 * before the CDI devices' one. A field with a create hook is listed here (test/unit/profiles/fieldHooks.test.ts).
 */
export const CREATE_ORDER: readonly ProfileKey[] = [
  'image',
  'envFile',
  'env',
  'ports',
  'volumes',
  'mounts',
  'securityOpt',
  'labelFile',
  'labels',
  'shmSize',
  'ipc',
  'network',
  'gpus',
  'autoRemove',
  'restart',
  'ulimits',
  'privileged',
  'init',
  'capAdd',
  'capDrop',
  'devices',
  'extraHosts',
  'cpus',
  'memory',
  'runtime',
  'command',
  'entrypoint',
  'workdir',
  'user',
  'hostname',
];
const BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

/** The keys of the body in the order it has always had them; keys not listed keep their order after these. */
const OPTIONS_ORDER = [
  'name',
  'Image',
  'Tty',
  'OpenStdin',
  'AttachStdin',
  'AttachStdout',
  'AttachStderr',
  'StdinOnce',
  'Labels',
  'HostConfig',
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'Hostname',
  'ExposedPorts',
  'Volumes',
];
const HOST_CONFIG_ORDER = [
  'Binds',
  'Mounts',
  'PortBindings',
  'ShmSize',
  'IpcMode',
  'NetworkMode',
  'AutoRemove',
  'RestartPolicy',
  'Ulimits',
  'Privileged',
  'Init',
  'CapAdd',
  'CapDrop',
  'SecurityOpt',
  'Devices',
  'ExtraHosts',
  'NanoCpus',
  'Memory',
  'Runtime',
];

/** `o`'s keys in `order` first, the rest after as they were. */
function ordered<T extends object>(o: T, order: string[]): T {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const keys = Object.keys(o).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]])) as T;
}

/**
 * The Engine API create body for a profile, as `docker create -it <profile flags>` would send it:
 * an interactive dev box (Tty + OpenStdin, nothing attached), our ownership labels added. Each field's part
 * is its descriptor's `create` hook (fieldTable.ts), in CREATE_ORDER; here: the name, the fixed
 * interactive keys, our labels and the long tail of extraFlags.
 */
export function toCreateOptions(
  p: Profile,
  ctx: ProfileContext,
  opts: { containerNameTemplate?: string; labels?: Record<string, string>; forKubernetes?: boolean } = {},
): CreateOptionsResult {
  const problems: Problem[] = [];
  const push = (field: string, issues: ResolveIssue[]) => {
    for (const i of issues.splice(0)) problems.push({ profile: p.name, field, ...i });
  };
  const issues: ResolveIssue[] = [];
  const x: CreateExport = {
    ctx,
    forKubernetes: opts.forKubernetes === true,
    r: (field, s) => {
      const v = resolveVariables(s, ctx, p.name, issues);
      push(field, issues);
      return v;
    },
    host: (field, s) => {
      const v = resolveHostPath(s, ctx, p.name, issues);
      push(field, issues);
      return v;
    },
    problem: (field, severity, message) => void problems.push({ profile: p.name, field, severity, message }),
    problems,
  };

  const named = resolveContainerName(p, ctx, opts.containerNameTemplate ?? DEFAULT_CONTAINER_NAME_TEMPLATE);
  problems.push(...named.problems);

  const hostConfig: HostConfig = {};
  const body = {
    hostConfig,
    options: {
      name: named.name,
      Image: '',
      Tty: true,
      OpenStdin: true,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      StdinOnce: false,
      Labels: {},
      HostConfig: hostConfig,
    } as ContainerCreateOptions,
  };
  for (const key of CREATE_ORDER) BY_KEY.get(key)?.create?.(p, body, x);

  const labels: Record<string, string> = { ...body.options.Labels, ...opts.labels };
  labels[OWNER_LABEL] = ctx.user;
  labels[PROFILE_LABEL] = p.name;
  labels[CREATED_BY_LABEL] = 'gpu-containers';
  const options = ordered({ ...body.options, Labels: labels }, OPTIONS_ORDER);
  // DeviceRequests sits where its first request put it: the GPUs' after NetworkMode, else the CDI devices' after Devices.
  const hostOrder = [...HOST_CONFIG_ORDER];
  hostOrder.splice(hostOrder.indexOf(p.gpus !== 'none' ? 'NetworkMode' : 'Devices') + 1, 0, 'DeviceRequests');
  options.HostConfig = ordered(hostConfig, hostOrder);
  // The long tail over the finished body (its table may set any key), as `docker create` reads those flags last.
  for (const e of applyExtraFlags(options, p.extra))
    problems.push({ profile: p.name, field: 'extraFlags', severity: 'error', message: e });
  return { name: named.name, options, problems };
}
