import type { EngineError, EngineEvent } from '../docker';
import { toEngineError } from '../docker/errors';
import { ContainerPatcher } from './containerPatcher';
import { RefreshTimers, stateOf, systemClock, type Clock, type EngineState } from './refreshPolicy';
import { fillGpuRequests } from './gpuFill';
import { listAll } from './fullList';
import type { RefreshControllerOptions, RefreshEngine } from './refreshContract';
import { ContainerStore, ImageStore } from './store';
import { markOnce } from '../perfMarks';

/** After a full list, the GPU inspects start this much later (past VS Code's 200 ms tree debounce). */
export const GPU_FILL_DELAY_MS = 250;

/**
 * Keeps the stores current while a consumer is visible: one full list at start, then the engine's event
 * stream. An event names one container, so only that container is inspected and patched. The stream
 * reconnects forever (in the engine layer); only while it is down does a slow poll re-list. A failed full
 * refresh empties the stores (never a partial list shown as complete), retries by itself with backoff, and
 * turns later events into that retry instead of patching an incomplete store — except when the engine just
 * stopped answering (a timeout: a frozen daemon, a stalled connection): then the last complete list is
 * kept and marked stale (`staleSince`) until a full list succeeds. Nothing runs while hidden.
 * vscode-free: the extension wraps it (src/tree/refresh.ts), the bench and unit tests drive it directly.
 */
export class RefreshController {
  readonly containers = new ContainerStore();
  readonly images = new ImageStore();
  private currentState: EngineState = 'unknown';
  private error: EngineError | undefined;
  private readonly visible = new Set<string>();
  private subscription: { dispose(): void } | undefined;
  private readonly timers: RefreshTimers;
  /** Per-container inspects after events (coalescing, retries): containerPatcher.ts. */
  private readonly patcher: ContainerPatcher;
  private imagesTimer: unknown;
  private streamDown = false;
  /** The event stream is connected (a 'connected' not followed by a 'disconnected'). */
  private streamUp = false;
  /** When the engine stopped answering while the stores held a complete list (kept, shown as stale). */
  private staleAt: number | undefined;
  /** True after a successful full list; false after a failed one until the next success. */
  private complete = false;
  private generation = 0;
  private fullRefresh: Promise<void> | undefined;
  private fullRefreshGeneration = -1;
  private gpuNeeded = true;
  private readonly clock: Clock;
  private readonly debounceMs: number;

  constructor(private readonly o: RefreshControllerOptions) {
    this.clock = o.clock ?? systemClock;
    this.debounceMs = o.debounceMs ?? 100;
    this.timers = new RefreshTimers(this.clock, o.pollMs ?? 10_000, o.retryMs ?? 1000, (m) => o.logger.trace(m));
    this.patcher = new ContainerPatcher({
      engine: () => this.engine,
      containers: this.containers,
      generation: () => this.generation,
      complete: () => this.complete,
      streaming: () => this.subscription !== undefined,
      clock: this.clock,
      debounceMs: this.debounceMs,
      logger: o.logger,
      changed: () => o.signals.containersChanged(),
      refreshAll: () => void this.refreshAll(),
    });
  }

  get state(): EngineState {
    return this.currentState;
  }
  get lastError(): EngineError | undefined {
    return this.error;
  }
  get active(): boolean {
    return this.subscription !== undefined;
  }
  /** Whether the stores hold a complete list (the last full refresh succeeded). */
  get isComplete(): boolean {
    return this.complete;
  }
  /**
   * Set (a Date.now() time) while the rows are the last complete list from an engine that stopped answering
   * (a timeout); cleared by the next complete list.
   */
  get staleSince(): number | undefined {
    return this.staleAt;
  }
  /** Whether the event stream is connected now. */
  get eventsUp(): boolean {
    return this.streamUp;
  }
  /** A retry of a failed full refresh is scheduled. */
  get retrying(): boolean {
    return this.timers.retrying;
  }

  private get engine(): RefreshEngine {
    return this.o.engine();
  }

  /** Consumers report their visibility; the first visible one starts the refresh, the last hidden stops it. */
  setVisible(id: string, visible: boolean): void {
    if (visible) {
      markOnce('visible');
      this.visible.add(id);
    } else this.visible.delete(id);
    if (this.visible.size > 0 && !this.subscription) this.start();
    else if (this.visible.size === 0 && this.subscription) this.stop();
  }

