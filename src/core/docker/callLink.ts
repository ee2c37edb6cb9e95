/**
 * The plumbing under every engine call: one AbortSignal per call that combines the caller's signal with
 * our timeout, and the mapping of whatever happened (timeout, cancel, a dockerode/node error) to one
 * `EngineError`.
 */
import type { Logger } from '../logger';
import type { CallOptions } from './engineContract';
import { cancelledError, timeoutError, toEngineError } from './errors';
import { EngineError, type EngineErrorContext } from './engineError';

/** An AbortSignal for one call: the caller's signal plus our timer. */
export class CallLink {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOutFlag = false;
  private readonly onOuterAbort = (): void => this.controller.abort();

  constructor(
    private readonly outer: AbortSignal | undefined,
    readonly timeoutMs: number,
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
      // Not resolve(p): that locks the promise to p, and a p that never settles (a frozen link whose call
      // ignores the signal) would never let the abort reject it.
      const off = (): void => this.signal.removeEventListener('abort', onAbort);
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e: unknown) => {
          off();
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as p rejected: toEngineError reads dockerode's objects
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

/** A backend's error reading: an `EngineError` for what it knows, undefined for the rest. */
export type ErrorClassifier = (err: unknown, ctx: EngineErrorContext) => EngineError | undefined;

/** A transport's reading of a call that timed out: its own error, or undefined to leave it Docker's. */
export type TimeoutReader = () => Promise<EngineError | undefined>;

/** Runs calls against one endpoint with a default timeout; every failure leaves as an `EngineError`. */
export class CallRunner {
  constructor(
    readonly endpointHost: string,
    readonly defaultTimeoutMs: number,
    private readonly logger?: Logger,
    /** A backend's own reading of its engine's errors, tried before Docker's (`toEngineError`). */
    private readonly classify?: ErrorClassifier,
    /** The transport's reading of a timeout (ssh: the link, not Docker, stopped answering); undefined: Docker's. */
    private readonly readTimeout?: TimeoutReader,
  ) {}

  /** `fail`, after asking the transport what a timeout means. */
  private async failRead(link: CallLink, err: unknown, ctx: EngineErrorContext): Promise<EngineError> {
    if (link.timedOut && !link.cancelled && this.readTimeout) {
      const said = await this.readTimeout().catch(() => undefined);
      if (said) return said;
    }
    return this.fail(link, err, ctx);
  }

  ctx(operation: string, extra: Omit<EngineErrorContext, 'endpoint' | 'operation'> = {}): EngineErrorContext {
    return { endpoint: this.endpointHost, operation, ...extra };
  }

  link(o: CallOptions | undefined, timeoutMs?: number): CallLink {
    return new CallLink(o?.signal, o?.timeoutMs ?? timeoutMs ?? this.defaultTimeoutMs);
  }

  fail(link: CallLink, err: unknown, ctx: EngineErrorContext): EngineError {
    const op = ctx.operation ?? 'request';
    if (link.timedOut) return timeoutError(op, this.endpointHost, link.timeoutMs);
    if (link.cancelled) return cancelledError(op, err);
    const e = this.classify?.(err, ctx) ?? toEngineError(err, ctx);
    this.logger?.trace(`docker ${op} failed: ${e.kind}: ${e.message}`);
    return e;
  }

  /** Runs one request-response call under a timeout and the caller's signal. */
  async call<T>(
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
      throw await this.failRead(link, err, ctx);
    } finally {
      link.dispose();
    }
  }

  /**
   * Opens a streamed answer: the timeout covers the wait for the engine's answer only; afterwards the
   * caller's signal still destroys the stream.
   */
  async openStream(
    o: CallOptions | undefined,
    ctx: EngineErrorContext,
    fn: (signal: AbortSignal) => Promise<unknown>,
    timeoutMs?: number,
  ): Promise<NodeJS.ReadableStream> {
    const op = ctx.operation ?? 'request';
    if (o?.signal?.aborted) throw cancelledError(op);
    const link = this.link(o, timeoutMs);
    let stream: NodeJS.ReadableStream & { destroy?: (err?: Error) => void };
    try {
      stream = (await link.race(fn(link.signal))) as typeof stream;
    } catch (err) {
      link.dispose();
      throw await this.failRead(link, err, ctx);
    }
    link.stopTimer();
    const done = (): void => link.dispose();
    stream.once('close', done);
    stream.once('end', done);
    return stream;
  }
}
