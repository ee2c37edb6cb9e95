/**
 * Real use over time: a small in-memory history of each GPU's and each GPU-holding container's utilisation and
 * memory, kept while the extension runs (fed by every snapshot poll), and the "idle holder" flag derived from it.
 * Pure and bounded: a ring buffer of at most `capacity` samples per key, samples older than `maxAgeMs` dropped,
 * keys not seen for `maxAgeMs` forgotten. Time comes from the injected clock, so tests are deterministic.
 */
import type { GpuRow } from './gpuModel';

export interface UseSample {
  at: number;
  utilPct?: number;
  memMiB?: number;
}

export interface Spread {
  min: number;
  avg: number;
  max: number;
}

export interface UseStats {
  samples: number;
  /** Time of the oldest sample used. */
  from: number;
  util?: Spread;
  mem?: Spread;
}

/** A fixed-size ring buffer (oldest overwritten first). */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a whole number ≥ 1');
  }
  get size(): number {
    return this.items.length;
  }
  push(v: T): void {
    if (this.items.length < this.capacity) this.items.push(v);
    else {
      this.items[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }
  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
  last(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.items[(this.start + this.items.length - 1) % this.items.length];
  }
}

export interface HistoryOptions {
  now?: () => number;
  /** Samples per GPU and per container (default 1440: 6 h at one poll every 15 s). */
  capacity?: number;
  /** How far back the history goes (default 6 h). */
  maxAgeMs?: number;
}

export const DEFAULT_IDLE_BELOW_PCT = 5;
export const DEFAULT_IDLE_AFTER_MS = 30 * 60_000;

function spread(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, avg: sum / values.length, max };
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export class UseHistory {
  private readonly now: () => number;
  private readonly capacity: number;
  readonly maxAgeMs: number;
  private readonly gpus = new Map<string, Ring<UseSample>>();
  private readonly containers = new Map<string, Ring<UseSample>>();

  constructor(o: HistoryOptions = {}) {
    this.now = o.now ?? Date.now;
    this.capacity = o.capacity ?? 1440;
    this.maxAgeMs = o.maxAgeMs ?? 6 * 3600_000;
  }

  /**
   * One poll's readings. Per GPU: its utilisation and used memory. Per container holding GPUs now: the
   * highest utilisation of the GPUs it holds (it is idle only when all of them are) and the memory its
   * processes use on them.
   */
  record(rows: readonly GpuRow[]): void {
    const list = (Array.isArray(rows) ? rows : []) as readonly GpuRow[];
    const at = this.now();
    const perContainer = new Map<string, { util: number[]; mem: number; memKnown: boolean }>();
    for (const row of list) {
      if (!row?.gpu?.uuid) continue;
      const g = row.gpu;
      this.push(this.gpus, g.uuid.toLowerCase(), {
        at,
        utilPct: finite(g.utilizationPct) ? g.utilizationPct : undefined,
        memMiB: finite(g.memoryUsedMiB) ? g.memoryUsedMiB : undefined,
      });
      for (const h of row.holders ?? []) {
        if (!h.active) continue;
        const c = perContainer.get(h.container.id) ?? { util: [], mem: 0, memKnown: false };
        if (finite(g.utilizationPct)) c.util.push(g.utilizationPct);
        const m = row.memoryByContainer?.[h.container.id];
        if (finite(m)) {
          c.mem += m;
          c.memKnown = true;
        }
        perContainer.set(h.container.id, c);
      }
    }
    for (const [id, c] of perContainer)
      this.push(this.containers, id, {
        at,
        utilPct: c.util.length > 0 ? Math.max(...c.util) : undefined,
        memMiB: c.memKnown ? c.mem : undefined,
      });
    this.forget(at);
  }

  private push(map: Map<string, Ring<UseSample>>, key: string, s: UseSample): void {
    let ring = map.get(key);
    if (!ring) map.set(key, (ring = new Ring<UseSample>(this.capacity)));
    ring.push(s);
  }

  /** Keys not seen for maxAgeMs go (containers removed, GPUs of an old engine). */
  private forget(at: number): void {
    for (const map of [this.gpus, this.containers])
      for (const [k, ring] of map) if (at - (ring.last()?.at ?? 0) > this.maxAgeMs) map.delete(k);
  }

  /** How many keys are kept (GPUs, containers): for tests of the bound. */
  get size(): { gpus: number; containers: number } {
    return { gpus: this.gpus.size, containers: this.containers.size };
  }

  private samples(map: Map<string, Ring<UseSample>>, key: string): UseSample[] {
    const cutoff = this.now() - this.maxAgeMs;
    return (map.get(key)?.toArray() ?? []).filter((s) => s.at >= cutoff);
  }

  gpuSamples(uuid: string): UseSample[] {
    return this.samples(this.gpus, uuid.toLowerCase());
  }

  containerSamples(id: string): UseSample[] {
    return this.samples(this.containers, id);
  }

  gpuStats(uuid: string): UseStats | undefined {
    return stats(this.gpuSamples(uuid));
  }

  containerStats(id: string): UseStats | undefined {
    return stats(this.containerSamples(id));
  }

  /** How long a GPU's utilisation has stayed under `belowPct` (ms, up to now); undefined when it is not under now. */
  gpuIdleMs(uuid: string, belowPct: number): number | undefined {
    return idleRun(this.gpuSamples(uuid), belowPct, this.now());
  }

  /** The same for a container holding GPUs (all of its GPUs under `belowPct`). */
  containerIdleMs(id: string, belowPct: number): number | undefined {
    return idleRun(this.containerSamples(id), belowPct, this.now());
  }
}

export function stats(samples: readonly UseSample[]): UseStats | undefined {
  if (samples.length === 0) return undefined;
  const out: UseStats = { samples: samples.length, from: samples[0].at };
  const util = spread(samples.map((s) => s.utilPct).filter(finite));
  const mem = spread(samples.map((s) => s.memMiB).filter(finite));
  if (util) out.util = util;
  if (mem) out.mem = mem;
  return out;
}

/**
 * The length of the trailing run of samples under `belowPct`, from its first sample to `now`; undefined when
 * the newest sample is not under it (or its utilisation is unknown).
 */
export function idleRun(samples: readonly UseSample[], belowPct: number, now: number): number | undefined {
  let start: number | undefined;
  for (let i = samples.length - 1; i >= 0; i--) {
    const u = samples[i].utilPct;
    if (!finite(u) || u >= belowPct) break;
    start = samples[i].at;
  }
  return start === undefined ? undefined : Math.max(0, now - start);
}

export interface IdlePolicy {
  belowPct: number;
  afterMs: number;
}

/** Settings `gpuContainers.gpus.idleBelow`: "5%", "5" or 5 → 5; undefined when not a percentage in 0…100. */
export function parsePercent(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 0 && n <= 100 ? n : undefined;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86400_000 };

/** Settings `gpuContainers.gpus.idleAfter`: "30m", "2h", "90s", "1.5h" → ms; undefined when not understood. */
export function parseWindow(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(v.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** The idle policy from the two settings; a value not understood falls back to its default. */
export function idlePolicy(below: unknown, after: unknown): IdlePolicy {
  return {
    belowPct: parsePercent(below) ?? DEFAULT_IDLE_BELOW_PCT,
    afterMs: parseWindow(after) ?? DEFAULT_IDLE_AFTER_MS,
  };
}

/** What the GPUs view asks about use (the view's history and the current policy). */
export interface UseView {
  policy: IdlePolicy;
  history: UseHistory;
}

/** How long a GPU held by an active container has been idle, when past the policy's window; else undefined. */
export function idleHeldGpuMs(row: GpuRow, use: UseView): number | undefined {
  if (!row.holders.some((h) => h.active)) return undefined;
  const ms = use.history.gpuIdleMs(row.gpu.uuid, use.policy.belowPct);
  return ms !== undefined && ms >= use.policy.afterMs ? ms : undefined;
}

/** How long a container holding GPUs has left them idle, when past the policy's window; else undefined. */
export function idleHolderMs(containerId: string, use: UseView): number | undefined {
  const ms = use.history.containerIdleMs(containerId, use.policy.belowPct);
  return ms !== undefined && ms >= use.policy.afterMs ? ms : undefined;
}
