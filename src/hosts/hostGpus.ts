import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { ContainerCreateOptions } from '../core/docker';
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
import { HostGpuReader, type ProcessResult, type ResolvedHost } from '../core/hosts';
import type { Logger } from '../core/logger';
import { SmiFailureLog, type RunFailure } from '../core/gpu/smiFailureLog';
import type { EngineService } from './engineService';
import type { GpuView } from '../tree/gpuView';
import type { RefreshManager } from '../tree/refresh';
import { toTreeItem } from '../tree/treeItem';
import { gpuChildren, gpuNodeItem, gpuRootNodes, type GpuNode } from '../core/tree/gpuRows';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { KubeEngine } from '../core/kube/kubeEngine';
import { UseHistory, type UseView } from '../core/gpu/history';

/** What commands and the launch ask of a host's GPUs: the GPUs view for the first host, `HostGpus` for the others. */
export type GpuAccess = Pick<
  GpuView,
  | 'view'
  | 'current'
  | 'isLocal'
  | 'refresh'
  | 'rows'
  | 'gpuMemoryMiB'
  | 'fresh'
  | 'findings'
  | 'preflight'
  | 'getChildren'
  | 'getTreeItem'
  | 'onDidChangeRows'
  | 'setIdleFirst'
  | 'use'
>;

function runFile(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        // ExecFileException is an Error whose typings lost the base type (Omit<ExecException, 'code'>).
        const failure: Error = Object.assign(err, { stdout: String(stdout), stderr: String(stderr) });
        reject(failure);
      } else resolve(String(stdout));
    });
  });
}

/** Runs a program and reports how it ended instead of rejecting (ssh's exit code and stderr are the message). */
export function runProcess(file: string, args: string[], timeoutMs = 20_000): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
        error: e ? (e.killed ? 'ETIMEDOUT' : typeof e.code === 'string' ? e.code : undefined) : undefined,
      });
    });
  });
}

/**
 * The GPU reader of a host (the first or any other): nvidia-smi over ssh for an ssh host, here for a local
 * engine, the probe container for a tcp:// one. The engine is always the service's current one.
 */
export function hostGpuReader(engines: EngineService, logger: Logger): HostGpuReader {
  const failures = new SmiFailureLog(logger);
  return new HostGpuReader({
    run: (file, args) =>
      runFile(file, args).then(
        (out) => (failures.succeeded(file), out),
        (err: unknown) => {
          failures.failed(file, args, err as RunFailure);
          throw err;
        },
      ),
    runProcess: async (file, args) => {
      const r = await runProcess(file, args);
      if (r.code === 0) failures.succeeded(file);
      else failures.failed(file, args, { code: r.error ?? r.code, stderr: r.stderr });
      return r;
    },
    readFile: (p) => fs.readFile(p, 'utf8'),
    // A Kubernetes host: its nodes (the engine is a KubeEngine there).
    clusterNodes: () => (engines.engine as Partial<Pick<KubeEngine, 'nodes'>>).nodes?.() ?? Promise.resolve([]),
    engine: {
      info: (o) => engines.engine.info(o),
      createContainer: (x, o) => engines.engine.createContainer(x, o),
      startContainer: (x, o) => engines.engine.startContainer(x, o),
      inspectContainer: (x, o) => engines.engine.inspectContainer(x, o),
      logs: (x, o, cb) => engines.engine.logs(x, o, cb),
      removeContainer: (x, o) => engines.engine.removeContainer(x, o),
    },
  });
}

/**
 * The GPUs of one host other than the first (the first is the GPUs view itself), read by the same
 * `hostGpuReader` as the first. Read once when the host appears, then polled only while the GPUs view is visible.
 */
export class HostGpus implements GpuAccess, vscode.Disposable {
  private snapshot: GpuSnapshot = emptySnapshot();
  private model: GpuRow[] = [];
  private memory = new Map<string, number>();
  private readonly reader: HostGpuReader;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  /** The rows were rebuilt (new snapshot, or holders re-mapped). */
  readonly onDidChangeRows = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];
  /** Use over time of this host's GPUs and their holders, fed by each of its readings (as the first host's). */
  readonly history = new UseHistory();

  constructor(
    private readonly host: ResolvedHost,
    private readonly config: Config,
    private readonly engines: EngineService,
    private readonly refreshManager: RefreshManager,
    private readonly logger: Logger,
    /** The GPUs view (shared by all hosts): its visibility drives polling. */
    readonly view: GpuView['view'],
  ) {
    this.reader = hostGpuReader(engines, logger);
    this.subs.push(
      this.emitter,
      view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
      refreshManager.onDidChangeContainers(() => this.rebuild()),
    );
    this.setVisible(view.visible);
  }

  get current(): GpuSnapshot {
    return this.snapshot;
  }

  isLocal(): boolean {
    return this.host.local;
  }

  private setVisible(visible: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!visible) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.gpuRefreshIntervalMs());
  }

  private read(): Promise<GpuSnapshot> {
    return this.reader.read(this.engines.gpuTarget, {
      smiPath: this.config.nvidiaSmiPath(),
      probeImage: this.config.gpuProbeImage(),
    });
  }

  /** The order is the GPUs view's (it passes its idle-first choice with this host's history). */
  setIdleFirst(): void {}

  refresh(): Promise<void> {
    this.inFlight ??= this.read()
      .then((snap) => {
        this.snapshot = snap;
        this.rebuild();
        // (The tree reads the rows after this event, the sample is in by then.)
        this.history.record(this.model);
      })
      .catch((err: unknown) => this.logger.warn(`GPU refresh of ${this.host.name} failed: ${String(err)}`))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

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
    this.emitter.fire();
  }

  rows(): GpuRow[] {
    return this.model;
  }

  /** The history and the idle settings, as the rows read them. */
  use(): UseView {
    return { history: this.history, policy: this.config.gpuIdlePolicy() };
  }

  gpuMemoryMiB(containerId: string): number | undefined {
    return this.memory.get(containerId);
  }

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

  async findings(
    image: string,
    options: ContainerCreateOptions,
    hasNvidiaRuntime?: boolean,
    /** "N free GPUs": no ids yet, so only the runtime and CUDA checks apply. */
    freeRequest = false,
  ): Promise<PreflightFinding[]> {
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

  async preflight(image: string, options: ContainerCreateOptions): Promise<string[]> {
    return (await this.findings(image, options)).map((f) => f.message);
  }

  /** This host's GPU rows as tree nodes (the GPUs view shows them under the host's node). */
  getChildren(node?: GpuNode | HostNode): Array<GpuNode | HostNode> {
    if (!node) return gpuRootNodes(this.model, this.use());
    return isHostNode(node) ? [] : gpuChildren(node);
  }

  getTreeItem(node: GpuNode | HostNode): vscode.TreeItem {
    if (isHostNode(node)) return new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
    const kids = gpuChildren(node).length > 0;
    return toTreeItem(
      gpuNodeItem(node, vscode.l10n.t, Date.now(), this.use()),
      kids ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
