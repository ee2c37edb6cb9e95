import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { ContainerCreateOptions } from './core/docker';
import * as vscode from 'vscode';
import type { Config } from './config';
import { Views } from './constants';
import { toEngineError } from './core/docker';
import {
  buildGpuModel,
  classifySmiFailure,
  compareCuda,
  conflictsFor,
  containerIdFromCgroup,
  gpuRequestFrom,
  imageCudaVersion,
  messages,
  noNvidiaRuntimeReason,
  parseComputeApps,
  parseGpuQuery,
  parseSmiHeader,
  parseSmiList,
  probeCreateOptions,
  queryAppsArgs,
  queryGpuArgs,
  withMigDevices,
  type GpuInfo,
  type GpuRow,
  type SmiError,
} from './core/gpu';
import type { Logger } from './core/logger';
import { gpuChildren, gpuNodeItem, type GpuNode } from './core/tree/gpus';
import type { EngineService } from './engineService';
import type { RefreshManager } from './tree/refresh';
import { toTreeItem } from './tree/views';

const t = vscode.l10n.t;

export interface GpuSnapshot {
  gpus: GpuInfo[];
  rows: GpuRow[];
  driverCuda?: string;
  /** Why there are no rows, in words, with the fix. */
  unavailable?: { message: string; fix: string };
  source: 'host' | 'probe' | 'none';
}

function run(file: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout: String(stdout), stderr: String(stderr) }));
      else resolve(String(stdout));
    });
  });
}

/**
 * The GPUs view's data: `nvidia-smi` on this host when the engine is local; for a remote engine, only
 * an opt-in short-lived probe container. Polls on an interval only while the view is visible.
 */
