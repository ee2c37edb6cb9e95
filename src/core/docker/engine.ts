/**
 * The engine interface everything in the sidebar goes through, and its dockerode implementation.
 * Every call has a timeout and can be cancelled; every failure is an `EngineError`.
 */
import type { IncomingMessage } from 'node:http';
import type Dockerode from 'dockerode';
import type { Logger } from '../logger';
import type { Endpoint } from './endpoint';
import { cancelledError, EngineError, timeoutError, toEngineError, type EngineErrorContext } from './errors';
import {
  parseEventLine,
  toContainerDetails,
  toContainerSummary,
  toEngineInfo,
  toEngineVersion,
  toImageDetails,
  toImageSummary,
} from './mapping';
import { Demuxer, LineSplitter, PullProgress, type StdStream } from './streams';
import type {
  ContainerDetails,
  ContainerSummary,
  EngineEvent,
  EngineInfo,
  EngineVersion,
  ImageDetails,
  ImageSummary,
} from './types';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the engine's default timeout for this call (ms). */
  timeoutMs?: number;
}

/**
 * `{ signal?: string } & CallOptions` would make `signal` both a kill signal and an AbortSignal:
 * `killSignal` names the kill signal; `signal` is accepted as either (a string means the kill signal).
 */
export interface KillOptions {
  killSignal?: string;
  signal?: AbortSignal | string;
  timeoutMs?: number;
}

export interface EventsOptions {
  filters?: Record<string, string[]>;
  onState?: (s: 'connected' | 'disconnected', err?: EngineError) => void;
  backoff?: { initialMs: number; maxMs: number };
}

export interface Engine {
  readonly endpoint: Endpoint;
  ping(o?: CallOptions): Promise<void>;
  version(o?: CallOptions): Promise<EngineVersion>;
  info(o?: CallOptions): Promise<EngineInfo>;
  listContainers(
    opts?: { all?: boolean; size?: boolean; filters?: Record<string, string[]> } & CallOptions,
  ): Promise<ContainerSummary[]>;
  inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails>;
  listImages(opts?: { all?: boolean; filters?: Record<string, string[]> } & CallOptions): Promise<ImageSummary[]>;
  inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails>;
  createContainer(options: Dockerode.ContainerCreateOptions, o?: CallOptions): Promise<string>;
  /** Starting a running container is not an error (304 is success). */
  startContainer(id: string, o?: CallOptions): Promise<void>;
  /** Stopping a stopped container is not an error (304 is success). */
  stopContainer(id: string, opts?: { timeoutSeconds?: number } & CallOptions): Promise<void>;
  restartContainer(id: string, opts?: { timeoutSeconds?: number } & CallOptions): Promise<void>;
  killContainer(id: string, opts?: KillOptions): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean } & CallOptions): Promise<void>;
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
  /** A duplex stream to the container's stdio (raw for tty containers, multiplexed otherwise). */
  attach(id: string, o?: CallOptions): Promise<NodeJS.ReadWriteStream>;
  /** Per-layer progress rolled into one monotonic percentage. `timeoutMs` is an inactivity limit here. */
  pullImage(ref: string, onProgress: (p: { percent: number; status: string }) => void, o?: CallOptions): Promise<void>;
  removeImage(ref: string, opts?: { force?: boolean } & CallOptions): Promise<void>;
  /** Removes stopped containers carrying ALL the given labels; at least one label is required. */
  pruneContainers(labelFilters: string[], o?: CallOptions): Promise<{ deleted: string[]; spaceReclaimed: number }>;
  /**
   * Subscribes to engine events; reconnects forever with backoff and resumes from the last seen event
   * time, dropping the duplicates the engine replays at that boundary.
   */
  events(onEvent: (e: EngineEvent) => void, opts?: EventsOptions): { dispose(): void };
}

export interface CreateEngineOptions {
  /** Default timeout per call (ms); 30 s unless given. */
  defaultTimeoutMs?: number;
  logger?: Logger;
  /** Clock for "Up 3 minutes" status text (ms since epoch). */
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** An AbortSignal for one call: the caller's signal plus our timer. */
class CallLink {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOutFlag = false;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    private readonly outer: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get timedOut(): boolean {
    return this.timedOutFlag;
  }
  get cancelled(): boolean {
    return this.outer?.aborted === true;
  }
  timeoutMsValue(): number {
    return this.timeoutMs;
  }

