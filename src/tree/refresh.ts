import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import type { EngineError } from '../core/docker';
// Straight from the file: the core/docker index would load dockerode at activation.
import { CAPABILITIES, lackingContextKey, type EngineCapabilities } from '../core/docker/capabilities';
import type { Logger } from '../core/logger';
import { RefreshController } from '../core/tree/refreshController';
import type { RefreshControllerOptions } from '../core/tree/refreshContract';
import type { EngineState } from '../core/tree/refreshPolicy';
import type { ContainerStore, ImageStore } from '../core/tree/store';
import type { EngineService } from '../hosts/engineService';
import { ContextKeyState } from '../viewState';

export type RefreshOptions = Pick<RefreshControllerOptions, 'debounceMs' | 'pollMs' | 'retryMs' | 'clock'> & {
  /** Sets the engine-state context key (the welcome views); false for hosts other than the first. */
  setsContextKeys?: boolean;
};

/**
 * The vscode side of the refresh: the core RefreshController (event filter, coalescing, stale-result
 * guards, poll fallback, retry) with its signals backed by EventEmitters and the engine-state context key.
 */
export class RefreshManager implements vscode.Disposable {
  /** The extension's context keys (set only on change); shared with the views and commands. */
  readonly contextKeys = new ContextKeyState();
  private readonly containersChanged = new vscode.EventEmitter<void>();
  private readonly imagesChanged = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<EngineState>();
  readonly onDidChangeContainers = this.containersChanged.event;
  readonly onDidChangeImages = this.imagesChanged.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly controller: RefreshController;
  private readonly engineSub: vscode.Disposable;
  private readonly setsContextKeys: boolean;
  /** Every host's capabilities: the first host's alone until `HostsService` says there are more. */
  private capabilitiesOfAll: () => readonly EngineCapabilities[] = () => [this.engines.engine.capabilities];

  constructor(
    private readonly engines: EngineService,
    logger: Logger,
    { setsContextKeys = true, ...options }: RefreshOptions = {},
  ) {
    this.controller = new RefreshController({
      ...options,
      engine: () => engines.engine,
      endpoint: () => engines.endpoint.host,
      logger,
      signals: {
        containersChanged: () => this.containersChanged.fire(),
        imagesChanged: () => this.imagesChanged.fire(),
        stateChanged: (state, error) => {
          if (setsContextKeys) {
            void this.contextKeys.set(ContextKeys.engineState, state);
            // A Kubernetes namespace as the one host: its Images view says why it lists no images.
            void this.contextKeys.set(ContextKeys.clusterHost, engines.endpoint.kind === 'kubernetes');
            void this.contextKeys.set(ContextKeys.sshProblem, state !== 'ok' && error?.ssh !== undefined);
            this.setCapabilityKeys();
          }
          this.stateChanged.fire(state);
        },
      },
    });
    this.engineSub = engines.onDidChange(() => this.controller.restart());
    if (setsContextKeys) void this.contextKeys.set(ContextKeys.engineState, this.controller.state);
    this.setsContextKeys = setsContextKeys;
    this.setCapabilityKeys();
  }

  /**
   * `gpuContainers.no.<capability>`: true when no host can do it (the Images view's Pull, Load and Build hide
   * on it). `HostsService` gives every host's capabilities once there are several.
   */
  setHostCapabilities(all: () => readonly EngineCapabilities[]): void {
    this.capabilitiesOfAll = all;
    this.setCapabilityKeys();
  }

  private setCapabilityKeys(): void {
    if (!this.setsContextKeys) return;
    const all = this.capabilitiesOfAll();
    for (const c of CAPABILITIES)
      void this.contextKeys.set(
        lackingContextKey(c),
        all.every((caps) => !caps[c]),
      );
  }

  get containers(): ContainerStore {
    return this.controller.containers;
  }
  get images(): ImageStore {
    return this.controller.images;
  }
  get state(): EngineState {
    return this.controller.state;
  }
  get lastError(): EngineError | undefined {
    return this.controller.lastError;
  }
  /** Set while the rows are the last list from an engine that stopped answering (Date.now() time). */
  get staleSince(): number | undefined {
    return this.controller.staleSince;
  }
  get endpointHost(): string {
    return this.engines.endpoint.host;
  }
  get active(): boolean {
    return this.controller.active;
  }

  /** Views report their visibility; the first visible one starts the refresh, the last hidden stops it. */
  setVisible(viewId: string, visible: boolean): void {
    this.controller.setVisible(viewId, visible);
  }

  restart(): void {
    this.controller.restart();
  }
  refreshAll(): Promise<void> {
    return this.controller.refreshAll();
  }
  /** Inspect one container, patch its row and tell the views (after Start/Stop/Launch). */
  refreshContainer(id: string): Promise<void> {
    return this.controller.refreshContainer(id);
  }
  refreshImages(): Promise<void> {
    return this.controller.refreshImages();
  }

  dispose(): void {
    this.controller.dispose();
    this.engineSub.dispose();
    this.containersChanged.dispose();
    this.imagesChanged.dispose();
    this.stateChanged.dispose();
  }
}
