/**
 * The `Engine` contract over the Docker Engine API, through an injected Dockerode client (see
 * `engineFactory.ts` for building one per endpoint). Streams live in `dockerodeStreams.ts`, the events
 * subscription in `eventsSubscription.ts`, timeouts and cancellation in `callLink.ts`.
 */
import type Dockerode from 'dockerode';
import type { Logger } from '../logger';
import { ALL_CAPABILITIES, type EngineCapabilities } from './capabilities';
import { CallRunner, type ErrorClassifier, type TimeoutReader } from './callLink';
import type { EngineError } from './engineError';
import { commit, normalizeCreateOptions } from './dockerodeContainers';
import { exportImages, importImages, pullWithProgress, pushImageStream, runExec, streamLogs } from './dockerodeStreams';
import type { Endpoint } from './endpoint';
import {
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
  type ContainerCreateOptions,
  type Engine,
  type EventsOptions,
  type Subscription,
} from './engineContract';
import { EventsSubscription } from './eventsSubscription';
import { toEngineInfo, toEngineVersion, toImageDetails, toImageSummary } from './imageEventMapping';
import { toContainerDetails, toContainerSummary } from './mapping';
import { ListedSince } from './statusWords';
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

export interface CreateEngineOptions {
  /** Default timeout per call (ms); 30 s unless given. */
  defaultTimeoutMs?: number;
  logger?: Logger;
  /** Clock for "Up 3 minutes" status text (ms since epoch). */
  now?: () => number;
  /** Called by `dispose()`: closes what the transport keeps open (ssh children, agents). */
  onDispose?: () => void;
  /** A backend's own error reading, tried before Docker's. */
  classifyError?: ErrorClassifier;
  /** The transport's reading of a timeout (ssh: `SshDialStdioAgent.readTimeout`). */
  readTimeout?: TimeoutReader;
  /** The same without asking the host (the events stream's connect timeout). */
  timeoutReading?: () => EngineError | undefined;
}

/** dockerode 4 accepts `abortSignal` here, its typings don't say so yet. */
type WithSignal = { abortSignal?: AbortSignal } & Record<string, unknown>;
interface Signalled {
  ping(o: WithSignal): Promise<unknown>;
  version(o: WithSignal): Promise<unknown>;
  info(o: WithSignal): Promise<unknown>;
}

function isNotModified(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { statusCode?: unknown }).statusCode === 304;
}

/** The Docker Engine API backend; another backend whose API mostly agrees (Podman's) extends it. */
export class DockerodeEngine implements Engine {
  /** Everything the UI offers (Podman's compatible API serves the same operations). */
  readonly capabilities: EngineCapabilities = ALL_CAPABILITIES;
  protected readonly run: CallRunner;
  protected readonly now: () => number;
  private readonly api: Signalled;
  /** The listed rows' `since`, from Docker's status words (statusWords.ts). */
  private readonly listedSince = new ListedSince();

  constructor(
    protected readonly docker: Dockerode,
    readonly endpoint: Endpoint,
    protected readonly opts: CreateEngineOptions,
  ) {
    this.run = new CallRunner(
      endpoint.host,
      opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      opts.logger,
      opts.classifyError,
      opts.readTimeout,
    );
    this.now = opts.now ?? Date.now;
    this.api = docker;
  }

  dispose(): void {
    this.opts.onDispose?.();
  }

  async ping(o?: CallOptions): Promise<void> {
    await this.run.call(o, this.run.ctx('ping'), (abortSignal) => this.api.ping({ abortSignal }));
  }

  async version(o?: CallOptions): Promise<EngineVersion> {
    return toEngineVersion(
      await this.run.call(o, this.run.ctx('version'), (s) => this.api.version({ abortSignal: s })),
    );
  }

  async info(o?: CallOptions): Promise<EngineInfo> {
    return toEngineInfo(await this.run.call(o, this.run.ctx('info'), (s) => this.api.info({ abortSignal: s })));
  }

