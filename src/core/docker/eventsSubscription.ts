/**
 * One engine-events subscription: connects, parses the JSON lines, drops the duplicates the engine replays
 * when we resume with `since`, reports 'connected'/'disconnected', reconnects forever with backoff, and
 * checks liveness while connected (a ping on the same endpoint), so a silent stall — a dropped VPN, a
 * sleeping laptop, a half-open TCP or ssh connection — is noticed in seconds instead of the kernel's
 * ≈ 11 minutes.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger';
import type { CallOptions, EventsOptions, Subscription } from './engineContract';
import { timeoutError, toEngineError } from './errors';
import type { EngineError } from './engineError';
import { parseEventLine } from './imageEventMapping';
import { LineSplitter } from './streams';
import type { EngineEvent } from './engineTypes';

/** What the subscription needs from a backend. */
export interface EventsSource {
  readonly endpointHost: string;
  /** Opens GET /events; resolves once the engine answered (headers received). */
  open(
    query: { since?: string; filters?: Record<string, string[]> },
    signal: AbortSignal,
  ): Promise<NodeJS.ReadableStream>;
  ping(o: CallOptions): Promise<void>;
  readonly connectTimeoutMs: number;
  readonly logger?: Logger;
  /** The transport's reading of a connect timeout (ssh: no answer over ssh while its master is replaced). */
  timeoutReading?(): EngineError | undefined;
}

/**
 * Liveness while connected: a ping every DEFAULT_LIVENESS_MS that must answer within
 * DEFAULT_LIVENESS_TIMEOUT_MS, so a frozen daemon or a stalled connection is noticed within their sum (≤ 9 s;
 * it was 15 s + 15 s). A ping is one small request on a kept-alive connection (≈ 1 ms on a local socket).
 */