export class GpuService implements vscode.TreeDataProvider<GpuNode>, vscode.Disposable {
  private snapshot: GpuSnapshot = { gpus: [], rows: [], source: 'none' };
  private readonly emitter = new vscode.EventEmitter<GpuNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<GpuNode>;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private driverCuda: string | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly config: Config,
    private readonly engines: EngineService,
    private readonly refreshManager: RefreshManager,
    private readonly logger: Logger,
  ) {
    this.view = vscode.window.createTreeView(Views.gpus, { treeDataProvider: this });
    this.subs.push(
      this.view,
      this.emitter,
      this.view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
      refreshManager.onDidChangeContainers(() => this.rebuild()),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('gpuContainers.gpus')) {
          this.driverCuda = undefined;
          this.setVisible(this.view.visible);
        }
      }),
      engines.onDidChange(() => {
        this.driverCuda = undefined;
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
    refreshManagerVisible(this.refreshManager, visible);
    if (!visible) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.gpuRefreshIntervalMs());
  }

  /** Local engine: the unix socket (or Windows pipe) of this machine. */
  private isLocal(): boolean {
    const kind = this.engines.endpoint.kind;
    return kind === 'unix' || kind === 'npipe';
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.read()
      .then((snap) => {
        this.snapshot = snap;
        this.render();
      })
      .catch((err: unknown) => this.logger.warn(`GPU refresh failed: ${String(err)}`))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<GpuSnapshot> {
    if (this.isLocal()) return this.readHost();
    const image = this.config.gpuProbeImage();
    if (!image) {
      return {
        gpus: [],
        rows: [],
        source: 'none',
        unavailable: {
          message: t(
            'GPU details are read with nvidia-smi on this machine, but the Docker engine is remote ({0}).',
            this.engines.endpoint.host,
          ),
          fix: t(
            'Set gpuContainers.gpus.probeImage to a CUDA image on that engine to read them with a short-lived container.',
          ),
        },
      };
    }
    return this.readProbe(image);
  }

  private async readHost(): Promise<GpuSnapshot> {
    const smi = this.config.nvidiaSmiPath();
    let csv: string;
    try {
      csv = await run(smi, queryGpuArgs());
    } catch (err) {
      const f = classifySmiFailure(err as SmiError);
      return { gpus: [], rows: [], source: 'none', unavailable: { message: f.message, fix: f.fix } };
    }
    let { gpus } = parseGpuQuery(csv);
    if (gpus.some((g) => g.migMode === 'Enabled')) {
      const list = await run(smi, ['-L']).catch(() => '');
      gpus = withMigDevices(gpus, parseSmiList(list).gpus);
    }
    if (this.driverCuda === undefined)
      this.driverCuda = parseSmiHeader(await run(smi, []).catch(() => '')).cudaVersion ?? '';
    const apps = parseComputeApps(await run(smi, queryAppsArgs()).catch(() => '')).apps;
    const pidToContainerId = new Map<number, string>();
    for (const a of apps) {
      try {
        const id = containerIdFromCgroup(fs.readFileSync(`/proc/${a.pid}/cgroup`, 'utf8'));
        if (id) pidToContainerId.set(a.pid, id);
      } catch {
        /* process gone, or another PID namespace */
      }
    }
    const info = await this.engines.engine.info().catch(() => undefined);
    const snap: GpuSnapshot = { gpus, rows: [], driverCuda: this.driverCuda || undefined, source: 'host' };
    this.apps = { apps, pidToContainerId };
    snap.rows = this.model(gpus);
    if (info && !info.hasNvidiaRuntime && gpus.length > 0) snap.unavailable = noNvidiaRuntimeReason();
    return snap;
  }

  private apps: { apps: ReturnType<typeof parseComputeApps>['apps']; pidToContainerId: Map<number, string> } = {
    apps: [],
    pidToContainerId: new Map(),
  };

  private async readProbe(image: string): Promise<GpuSnapshot> {
    const engine = this.engines.engine;
    let id: string | undefined;
    try {
      id = await engine.createContainer(probeCreateOptions(image) as unknown as ContainerCreateOptions);
      await engine.startContainer(id);
      const deadline = Date.now() + 30_000;
      let d = await engine.inspectContainer(id);
      while (d.state === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        d = await engine.inspectContainer(id);
      }
      let stdout = '';
      let stderr = '';
      await engine.logs(id, {}, (stream, text) => (stream === 'stdout' ? (stdout += text) : (stderr += text)));
      if (d.exitCode !== 0) {
        const f = classifySmiFailure({ code: d.exitCode, stdout, stderr });
        return { gpus: [], rows: [], source: 'none', unavailable: { message: f.message, fix: f.fix } };
      }
      const { gpus } = parseGpuQuery(stdout);
      this.apps = { apps: [], pidToContainerId: new Map() };
      return { gpus, rows: this.model(gpus), source: 'probe' };
    } catch (err) {
      const e = toEngineError(err, { image });
      return { gpus: [], rows: [], source: 'none', unavailable: { message: e.message, fix: e.fix } };
    } finally {
      if (id) await engine.removeContainer(id, { force: true }).catch(() => undefined);
    }
  }

  private model(gpus: GpuInfo[]): GpuRow[] {
    return buildGpuModel(
      {
        gpus,
        apps: this.apps.apps,
        pidToContainerId: this.apps.pidToContainerId,
        containers: this.refreshManager.containers.all(),
      },
      { includeStopped: true },
    );
  }

  /** Containers changed (a GPU container started or stopped): re-map holders without re-running nvidia-smi. */
  private rebuild(): void {
    if (this.snapshot.gpus.length === 0) return;
    this.snapshot = { ...this.snapshot, rows: this.model(this.snapshot.gpus) };
    this.render();
  }

  private render(): void {
    const u = this.snapshot.unavailable;
    this.view.message = u ? `${u.message} ${u.fix}` : undefined;
    const free = this.snapshot.rows.filter((r) => r.free).length;
    this.view.description =
      this.snapshot.rows.length > 0 ? t('{0} of {1} free', free, this.snapshot.rows.length) : undefined;
    this.emitter.fire(undefined);
  }

  getChildren(node?: GpuNode): GpuNode[] {
    if (!node) return this.snapshot.rows.map((row) => ({ kind: 'gpu', row }));
    return node.kind === 'gpu' ? gpuChildren(node.row) : [];
  }

  /** The rows as the view shows them (for tests and the launch preflight). */
  rows(): GpuRow[] {
    return this.snapshot.rows;
  }

  getTreeItem(node: GpuNode): vscode.TreeItem {
    const hasChildren = node.kind === 'gpu' && gpuChildren(node.row).length > 0;
    return toTreeItem(
      gpuNodeItem(node, t),
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
  }

  /**
   * Launch preflight for a GPU request: the image's CUDA version against the driver's, and GPUs that
   * other running containers already hold. Returns sentences to show (empty when all is well).
   */
  async preflight(image: string, options: ContainerCreateOptions): Promise<string[]> {
    const warnings: string[] = [];
    if (this.isLocal() && this.snapshot.source === 'none' && !this.snapshot.unavailable) await this.refresh();
    const details = await this.engines.engine.inspectImage(image).catch(() => undefined);
    const check = compareCuda(
      imageCudaVersion(details ? { env: details.env, labels: details.labels } : undefined),
      this.snapshot.driverCuda ?? this.driverCuda,
    );
    if (check.code === 'tooNew' && check.imageVersion && check.driverVersion) {
      const p = { imageVersion: check.imageVersion, driverVersion: check.driverVersion };
      warnings.push(
        t('This image needs CUDA {0}, but the driver supports up to CUDA {1}.', p.imageVersion, p.driverVersion) +
          ' ' +
          messages.cudaTooNewFix(p),
      );
    }
    const request = gpuRequestFrom(options.HostConfig?.DeviceRequests, options.Env);
    const store = this.refreshManager.containers;
    const unknown = new Set(store.missingGpuInfo());
    await Promise.all(
      store
        .all()
        .filter((c) => c.state === 'running' && unknown.has(c.id))
        .map(async (c) =>
          store.setGpu(c.id, (await this.engines.engine.inspectContainer(c.id).catch(() => undefined))?.gpu),
        ),
    );
    const conflicts = conflictsFor(
      request,
      store.all().filter((c) => c.state === 'running'),
      this.snapshot.gpus,
    );
    for (const c of conflicts) {
      warnings.push(
        c.container.owner
          ? t('GPU {0} is held by {1} (owner {2}).', c.deviceIds.join(', '), c.container.name, c.container.owner)
          : t('GPU {0} is held by {1}.', c.deviceIds.join(', '), c.container.name),
      );
    }
    return warnings;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subs) s.dispose();
  }
}

/** The GPUs view needs the container list too (holders): count it as a visible view for the refresh. */
function refreshManagerVisible(refresh: RefreshManager, visible: boolean): void {
  refresh.setVisible(Views.gpus, visible);
}