  /** Whether GPU requests of unlabelled running containers are wanted (inspected once each, cached). */
  setGpuNeeded(needed: boolean): void {
    const was = this.gpuNeeded;
    this.gpuNeeded = needed;
    if (needed && !was && this.complete) void this.fillGpuInfo(this.generation);
  }

  private start(): void {
    const gen = ++this.generation;
    this.o.logger.trace('refresh: start');
    this.subscription = this.engine.events((e) => this.onEvent(e), {
      filters: { type: ['container', 'image'] },
      onState: (s, err) => {
        if (gen !== this.generation) return;
        this.streamUp = s === 'connected';
        if (s === 'connected') {
          markOnce('eventsConnected');
          // A full list on every (re)connect closes the gap between the last list and the moment the
          // stream listens (dockerd answers the events request just before it starts listening).
          this.streamDown = false;
          this.timers.stopPolling();
          void this.refreshAll();
        } else {
          const first = !this.streamDown;
          this.streamDown = true;
          // A silent stream whose ping timed out: the engine is frozen or the link stalled — mark the rows
          // stale now (the list below confirms it within LIST_PING_TIMEOUT_MS).
          if (err && !this.markStale(err)) this.setState(stateOf(err), err);
          if (first) void this.refreshAll();
          this.schedulePoll();
        }
      },
    });
  }

  private stop(): void {
    this.o.logger.trace('refresh: stop');
    this.generation++;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.streamDown = false;
    this.streamUp = false;
    this.timers.stopPolling();
    this.timers.cancelRetry();
    this.clock.clearTimeout(this.imagesTimer);
    this.imagesTimer = undefined;
    this.patcher.clear();
  }

  /** After the endpoint changed: drop everything and start again if anything is visible. */
  restart(): void {
    const wasActive = this.active;
    this.stop();
    this.complete = false;
    this.staleAt = undefined;
    this.containers.replaceAll([]);
    this.images.replaceAll([]);
    this.o.signals.containersChanged();
    this.o.signals.imagesChanged();
    if (wasActive || this.visible.size > 0) this.start();
    else void this.refreshAll();
  }

  private schedulePoll(): void {
    this.timers.schedulePoll(
      () => this.refreshAll(),
      () => this.streamDown && this.subscription !== undefined,
    );
  }

  private setState(state: EngineState, error?: EngineError): void {
    const was = this.error;
    this.error = error;
    // The same state with another ssh problem (a frozen daemon, then no answer over ssh) changes the view's text.
    if (state === this.currentState && was?.ssh === error?.ssh) return;
    this.currentState = state;
    this.o.signals.stateChanged(state, error);
  }

  /** Full re-list of containers and images (the Refresh and Retry commands, start, reconnect, poll, retry). */
  refreshAll(): Promise<void> {
    // Join a refresh in flight only if it belongs to this generation: one started before a stop/start
    // throws its result away, so joining it would leave the view empty until the next event.
    if (this.fullRefresh && this.fullRefreshGeneration === this.generation) return this.fullRefresh;
    this.fullRefreshGeneration = this.generation;
    const p: Promise<void> = this.doRefreshAll().finally(() => {
      if (this.fullRefresh === p) this.fullRefresh = undefined;
    });
    this.fullRefresh = p;
    return p;
  }

