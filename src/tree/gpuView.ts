import type { ContainerCreateOptions } from '../core/docker';
import * as vscode from 'vscode';
import type { Config } from '../config';
import { ContextKeys, Views } from '../constants';
import {
  buildGpuModel,
  emptySnapshot,
  gpuMemoryByContainer,
  gpuPreflight,
  gpuRequestFrom,
  type GpuRow,
  type GpuSnapshot,
  type PreflightFinding,
} from '../core/gpu';
import { UseHistory, type UseView } from '../core/gpu/history';
import type { HostGpuReader } from '../core/hosts';
import type { Logger } from '../core/logger';
import { gpuChildren, gpuNodeItem, gpuRootNodes, hostModel, type GpuNode } from '../core/tree/gpuRows';
import type { EngineService } from '../hosts/engineService';
import { hostGpuReader } from '../hosts/hostGpus';
import type { RefreshManager } from './refresh';
import { toTreeItem } from './treeItem';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hosts/hostsService';
import { fleetText, hostTreeItem } from '../hosts/hostsTree';
import { setViewProperty } from '../viewState';
import { GPU_FILL_DELAY_MS } from '../core/tree/refreshController';

/** The first GPU read waits for the first container list at most this long (a slow or unreachable engine). */
const FIRST_READ_MAX_WAIT_MS = 1000;

const t = vscode.l10n.t;

/**
 * The GPUs view: a tree provider over the first host's GPU snapshot (read by `hostGpuReader`, as every other
 * host's: over ssh for an ssh host) and a timer that polls only while the view is visible. Holders come from the container store, so container changes re-map
 * rows without running nvidia-smi again.
 */