  /** (Re)starts the timeout. */
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.timeoutMs > 0 && Number.isFinite(this.timeoutMs)) {
      this.timer = setTimeout(() => {
        this.timedOutFlag = true;
        this.controller.abort();
      }, this.timeoutMs);
    }
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Rejects as soon as the link aborts, whether or not the underlying call honours the signal. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.signal.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new DOMException('aborted', 'AbortError'));
      this.signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  dispose(): void {
    this.stopTimer();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

/** dockerode 4 accepts `abortSignal` here, its typings don't say so yet. */
type WithSignal = { abortSignal?: AbortSignal } & Record<string, unknown>;
interface Signalled {
  ping(o: WithSignal): Promise<unknown>;
  version(o: WithSignal): Promise<unknown>;
  info(o: WithSignal): Promise<unknown>;
}
interface SignalledImage {
  inspect(o: WithSignal): Promise<unknown>;
}

function isNotModified(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { statusCode?: unknown }).statusCode === 304;
}

function streamOf(v: unknown): NodeJS.ReadableStream {
  return v as NodeJS.ReadableStream;
}

/**
 * Fills in what `docker create --gpus` sends and the engine otherwise stores as null
 * (`Options: {}`), so a container we create inspects exactly like one the CLI made.
 */
export function normalizeCreateOptions(options: Dockerode.ContainerCreateOptions): Dockerode.ContainerCreateOptions {
  const requests = options.HostConfig?.DeviceRequests;
  if (!Array.isArray(requests)) return { ...options };
  return {
    ...options,
    HostConfig: {
      ...options.HostConfig,
      DeviceRequests: requests.map((r) => ({ ...r, Options: r.Options ?? {} })),
    },
  };
}

