import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import { toEngineError, type EngineError, type Engine, type EngineEvent } from '../core/docker';
import type { Logger } from '../core/logger';
import { ContainerStore, ImageStore } from '../core/tree/store';
import type { EngineService } from '../engineService';

export type EngineState = 'unknown' | 'ok' | 'unreachable' | 'denied' | 'error';

/** Container actions that change what a row shows; exec_*, attach, resize, top… do not. */
const CONTAINER_ACTIONS = new Set([
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'pause',
  'unpause',
  'destroy',
  'rename',
  'update',
  'oom',
  'kill',
]);
const IMAGE_ACTIONS = new Set(['pull', 'push', 'tag', 'untag', 'delete', 'import', 'load', 'save', 'build']);

export interface RefreshOptions {
  /** Sets the engine-state context key (the welcome views); false for hosts other than the first. */
  contextKeys?: boolean;
  /** Coalescing window for container events (ms). */
  debounceMs?: number;
  /** Slow full re-list while the event stream is down (ms). */
  pollMs?: number;
}

/**
 * Keeps the trees' data current while a view is visible: one full list at start, then the engine's
 * event stream. An event names one container, so only that container is inspected and patched (an
 * inspect costs ≈ 1 ms in the daemon; a full list of 1,000 containers ≈ 120 ms). The stream reconnects
 * forever with backoff (in the engine layer); only while it is down does a slow poll re-list.
 * Nothing runs while every view is hidden.
 */
export class RefreshManager implements vscode.Disposable {
  readonly containers = new ContainerStore();
  readonly images = new ImageStore();
  private readonly containersChanged = new vscode.EventEmitter<void>();
  private readonly imagesChanged = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<EngineState>();
  readonly onDidChangeContainers = this.containersChanged.event;
  readonly onDidChangeImages = this.imagesChanged.event;
  readonly onDidChangeState = this.stateChanged.event;

  private currentState: EngineState = 'unknown';
  private error: EngineError | undefined;
  private readonly visible = new Set<string>();
  private subscription: { dispose(): void } | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private pendingIds = new Set<string>();
  private pendingTimer: NodeJS.Timeout | undefined;
  private imagesTimer: NodeJS.Timeout | undefined;
  private streamDown = false;
  private generation = 0;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly engineSub: vscode.Disposable;
  private fullRefresh: Promise<void> | undefined;
  private fullRefreshGeneration = -1;
  private readonly contextKeys: boolean;

