/**
 * Reading a GPU snapshot: `nvidia-smi` on this host (with `/proc` to map processes to containers and users),
 * or, for a remote engine, a short-lived probe container. All I/O is injected (`run`, `readFile`, the engine),
 * so unit tests drive both paths with recorded outputs. Never throws: a failure becomes `unavailable`.
 */
import type { ContainerCreateOptions } from '../docker';
import type { Engine } from '../docker';
import { toEngineError } from '../docker/errors';
import { t } from '../l10n';
import { containerIdFromCgroup } from './cgroup';
import { classifySmiFailure, noNvidiaRuntimeReason, type SmiError } from './noGpu';
import { probeCreateOptions } from './probe';
import {
  parseComputeApps,
  parseGpuQuery,
  parseSmiHeader,
  parseSmiList,
  queryAppsArgs,
  queryGpuArgs,
  withMigDevices,
  type ComputeApp,
  type GpuInfo,
} from './smi';
import { parseTopology, type GpuTopology } from './topology';

export interface GpuSnapshot {
  gpus: GpuInfo[];
  apps: ComputeApp[];
  /** Compute process → the full id of the Docker container it runs in (from its cgroup). */
  pidToContainerId: Map<number, string>;
  /** Compute process → the name of the user running it (host path only). */
  pidToUser: Map<number, string>;
  /** The newest CUDA the driver supports (banner), when known. */
  driverCuda?: string;
  /** `nvidia-smi topo -m`, when more than one GPU and it could be read. */
  topology?: GpuTopology;
  /** Why there are no rows, or what else is wrong, in words, with the fix. */
  unavailable?: { message: string; fix: string };
  source: 'host' | 'probe' | 'none';
}

/** The engine calls the probe path needs. */
export type GpuEngine = Pick<
  Engine,
  'info' | 'createContainer' | 'startContainer' | 'inspectContainer' | 'logs' | 'removeContainer'
>;

export interface GpuReaderDeps {
  /** Runs a program (argv, no shell) and resolves with its stdout; rejects with `code`/`stdout`/`stderr`. */
  run: (file: string, args: string[]) => Promise<string>;
  readFile: (path: string) => Promise<string>;
  engine: GpuEngine;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ReadOptions {
  /** The engine is on this machine (unix socket or named pipe): read with nvidia-smi here. */
  local: boolean;
  smiPath: string;
  /** For a remote engine: the CUDA image of the probe container (opt-in); undefined = no probe. */
  probeImage?: string;
  /** How the remote engine is named to the user. */
  host: string;
  /** How long the probe may run. */
  probeTimeoutMs?: number;
}

export function emptySnapshot(unavailable?: { message: string; fix: string }): GpuSnapshot {
  const s: GpuSnapshot = { gpus: [], apps: [], pidToContainerId: new Map(), pidToUser: new Map(), source: 'none' };
  if (unavailable) s.unavailable = unavailable;
  return s;
}

/** `uid → name` from /etc/passwd text. */
export function parsePasswd(text: unknown): Map<number, string> {
  const out = new Map<number, string>();
  if (typeof text !== 'string') return out;
  for (const line of text.split(/\r?\n/)) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2])) out.set(Number(f[2]), f[0]);
  }
  return out;
}

