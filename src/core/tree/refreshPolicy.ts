import type { ContainerSummary, EngineError } from '../docker';

// What the refresh reacts to and how an engine failure reads as a state (pure; RefreshController uses it).

export type EngineState = 'unknown' | 'ok' | 'unreachable' | 'denied' | 'error';

/** Timers, injected so tests drive time by hand. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const ROW_FIELDS = ['name', 'state', 'status', 'image', 'owner', 'gpu', 'ports', 'labels'] as const;

/** Whether two versions of a container look the same in the tree (inspect carries more than a row shows). */
export function sameRow(a: ContainerSummary, b: ContainerSummary): boolean {
  return ROW_FIELDS.every((k) => a[k] === b[k] || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export function stateOf(e: EngineError): EngineState {
  if (e.kind === 'unreachable' || e.kind === 'timeout') return 'unreachable';
  if (e.kind === 'permissionDenied') return 'denied';
  return 'error';
}

/**
 * The two timers of a refresh: a slow poll while the event stream is down, and the retry of a failed full
 * list with backoff (doubling from `retryMs` up to `pollMs`, reset by a success).
 */
export class RefreshTimers {
  private pollTimer: unknown;
  private retryTimer: unknown;
  private delay: number;

  constructor(
    private readonly clock: Clock,
    private readonly pollMs: number,
    private readonly retryMs: number,
    private readonly trace: (message: string) => void,
  ) {
    this.delay = retryMs;
  }

  get retrying(): boolean {
    return this.retryTimer !== undefined;
  }

  /** Run `poll` every `pollMs` for as long as `again()` says so after each run. */
  schedulePoll(poll: () => Promise<void>, again: () => boolean): void {
    if (this.pollTimer !== undefined) return;
    this.pollTimer = this.clock.setTimeout(() => {
      this.pollTimer = undefined;
      void poll().finally(() => {
        if (again()) this.schedulePoll(poll, again);
      });
    }, this.pollMs);
  }
  stopPolling(): void {
    this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  scheduleRetry(retry: () => void): void {
    if (this.retryTimer !== undefined) return;
    const delay = this.delay;
    this.delay = Math.min(this.delay * 2, this.pollMs);
    this.trace(`refresh: retrying the full list in ${delay} ms`);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      retry();
    }, delay);
  }
  cancelRetry(): void {
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
  resetBackoff(): void {
    this.delay = this.retryMs;
  }
}
