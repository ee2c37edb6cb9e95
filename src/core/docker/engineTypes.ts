/**
 * Our own small types, mapped from Engine API JSON by `mapping.ts`.
 * Nothing here imports vscode or dockerode: the tree, the profiles and the GPU model build on these.
 */

export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | 'unknown';

/** What a container asked for in GPUs, read from HostConfig.DeviceRequests or NVIDIA_VISIBLE_DEVICES. */
export interface GpuRequest {
  /** `all` GPUs, a `count`, or explicit `devices` (indices or UUIDs, as given). */
  kind: 'all' | 'count' | 'devices';
  count?: number;
  deviceIds?: string[];
  capabilities?: string[];
  /** `scheduler`: a Kubernetes pod's GPUs, placed by the scheduler (`deviceIds` are its node's slots, core/kube). */
  source: 'deviceRequests' | 'env' | 'scheduler';
}

export interface PortMapping {
  containerPort: number;
  protocol: string;
  hostIp?: string;
  hostPort?: number;
}

export interface MountInfo {
  type: string;
  source: string;
  destination: string;
  readOnly: boolean;
  name?: string;
}

export interface ContainerSummary {
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: ContainerState;
  /**
   * Human status as the engine words it ("Up 3 minutes", "Pending: 0/2 nodes are available…"): shown only when the
   * row has no `since` (the views compute "Up 3 minutes" from `since` at render time).
   */
  status: string;
  /**
   * When the current state began (ms since the epoch): the start of a running or paused container, the end of an
   * exited or restarting one. Exact from inspect or a cluster; from a Docker list, recovered from its words.
   */
  since?: number;
  /** The last exit code (exited, restarting). */
  exitCode?: number;
  /** The health check's state, when the container has one. */
  health?: 'healthy' | 'unhealthy' | 'starting';
  /** Milliseconds since the epoch. */
  created: number;
  ports: PortMapping[];
  mounts: MountInfo[];
  labels: Record<string, string>;
  /** From our owner label (`gpu-containers.owner`), if any. */
  owner?: string;
  /** Undefined when the container requested no GPU (or when the list call could not tell). */
  gpu?: GpuRequest;
}

/** What `inspect` adds to a summary. */
export interface ContainerDetails extends ContainerSummary {
  config: {
    user: string;
    workingDir: string;
    env: string[];
    cmd: string[];
    entrypoint: string[];
    tty: boolean;
    hostname: string;
  };
  autoRemove: boolean;
  restartPolicy: string;
  shmSize: number;
  ipcMode: string;
  networkMode: string;
  startedAt?: string;
  finishedAt?: string;
  /** The raw inspect JSON, for the read-only Inspect document. */
  raw: unknown;
}

export interface ImageSummary {
  id: string;
  /** `repo:tag` strings; empty for an untagged image. */
  tags: string[];
  digests: string[];
  size: number;
  /** Milliseconds since the epoch. */
  created: number;
  dangling: boolean;
  labels: Record<string, string>;
}

export interface ImageDetails extends ImageSummary {
  env: string[];
  user: string;
  workingDir: string;
  cmd: string[];
  entrypoint: string[];
  raw: unknown;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  minApiVersion?: string;
  os: string;
  arch: string;
  /** The names in `Components` (`Engine`, `containerd` on Docker; `Podman Engine`, `Conmon` on Podman). */
  components?: string[];
}

export interface EngineInfo {
  serverVersion: string;
  operatingSystem: string;
  ncpu: number;
  memTotal: number;
  containers: number;
  containersRunning: number;
  images: number;
  runtimes: string[];
  defaultRuntime: string;
  /** True when a runtime named `nvidia` is registered (NVIDIA Container Toolkit). */
  hasNvidiaRuntime: boolean;
  /** "1" or "2" (cgroup v1/v2); undefined when the engine does not say. */
  cgroupVersion?: string;
}

/**
 * What an event means for the views, decided by the backend (its own event words stay in it): a container's
 * row may have changed (`changed`: inspected after the coalescing window), its state has settled (`settled`:
 * inspected at once), it is gone (`removed`), the image list changed (`images`), or nothing a view shows.
 */
export type EventChange = 'changed' | 'settled' | 'removed' | 'images' | 'none';

export interface EngineEvent {
  /** The backend's words (Docker's: `container`, `image`…; informational — the views read `change`). */
  type: string;
  action: string;
  change: EventChange;
  /** The actor id (container id for container events, image id/ref for image events). */
  id: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, as a bigint-safe string. */
  timeNano: string;
}