export const DEFAULT_LIVENESS_MS = 4_000;
export const DEFAULT_LIVENESS_TIMEOUT_MS = 5_000;
/** How far before the last event seen a resumed stream starts, and how long seen events are remembered. */
export const REPLAY_WINDOW_NS = 2_000_000_000n;
const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** `sec.nanos` for the events `since` parameter, from a nanosecond count. */
export function sinceFromNanos(nanos: bigint): string {
  const sec = nanos / 1_000_000_000n;
  const rest = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${sec}.${rest}`;
}

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

export class EventsSubscription implements Subscription {
  private disposed = false;
  private state: 'connected' | 'disconnected' | undefined;
  private delay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private attempt: { controller: AbortController; stream?: Destroyable } | undefined;
  /** Largest timeNano seen, and the events seen within REPLAY_WINDOW_NS of it (key → timeNano). */
  private lastNano: bigint | undefined;
  private recent = new Map<string, bigint>();
  private pruneAt = 512;
  /** Fallback resume point before any event was seen: the engine's Date header (seconds). */
  private connectedSince: string | undefined;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly livenessMs: number;
  private readonly livenessTimeoutMs: number;

  constructor(
    private readonly source: EventsSource,
    private readonly onEvent: (e: EngineEvent) => void,
    private readonly opts: EventsOptions = {},
  ) {
    this.backoff = opts.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.delay = this.backoff.initialMs;
    this.livenessMs = opts.livenessMs ?? DEFAULT_LIVENESS_MS;
    this.livenessTimeoutMs =
      opts.livenessTimeoutMs ?? (opts.livenessMs !== undefined ? opts.livenessMs : DEFAULT_LIVENESS_TIMEOUT_MS);
    void this.connect();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopLiveness();
    this.drop();
  }

  private setState(s: 'connected' | 'disconnected', err?: EngineError): void {
    if (this.state === s) return;
    this.state = s;
    try {
      this.opts.onState?.(s, err);
    } catch (e) {
      this.source.logger?.error(e instanceof Error ? e : String(e));
    }
  }

  private deliver(ev: EngineEvent): void {
    let nano: bigint;
    try {
      nano = BigInt(ev.timeNano);
    } catch {
      nano = 0n;
    }
    // The engine stamps an event before it publishes it, so concurrent events (a burst of creates) can
    // arrive slightly out of time order: only an event already seen (replayed after a resume) is dropped.
    const key = `${ev.timeNano}|${ev.type}|${ev.action}|${ev.id}`;
    if (this.recent.has(key)) return;
    this.recent.set(key, nano);
    if (this.lastNano === undefined || nano > this.lastNano) this.lastNano = nano;
    if (this.recent.size > this.pruneAt) {
      const floor = this.lastNano - REPLAY_WINDOW_NS;
      for (const [k, n] of this.recent) if (n < floor) this.recent.delete(k);
      this.pruneAt = Math.max(512, this.recent.size * 2);
    }
    try {
      this.onEvent(ev);
    } catch (e) {
      this.source.logger?.error(e instanceof Error ? e : String(e));
    }
  }

  /** Aborts the current attempt and destroys its stream. */
  private drop(): void {
    const a = this.attempt;
    this.attempt = undefined;
    a?.controller.abort();
    a?.stream?.destroy?.();
  }

  private scheduleRetry(err: unknown): void {
    if (this.disposed) return;
    this.stopLiveness();
    this.drop();
    const e = toEngineError(err ?? new Error('The events stream ended.'), {
      endpoint: this.source.endpointHost,
      operation: 'events',
    });
    this.setState('disconnected', e);
    this.source.logger?.warn(`Docker events disconnected (${e.message}); retrying in ${this.delay} ms`);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    const controller = new AbortController();
    const attempt: { controller: AbortController; stream?: Destroyable } = { controller };
    this.attempt = attempt;
    // Resume a little before the last event seen, so one stamped earlier but not delivered yet is replayed
    // (the duplicates are dropped by key).
    const since =
      this.lastNano !== undefined ? sinceFromNanos(maxBig(0n, this.lastNano - REPLAY_WINDOW_NS)) : this.connectedSince;
    const timeoutMs = this.source.connectTimeoutMs;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let stream: Destroyable;
    try {
      stream = await this.source.open(
        { ...(since ? { since } : {}), ...(this.opts.filters ? { filters: this.opts.filters } : {}) },
        controller.signal,
      );
    } catch (err) {
      if (this.disposed || this.attempt !== attempt) return;
      this.scheduleRetry(
        controller.signal.aborted
          ? (this.source.timeoutReading?.() ?? timeoutError('events', this.source.endpointHost, timeoutMs))
          : err,
      );
      return;
    } finally {
      clearTimeout(timer);
    }
    if (this.disposed || this.attempt !== attempt) {
      stream.destroy?.();
      return;
    }
    attempt.stream = stream;
    if (this.connectedSince === undefined) {
      const date = Date.parse(String((stream as unknown as IncomingMessage).headers?.date ?? ''));
      if (Number.isFinite(date)) this.connectedSince = String(Math.floor(date / 1000));
    }
    this.delay = this.backoff.initialMs;
    this.setState('connected');
    const lines = new LineSplitter((line) => {
      const ev = parseEventLine(line);
      if (ev) this.deliver(ev);
    });
    let ended = false;
    const onEnd = (err?: unknown): void => {
      if (ended) return;
      ended = true;
      lines.end();
      if (this.disposed || this.attempt !== attempt) return;
      this.scheduleRetry(err);
    };
    stream.on('data', (chunk: Buffer) => lines.push(chunk));
    stream.on('end', () => onEnd());
    stream.on('close', () => onEnd());
    stream.on('error', (err: unknown) => onEnd(err));
    this.startLiveness(attempt);
  }

  private startLiveness(attempt: { controller: AbortController }): void {
    this.stopLiveness();
    if (!(this.livenessMs > 0)) return;
    const tick = async (): Promise<void> => {
      try {
        await this.source.ping({ timeoutMs: this.livenessTimeoutMs, signal: attempt.controller.signal });
      } catch (err) {
        if (this.disposed || this.attempt !== attempt) return;
        this.source.logger?.warn('Docker events: the engine stopped answering; reconnecting.');
        this.scheduleRetry(err);
        return;
      }
      if (!this.disposed && this.attempt === attempt)
        this.livenessTimer = setTimeout(() => void tick(), this.livenessMs);
    };
    this.livenessTimer = setTimeout(() => void tick(), this.livenessMs);
  }

  private stopLiveness(): void {
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = undefined;
  }
}