  constructor(
    private readonly engines: EngineService,
    private readonly logger: Logger,
    options: RefreshOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 100;
    this.pollMs = options.pollMs ?? 10_000;
    this.engineSub = engines.onDidChange(() => this.restart());
    this.contextKeys = options.contextKeys ?? true;
    if (this.contextKeys) void vscode.commands.executeCommand('setContext', ContextKeys.engineState, this.currentState);
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

  private get engine(): Engine {
    return this.engines.engine;
  }

  /** Views report their visibility; the first visible one starts the refresh, the last hidden stops it. */
  setVisible(viewId: string, visible: boolean): void {
    if (visible) this.visible.add(viewId);
    else this.visible.delete(viewId);
    if (this.visible.size > 0 && !this.subscription) this.start();
    else if (this.visible.size === 0 && this.subscription) this.stop();
  }

  private start(): void {
    const gen = ++this.generation;
    this.logger.trace('refresh: start');
    this.subscription = this.engine.events((e) => this.onEvent(e), {
      filters: { type: ['container', 'image'] },
      onState: (s, err) => {
        if (gen !== this.generation) return;
        if (s === 'connected') {
          // A full list on every (re)connect: it closes the gap between the last list and the moment the
          // stream listens (dockerd answers the events request just before it starts listening).
          this.streamDown = false;
          this.stopPolling();
          void this.refreshAll();
        } else {
          const first = !this.streamDown;
          this.streamDown = true;
          if (err) this.setState(stateOf(err), err);
          if (first) void this.refreshAll();
          this.startPolling();
        }
      },
    });
  }

  private stop(): void {
    this.logger.trace('refresh: stop');
    this.generation++;
    this.subscription?.dispose();
    this.subscription = undefined;
    this.streamDown = false;
    this.stopPolling();
    clearTimeout(this.pendingTimer);
    clearTimeout(this.imagesTimer);
    this.pendingIds.clear();
  }

  /** After the endpoint changed: drop everything and start again if anything is visible. */
  restart(): void {
    const wasActive = this.active;
    this.stop();
    this.containers.replaceAll([]);
    this.images.replaceAll([]);
    this.containersChanged.fire();
    this.imagesChanged.fire();
    if (wasActive || this.visible.size > 0) this.start();
    else void this.refreshAll();
  }

  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.refreshAll(), this.pollMs);
  }
  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private setState(state: EngineState, error?: EngineError): void {
    this.error = error;
    if (state === this.currentState) return;
    this.currentState = state;
    if (this.contextKeys) void vscode.commands.executeCommand('setContext', ContextKeys.engineState, state);
    this.stateChanged.fire(state);
  }

  /** Full re-list of containers and images (the Refresh and Retry commands, start, reconnect, poll). */
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
    try {
      const [containers, images] = await Promise.all([
        this.engine.listContainers({ all: true }),
        this.engine.listImages(),
      ]);
      if (gen !== this.generation) return;
      this.containers.replaceAll(containers);
      this.images.replaceAll(images);
      this.setState('ok');
      this.containersChanged.fire();
      this.imagesChanged.fire();
      void this.fillGpuInfo(gen);
    } catch (err) {
      const e = toEngineError(err, { endpoint: this.engines.endpoint.host });
      this.logger.warn(`refresh failed: ${e.message}`);
      if (gen !== this.generation) return;
      this.containers.replaceAll([]);
      this.images.replaceAll([]);
      this.setState(stateOf(e), e);
      this.containersChanged.fire();
      this.imagesChanged.fire();
    }
  }

  /** GPU requests are only in inspect: fill them in the background, a few at a time, once per container. */
  private async fillGpuInfo(gen: number): Promise<void> {
    const ids = this.containers.missingGpuInfo();
    if (ids.length === 0) return;
    let changed = false;
    const worker = async (): Promise<void> => {
      for (let id = ids.pop(); id !== undefined && gen === this.generation; id = ids.pop()) {
        try {
          const d = await this.engine.inspectContainer(id);
          this.containers.setGpu(id, d.gpu);
          if (d.gpu) changed = true;
        } catch {
          this.containers.setGpu(id, undefined);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    if (changed && gen === this.generation) this.containersChanged.fire();
  }

  private onEvent(e: EngineEvent): void {
    if (e.type === 'container' && CONTAINER_ACTIONS.has(e.action.split(':')[0])) {
      if (e.action === 'destroy') {
        this.pendingIds.delete(e.id);
        if (this.containers.remove(e.id)) this.containersChanged.fire();
        return;
      }
      this.pendingIds.add(e.id);
      this.pendingTimer ??= setTimeout(() => void this.flushPending(), this.debounceMs);
    } else if (e.type === 'image' && IMAGE_ACTIONS.has(e.action)) {
      clearTimeout(this.imagesTimer);
      this.imagesTimer = setTimeout(() => void this.refreshImages(), this.debounceMs * 3);
    }
  }

  private async flushPending(): Promise<void> {
    this.pendingTimer = undefined;
    const ids = [...this.pendingIds];
    this.pendingIds.clear();
    const gen = this.generation;
    await Promise.all(ids.map((id) => this.refreshContainer(id, gen)));
    if (gen === this.generation) this.containersChanged.fire();
  }

  /** Inspect one container and patch its row (or drop it if it is gone). */
  async refreshContainer(id: string, gen = this.generation): Promise<void> {
    try {
      const d = await this.engine.inspectContainer(id);
      if (gen === this.generation) this.containers.upsert(d);
    } catch (err) {
      const e = toEngineError(err);
      if (e.kind === 'notFound') this.containers.remove(id);
      else this.logger.warn(`inspect ${id.slice(0, 12)} failed: ${e.message}`);
    }
  }

  async refreshImages(): Promise<void> {
    try {
      this.images.replaceAll(await this.engine.listImages());
      this.imagesChanged.fire();
    } catch (err) {
      this.logger.warn(`image refresh failed: ${toEngineError(err).message}`);
    }
  }

  dispose(): void {
    this.stop();
    this.engineSub.dispose();
    this.containersChanged.dispose();
    this.imagesChanged.dispose();
    this.stateChanged.dispose();
  }
}

export function stateOf(e: EngineError): EngineState {
  if (e.kind === 'unreachable' || e.kind === 'timeout') return 'unreachable';
  if (e.kind === 'permissionDenied') return 'denied';
  return 'error';
}
