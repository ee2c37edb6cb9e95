/**
 * "Launch when N GPUs (with ≥ M GiB) are free on any host": queued launches. Pure: the list is kept by the
 * extension (workspaceState, so it survives a window reload), re-checked on every GPU snapshot of every host;
 * the first host where the request fits launches it through the normal claim protocol (claim.ts), so two windows
 * that both see the GPUs free never both get them — the loser is asked again (and may queue again).
 */
import { english, type Translate } from '../tree/format';
import type { GpuRow } from './gpuModel';
import { pickFreeGpus, type FreeGpuNeed } from './picker';
import type { GpuTopology } from './topology';

export interface QueuedLaunch {
  /** Unique within the queue. */
  id: string;
  /** The profile to launch, by name. */
  profile: string;
  /** The image, when the launch had one that is not the profile's. */
  image?: string;
  need: FreeGpuNeed;
  /** A host the launch is pinned to (the profile's host, or the host it was launched on); any host otherwise. */
  host?: string;
  /** When it was queued (ms since the epoch). */
  queuedAt: number;
}

function isNeed(v: unknown): v is FreeGpuNeed {
  if (!v || typeof v !== 'object') return false;
  const n = v as Record<string, unknown>;
  return (
    typeof n.count === 'number' &&
    Number.isInteger(n.count) &&
    n.count >= 1 &&
    (n.minFreeMemoryMiB === undefined || (typeof n.minFreeMemoryMiB === 'number' && n.minFreeMemoryMiB > 0)) &&
    (n.model === undefined || typeof n.model === 'string')
  );
}

/** The stored queue, read defensively: entries that are not well formed are dropped. */
export function readQueue(raw: unknown): QueuedLaunch[] {
  if (!Array.isArray(raw)) return [];
  const out: QueuedLaunch[] = [];
  for (const e of raw as unknown[]) {
    if (!e || typeof e !== 'object') continue;
    const q = e as Record<string, unknown>;
    if (typeof q.id !== 'string' || typeof q.profile !== 'string' || q.profile === '' || !isNeed(q.need)) continue;
    if (typeof q.queuedAt !== 'number' || !Number.isFinite(q.queuedAt)) continue;
    if (out.some((o) => o.id === q.id)) continue;
    const need: FreeGpuNeed = { count: q.need.count };
    if (q.need.minFreeMemoryMiB !== undefined) need.minFreeMemoryMiB = q.need.minFreeMemoryMiB;
    if (q.need.model !== undefined) need.model = q.need.model;
    out.push({
      id: q.id,
      profile: q.profile,
      need,
      queuedAt: q.queuedAt,
      ...(typeof q.image === 'string' && q.image ? { image: q.image } : {}),
      ...(typeof q.host === 'string' && q.host ? { host: q.host } : {}),
    });
  }
  return out;
}

/** Add a launch; the same profile, image and host queued again replaces the older entry (one wait per launch). */
export function enqueue(queue: readonly QueuedLaunch[], entry: Omit<QueuedLaunch, 'id'>): QueuedLaunch[] {
  const same = (q: QueuedLaunch) => q.profile === entry.profile && q.image === entry.image && q.host === entry.host;
  let n = 1;
  const ids = new Set(queue.map((q) => q.id));
  while (ids.has(`q${entry.queuedAt}-${n}`)) n++;
  return [...queue.filter((q) => !same(q)), { ...entry, id: `q${entry.queuedAt}-${n}` }];
}

export function dequeue(queue: readonly QueuedLaunch[], id: string): QueuedLaunch[] {
  return queue.filter((q) => q.id !== id);
}

export interface HostGpus {
  name: string;
  rows: GpuRow[];
  topology?: GpuTopology;
}

/**
 * The first queued launch that fits now, and where: oldest first; hosts in the given order (the first host
 * first), a pinned entry only on its host. Undefined when nothing fits.
 */
export function nextToLaunch(
  queue: readonly QueuedLaunch[],
  hosts: readonly HostGpus[],
): { entry: QueuedLaunch; host: string } | undefined {
  for (const entry of [...queue].sort((a, b) => a.queuedAt - b.queuedAt)) {
    for (const h of hosts) {
      if (entry.host !== undefined && entry.host !== h.name) continue;
      if (pickFreeGpus(h.rows, entry.need, h.topology).ok) return { entry, host: h.name };
    }
  }
  return undefined;
}

/** `2 free GPUs`, `1 free GPU with ≥ 40 GiB`, `2 free H100 GPUs with ≥ 40 GiB`. */
function needText(need: FreeGpuNeed, t: Translate): string {
  const gib = need.minFreeMemoryMiB === undefined ? undefined : Math.ceil(need.minFreeMemoryMiB / 1024);
  const base =
    need.count === 1
      ? need.model
        ? t('1 free {0} GPU', need.model)
        : t('1 free GPU')
      : need.model
        ? t('{0} free {1} GPUs', need.count, need.model)
        : t('{0} free GPUs', need.count);
  return gib === undefined ? base : t('{0} with ≥ {1} GiB', base, gib);
}

/** The row and status bar words: `queued: bert — waiting for 2 free GPUs on any host`. */
export function queuedText(q: QueuedLaunch, t: Translate = english): string {
  return q.host === undefined
    ? t('queued: {0} — waiting for {1} on any host', q.profile, needText(q.need, t))
    : t('queued: {0} — waiting for {1} on {2}', q.profile, needText(q.need, t), q.host);
}
