import type { Engine } from '../docker';
import { toEngineError } from '../docker/errors';
import type { Logger } from '../logger';
import { sameRow, type Clock } from './refreshPolicy';
import type { ContainerStore } from './store';

/** How long a row whose container is being removed waits for the destroy event before it is inspected again. */
const REMOVING_RECHECK_MS = 2000;

/** What the patcher needs from its RefreshController. */
export interface PatchHost {
  engine(): Pick<Engine, 'inspectContainer'>;
  readonly containers: ContainerStore;
  /** Bumped on every stop/start: work of an older generation is thrown away. */
  generation(): number;
  /** The store holds a complete list (a patch of an incomplete store would be shown as complete). */
  complete(): boolean;
  /** The event stream is subscribed. */
  streaming(): boolean;
  readonly clock: Clock;
  readonly debounceMs: number;
  readonly logger: Logger;
  changed(): void;
  refreshAll(): void;
}

/**
 * One container at a time, after an event: ids are coalesced for `debounceMs`, inspected, and their rows
 * patched (or dropped when gone); the views hear one change per burst, none when no row changed. An inspect
 * that fails transiently is retried with backoff, then a full list. vscode-free (part of RefreshController).
 */
export class ContainerPatcher {
  private readonly pendingIds = new Set<string>();
  private readonly inspectFailures = new Map<string, number>();
  private pendingTimer: unknown;
  /** The timer pending is a flush of pendingIds (not a full list scheduled through `debounce`). */
  private pendingFlush = false;

  constructor(private readonly h: PatchHost) {}

  get hasPending(): boolean {
    return this.pendingIds.size > 0;
  }

  /**
   * Inspect `id` with the next burst; `settled` (after start or die: see SETTLED_ACTIONS) inspects it, and
   * the rest of the burst, on the next turn instead of after the coalescing window.
   */
  add(id: string, settled = false): void {
    this.pendingIds.add(id);
    if (settled && (this.pendingTimer === undefined || this.pendingFlush)) {
      this.h.clock.clearTimeout(this.pendingTimer);
      this.pendingTimer = undefined;
      this.schedule(() => void this.flush(), 0, true);
      return;
    }
    if (this.pendingTimer === undefined) this.schedule(() => void this.flush(), this.h.debounceMs, true);
  }

  /** Queue `id` without scheduling (a full list is in flight; `flushSoon` follows when it lands). */
  hold(id: string): void {
    this.pendingIds.add(id);
  }

  /** After a full list landed: inspect what arrived meanwhile. */
  flushSoon(): void {
    if (this.pendingIds.size > 0 && this.pendingTimer === undefined)
      this.schedule(() => void this.flush(), this.h.debounceMs, true);
  }

  forget(id: string): void {
    this.pendingIds.delete(id);
  }

  /** Run `fn` once after `debounceMs`, unless a burst is already scheduled (it then runs in its place). */
  debounce(fn: () => void): void {
    if (this.pendingTimer === undefined) this.schedule(fn, this.h.debounceMs, false);
  }

  private schedule(fn: () => void, ms: number, isFlush: boolean): void {
    this.pendingFlush = isFlush;
    this.pendingTimer = this.h.clock.setTimeout(() => {
      this.pendingTimer = undefined;
      this.pendingFlush = false;
      fn();
    }, ms);
  }

  /** Drop everything queued (stop, or a failed full list). */
  clear(): void {
    this.h.clock.clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    this.pendingFlush = false;
    this.pendingIds.clear();
    this.inspectFailures.clear();
  }

  private async flush(): Promise<void> {
    const ids = [...this.pendingIds];
    this.pendingIds.clear();
    const gen = this.h.generation();
    const changed = await Promise.all(ids.map((id) => this.patch(id, gen)));
    if (gen === this.h.generation() && changed.some(Boolean)) this.h.changed();
  }

  /** True when the row changed (an event that changes nothing a row shows fires nothing). */
  async patch(id: string, gen: number): Promise<boolean> {
    try {
      const d = await this.h.engine().inspectContainer(id);
      this.inspectFailures.delete(id);
      if (gen !== this.h.generation() || !this.h.complete()) return false;
      if (d.state === 'removing' && this.h.containers.get(id)) {
        // `rm -f`: kill and die come first, destroy a moment later. Showing "removing" would be a second
        // tree change right before the removal, which VS Code then holds for 200 ms: wait for destroy
        // (and look again later in case the removal fails).
        this.recheckLater(id, gen, REMOVING_RECHECK_MS);
        return false;
      }
      const before = this.h.containers.get(id);
      this.h.containers.upsert(d);
      return !before || !sameRow(before, this.h.containers.get(id)!);
    } catch (err) {
      const e = toEngineError(err);
      if (e.kind === 'notFound') return gen === this.h.generation() && this.h.containers.remove(id);
      this.h.logger.warn(`inspect ${id.slice(0, 12)} failed: ${e.message}`);
      this.retryInspect(id, gen);
      return false;
    }
  }

  /**
   * An inspect failed for another reason than "gone" (a timeout or EAGAIN under load): the event would
   * otherwise be lost and the row missing until the next full list. Inspect again with backoff; after
   * three failures, list everything.
   */
  private retryInspect(id: string, gen: number): void {
    const n = (this.inspectFailures.get(id) ?? 0) + 1;
    this.inspectFailures.set(id, n);
    if (n > 3) {
      this.inspectFailures.clear();
      if (gen === this.h.generation()) this.h.refreshAll();
      return;
    }
    this.recheckLater(id, gen, this.h.debounceMs * 2 ** n);
  }

  private recheckLater(id: string, gen: number, ms: number): void {
    this.h.clock.setTimeout(() => {
      if (gen !== this.h.generation() || !this.h.streaming() || !this.h.complete()) return;
      this.add(id);
    }, ms);
  }
}
