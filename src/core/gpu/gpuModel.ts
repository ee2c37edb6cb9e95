import { GPU_UUIDS_LABEL } from '../docker/labels';
import type { ContainerState, ContainerSummary, GpuRequest } from '../docker/engineTypes';
import type { ComputeApp, GpuInfo, MigDevice } from './smi';

/**
 * How a container holds a GPU:
 * - `device`: it named it (`--gpus device=0`, a UUID, a MIG device, a CDI `nvidia.com/gpu=0`);
 * - `all`: `--gpus all`;
 * - `count`: `--gpus N` (see `CountPlacement`);
 * - `env`: through `NVIDIA_VISIBLE_DEVICES` with the nvidia runtime (whatever its value: all or a list).
 */
export type HoldHow = 'all' | 'device' | 'count' | 'env';

/**
 * Where a `--gpus N` container is shown.
 * - `firstN` (default): on GPUs 0 … N-1. That is what Docker does: its built-in nvidia driver turns Count N
 *   into `NVIDIA_VISIBLE_DEVICES=0,1,…,N-1` (moby `daemon/nvidia_linux.go`, `countToDevices`); it does not
 *   pick free GPUs. So two `--gpus 1` containers share GPU 0, and that is a real conflict.
 * - `every`: on every GPU, as "some N of these" (for engines that may place them elsewhere); such holders
 *   never count as conflicts.
 */
export type CountPlacement = 'firstN' | 'every';

export interface GpuModelOptions {
  countPlacement?: CountPlacement;
  /**
   * Also list stopped/created containers that asked for a GPU (as `active: false`): they take it again when
   * started, which is what "who is on GPU 3?" wants to know on a shared server. They never make a GPU busy.
   */
  includeStopped?: boolean;
}

export interface GpuHolder {
  container: ContainerSummary;
  how: HoldHow;
  /** False for a stopped container listed with `includeStopped` (it holds nothing now). */
  active: boolean;
  /** The container's own device ids that landed on this GPU (`device`/`env` lists only). */
  deviceIds?: string[];
  /**
   * Without an owner label: the one user running its GPU processes on the host (from the snapshot's
   * `pidToUser`, read the same way on this machine and over ssh), so its holder is named `alice/bert` too.
   */
  runBy?: string;
}

export interface GpuProcess {
  pid: number;
  usedMemoryMiB?: number;
  /** The container's full id when known (from the process's cgroup). */
  containerId?: string;
  containerName?: string;
  /** The user running it, when known (host path). */
  user?: string;
}

export interface GpuRow {
  gpu: GpuInfo;
  /** Containers that asked for this GPU, sorted by name. */
  holders: GpuHolder[];
  /** Compute processes on this GPU, sorted by pid. */
  processes: GpuProcess[];
  /** MiB used on this GPU per container id (processes with a known container and memory). */
  memoryByContainer: Record<string, number>;
  /** No holder and no process. */
  free: boolean;
  /** MIG mode: one entry per MIG device of this GPU (`nvidia-smi -L`), in device order. */
  mig?: MigRow[];
}

/** A MIG device of a GPU and the containers that asked for it (by `MIG-…` UUID, old form, or `gpu:mig`). */
export interface MigRow {
  device: MigDevice;
  /** Containers that asked for this MIG device, active first, then by name. */
  holders: GpuHolder[];
  /** No active holder. (Compute processes are reported per parent GPU, so they do not count here.) */
  free: boolean;
}

export interface GpuModelInput {
  gpus: GpuInfo[];
  apps: ComputeApp[];
  pidToContainerId: Map<number, string>;
  pidToUser?: Map<number, string>;
  containers: ContainerSummary[];
}

/** A container in these states has its GPUs (a paused one keeps its GPU memory). */
const ACTIVE: ReadonlySet<ContainerState> = new Set<ContainerState>(['running', 'paused', 'restarting']);

/**
 * How long a created, never-started container with a GPU claim keeps its GPUs: a launch starts it within
 * seconds (or asks a question first); one left behind by a crash or a failed start stops blocking GPUs then.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

/**
 * Holds its GPUs now: running, paused or restarting — or created by a launch that claimed GPUs for it
 * (our `GPU_UUIDS_LABEL`, see claim.ts) less than STALE_CLAIM_MS ago and not started yet.
 */
export function isActiveContainer(c: ContainerSummary, now = Date.now()): boolean {
  if (ACTIVE.has(c.state)) return true;
  return c.state === 'created' && !!c.labels?.[GPU_UUIDS_LABEL] && !isStaleClaim(c.created, now);
}