  async listContainers(
    opts: { all?: boolean; size?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ContainerSummary[]> {
    const json: unknown = await this.run.call(opts, this.run.ctx('list containers'), (abortSignal) =>
      this.docker.listContainers({
        all: opts.all ?? false,
        size: opts.size ?? false,
        ...(opts.filters ? { filters: opts.filters } : {}),
        abortSignal,
      }),
    );
    const rows = Array.isArray(json) ? json.map(toContainerSummary).filter((c) => c.id !== '') : [];
    // The status words give the moment each state began (remembered while they stay the same).
    return this.listedSince.apply(rows, this.now(), !opts.filters && opts.all === true);
  }

  async inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails> {
    const ctx = this.run.ctx('inspect container', { containerName: idOrName });
    const json: unknown = await this.run.call(o, ctx, (abortSignal) =>
      this.docker.getContainer(idOrName).inspect({ abortSignal }),
    );
    return toContainerDetails(json, this.now());
  }

  async listImages(
    opts: { all?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ImageSummary[]> {
    const json: unknown = await this.run.call(opts, this.run.ctx('list images'), (abortSignal) =>
      this.docker.listImages({
        all: opts.all ?? false,
        ...(opts.filters ? { filters: opts.filters } : {}),
        abortSignal,
      } as Dockerode.ListImagesOptions),
    );
    return Array.isArray(json) ? json.map(toImageSummary).filter((i) => i.id !== '') : [];
  }

  async inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails> {
    const image = this.docker.getImage(ref) as unknown as { inspect(o: WithSignal): Promise<unknown> };
    const json = await this.run.call(o, this.run.ctx('inspect image', { image: ref }), (abortSignal) =>
      image.inspect({ abortSignal }),
    );
    return toImageDetails(json);
  }

  async createContainer(options: ContainerCreateOptions, o?: CallOptions): Promise<string> {
    const ctx = this.run.ctx('create container', { image: options.Image, containerName: options.name });
    const container = await this.run.call(o, ctx, (abortSignal) =>
      // A copy: docker-modem deletes keys from the options object it is given.
      this.docker.createContainer({ ...normalizeCreateOptions(options), abortSignal }),
    );
    return container.id;
  }

  async startContainer(id: string, o?: CallOptions): Promise<void> {
    await this.run.call(o, this.run.ctx('start container', { containerName: id }), async (abortSignal) => {
      try {
        await this.docker.getContainer(id).start({ abortSignal });
      } catch (err) {
        if (!isNotModified(err)) throw err;
      }
    });
  }

  async stopContainer(id: string, opts: { timeoutSeconds?: number } & CallOptions = {}): Promise<void> {
    const grace = opts.timeoutSeconds ?? 10;
    const ctx = this.run.ctx('stop container', { containerName: id });
    await this.run.call(
      opts,
      ctx,
      async (abortSignal) => {
        try {
          await this.docker.getContainer(id).stop({ t: grace, abortSignal });
        } catch (err) {
          if (!isNotModified(err)) throw err;
        }
      },
      grace * 1000 + this.run.defaultTimeoutMs,
    );
  }

  async restartContainer(id: string, opts: { timeoutSeconds?: number } & CallOptions = {}): Promise<void> {
    const grace = opts.timeoutSeconds ?? 10;
    await this.run.call(
      opts,
      this.run.ctx('restart container', { containerName: id }),
      (abortSignal) => this.docker.getContainer(id).restart({ t: grace, abortSignal }),
      grace * 1000 + this.run.defaultTimeoutMs,
    );
  }

  async removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } & CallOptions = {}): Promise<void> {
    await this.run.call(opts, this.run.ctx('remove container', { containerName: id }), (abortSignal) =>
      this.docker.getContainer(id).remove({ force: opts.force ?? false, v: opts.volumes ?? false, abortSignal }),
    );
  }

  commitContainer(
    id: string,
    opts: { repo: string; tag: string; comment?: string; author?: string; pause?: boolean } & CallOptions,
  ): Promise<{ id: string }> {
    return commit(this.docker, this.run, id, opts);
  }

  logs(
    id: string,
    opts: { follow?: boolean; tail?: number; since?: number; timestamps?: boolean } & CallOptions,
    onData: (stream: StdStream, text: string) => void,
  ): Promise<void> {
    return streamLogs(this.docker, this.run, id, opts, onData);
  }

  exec(
    id: string,
    opts: { cmd: string[]; user?: string; workdir?: string; env?: string[] } & CallOptions,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return runExec(this.docker, this.run, id, opts);
  }

  async probeShell(id: string, candidates: string[] = ['bash', 'sh'], o?: CallOptions): Promise<string | undefined> {
    for (const shell of candidates) {
      // No shell string built from input: the candidate is argv[0], the script is a constant.
      const r = await this.exec(id, { cmd: [shell, '-c', 'exit 0'], ...o });
      if (r.exitCode === 0) return shell;
    }
    return undefined;
  }

  pullImage(ref: string, onProgress: (p: { percent: number; status: string }) => void, o?: CallOptions): Promise<void> {
    return pullWithProgress(this.docker, this.run, ref, onProgress, o);
  }

  async removeImage(ref: string, opts: { force?: boolean } & CallOptions = {}): Promise<void> {
    await this.run.call(opts, this.run.ctx('remove image', { image: ref }), (abortSignal) =>
      this.docker.getImage(ref).remove({ force: opts.force ?? false, abortSignal }),
    );
  }

  async tagImage(source: string, repo: string, tag: string, o?: CallOptions): Promise<void> {
    const tagOpts = { repo, tag, abortSignal: undefined as AbortSignal | undefined };
    await this.run.call(o, this.run.ctx('tag image', { image: source }), (abortSignal) =>
      this.docker.getImage(source).tag({ ...tagOpts, abortSignal } as { repo: string; tag: string }),
    );
  }

  exportImages(refs: string[], o?: CallOptions): Promise<NodeJS.ReadableStream> {
    return exportImages(this.docker, this.run, refs, o);
  }

  importImages(archive: NodeJS.ReadableStream, o?: CallOptions): Promise<NodeJS.ReadableStream> {
    return importImages(this.docker, this.run, archive, o);
  }

  pushImage(repo: string, tag: string, auth: object, o?: CallOptions): Promise<NodeJS.ReadableStream> {
    return pushImageStream(this.docker, this.run, repo, tag, auth, o);
  }

  events(onEvent: (e: EngineEvent) => void, opts: EventsOptions = {}): Subscription {
    const source = {
      endpointHost: this.endpoint.host,
      connectTimeoutMs: this.run.defaultTimeoutMs,
      logger: this.opts.logger,
      open: (query: { since?: string; filters?: Record<string, string[]> }, abortSignal: AbortSignal) =>
        this.docker.getEvents({
          ...query,
          abortSignal,
        } as Dockerode.GetEventsOptions),
      ping: (o: CallOptions) => this.ping(o),
      timeoutReading: this.opts.timeoutReading,
    };
    return new EventsSubscription(source, onEvent, opts);
  }
}

/** The dockerode implementation; the Dockerode instance is injected (see `engineFactory.ts`). */
export function createEngine(docker: Dockerode, endpoint: Endpoint, opts: CreateEngineOptions = {}): Engine {
  return new DockerodeEngine(docker, endpoint, opts);
}
