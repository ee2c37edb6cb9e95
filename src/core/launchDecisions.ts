/**
 * Pure decisions of the launch flow: the defaults offered when there is no profile, the /dev/shm
 * warning, and the GPU-less fallback. The VS Code side (src/commands/launch.ts) asks the questions.
 */
import type { ContainerCreateOptions, HostConfig } from './docker';
import { requestsGpu, withoutGpu } from './docker/gpuRequests';
import type { ContainerDetails, ContainerSummary } from './docker/engineTypes';
import { t } from './l10n';
import { containerNameFromImage as nameFromImage } from './profiles/imageName';
import type { GpuSelection, ProfileContext } from './profiles/profileTypes';
import { resolveContainerName } from './profiles/containerName';

/** Docker's name rule: two or more characters from [a-zA-Z0-9][a-zA-Z0-9_.-]. */
const CONTAINER_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateContainerName(name: string): string | undefined {
  if (!name) return t('Enter a name.');
  if (!CONTAINER_NAME_RE.test(name)) {
    return t('Use two or more of a-z, A-Z, 0-9, "_", "." and "-", starting with a letter or digit.');
  }
  return undefined;
}

/** The settings-shaped profile offered when the user has none: what most GPU dev boxes use. */
export function defaultProfileSettings(
  image: string,
  opts: { gpus: boolean; hasWorkspace: boolean },
): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    name: nameFromImage(image),
    image,
    gpus: opts.gpus ? 'all' : 'none',
    shmSize: '16g',
  };
  if (opts.hasWorkspace) {
    profile.containerName = '${user}-${workspaceFolderBasename}';
    profile.volumes = ['${workspaceFolder}:/workspace'];
    profile.workdir = '/workspace';
  } else {
    profile.containerName = '${user}-${profile}';
  }
  return profile;
}

export const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;

/** GPUs with Docker's default 64 MB /dev/shm and no `ipc: host`: PyTorch DataLoader workers and NCCL run out. */
export function needsShmWarning(options: ContainerCreateOptions): boolean {
  if (!requestsGpu(options)) return false;
  const hc = options.HostConfig ?? {};
  if (hc.IpcMode === 'host') return false;
  return !hc.ShmSize || hc.ShmSize <= DEFAULT_SHM_BYTES;
}

export function withShmSize(options: ContainerCreateOptions, bytes: number): ContainerCreateOptions {
  return { ...options, HostConfig: { ...options.HostConfig, ShmSize: bytes } };
}

/** How a GPU selection is recorded in `GPU_REQUEST_LABEL`: `all`, `2`, `device=0,1`, `free=2`. */
export function gpuRequestText(g: GpuSelection): string | undefined {
  if (g === 'none') return undefined;
  if ('all' in g) return 'all';
  if ('count' in g) return String(g.count);
  if ('free' in g) return `free=${g.free.count}`;
  return `device=${g.devices.join(',')}`;
}

/** `base`, else `base-2`, `base-3`, … — the first not in `taken`. */
export function uniqueContainerName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Run Image's name for a container of `image`: the `containerNameTemplate` setting, as a launch uses it, with
 * `${profile}` the name made from the image (`pytorch`), then made unique among `taken`.
 */
export function runImageContainerName(
  image: string,
  ctx: ProfileContext,
  template: string,
  taken: ReadonlySet<string>,
): string {
  return uniqueContainerName(resolveContainerName({ name: nameFromImage(image) }, ctx, template).name, taken);
}

export interface PortConflict {
  hostPort: number;
  protocol: string;
  container: ContainerSummary;
}

/** Addresses that mean "every interface": a binding there overlaps any other address. */
const ANY_ADDRESS = new Set([undefined, '', '0.0.0.0', '::']);

/**
 * Fixed host ports of the create options that a running container already publishes (same port and
 * protocol, overlapping address: `127.0.0.1:8080` and `10.0.0.1:8080` do not collide; `0.0.0.0` collides
 * with everything).
 */
export function portConflicts(
  options: ContainerCreateOptions,
  containers: readonly ContainerSummary[],
): PortConflict[] {
  const out: PortConflict[] = [];
  const bindings = options.HostConfig?.PortBindings as
    Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined;
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const protocol = key.split('/')[1] ?? 'tcp';
    for (const b of list ?? []) {
      const hostPort = Number(b.HostPort);
      if (!b.HostPort || !Number.isInteger(hostPort) || hostPort <= 0) continue;
      const wantIp = b.HostIp || undefined;
      const holder = containers.find(
        (c) =>
          (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') &&
          c.ports.some(
            (p) =>
              p.hostPort === hostPort &&
              (p.protocol || 'tcp') === protocol &&
              (ANY_ADDRESS.has(p.hostIp) || ANY_ADDRESS.has(wantIp) || p.hostIp === wantIp),
          ),
      );
      if (holder) out.push({ hostPort, protocol, container: holder });
    }
  }
  return out;
}

/** The same options with the conflicting host ports left for Docker to choose (`127.0.0.1::8888`). */
export function withRandomHostPorts(
  options: ContainerCreateOptions,
  conflicts: PortConflict[],
): ContainerCreateOptions {
  const bindings = {
    ...(options.HostConfig?.PortBindings as Record<string, Array<{ HostIp?: string; HostPort?: string }>>),
  };
  for (const [key, list] of Object.entries(bindings)) {
    const protocol = key.split('/')[1] ?? 'tcp';
    bindings[key] = (list ?? []).map((b) =>
      conflicts.some((c) => String(c.hostPort) === b.HostPort && c.protocol === protocol) ? { ...b, HostPort: '' } : b,
    );
  }
  return { ...options, HostConfig: { ...options.HostConfig, PortBindings: bindings } };
}

/**
 * Create options that make an existing container again, without its GPU request ("Start without GPU
 * (recreate)"): its Config and HostConfig from inspect, DeviceRequests for GPUs dropped.
 */
export function recreateWithoutGpu(details: ContainerDetails): ContainerCreateOptions {
  const raw = (details.raw ?? {}) as { Config?: Record<string, unknown>; HostConfig?: Record<string, unknown> };
  const config = { ...(raw.Config ?? {}) } as ContainerCreateOptions;
  const hostConfig = { ...(raw.HostConfig ?? {}) } as HostConfig;
  delete (config as Record<string, unknown>).Hostname;
  return withoutGpu({ ...config, name: details.name, HostConfig: hostConfig });
}