/** A claim created more than STALE_CLAIM_MS ago (an unknown creation time is not stale). */
export function isStaleClaim(created: number | undefined, now = Date.now()): boolean {
  return !!created && now - created >= STALE_CLAIM_MS;
}

/** A device id resolved to a GPU, and to one MIG slice of it when the id names one. */
export interface ResolvedDevice {
  gpu: GpuInfo;
  mig?: MigDevice;
  /** Identifies the MIG slice: its UUID when known, else `gpuIndex:migIndex` or the id as given. */
  migKey?: string;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Resolve one id as Docker/NVIDIA accept them: an index (`0`), a GPU UUID (`GPU-…`), a MIG device as
 * `gpuIndex:migIndex` (`0:1`), a MIG UUID (`MIG-…`, needs `gpu.migDevices`) or the old
 * `MIG-GPU-<uuid>/<gi>/<ci>` form. Undefined when no GPU matches.
 */
export function resolveDeviceId(id: string, gpus: GpuInfo[]): ResolvedDevice | undefined {
  if (typeof id !== 'string' || !Array.isArray(gpus)) return undefined;
  const v = id.trim();
  if (/^\d+$/.test(v)) {
    const gpu = gpus.find((g) => g.index === Number(v));
    return gpu && { gpu };
  }
  const pair = /^(\d+):(\d+)$/.exec(v);
  if (pair) {
    const gpu = gpus.find((g) => g.index === Number(pair[1]));
    if (!gpu) return undefined;
    const mig = gpu.migDevices?.find((m) => m.deviceIndex === Number(pair[2]));
    return { gpu, mig, migKey: mig ? mig.uuid.toLowerCase() : v };
  }
  if (/^GPU-/i.test(v)) {
    const gpu = gpus.find((g) => same(g.uuid, v));
    return gpu && { gpu };
  }
  const oldMig = /^MIG-(GPU-[0-9a-f-]+)\/\d+\/\d+$/i.exec(v);
  if (oldMig) {
    const gpu = gpus.find((g) => same(g.uuid, oldMig[1]));
    if (!gpu) return undefined;
    const mig = gpu.migDevices?.find((m) => same(m.uuid, v));
    return { gpu, mig, migKey: v.toLowerCase() };
  }
  if (/^MIG-/i.test(v)) {
    for (const gpu of gpus) {
      const mig = gpu.migDevices?.find((m) => same(m.uuid, v));
      if (mig) return { gpu, mig, migKey: mig.uuid.toLowerCase() };
    }
  }
  // A cluster's GPU slot (`<node>/nvidia.com/gpu/<i>`, core/kube/clusterGpus.ts): its id as the snapshot has it.
  const slot = gpus.find((g) => g.uuid === v);
  return slot && { gpu: slot };
}

/** The device ids a `--gpus N` request amounts to under `firstN`: `0` … `N-1`. */
function countIds(req: GpuRequest): string[] {
  const n = typeof req.count === 'number' && req.count > 0 ? Math.min(Math.floor(req.count), 1024) : 0;
  return Array.from({ length: n }, (_, i) => String(i));
}

/** The device ids a request names (`count` as 0 … N-1 under `firstN`); undefined for `all` and `every` counts. */
export function explicitIds(req: GpuRequest, placement: CountPlacement): string[] | undefined {
  if (req.kind === 'devices')
    return Array.isArray(req.deviceIds) ? req.deviceIds.filter((d) => typeof d === 'string') : [];
  if (req.kind === 'count' && placement === 'firstN') return countIds(req);
  return undefined;
}

function howOf(req: GpuRequest): HoldHow {
  if (req.source === 'env') return 'env';
  if (req.source === 'scheduler') return 'count';
  return req.kind === 'all' ? 'all' : req.kind === 'count' ? 'count' : 'device';
}

function findContainer(id: string, containers: ContainerSummary[]): ContainerSummary | undefined {
  const want = id.toLowerCase();
  if (!want) return undefined;
  return (
    containers.find((c) => c.id.toLowerCase() === want) ??
    containers.find((c) => c.id.toLowerCase().startsWith(want) || want.startsWith(c.id.toLowerCase()))
  );
}

/**
 * One row per GPU (index order): who holds it, which processes run on it and whose they are.
 * Never throws; apps on unknown GPUs and device ids that match no GPU are left out.
 */
export function buildGpuModel(input: GpuModelInput, options: GpuModelOptions = {}): GpuRow[] {
  const gpus = Array.isArray(input?.gpus) ? [...input.gpus].sort((a, b) => a.index - b.index) : [];
  const containers = Array.isArray(input?.containers) ? input.containers.filter((c) => c && c.id) : [];
  const pidMap = input?.pidToContainerId instanceof Map ? input.pidToContainerId : new Map<number, string>();
  const placement = options.countPlacement ?? 'firstN';
  const rows = new Map<string, GpuRow>(
    gpus.map((gpu) => {
      const row: GpuRow = { gpu, holders: [], processes: [], memoryByContainer: {}, free: true };
      if (gpu.migMode === 'Enabled' && Array.isArray(gpu.migDevices))
        row.mig = gpu.migDevices.map((device) => ({ device, holders: [], free: true }));
      return [gpu.uuid, row];
    }),
  );

  for (const c of containers) {
    if (!c.gpu) continue;
    const active = isActiveContainer(c);
    if (!active && !options.includeStopped) continue;
    const how = howOf(c.gpu);
    const ids = explicitIds(c.gpu, placement);
    if (!ids) {
      if (c.gpu.kind === 'all' || c.gpu.kind === 'count')
        for (const row of rows.values()) row.holders.push({ container: c, how, active });
      continue;
    }
    const byGpu = new Map<string, string[]>();
    const byMig = new Map<string, { mig: MigDevice; ids: string[] }>();
    for (const id of ids) {
      const r = resolveDeviceId(id, gpus);
      if (r) byGpu.set(r.gpu.uuid, [...(byGpu.get(r.gpu.uuid) ?? []), id]);
      if (r?.mig) {
        const key = r.mig.uuid.toLowerCase();
        byMig.set(key, { mig: r.mig, ids: [...(byMig.get(key)?.ids ?? []), id] });
      }
    }
    for (const [uuid, own] of byGpu) {
      const holder: GpuHolder = { container: c, how, active };
      if (c.gpu.kind === 'devices' && c.gpu.source !== 'scheduler') holder.deviceIds = own;
      rows.get(uuid)?.holders.push(holder);
    }
    for (const { mig, ids: own } of byMig.values()) {
      const parent = gpus.find((g) => g.index === mig.parentIndex && g.migDevices?.includes(mig));
      const migRow = parent && rows.get(parent.uuid)?.mig?.find((m) => m.device === mig);
      migRow?.holders.push({ container: c, how, active, deviceIds: own });
    }
  }

  for (const app of Array.isArray(input?.apps) ? input.apps : []) {
    if (!app || typeof app.gpuUuid !== 'string') continue;
    const gpu = gpus.find((g) => same(g.uuid, app.gpuUuid)) ?? resolveDeviceId(app.gpuUuid, gpus)?.gpu;
    const row = gpu && rows.get(gpu.uuid);
    if (!row) continue;
    const proc: GpuProcess = { pid: app.pid };
    if (app.usedMemoryMiB !== undefined) proc.usedMemoryMiB = app.usedMemoryMiB;
    const user = input.pidToUser instanceof Map ? input.pidToUser.get(app.pid) : undefined;
    if (user) proc.user = user;
    const mapped = pidMap.get(app.pid);
    if (mapped) {
      const c = findContainer(mapped, containers);
      proc.containerId = c ? c.id : mapped;
      if (c) proc.containerName = c.name;
      if (app.usedMemoryMiB !== undefined) {
        row.memoryByContainer[proc.containerId] = (row.memoryByContainer[proc.containerId] ?? 0) + app.usedMemoryMiB;
      }
    }
    row.processes.push(proc);
  }

  const users = new Map<string, Set<string>>();
  for (const row of rows.values())
    for (const p of row.processes)
      if (p.containerId && p.user) users.set(p.containerId, (users.get(p.containerId) ?? new Set()).add(p.user));
  for (const row of rows.values())
    for (const h of row.holders) {
      const by = users.get(h.container.id);
      if (!h.container.owner && by?.size === 1) h.runBy = [...by][0];
    }

  return [...rows.values()].map((row) => {
    row.holders.sort((a, b) => Number(b.active) - Number(a.active) || a.container.name.localeCompare(b.container.name));
    row.processes.sort((a, b) => a.pid - b.pid);
    row.free = !row.holders.some((h) => h.active) && row.processes.length === 0;
    for (const m of row.mig ?? []) {
      m.holders.sort((a, b) => Number(b.active) - Number(a.active) || a.container.name.localeCompare(b.container.name));
      m.free = !m.holders.some((h) => h.active);
    }
    return row;
  });
}

/** GPU memory used per container id, summed over its processes on every GPU (MiB). */
export function gpuMemoryByContainer(rows: GpuRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows)
    for (const [id, mib] of Object.entries(row.memoryByContainer)) out.set(id, (out.get(id) ?? 0) + mib);
  return out;
}
