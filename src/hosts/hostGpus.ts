import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { ContainerCreateOptions } from '../core/docker';
import { gpuRequestOf } from '../core/docker/gpuRequests';
import {
  buildGpuModel,
  emptySnapshot,
  gpuMemoryByContainer,
  gpuPreflight,
  type GpuRow,
  type GpuSnapshot,
  type PreflightFinding,
} from '../core/gpu';
import { HostGpuReader, type ProcessResult } from '../core/hosts';
import { Views } from '../constants';
import { GPU_FILL_DELAY_MS } from '../core/tree/refreshController';
import type { Logger } from '../core/logger';
import { SmiFailureLog, type RunFailure } from '../core/gpu/smiFailureLog';
import type { EngineService } from './engineService';
import type { RefreshManager } from '../tree/refresh';
import type { KubeEngine } from '../core/kube/kubeEngine';
import { UseHistory, type UseView } from '../core/gpu/history';

/** What commands and the launch ask of a host's GPUs (every host's, the first's included). */
export type GpuAccess = HostGpus;

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

/** The first GPU read waits for the first container list at most this long (a slow or unreachable engine). */
const FIRST_READ_MAX_WAIT_MS = 1000;

/** Where the GPUs view is, for polling: read while it is visible. */
export interface GpuViewVisibility {
  readonly visible: boolean;
  readonly onDidChangeVisibility: vscode.Event<{ visible: boolean }>;
}

/**
 * The GPUs of one host — every host, the first included — read by `hostGpuReader` (nvidia-smi over ssh for an
 * ssh host, here for a local engine, the nodes of a cluster). Polled only while the GPUs view is visible;
 * holders come from the host's container store, so container changes re-map rows without reading again.
 */
export class HostGpus implements vscode.Disposable {
  private snapshot: GpuSnapshot = emptySnapshot();
  private model: GpuRow[] = [];
  private memory = new Map<string, number>();
  private readonly reader: HostGpuReader;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly rowsEmitter = new vscode.EventEmitter<void>();
  /** The rows were rebuilt (new snapshot, or holders re-mapped): the Containers rows show GPU memory from them. */
  readonly onDidChangeRows = this.rowsEmitter.event;
  private readonly recordEmitter = new vscode.EventEmitter<void>();
  /** A GPU reading went into the history (the idle policies are checked after each: idleWatch.ts). */
  readonly onDidRecord = this.recordEmitter.event;
  /** Use over time of this host's GPUs and their holders, fed by each of its readings (core/gpu/history.ts). */
  readonly history = new UseHistory();
  /** The first nvidia-smi of the window, held until the first container list (see firstRead). */
  private firstReadWait: vscode.Disposable | undefined;
  private firstReadDone = false;
  private firstReadTimer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    /** The host's name, for the log (the first host's may change with the settings). */
    private readonly name: () => string,
    private readonly config: Config,
    private readonly engines: EngineService,
    private readonly refreshManager: RefreshManager,
    private readonly logger: Logger,
    /** The GPUs view (shared by all hosts): its visibility drives polling. */
    readonly view: GpuViewVisibility,
    /** A host with a configuration error is never contacted. */
    private readonly contact = true,
  ) {
    // The engine changes with the settings: the reader always calls the current one.
    this.reader = hostGpuReader(engines, logger);
    this.subs.push(
      this.rowsEmitter,
      this.recordEmitter,
      view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
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
    this.setVisible(view.visible);
  }

  get current(): GpuSnapshot {
    return this.snapshot;
  }

  /** On this machine (unix socket, Windows pipe, tcp to loopback): nvidia-smi runs here. */
  isLocal(): boolean {
    return this.engines.gpuTarget.local;
  }

  private setVisible(visible: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.contact) return;
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

  refresh(): Promise<void> {
    this.inFlight ??= this.reader
      .read(this.engines.gpuTarget, {
        smiPath: this.config.nvidiaSmiPath(),
        probeImage: this.config.gpuProbeImage(),
      })
      .then((snap) => {
        this.snapshot = snap;
        this.rebuild(false);
        this.history.record(this.model);
        this.recordEmitter.fire();
        // The idle flags are read from the history: the rows are told after the sample is in.
        this.rowsEmitter.fire();
      })
      .catch((err: unknown) => this.logger.warn(`GPU refresh of ${this.name()} failed: ${String(err)}`))
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Re-map holders from the container store (no nvidia-smi run). */
  private rebuild(tell = true): void {
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
    if (tell) this.rowsEmitter.fire();
  }

  /** Re-render the rows (a lease was extended). */
  rerender(): void {
    this.rebuild();
  }

  /** The rows as the GPUs view shows them (for the launch, the queue, tests). */
  rows(): GpuRow[] {
    return this.model;
  }

  /** The history and the idle settings, as the rows read them. */
  use(): UseView {
    return { history: this.history, policy: this.config.gpuIdlePolicy() };
  }

  /** GPU memory used by a container's processes, summed over its GPUs (MiB); undefined when none or unknown. */
  gpuMemoryMiB(containerId: string): number | undefined {
    return this.memory.get(containerId);
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
   * driver's, GPUs that do not exist here, GPUs other running containers hold. One reading (`fresh`).
   */
  async findings(
    image: string,
    options: ContainerCreateOptions,
    hasNvidiaRuntime?: boolean,
    /** "N free GPUs": no ids yet, so only the runtime and CUDA checks apply. */
    freeRequest = false,
  ): Promise<PreflightFinding[]> {
    const [details] = await Promise.all([this.engines.engine.inspectImage(image).catch(() => undefined), this.fresh()]);
    return gpuPreflight({
      request: freeRequest ? { kind: 'devices', deviceIds: [], source: 'deviceRequests' } : gpuRequestOf(options),
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
