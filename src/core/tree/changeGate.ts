import type { Clock } from './refreshPolicy';

/**
 * VS Code's extension host passes a tree view's changes (a data change, a `message` assignment) through a
 * 200 ms debounce that fires the first change at once and restarts its timer on every later one: a change
 * made within 200 ms of the previous one waits until 200 ms after the newest. Left alone, a burst (the first
 * list, then its GPU fill, then a message) holds the rows back by 200 ms or more.
 *
 * The gate keeps every change of one view on the leading edge: a change requested while that window is
 * open is held, merged with the others, and emitted once, just after the window closes. `flush` emits the
 * batch (data first, then anything else such as the message) and says whether it emitted anything.
 */
export const VSCODE_TREE_DEBOUNCE_MS = 200;
/** Past the window: VS Code's timer and ours are due in the same millisecond otherwise. */
const MARGIN_MS = 5;

export interface ChangeGateOptions<T> {
  clock: Clock;
  now(): number;
  /** Emit one batch: `all` (the whole tree) or the `elements` changed; true when anything reached VS Code. */
  flush(all: boolean, elements: T[]): boolean;
  windowMs?: number;
}

export class ChangeGate<T> {
  private all = false;
  private readonly elements = new Set<T>();
  private requested = false;
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private readonly windowMs: number;

  constructor(private readonly o: ChangeGateOptions<T>) {
    this.windowMs = (o.windowMs ?? VSCODE_TREE_DEBOUNCE_MS) + MARGIN_MS;
  }

  /** Everything changed (no argument), these elements did, or only what the batch adds (`[]`: the message). */
  request(elements?: readonly T[]): void {
    this.requested = true;
    if (elements === undefined) this.all = true;
    else for (const e of elements) this.elements.add(e);
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.windowMs - this.o.now();
    if (wait <= 0) this.flushNow();
    else this.timer = this.o.clock.setTimeout(() => this.flushNow(), wait);
  }

  /** Emit what is held now (before a reveal, which needs the tree current), window or not. */
  flushNow(): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.requested) return;
    const all = this.all;
    const elements = all ? [] : [...this.elements];
    this.all = false;
    this.elements.clear();
    this.requested = false;
    if (this.o.flush(all, elements)) this.lastAt = this.o.now();
  }

  /** Whether a batch is held. */
  get holding(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
