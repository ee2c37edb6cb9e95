/**
 * "N free GPUs": which GPUs a launch takes. Pure. A GPU is free when no active container holds it (running,
 * paused, or a created container with our GPU claim label) and no compute process runs on it; a request may
 * also ask for a minimum of free memory and a model pattern. Among the free GPUs the closest group wins
 * (`nvidia-smi topo -m`: NVLink, then one PCIe switch, …), then the lowest indices.
 */
import type { GpuHolder, GpuRow } from './gpuModel';
import type { GpuInfo, MigDevice } from './smi';
import { groupScore, type GpuTopology } from './topology';

export interface FreeGpuNeed {
  count: number;
  minFreeMemoryMiB?: number;
  /** Case-insensitive substring, or a glob with `*` (`*H100*`). */
  model?: string;
  /** MIG devices of this profile (`1g.10gb`) instead of whole GPUs. */
  mig?: string;
}

export type UnfitReason = 'held' | 'process' | 'memory' | 'model' | 'mig';

export interface UnfitGpu {
  gpu: GpuInfo;
  reason: UnfitReason;
  /** Active holders (for `held`). */
  holders: GpuHolder[];
  /** Compute processes on it (for `process`): pid, user when known, and the container when known. */
  processes: GpuRow['processes'];
}

export interface GpuPick {
  /** Enough free GPUs: the chosen ones, in index order. */
  ok: boolean;
  picked: GpuInfo[];
  /** Every GPU that fits, in index order (for "fewer GPUs"). */
  fitting: GpuInfo[];
  /** Why the others do not fit. */
  unfit: UnfitGpu[];
  /** For a `mig` need: the chosen MIG devices (their parents are in `picked`). */
  pickedMig?: MigDevice[];
  /** For a `mig` need: every free MIG device of that profile. */
  fittingMig?: MigDevice[];
}

/** The UUIDs a launch claims and hands to Docker (`DeviceIDs`): the MIG devices' for a `mig` need, else the GPUs'. */
export function pickedUuids(pick: GpuPick): string[] {
  return pick.pickedMig ? pick.pickedMig.map((m) => m.uuid) : pick.picked.map((g) => g.uuid);
}

/** A MIG profile as `nvidia-smi -L` prints it (`1g.10gb`, `1g.10gb+me`, `7g.80gb`). */
export function isMigProfile(text: unknown): text is string {
  return typeof text === 'string' && /^\d+g\.\d+gb(\+[a-z]+)?$/i.test(text.trim());
}

/**
 * `{ free: N, mig: "1g.10gb" }`: N MIG devices of that profile that no active container holds, lowest parent and
 * device index first. A GPU not in MIG mode, or without that profile, is unfit (`mig`); so is one whose model does
 * not match. `exclude` (lower-case UUIDs) removes devices other claims took.
 */
export function pickFreeMig(rows: GpuRow[], need: FreeGpuNeed, exclude: ReadonlySet<string> = new Set()): GpuPick {
  const count = Number.isInteger(need.count) && need.count > 0 ? need.count : 1;
  const profile = (need.mig ?? '').trim().toLowerCase();
  const fittingMig: MigDevice[] = [];
  const parents = new Map<MigDevice, GpuInfo>();
  const unfit: UnfitGpu[] = [];
  for (const row of [...rows].sort((a, b) => a.gpu.index - b.gpu.index)) {
    const free = (row.mig ?? []).filter(
      (m) => m.free && m.device.profile.toLowerCase() === profile && !exclude.has(m.device.uuid.toLowerCase()),
    );
    const reason: UnfitReason | undefined =
      row.gpu.migMode !== 'Enabled' || !row.mig ? 'mig' : !modelMatches(row.gpu.name, need.model) ? 'model' : undefined;
    if (reason || free.length === 0) {
      unfit.push({
        gpu: row.gpu,
        reason: reason ?? 'held',
        holders: (row.mig ?? []).flatMap((m) => m.holders.filter((h) => h.active)),
        processes: row.processes,
      });
      continue;
    }
    for (const m of free) {
      fittingMig.push(m.device);
      parents.set(m.device, row.gpu);
    }
  }
  const fitting = [...new Set(fittingMig.map((m) => parents.get(m)!))];
  if (fittingMig.length < count) return { ok: false, picked: [], fitting, unfit, pickedMig: [], fittingMig };
  const pickedMig = fittingMig.slice(0, count);
  const picked = [...new Set(pickedMig.map((m) => parents.get(m)!))];
  return { ok: true, picked, fitting, unfit, pickedMig, fittingMig };
}

function modelMatches(name: string, pattern: string | undefined): boolean {
  if (!pattern || !pattern.trim()) return true;
  const p = pattern.trim().toLowerCase();
  const n = name.toLowerCase();
  if (!p.includes('*')) return n.includes(p);
  const re = new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(n);
}

export function freeMemoryMiB(gpu: GpuInfo): number | undefined {
  if (gpu.memoryTotalMiB === undefined) return undefined;
  return gpu.memoryTotalMiB - (gpu.memoryUsedMiB ?? 0);
}

/** Why a GPU does not fit the need; undefined when it does. */
export function unfitReason(row: GpuRow, need: FreeGpuNeed): UnfitReason | undefined {
  if (row.holders.some((h) => h.active)) return 'held';
  if (row.processes.length > 0) return 'process';
  // A GPU in MIG mode is shared by slices: "N free GPUs" means whole GPUs.
  if (row.gpu.migMode === 'Enabled') return 'mig';
  if (!modelMatches(row.gpu.name, need.model)) return 'model';
  if (need.minFreeMemoryMiB !== undefined) {
    const free = freeMemoryMiB(row.gpu);
    if (free === undefined || free < need.minFreeMemoryMiB) return 'memory';
  }
  return undefined;
}

function* combinations(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) yield* combinations(n, k, i + 1, [...prefix, i]);
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** The closest `count` of `fitting` (index order); exhaustive up to 20,000 groups, else the lowest indices. */
function closest(fitting: GpuInfo[], count: number, topo: GpuTopology | undefined): GpuInfo[] {
  if (!topo || count < 2 || binomial(fitting.length, count) > 20_000) return fitting.slice(0, count);
  let best: number[] | undefined;
  let bestScore = -1;
  for (const combo of combinations(fitting.length, count)) {
    const score = groupScore(
      combo.map((i) => fitting[i].index),
      topo,
    );
    if (score > bestScore) {
      best = combo;
      bestScore = score;
    }
  }
  return (best ?? []).map((i) => fitting[i]);
}

export function pickFreeGpus(rows: GpuRow[], need: FreeGpuNeed, topology?: GpuTopology): GpuPick {
  if (need.mig !== undefined) return pickFreeMig(rows, need);
  const count = Number.isInteger(need.count) && need.count > 0 ? need.count : 1;
  const sorted = [...rows].sort((a, b) => a.gpu.index - b.gpu.index);
  const fitting: GpuInfo[] = [];
  const unfit: UnfitGpu[] = [];
  for (const row of sorted) {
    const reason = unfitReason(row, need);
    if (!reason) fitting.push(row.gpu);
    else
      unfit.push({
        gpu: row.gpu,
        reason,
        holders: row.holders.filter((h) => h.active),
        processes: row.processes,
      });
  }
  if (fitting.length < count) return { ok: false, picked: [], fitting, unfit };
  return { ok: true, picked: closest(fitting, count, topology), fitting, unfit };
}