/** `sec.nanos` for the events `since` parameter, from a nanosecond count. */
export function sinceFromNanos(nanos: bigint): string {
  const sec = nanos / 1_000_000_000n;
  const rest = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${sec}.${rest}`;
}

class DockerodeEngine implements Engine {
  private readonly defaultTimeoutMs: number;
  private readonly logger?: Logger;
  private readonly now: () => number;

  constructor(
    private readonly docker: Dockerode,
    readonly endpoint: Endpoint,
    opts: CreateEngineOptions,
  ) {
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = opts.logger;
    this.now = opts.now ?? Date.now;
  }

  private ctx(operation: string, extra: Omit<EngineErrorContext, 'endpoint' | 'operation'> = {}): EngineErrorContext {
    return { endpoint: this.endpoint.host, operation, ...extra };
  }

  private link(o: CallOptions | undefined, timeoutMs?: number): CallLink {
    return new CallLink(o?.signal, o?.timeoutMs ?? timeoutMs ?? this.defaultTimeoutMs);
  }

  private fail(link: CallLink, err: unknown, ctx: EngineErrorContext): EngineError {
    const op = ctx.operation ?? 'request';
    if (link.timedOut) return timeoutError(op, this.endpoint.host, link.timeoutMsValue());
    if (link.cancelled) return cancelledError(op, err);
    const e = toEngineError(err, ctx);
    this.logger?.trace(`docker ${op} failed: ${e.kind}: ${e.message}`);
    return e;
  }

  /** Runs one request-response call under a timeout and the caller's signal. */
  private async call<T>(
    o: CallOptions | undefined,
    ctx: EngineErrorContext,
    fn: (signal: AbortSignal) => Promise<T>,
    timeoutMs?: number,
  ): Promise<T> {
    const op = ctx.operation ?? 'request';
    if (o?.signal?.aborted) throw cancelledError(op);
    const link = this.link(o, timeoutMs);
    try {
      return await link.race(fn(link.signal));
    } catch (err) {
      throw this.fail(link, err, ctx);
    } finally {
      link.dispose();
    }
  }

  async ping(o?: CallOptions): Promise<void> {
    await this.call(o, this.ctx('ping'), (abortSignal) => (this.docker as unknown as Signalled).ping({ abortSignal }));
  }

  async version(o?: CallOptions): Promise<EngineVersion> {
    const json = await this.call(o, this.ctx('version'), (abortSignal) =>
      (this.docker as unknown as Signalled).version({ abortSignal }),
    );
    return toEngineVersion(json);
  }

  async info(o?: CallOptions): Promise<EngineInfo> {
    const json: unknown = await this.call(o, this.ctx('info'), (abortSignal) =>
      (this.docker as unknown as Signalled).info({ abortSignal }),
    );
    return toEngineInfo(json);
  }

  async listContainers(
    opts: { all?: boolean; size?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ContainerSummary[]> {
    const json: unknown = await this.call(opts, this.ctx('list containers'), (abortSignal) =>
      this.docker.listContainers({
        all: opts.all ?? false,
        size: opts.size ?? false,
        ...(opts.filters ? { filters: opts.filters } : {}),
        abortSignal,
      }),
    );
    return Array.isArray(json) ? json.map(toContainerSummary).filter((c) => c.id !== '') : [];
  }

  async inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails> {
    const json: unknown = await this.call(
      o,
      this.ctx('inspect container', { containerName: idOrName }),
      (abortSignal) => this.docker.getContainer(idOrName).inspect({ abortSignal }),
    );
    return toContainerDetails(json, this.now());
  }

  async listImages(
    opts: { all?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ImageSummary[]> {
    const json: unknown = await this.call(opts, this.ctx('list images'), (abortSignal) =>
      this.docker.listImages({
        all: opts.all ?? false,
        ...(opts.filters ? { filters: opts.filters } : {}),
        abortSignal,
      } as Dockerode.ListImagesOptions),
    );
    return Array.isArray(json) ? json.map(toImageSummary).filter((i) => i.id !== '') : [];
  }

  async inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails> {
    const json: unknown = await this.call(o, this.ctx('inspect image', { image: ref }), (abortSignal) =>
      (this.docker.getImage(ref) as unknown as SignalledImage).inspect({ abortSignal }),
    );
    return toImageDetails(json);
  }

  async createContainer(options: Dockerode.ContainerCreateOptions, o?: CallOptions): Promise<string> {
    const ctx = this.ctx('create container', { image: options.Image, containerName: options.name });
    const container = await this.call(o, ctx, (abortSignal) =>
      // A copy: docker-modem deletes keys from the options object it is given.
      this.docker.createContainer({ ...normalizeCreateOptions(options), abortSignal }),
    );
    return container.id;
  }

  async startContainer(id: string, o?: CallOptions): Promise<void> {
    await this.call(o, this.ctx('start container', { containerName: id }), async (abortSignal) => {
      try {
        await this.docker.getContainer(id).start({ abortSignal });
      } catch (err) {
        if (!isNotModified(err)) throw err;
      }
    });
  }

  async stopContainer(id: string, opts: { timeoutSeconds?: number } & CallOptions = {}): Promise<void> {
    const grace = opts.timeoutSeconds ?? 10;
    await this.call(
      opts,
      this.ctx('stop container', { containerName: id }),
      async (abortSignal) => {
        try {
          await this.docker.getContainer(id).stop({ t: grace, abortSignal });
        } catch (err) {
          if (!isNotModified(err)) throw err;
        }
      },
      grace * 1000 + this.defaultTimeoutMs,
    );
  }

  async restartContainer(id: string, opts: { timeoutSeconds?: number } & CallOptions = {}): Promise<void> {
    const grace = opts.timeoutSeconds ?? 10;
    await this.call(
      opts,
      this.ctx('restart container', { containerName: id }),
      (abortSignal) => this.docker.getContainer(id).restart({ t: grace, abortSignal }),
      grace * 1000 + this.defaultTimeoutMs,
    );
  }

  async killContainer(id: string, opts: KillOptions = {}): Promise<void> {
    const killSignal = opts.killSignal ?? (typeof opts.signal === 'string' ? opts.signal : undefined);
    const call: CallOptions = {
      signal: typeof opts.signal === 'object' ? opts.signal : undefined,
      timeoutMs: opts.timeoutMs,
    };
    await this.call(call, this.ctx('kill container', { containerName: id }), (abortSignal) =>
      this.docker.getContainer(id).kill({ ...(killSignal ? { signal: killSignal } : {}), abortSignal }),
    );
  }

  async removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } & CallOptions = {}): Promise<void> {
    await this.call(opts, this.ctx('remove container', { containerName: id }), (abortSignal) =>
      this.docker.getContainer(id).remove({ force: opts.force ?? false, v: opts.volumes ?? false, abortSignal }),
    );
  }

  async logs(
    id: string,
    opts: { follow?: boolean; tail?: number; since?: number; timestamps?: boolean } & CallOptions,
    onData: (stream: StdStream, text: string) => void,
  ): Promise<void> {
    const ctx = this.ctx('logs', { containerName: id });
    if (opts.signal?.aborted) throw cancelledError('logs');
    const link = this.link(opts);
    try {
      let stream: IncomingMessage;
      let tty = false;
      try {
        const json = (await link.race(this.docker.getContainer(id).inspect({ abortSignal: link.signal }))) as {
          Config?: { Tty?: unknown };
        };
        tty = json?.Config?.Tty === true;
        const query: Record<string, unknown> = {
          follow: opts.follow ?? false,
          stdout: true,
          stderr: true,
          timestamps: opts.timestamps ?? false,
        };
        if (opts.tail !== undefined) query.tail = opts.tail;
        if (opts.since !== undefined) query.since = opts.since;
        // modem.dial directly: dockerode's non-follow logs() JSON-parses the body when it can.
        stream = await link.race(
          new Promise<IncomingMessage>((resolve, reject) => {
            this.docker.modem.dial(
              {
                path: `/containers/${encodeURIComponent(id)}/logs?`,
                method: 'GET',
                options: query,
                isStream: true,
                abortSignal: link.signal,
                statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
              } as unknown as Parameters<typeof this.docker.modem.dial>[0],
              (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as IncomingMessage)),
            );
          }),
        );
      } catch (err) {
        throw this.fail(link, err, ctx);
      }
      link.stopTimer();
      const demux = new Demuxer(onData, tty);
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const finish = (err?: unknown): void => {
          if (settled) return;
          settled = true;
          link.signal.removeEventListener('abort', onAbort);
          demux.end();
          if (err && !link.signal.aborted) reject(toEngineError(err, ctx));
          else resolve();
        };
        const onAbort = (): void => {
          stream.destroy();
          finish();
        };
        link.signal.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (chunk: Buffer) => demux.push(chunk));
        stream.on('end', () => finish());
        stream.on('error', (err) => finish(err));
        stream.on('close', () => finish());
      });
    } finally {
      link.dispose();
    }
  }

  async exec(
    id: string,
    opts: { cmd: string[]; user?: string; workdir?: string; env?: string[] } & CallOptions,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return this.call(opts, this.ctx('exec', { containerName: id }), async (abortSignal) => {
      const exec = await this.docker.getContainer(id).exec({
        Cmd: opts.cmd,
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        ...(opts.user ? { User: opts.user } : {}),
        ...(opts.workdir ? { WorkingDir: opts.workdir } : {}),
        ...(opts.env ? { Env: opts.env } : {}),
        abortSignal,
      });
      const stream = streamOf(await exec.start({ Detach: false, Tty: false, abortSignal }));
      let stdout = '';
      let stderr = '';
      const demux = new Demuxer((s, text) => {
        if (s === 'stderr') stderr += text;
        else stdout += text;
      });
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => demux.push(chunk));
        stream.on('end', () => resolve());
        stream.on('close', () => resolve());
        stream.on('error', (err: unknown) => reject(err));
      });
      demux.end();
      const info = (await exec.inspect({ abortSignal })) as { ExitCode?: unknown; Running?: unknown };
      const exitCode = typeof info.ExitCode === 'number' ? info.ExitCode : -1;
      return { exitCode, stdout, stderr };
    });
  }

  async probeShell(id: string, candidates: string[] = ['bash', 'sh'], o?: CallOptions): Promise<string | undefined> {
    for (const shell of candidates) {
      // No shell string built from input: the candidate is argv[0], the script is a constant.
      const r = await this.exec(id, { cmd: [shell, '-c', 'exit 0'], ...o });
      if (r.exitCode === 0) return shell;
    }
    return undefined;
  }

  async attach(id: string, o?: CallOptions): Promise<NodeJS.ReadWriteStream> {
    const stream = (await this.call(o, this.ctx('attach', { containerName: id }), (abortSignal) =>
      this.docker.getContainer(id).attach({
        stream: true,
        stdin: true,
        stdout: true,
        stderr: true,
        hijack: true,
        abortSignal,
      } as Dockerode.ContainerAttachOptions),
    )) as NodeJS.ReadWriteStream & { destroy?: () => void };
    const outer = o?.signal;
    if (outer) {
      const onAbort = (): void => stream.destroy?.();
      outer.addEventListener('abort', onAbort, { once: true });
      stream.once('close', () => outer.removeEventListener('abort', onAbort));
    }
    return stream;
  }

  async pullImage(
    ref: string,
    onProgress: (p: { percent: number; status: string }) => void,
    o?: CallOptions,
  ): Promise<void> {
    const ctx = this.ctx('pull image', { image: ref });
    if (o?.signal?.aborted) throw cancelledError('pull image');
    const link = this.link(o);
    try {
      let stream: NodeJS.ReadableStream;
      try {
        stream = streamOf(await link.race(this.docker.pull(ref, { abortSignal: link.signal })));
      } catch (err) {
        throw this.pullError(ref, this.fail(link, err, ctx));
      }
      const progress = new PullProgress();
      let streamError: string | undefined;
      const lines = new LineSplitter((line) => {
        let msg: unknown;
        try {
          msg = JSON.parse(line);
        } catch {
          return;
        }
        const m = msg as { error?: unknown; errorDetail?: { message?: unknown } };
        if (typeof m.error === 'string') {
          streamError = m.error;
          return;
        }
        onProgress(progress.update(msg));
      });
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const finish = (err?: unknown): void => {
          if (settled) return;
          settled = true;
          link.signal.removeEventListener('abort', onAbort);
          lines.end();
          if (err) reject(err);
          else resolve();
        };
        const onAbort = (): void => {
          (stream as unknown as { destroy(): void }).destroy();
          finish(new DOMException('aborted', 'AbortError'));
        };
        link.signal.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (chunk: Buffer) => {
          link.touch();
          lines.push(chunk);
        });
        stream.on('end', () => finish());
        stream.on('close', () => finish());
        stream.on('error', (err: unknown) => finish(err));
      }).catch((err: unknown) => {
        throw this.pullError(ref, this.fail(link, err, ctx));
      });
      if (streamError !== undefined) {
        throw this.pullError(ref, toEngineError(new Error(streamError), ctx));
      }
      onProgress(progress.complete());
    } finally {
      link.dispose();
    }
  }

  /** Pull failures other than reachability/timeout/cancel name the image and offer Load. */
  private pullError(ref: string, e: EngineError): EngineError {
    if (e.kind !== 'unknown' && e.kind !== 'notFound') return e;
    return new EngineError(
      'unknown',
      `Could not pull ${ref}: ${e.engineMessage ?? e.message}`.replace(/\s+/g, ' ').slice(0, 300),
      'Check the image name and that a registry is reachable, or Load the image from a file (docker load).',
      { cause: e, statusCode: e.statusCode, image: ref, engineMessage: e.engineMessage },
    );
  }

  async removeImage(ref: string, opts: { force?: boolean } & CallOptions = {}): Promise<void> {
    await this.call(opts, this.ctx('remove image', { image: ref }), (abortSignal) =>
      this.docker.getImage(ref).remove({ force: opts.force ?? false, abortSignal }),
    );
  }

  async pruneContainers(
    labelFilters: string[],
    o?: CallOptions,
  ): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const labels = labelFilters.filter((l) => typeof l === 'string' && l.trim() !== '');
    if (labels.length === 0) {
      throw new EngineError(
        'unknown',
        'Refusing to prune containers without a label filter.',
        'Pass at least one label (e.g. gpu-containers.owner=NAME).',
      );
    }
    const json = (await this.call(o, this.ctx('prune containers'), (abortSignal) =>
      this.docker.pruneContainers({ filters: { label: labels }, abortSignal }),
    )) as { ContainersDeleted?: unknown; SpaceReclaimed?: unknown } | undefined;
    const deleted = Array.isArray(json?.ContainersDeleted)
      ? json.ContainersDeleted.filter((d): d is string => typeof d === 'string')
      : [];
    const spaceReclaimed = typeof json?.SpaceReclaimed === 'number' ? json.SpaceReclaimed : 0;
    return { deleted, spaceReclaimed };
  }

  events(onEvent: (e: EngineEvent) => void, opts: EventsOptions = {}): { dispose(): void } {
    const backoff = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
    let disposed = false;
    let state: 'connected' | 'disconnected' | undefined;
    let delay = backoff.initialMs;
    let retryTimer: NodeJS.Timeout | undefined;
    let current: { controller: AbortController; stream?: NodeJS.ReadableStream } | undefined;
    /** Largest timeNano seen, and the keys of the events seen at exactly that time. */
    let lastNano: bigint | undefined;
    let boundary = new Set<string>();
    /** Fallback resume point before any event was seen: the engine's Date header (seconds). */
    let connectedSince: string | undefined;

    const setState = (s: 'connected' | 'disconnected', err?: EngineError): void => {
      if (state === s) return;
      state = s;
      try {
        opts.onState?.(s, err);
      } catch (e) {
        this.logger?.error(e instanceof Error ? e : String(e));
      }
    };

    const deliver = (ev: EngineEvent): void => {
      let nano: bigint;
      try {
        nano = BigInt(ev.timeNano);
      } catch {
        nano = 0n;
      }
      const key = `${ev.timeNano}|${ev.type}|${ev.action}|${ev.id}`;
      if (lastNano !== undefined) {
        if (nano < lastNano) return; // replayed from before the resume point
        if (nano === lastNano) {
          if (boundary.has(key)) return;
          boundary.add(key);
        } else {
          lastNano = nano;
          boundary = new Set([key]);
        }
      } else {
        lastNano = nano;
        boundary = new Set([key]);
      }
      try {
        onEvent(ev);
      } catch (e) {
        this.logger?.error(e instanceof Error ? e : String(e));
      }
    };

    const scheduleRetry = (err: unknown): void => {
      if (disposed) return;
      const e = toEngineError(err ?? new Error('The events stream ended.'), this.ctx('events'));
      setState('disconnected', e);
      this.logger?.warn(`Docker events disconnected (${e.message}); retrying in ${delay} ms`);
      retryTimer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, backoff.maxMs);
    };

    const connect = async (): Promise<void> => {
      if (disposed) return;
      const controller = new AbortController();
      const attempt: { controller: AbortController; stream?: NodeJS.ReadableStream } = { controller };
      current = attempt;
      const since = lastNano !== undefined ? sinceFromNanos(lastNano) : connectedSince;
      const query: Record<string, unknown> = { abortSignal: controller.signal };
      if (since) query.since = since;
      if (opts.filters) query.filters = opts.filters;
      const timer = setTimeout(() => controller.abort(), this.defaultTimeoutMs);
      let stream: NodeJS.ReadableStream;
      try {
        stream = streamOf(await this.docker.getEvents(query as Dockerode.GetEventsOptions));
      } catch (err) {
        clearTimeout(timer);
        if (disposed || current !== attempt) return;
        scheduleRetry(
          controller.signal.aborted ? timeoutError('events', this.endpoint.host, this.defaultTimeoutMs) : err,
        );
        return;
      } finally {
        clearTimeout(timer);
      }
      if (disposed || current !== attempt) {
        (stream as unknown as { destroy(): void }).destroy();
        return;
      }
      attempt.stream = stream;
      if (connectedSince === undefined) {
        const date = Date.parse(String((stream as unknown as IncomingMessage).headers?.date ?? ''));
        if (Number.isFinite(date)) connectedSince = String(Math.floor(date / 1000));
      }
      delay = backoff.initialMs;
      setState('connected');
      const lines = new LineSplitter((line) => {
        const ev = parseEventLine(line);
        if (ev) deliver(ev);
      });
      let ended = false;
      const onEnd = (err?: unknown): void => {
        if (ended) return;
        ended = true;
        lines.end();
        if (disposed || current !== attempt) return;
        scheduleRetry(err);
      };
      stream.on('data', (chunk: Buffer) => lines.push(chunk));
      stream.on('end', () => onEnd());
      stream.on('close', () => onEnd());
      stream.on('error', (err: unknown) => onEnd(err));
    };

    void connect();
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (retryTimer) clearTimeout(retryTimer);
        current?.controller.abort();
        (current?.stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
        current = undefined;
      },
    };
  }
}

/** The dockerode implementation; the Dockerode instance is injected (see `dockerodeOptions`). */
export function createEngine(docker: Dockerode, endpoint: Endpoint, opts: CreateEngineOptions = {}): Engine {
  return new DockerodeEngine(docker, endpoint, opts);
}