  private async doRefreshAll(): Promise<void> {
    const gen = this.generation;
    this.timers.cancelRetry();
    const abort = new AbortController();
    try {
      // Both lists at once, but the container rows do not wait for the images (a long image list, or a
      // slow one: the first rows are what the user waits for). A failure of either empties both below.
      markOnce('listStart');
      const list = listAll(this.engine, abort.signal);
      const images = list.images;
      const containers = await list.containers;
      markOnce('listEnd');
      if (gen !== this.generation) return;
      this.containers.replaceAll(containers);
      this.complete = true;
      this.staleAt = undefined;
      this.timers.resetBackoff();
      this.setState('ok');
      this.o.signals.containersChanged();
      if (containers.length > 0) markOnce('storeFilled');
      // The GPU inspects wait until the rows have been handed to VS Code: on the first load they would
      // compete with the tree for this thread, and a change they find is then on the leading edge of the
      // tree's 200 ms debounce instead of holding the rows back.
      this.clock.setTimeout(() => void this.fillGpuInfo(gen), GPU_FILL_DELAY_MS);
      this.patcher.flushSoon();
      const imageList = await images;
      if (gen !== this.generation) return;
      this.images.replaceAll(imageList);
      this.o.signals.imagesChanged();
    } catch (err) {
      abort.abort();
      const e = toEngineError(err, { endpoint: this.o.endpoint() });
      this.o.logger.warn(`refresh failed: ${e.message}`);
      if (gen !== this.generation) return;
      if (this.markStale(e)) {
        if (this.subscription) this.timers.scheduleRetry(() => void this.refreshAll());
        return;
      }
      this.staleAt = undefined;
      this.complete = false;
      this.patcher.clear();
      this.containers.replaceAll([]);
      this.images.replaceAll([]);
      this.setState(stateOf(e), e);
      this.o.signals.containersChanged();
      this.o.signals.imagesChanged();
      // The event stream may well be up (a daemon that stalled, then recovered): nothing else would
      // list again until the next reconnect, so the refresh retries by itself.
      if (this.subscription) this.timers.scheduleRetry(() => void this.refreshAll());
    }
  }

  /**
   * After a timeout, keeps the last complete list (or the stale one) and marks it stale instead of emptying
   * the stores; later events trigger a full list, not a patch. False when there is nothing to keep or the
   * failure is not a timeout (the engine is gone: the stores are emptied as before).
   */
  private markStale(e: EngineError): boolean {
    if (e.kind !== 'timeout' || !(this.complete || this.staleAt !== undefined)) return false;
    const first = this.staleAt === undefined;
    this.staleAt ??= Date.now();
    this.complete = false;
    this.patcher.clear();
    this.setState(stateOf(e), e);
    if (first) {
      this.o.logger.warn(`Docker at ${this.o.endpoint()} is not answering; the rows are kept, marked stale.`);
      this.o.signals.containersChanged();
      this.o.signals.imagesChanged();
    }
    return true;
  }

  private async fillGpuInfo(gen: number): Promise<void> {
    if (!this.gpuNeeded) return;
    const current = (): boolean => gen === this.generation;
    if ((await fillGpuRequests(this.engine, this.containers, current)) && current()) this.o.signals.containersChanged();
  }

  private onEvent(e: EngineEvent): void {
    if (e.change === 'changed' || e.change === 'settled' || e.change === 'removed') {
      if (this.fullRefresh && this.fullRefreshGeneration === this.generation) {
        // A full list is in flight (the first load, on a busy engine): its answer may or may not hold this
        // change, so the container is inspected once the list has landed — not a second full list.
        this.patcher.hold(e.id);
        return;
      }
      if (!this.complete) {
        // The engine answers again, but the store is empty or stale: list everything, do not patch.
        this.timers.cancelRetry();
        this.timers.resetBackoff();
        this.patcher.debounce(() => void this.refreshAll());
        return;
      }
      if (e.change === 'removed') {
        this.patcher.forget(e.id);
        if (this.containers.remove(e.id)) this.o.signals.containersChanged();
        return;
      }
      this.patcher.add(e.id, e.change === 'settled');
    } else if (e.change === 'images') {
      this.clock.clearTimeout(this.imagesTimer);
      this.imagesTimer = this.clock.setTimeout(() => {
        this.imagesTimer = undefined;
        void this.refreshImages();
      }, this.debounceMs * 3);
    }
  }

  /**
   * Inspect one container and patch its row (or drop it if it is gone), then tell the views: commands
   * call this after Start/Stop/Launch so the row is right even while the event stream is down.
   */
  async refreshContainer(id: string): Promise<void> {
    if (!this.complete) return this.refreshAll();
    if (await this.patcher.patch(id, this.generation)) this.o.signals.containersChanged();
  }

  async refreshImages(): Promise<void> {
    const gen = this.generation;
    try {
      const images = await this.engine.listImages();
      if (gen !== this.generation || !this.complete) return;
      this.images.replaceAll(images);
      this.o.signals.imagesChanged();
    } catch (err) {
      this.o.logger.warn(`image refresh failed: ${toEngineError(err).message}`);
    }
  }

  dispose(): void {
    this.stop();
  }
}
