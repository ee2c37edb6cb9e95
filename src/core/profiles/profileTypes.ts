/**
 * Launch profile types. Plain data: no vscode, no dockerode values (types only).
 * A `Profile` keeps the user's values faithfully, normalized (e.g. sizes in bytes plus the original text);
 * variables such as `${userHome}` stay unresolved until `toCreateOptions` / exports with a context.
 */
import type { ContainerIdlePolicy } from '../gpu/idlePolicy';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** The profile's name, when the problem belongs to one. */
  profile?: string;
  /** The settings field (e.g. `shmSize`, `volumes[1]`, `runArgs`), or the `docker run` flag on import. */
  field?: string;
  /** Plain English: what is wrong and how to fix it. */
  message: string;
  severity: Severity;
}

export type ProfileSource = 'user' | 'workspace' | 'workspaceFolder';

export interface ProfileContext {
  workspaceFolder?: string;
  userHome: string;
  user: string;
  uid: number;
  gid: number;
  env: Record<string, string | undefined>;
  /** Reads a text file (for `envFile` and seccomp profiles); undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
}

/**
 * GPUs, normalized. `'none'` when the profile asks for none (or says nothing).
 * `free` is "N GPUs nobody is using" (settings: `"gpus": { "free": 2, "minFreeMemory": "40g", "model": "H100" }`):
 * picked at launch from the host's GPU snapshot, created with concrete device ids, recorded in labels
 * (GPU_REQUEST_LABEL / GPU_UUIDS_LABEL). `count` is Docker's own `--gpus N` (the first N, used or not).
 */
export type GpuSelection =
  'none' | { all: true } | { count: number } | { devices: string[] } | { free: FreeGpuRequest };

/** "N free GPUs": how many, at least how much free memory on each, and a model pattern (case-insensitive substring or `*` glob). */
export interface FreeGpuRequest {
  count: number;
  minFreeMemoryMiB?: number;
  model?: string;
  /** MIG devices of this profile (`1g.10gb`) instead of whole GPUs: claimed by their `MIG-…` UUIDs. */
  mig?: string;
  /** `hold: "8h"`: how long the launch holds its GPUs (a lease recorded in the claim's labels, see core/gpu/lease.ts). */
  holdMs?: number;
}

/** A size such as `16g`: bytes as Docker computes them (go-units RAMInBytes) plus the text as written. */
export interface ByteSize {
  bytes: number;
  text: string;
}

/** One `-p` entry: the text as written plus the bindings Docker derives from it. */
export interface PortSpec {
  text: string;
  bindings: PortBinding[];
}

export interface PortBinding {
  /** `8888/tcp` */
  containerPort: string;
  hostIp: string;
  /** Empty for "any free port"; may be a range (`8000-8010`) for a single container port. */
  hostPort: string;
}

/** One `-v` entry in docker syntax. Parts may hold unresolved variables and a leading `~`. */
export interface VolumeSpec {
  text: string;
  /** `bind`: host path; `volume`: a named volume; `anonymous`: only a container path. */
  kind: 'bind' | 'volume' | 'anonymous';
  source?: string;
  target: string;
  /** The mode text as written (`ro`, `ro,z`, …), undefined when none. */
  mode?: string;
  readOnly: boolean;
  /** `pvc:NAME:/path`: a Kubernetes PersistentVolumeClaim named `source` (Kubernetes hosts only). */
  pvc?: true;
}

/** A structured mount (`--mount`), HostConfig.Mounts. */
export interface MountSpec {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string;
  target: string;
  readOnly?: boolean;
  bindPropagation?: 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';
  volumeNoCopy?: boolean;
  tmpfsSize?: ByteSize;
  /** Octal permission bits for tmpfs, e.g. 1777. */
  tmpfsMode?: number;
  consistency?: 'default' | 'consistent' | 'cached' | 'delegated';
}

export interface RestartPolicy {
  name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maximumRetryCount: number;
}

export interface UlimitSpec {
  name: string;
  soft: number;
  hard: number;
}

export interface DeviceSpec {
  pathOnHost: string;
  pathInContainer: string;
  cgroupPermissions: string;
  /** A CDI device name (`vendor.com/class=name`, e.g. `nvidia.com/gpu=0`), kept whole in `pathOnHost`. */
  cdi?: true;
}

export interface Profile {
  name: string;
  source?: ProfileSource;
  /** Undefined: ask the user. */
  image?: string;
  /** The name of a host in `gpuContainers.hosts` to launch on (several hosts); undefined: ask. */
  host?: string;
  /** Container name template (variables allowed); undefined: the `containerNameTemplate` setting. */
  containerName?: string;
  gpus: GpuSelection;
  /** Extra capabilities for the GPU request (Docker always adds `gpu`). */
  gpuCapabilities?: string[];
  /** `--gpus driver=…` (rare). */
  gpuDriver?: string;
  /** `--gpus options=…` (rare). */
  gpuOptions?: Record<string, string>;
  /** `idle: { below, for, then }`: the idle policy, recorded in a label at launch (core/gpu/idlePolicy.ts). */
  idle?: ContainerIdlePolicy;
  shmSize?: ByteSize;
  ipc?: string;
  network?: string;
  ports: PortSpec[];
  volumes: VolumeSpec[];
  mounts: MountSpec[];
  /** Insertion-ordered; `null` = take the value from the host environment (like `-e NAME`). */
  env: Record<string, string | null>;
  envFile: string[];
  /** `host` (the host's uid:gid), `uid[:gid]` or a name. */
  user?: string;
  /** User for `docker exec` terminals; undefined: `user`. */
  execUser?: string;
  workdir?: string;
  /** `[""]` resets the image's entrypoint. */
  entrypoint?: string[];
  command?: string[];
  autoRemove: boolean;
  restart?: RestartPolicy;
  labels: Record<string, string>;
  /** `--label-file`: files of `KEY=value` lines, read at launch (like `envFile`); `labels` win over them. */
  labelFile: string[];
  ulimits: UlimitSpec[];
  privileged: boolean;
  init?: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  devices: DeviceSpec[];
  hostname?: string;
  /** Normalized to `host:ip`. */
  extraHosts: string[];
  cpus?: { nanoCpus: number; text: string };
  memory?: ByteSize;
  runtime?: string;
  /** The long tail of `docker create` flags by name (`pids-limit`, `read-only`, `sysctl`…); see extraFlags.ts. */
  extra?: Record<string, string | number | boolean | string[]>;
  /**
   * Error-level problems found while reading this profile from settings. A profile with any is listed (with
   * the problems) but never launched: its bad fields were not applied, so it would run as something else.
   */
  errors?: Problem[];
}

/** An empty profile with every list/record field present. */
export function emptyProfile(name: string): Profile {
  return {
    name,
    gpus: 'none',
    ports: [],
    volumes: [],
    mounts: [],
    env: {},
    envFile: [],
    autoRemove: false,
    labels: {},
    labelFile: [],
    ulimits: [],
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    devices: [],
    extraHosts: [],
  };
}
