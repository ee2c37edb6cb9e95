/**
 * Pure decisions of the launch flow: the defaults offered when there is no profile, the /dev/shm
 * warning, and the GPU-less fallback. The VS Code side (src/commands/launch.ts) asks the questions.
 */
import type { ContainerCreateOptions } from './docker';

/** Docker's name rule: two or more characters from [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export const CONTAINER_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateContainerName(name: string): string | undefined {
  if (!name) return 'Enter a name.';
  if (!CONTAINER_NAME_RE.test(name)) {
    return 'Use two or more of a-z, A-Z, 0-9, "_", "." and "-", starting with a letter or digit.';
  }
  return undefined;
}

/** The settings-shaped profile offered when the user has none: what most GPU dev boxes use. */
export function defaultProfileSettings(
  image: string,
  opts: { gpus: boolean; hasWorkspace: boolean },
): Record<string, unknown> {
  const base = image.split('/').pop()?.split(/[:@]/)[0] ?? 'dev';
  const profile: Record<string, unknown> = {
    name: base.replace(/[^a-zA-Z0-9_.-]/g, '-'),
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

export function requestsGpu(options: ContainerCreateOptions): boolean {
  const reqs = options.HostConfig?.DeviceRequests ?? [];
  return reqs.some((r) => r.Driver === 'nvidia' || (r.Capabilities ?? []).some((set) => set.includes('gpu')));
}

/** Same options with the GPU request dropped (Launch without GPU). */
export function withoutGpu(options: ContainerCreateOptions): ContainerCreateOptions {
  const reqs = (options.HostConfig?.DeviceRequests ?? []).filter(
    (r) => !(r.Driver === 'nvidia' || (r.Capabilities ?? []).some((set) => set.includes('gpu'))),
  );
  return { ...options, HostConfig: { ...options.HostConfig, DeviceRequests: reqs.length ? reqs : undefined } };
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