/** The real uid of a process from `/proc/<pid>/status` (`Uid:\t1000\t1000\t1000\t1000`). */
export function uidFromStatus(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export class GpuSnapshotReader {
  /** The banner and the topology do not change while the driver stays loaded: read once. */
  private driverCuda: string | undefined;
  private topology: GpuTopology | undefined | null;

  constructor(private readonly deps: GpuReaderDeps) {}

  /** Forget what was read once (settings or engine changed). */
  invalidate(): void {
    this.driverCuda = undefined;
    this.topology = undefined;
  }

  async read(o: ReadOptions): Promise<GpuSnapshot> {
    if (o.local) return this.readHost(o.smiPath);
    if (!o.probeImage) {
      return emptySnapshot({
        message: t(
          'GPU details are read with nvidia-smi on this machine, but the Docker engine is remote ({0}).',
          o.host,
        ),
        fix: t(
          'Set gpuContainers.gpus.probeImage to a CUDA image on that engine to read them with a short-lived container.',
        ),
      });
    }
    return this.readProbe(o.probeImage, o.probeTimeoutMs ?? 30_000);
  }

  private async readHost(smi: string): Promise<GpuSnapshot> {
    const { run, readFile } = this.deps;
    let csv: string;
    try {
      csv = await run(smi, queryGpuArgs());
    } catch (err) {
      return emptySnapshot(classifySmiFailure(err as SmiError, smi));
    }
    let { gpus } = parseGpuQuery(csv);
    if (gpus.some((g) => g.migMode === 'Enabled')) {
      const list = await run(smi, ['-L']).catch(() => '');
      gpus = withMigDevices(gpus, parseSmiList(list).gpus);
    }
    this.driverCuda ??= parseSmiHeader(await run(smi, []).catch(() => '')).cudaVersion ?? '';
    if (this.topology === undefined && gpus.length > 1) {
      const topo = parseTopology(await run(smi, ['topo', '-m']).catch(() => ''));
      this.topology = topo.gpus.length > 0 ? topo : null;
    }
    const apps = parseComputeApps(await run(smi, queryAppsArgs()).catch(() => '')).apps;
    const pidToContainerId = new Map<number, string>();
    const pidToUser = new Map<number, string>();
    let users: Map<number, string> | undefined;
    for (const pid of new Set(apps.map((a) => a.pid))) {
      const id = containerIdFromCgroup(await readFile(`/proc/${pid}/cgroup`).catch(() => ''));
      if (id) pidToContainerId.set(pid, id);
      const uid = uidFromStatus(await readFile(`/proc/${pid}/status`).catch(() => ''));
      if (uid === undefined) continue; // gone, or another PID namespace
      users ??= parsePasswd(await readFile('/etc/passwd').catch(() => ''));
      pidToUser.set(pid, users.get(uid) ?? String(uid));
    }
    const snap: GpuSnapshot = { gpus, apps, pidToContainerId, pidToUser, source: 'host' };
    if (this.driverCuda) snap.driverCuda = this.driverCuda;
    if (this.topology) snap.topology = this.topology;
    const info = await this.deps.engine.info().catch(() => undefined);
    if (info && !info.hasNvidiaRuntime && gpus.length > 0) snap.unavailable = noNvidiaRuntimeReason();
    return snap;
  }

  private async readProbe(image: string, timeoutMs: number): Promise<GpuSnapshot> {
    const { engine } = this.deps;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = this.deps.now ?? Date.now;
    let id: string | undefined;
    try {
      id = await engine.createContainer(probeCreateOptions(image) as unknown as ContainerCreateOptions);
      await engine.startContainer(id);
      const deadline = now() + timeoutMs;
      let d = await engine.inspectContainer(id);
      while (d.state === 'running' && now() < deadline) {
        await sleep(200);
        d = await engine.inspectContainer(id);
      }
      let stdout = '';
      let stderr = '';
      await engine.logs(id, {}, (stream, text) => (stream === 'stdout' ? (stdout += text) : (stderr += text)));
      if (d.state === 'running') return emptySnapshot(classifySmiFailure({ stdout, stderr, message: 'timed out' }));
      if (d.exitCode !== 0) return emptySnapshot(classifySmiFailure({ code: d.exitCode, stdout, stderr }));
      const { gpus } = parseGpuQuery(stdout);
      return { ...emptySnapshot(), gpus, source: 'probe' };
    } catch (err) {
      const e = toEngineError(err, { image });
      return emptySnapshot({ message: e.message, fix: e.fix });
    } finally {
      if (id) await engine.removeContainer(id, { force: true }).catch(() => undefined);
    }
  }
}