export class GpuView implements vscode.TreeDataProvider<GpuNode | HostNode>, vscode.Disposable {
  private snapshot: GpuSnapshot = emptySnapshot();
  private model: GpuRow[] = [];
  private memory = new Map<string, number>();
  /** Use over time of this host's GPUs and their holders, fed by each poll (core/gpu/history.ts). */
  readonly history = new UseHistory();
  private idleFirst = false;
  private readonly emitter = new vscode.EventEmitter<GpuNode | HostNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly rowsEmitter = new vscode.EventEmitter<void>();
  /** The rows were rebuilt (new snapshot, or holders re-mapped): the Containers rows show GPU memory from them. */
  readonly onDidChangeRows = this.rowsEmitter.event;
  private readonly recordEmitter = new vscode.EventEmitter<void>();
  /** A GPU reading went into the history (the idle policies are checked after each: idleWatch.ts). */
  readonly onDidRecord = this.recordEmitter.event;
  readonly view: vscode.TreeView<GpuNode | HostNode>;
  /** Several hosts: each is a top-level node with its own GPUs (see attachHosts). */
  private hosts: HostsService | undefined;
  private readonly reader: HostGpuReader;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** The first nvidia-smi of the window, held until the first container list (see firstRead). */
  private firstReadWait: vscode.Disposable | undefined;
  private firstReadDone = false;
  private firstReadTimer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly config: Config,
    private readonly engines: EngineService,
    private readonly refreshManager: RefreshManager,
    private readonly logger: Logger,
  ) {
    // The engine changes with the settings: the reader always calls the current one.
    this.reader = hostGpuReader(engines, logger);
    this.view = vscode.window.createTreeView(Views.gpus, { treeDataProvider: this });
    this.subs.push(
      this.view,
      this.emitter,
      this.rowsEmitter,
      this.recordEmitter,
      this.view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
      refreshManager.onDidChangeContainers(() => this.rebuild()),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('gpuContainers.gpus')) {
          this.reader.invalidate();
          this.setVisible(this.view.visible);
        }
      }),
      engines.onDidChange(() => {
        this.reader.invalidate();
        void this.refresh();
      }),
    );
    this.setVisible(this.view.visible);
  }

  get current(): GpuSnapshot {
    return this.snapshot;
  }

  private setVisible(visible: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // The GPUs view needs the container list too (holders): count it as a visible view for the refresh.
    this.refreshManager.setVisible(Views.gpus, visible);
    if (!visible) return;
    if (this.firstReadDone) void this.refresh();
    else this.firstRead();
    this.timer = setInterval(() => void this.refresh(), this.config.gpuRefreshIntervalMs());
  }

  /**
   * The window's first GPU read waits for the first container list and a moment more (GPU_FILL_DELAY_MS):
   * starting nvidia-smi (or ssh) blocks the extension host for tens of milliseconds, which would otherwise
   * land between the list and the first container rows (issue 17). At most FIRST_READ_MAX_WAIT_MS.
   */
  private firstRead(): void {
    if (this.firstReadTimer) return;
    const go = (delayMs: number): void => {
      this.firstReadWait?.dispose();
      this.firstReadWait = undefined;
      clearTimeout(this.firstReadTimer);
      this.firstReadTimer = setTimeout(() => {
        this.firstReadDone = true;
        void this.refresh();
      }, delayMs);
    };
    if (this.refreshManager.state !== 'unknown') return go(0);
    this.firstReadWait = this.refreshManager.onDidChangeState(() => {
      if (this.refreshManager.state !== 'unknown') go(GPU_FILL_DELAY_MS);
    });
    this.firstReadTimer = setTimeout(() => go(0), FIRST_READ_MAX_WAIT_MS);
  }

  /** Local engine: on this machine (unix socket, Windows pipe, tcp to loopback), so nvidia-smi runs here. */
  isLocal(): boolean {
    return this.engines.gpuTarget.local;
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.reader
      .read(this.engines.gpuTarget, {
        smiPath: this.config.nvidiaSmiPath(),
        probeImage: this.config.gpuProbeImage(),
      })
      .then((snap) => {
        this.snapshot = snap;
        this.rebuild();
        this.history.record(this.model);
        this.recordEmitter.fire();
        // The idle flags are read from the history: redraw with the new sample.
        this.emitter.fire(undefined);
      })
      .catch((err: unknown) => this.logger.warn(`GPU refresh failed: ${String(err)}`))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** The user's own lease extensions (LeaseWatch), shown on their holder rows. */
  leaseExtensions: () => Readonly<Record<string, number>> = () => ({});

  /** Re-render the rows (a lease was extended). */
  rerender(): void {
    this.rebuild();
  }

  /** Re-map holders from the container store (no nvidia-smi run). */
  private rebuild(): void {
    const s = this.snapshot;
    this.model = buildGpuModel(
      {
        gpus: s.gpus,
        apps: s.apps,
        pidToContainerId: s.pidToContainerId,
        pidToUser: s.pidToUser,
        containers: this.refreshManager.containers.all(),
      },
      { includeStopped: true },
    );
    this.memory = gpuMemoryByContainer(this.model);
    const u = s.unavailable;
    // Several hosts: each host node says its own state; the description is the fleet's.
    const multi = this.hosts?.multiple === true;
    setViewProperty(this.view, 'message', u && !multi ? `${u.message} ${u.fix}` : undefined);
    const free = this.model.filter((r) => r.free).length;
    const model = hostModel(this.model);
    setViewProperty(
      this.view,
      'description',
      multi
        ? fleetText(this.hosts!).text || undefined
        : this.model.length > 0
          ? [model, t('{0} of {1} free', free, this.model.length)].filter(Boolean).join(' · ')
          : undefined,
    );
    this.emitter.fire(undefined);
    this.rowsEmitter.fire();
  }

  /** The history and the idle settings, as the rows read them. */
  use(): UseView {
    return { history: this.history, policy: this.config.gpuIdlePolicy() };
  }

  /** "Show Idle Holders First" / "Show GPUs in Index Order" (the view's title bar). */
  setIdleFirst(on: boolean): void {
    this.idleFirst = on;
    void vscode.commands.executeCommand('setContext', ContextKeys.gpusIdleFirst, on);
    this.emitter.fire(undefined);
  }

  /** The rows as the view shows them (for tests and the launch). */
  rows(): GpuRow[] {
    return this.model;
  }

  /** GPU memory used by a container's processes, summed over its GPUs (MiB); undefined when none or unknown. */
  gpuMemoryMiB(containerId: string): number | undefined {
    return this.memory.get(containerId);
  }

  /** With several hosts, each host is a top-level node; its rows are the GPUs view's (first host) or its own. */
  attachHosts(hosts: HostsService): void {
    this.hosts = hosts;
    this.subs.push(
      hosts.onDidChange(() => this.rebuild()),
      // The other hosts' holders come from their container lists: refreshed while this view is visible.
      hosts.followView(Views.gpus, this.view),
    );
  }

  getChildren(node?: GpuNode | HostNode): Array<GpuNode | HostNode> {
    const hosts = this.hosts;
    if (!node && hosts?.multiple) return hosts.list.map((h) => h.node);
    if (isHostNode(node)) {
      const host = hosts?.of(node);
      return host
        ? hosts!.mark(
            host,
            host.primary
              ? gpuRootNodes(this.model, this.use(), this.idleFirst)
              : gpuRootNodes(host.gpus.rows(), host.gpus.use(), this.idleFirst),
          )
        : [];
    }
    if (node && hosts?.multiple) return hosts.mark(hosts.of(node), gpuChildren(node));
    return node ? gpuChildren(node) : gpuRootNodes(this.model, this.use(), this.idleFirst);
  }

  getTreeItem(node: GpuNode | HostNode): vscode.TreeItem {
    if (isHostNode(node)) {
      const host = this.hosts!.of(node);
      const rows = host.gpus.rows();
      const u = rows.length === 0 ? host.gpus.current.unavailable : undefined;
      // Each host says its GPU model ("NVIDIA H100 80GB HBM3 × 8"), as the view's header does for one host.
      return hostTreeItem(this.hosts!, host, u?.message ?? hostModel(rows));
    }
    const kids = gpuChildren(node).length > 0;
    const state = !kids
      ? vscode.TreeItemCollapsibleState.None
      : node.kind === 'stopped'
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.Expanded;
    // Each host's rows read that host's use history (the first host's is this view's own).
    const host = this.hosts?.multiple ? this.hosts.find(node) : undefined;
    const use = host && !host.primary ? host.gpus.use() : this.use();
    return toTreeItem(gpuNodeItem(node, t, Date.now(), use, this.leaseExtensions()), state);
  }

  /** Fresh rows for a launch: the snapshot re-read, and every container's GPU request known. */
  async fresh(): Promise<GpuRow[]> {
    await this.refresh();
    const store = this.refreshManager.containers;
    const unknown = new Set(store.missingGpuInfo());
    await Promise.all(
      store
        .all()
        .filter((c) => unknown.has(c.id) && c.state !== 'exited' && c.state !== 'dead')
        .map(async (c) =>
          store.setGpu(c.id, (await this.engines.engine.inspectContainer(c.id).catch(() => undefined))?.gpu),
        ),
    );
    this.rebuild();
    return this.model;
  }

  /**
   * Launch preflight for a GPU request, all of it at once: no NVIDIA runtime, the image's CUDA against the
   * driver's, GPUs that do not exist here, GPUs other running containers hold.
   */
  async findings(
    image: string,
    options: ContainerCreateOptions,
    hasNvidiaRuntime?: boolean,
    /** "N free GPUs": no ids yet, so only the runtime and CUDA checks apply. */
    freeRequest = false,
  ): Promise<PreflightFinding[]> {
    if (this.isLocal() && this.snapshot.source === 'none' && !this.snapshot.unavailable) await this.refresh();
    const details = await this.engines.engine.inspectImage(image).catch(() => undefined);
    await this.fresh();
    return gpuPreflight({
      request: freeRequest
        ? { kind: 'devices', deviceIds: [], source: 'deviceRequests' }
        : gpuRequestFrom(options.HostConfig?.DeviceRequests, options.Env),
      image: details ? { env: details.env, labels: details.labels } : undefined,
      driverCuda: this.snapshot.driverCuda,
      hasNvidiaRuntime,
      gpus: this.snapshot.gpus,
      containers: this.refreshManager.containers.all(),
    });
  }

  /** The findings' sentences (kept for callers that only show them). */
  async preflight(image: string, options: ContainerCreateOptions): Promise<string[]> {
    return (await this.findings(image, options)).map((f) => f.message);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.firstReadWait?.dispose();
    clearTimeout(this.firstReadTimer);
    for (const s of this.subs) s.dispose();
  }
}
