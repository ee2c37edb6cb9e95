/**
 * The one door to a container engine. Glue (commands, trees, GPU view, terminals) talks to an engine only
 * through `Engine`, which is composed of small capability interfaces so a caller can ask for exactly what
 * it uses (`Pick`-free: `ImageTransferApi`, `EventsApi`…). `dockerodeEngine.ts` implements it over the
 * Docker Engine API; a second backend (another host, Podman's API, a Kubernetes cluster) implements the
 * same interfaces. Every call has a timeout and can be cancelled; every failure is an `EngineError`.
 */
import type Dockerode from 'dockerode';
import type { EngineCapabilities } from './capabilities';
import type { Endpoint } from './endpoint';
import type { EngineError } from './engineError';
import type { StdStream } from './streams';
import type {
  ContainerDetails,
  ContainerSummary,
  EngineEvent,
  EngineInfo,
  EngineVersion,
  ImageDetails,
  ImageSummary,
} from './engineTypes';

/**
 * What `createContainer` takes: the Engine API's create body, as dockerode types it, plus the two query
 * parameters of POST /containers/create, `name` and `platform` (API ≥ 1.41), which dockerode sends as such.
 */
export type ContainerCreateOptions = Dockerode.ContainerCreateOptions;
export type HostConfig = Dockerode.HostConfig;
export type MountConfig = Dockerode.MountConfig;
export type DeviceRequest = Dockerode.DeviceRequest;

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the engine's default timeout for this call (ms); 0 = no timeout. */
  timeoutMs?: number;
}

export interface EventsOptions {
  filters?: Record<string, string[]>;
  /**
   * 'connected' once the stream is open; 'disconnected' (with the reason) when it ended, failed or went
   * silent (see `livenessMs`); the subscription then reconnects by itself with backoff.
   */
  onState?: (s: 'connected' | 'disconnected', err?: EngineError) => void;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Liveness: while connected, the endpoint is pinged every `livenessMs` (default 4 s) with a timeout of
   * `livenessTimeoutMs` (default 5 s; `livenessMs` when only that is given); a failed ping means a frozen
   * daemon or a silent stall (dropped VPN, sleeping laptop), so the stream is dropped (reported
   * 'disconnected' with a timeout error) and reconnected. 0 disables it.
   */
  livenessMs?: number;
  livenessTimeoutMs?: number;
}

export interface Subscription {
  dispose(): void;
}

/** Who the engine is: reachability, version, capabilities. */
export interface SystemApi {
  readonly endpoint: Endpoint;
  ping(o?: CallOptions): Promise<void>;
  version(o?: CallOptions): Promise<EngineVersion>;
  info(o?: CallOptions): Promise<EngineInfo>;
}

export interface ContainersApi {
  listContainers(
    opts?: { all?: boolean; size?: boolean; filters?: Record<string, string[]> } & CallOptions,
  ): Promise<ContainerSummary[]>;
  inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails>;
  createContainer(options: ContainerCreateOptions, o?: CallOptions): Promise<string>;
  /** Starting a running container is not an error (304 is success). */
  startContainer(id: string, o?: CallOptions): Promise<void>;
  /** Stopping a stopped container is not an error (304 is success). */
  stopContainer(id: string, opts?: { timeoutSeconds?: number } & CallOptions): Promise<void>;
  restartContainer(id: string, opts?: { timeoutSeconds?: number } & CallOptions): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean } & CallOptions): Promise<void>;
  /** `docker commit`: a new image from the container's file system; resolves with the image id. */
  commitContainer(
    id: string,
    opts: { repo: string; tag: string; comment?: string; author?: string; pause?: boolean } & CallOptions,
  ): Promise<{ id: string }>;
}

/** Processes and streams inside a container. */
export interface ContainerIoApi {
  /**
   * Demultiplexed (non-tty) or raw (tty) logs. Resolves when the stream ends or is cancelled after it
   * began; rejects 'cancelled'/'timeout' only if that happens before the engine answered.
   * With `follow`, the timeout covers only the wait for the engine's answer.
   */
  logs(
    id: string,
    opts: { follow?: boolean; tail?: number; since?: number; timestamps?: boolean } & CallOptions,
    onData: (stream: StdStream, text: string) => void,
  ): Promise<void>;
  exec(
    id: string,
    opts: { cmd: string[]; user?: string; workdir?: string; env?: string[] } & CallOptions,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** The first candidate that runs `<candidate> -c 'exit 0'` successfully; undefined if none does. */
  probeShell(id: string, candidates?: string[], o?: CallOptions): Promise<string | undefined>;
}

export interface ImagesApi {
  listImages(opts?: { all?: boolean; filters?: Record<string, string[]> } & CallOptions): Promise<ImageSummary[]>;
  inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails>;
  /** Per-layer progress rolled into one monotonic percentage. `timeoutMs` is an inactivity limit here. */
  pullImage(ref: string, onProgress: (p: { percent: number; status: string }) => void, o?: CallOptions): Promise<void>;
  removeImage(ref: string, opts?: { force?: boolean } & CallOptions): Promise<void>;
  /** `docker tag source repo:tag`. */
  tagImage(source: string, repo: string, tag: string, o?: CallOptions): Promise<void>;
}

/**
 * The raw byte/JSON streams behind save, load and push; `src/core/images/transfer.ts` adds files,
 * validation, progress and messages on top. The timeout covers only the wait for the engine's answer.
 */
export interface ImageTransferApi {
  /** GET /images/get: one `docker save` tar of all `refs`. */
  exportImages(refs: string[], o?: CallOptions): Promise<NodeJS.ReadableStream>;
  /** POST /images/load with `archive` as the body; the engine's JSON-lines answer. */
  importImages(archive: NodeJS.ReadableStream, o?: CallOptions): Promise<NodeJS.ReadableStream>;
  /** POST /images/{repo}/push; the engine's JSON-lines progress (errors arrive inside it). */
  pushImage(repo: string, tag: string, auth: object, o?: CallOptions): Promise<NodeJS.ReadableStream>;
}

export interface EventsApi {
  /**
   * Subscribes to engine events; reconnects forever with backoff and resumes from the last seen event
   * time, dropping the duplicates the engine replays at that boundary.
   */
  events(onEvent: (e: EngineEvent) => void, opts?: EventsOptions): Subscription;
}

/** Everything glue may ask of one engine (one host). */
export interface Engine extends SystemApi, ContainersApi, ContainerIoApi, ImagesApi, ImageTransferApi, EventsApi {
  /**
   * What this backend does of the optional operations (`capabilities.ts`), declared: the UI hides what is false
   * and the command dispatcher refuses it before any call; the methods behind a false one reject.
   */
  readonly capabilities: EngineCapabilities;
  /** Closes kept-alive connections (ssh children, sockets). The engine is unusable afterwards. */
  dispose(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
