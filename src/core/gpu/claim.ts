/**
 * No double booking. A launch that picked free GPUs creates its container with the picked UUIDs in
 * `GPU_UUIDS_LABEL`: from that moment the created (not yet started) container is a claim that other
 * launches see as a holder. Right after creating, the launch looks for other claims on the same UUIDs:
 * a running/paused one, or a created one that is older (engine's nanosecond `Created`, then id), wins;
 * the loser removes its container and picks again without those GPUs. Both sides apply the same order,
 * so two launches racing for the same GPU never both keep it.
 */
import type { ContainerCreateOptions } from '../docker';
import { withGpuDevices } from '../docker/gpuRequests';
import type { ContainerDetails, ContainerState, Engine } from '../docker';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../docker/labels';
import { isStaleClaim } from './gpuModel';

export type ClaimEngine = Pick<Engine, 'listContainers' | 'inspectContainer' | 'createContainer' | 'removeContainer'>;

export interface Claim {
  id: string;
  name: string;
  state: ContainerState;
  /** RFC 3339 with nanoseconds, as the engine reports `Created`. */
  createdAt: string;
  uuids: string[];
  owner?: string;
}

export function claimUuids(labels: Record<string, string> | undefined): string[] {
  const v = labels?.[GPU_UUIDS_LABEL];
  if (typeof v !== 'string') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `2026-11-23T11:17:35.123456789Z` → a sortable key (seconds, then nanoseconds zero-padded). */
export function createdKey(created: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)?$/.exec(created.trim());
  if (!m) return created;
  // Normalize to UTC at second precision, keep the fraction exactly.
  const secs = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  return `${String(secs).padStart(16, '0')}.${(m[2] ?? '').padEnd(9, '0')}`;
}

const HOLDING: ReadonlySet<ContainerState> = new Set<ContainerState>(['running', 'paused', 'restarting']);

/** Does `other` win a shared GPU against `mine`? */
export function beats(other: Claim, mine: Claim): boolean {
  if (HOLDING.has(other.state)) return true;
  if (other.state !== 'created') return false;
  const a = createdKey(other.createdAt);
  const b = createdKey(mine.createdAt);
  return a < b || (a === b && other.id < mine.id);
}

/** The claims that take a GPU of `mine` away from it. */
export function winningClaims(mine: Claim, others: Claim[]): Claim[] {
  const want = new Set(mine.uuids.map((u) => u.toLowerCase()));
  return others.filter((o) => o.id !== mine.id && o.uuids.some((u) => want.has(u.toLowerCase())) && beats(o, mine));
}

function toClaim(d: ContainerDetails): Claim {
  const raw = d.raw as { Created?: unknown } | undefined;
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    createdAt: typeof raw?.Created === 'string' ? raw.Created : new Date(d.created).toISOString(),
    uuids: claimUuids(d.labels),
    owner: d.owner,
  };
}

/** Every container on the engine with a GPU claim label (running, paused, created), inspected for `Created`. */
async function listClaims(engine: ClaimEngine): Promise<Claim[]> {
  const list = await engine.listContainers({ all: true, filters: { label: [GPU_UUIDS_LABEL] } });
  // A created claim older than STALE_CLAIM_MS (left by a crash or a failed start) no longer holds its GPUs.
  const live = list.filter((c) => HOLDING.has(c.state) || (c.state === 'created' && !isStaleClaim(c.created)));
  const details = await Promise.all(live.map((c) => engine.inspectContainer(c.id).catch(() => undefined)));
  return details.filter((d): d is ContainerDetails => d !== undefined).map(toClaim);
}

/** The create options with concrete GPU UUIDs and the request/claim labels. */
export function withPickedGpus(
  options: ContainerCreateOptions,
  uuids: string[],
  requestText: string,
): ContainerCreateOptions {
  return {
    ...withGpuDevices(options, uuids),
    Labels: { ...options.Labels, [GPU_REQUEST_LABEL]: requestText, [GPU_UUIDS_LABEL]: uuids.join(',') },
  };
}

export type ClaimResult =
  | { ok: true; id: string; uuids: string[]; attempts: number }
  /** Not enough GPUs left after others' claims: `takenBy` are the claims that won. */
  | { ok: false; takenBy: Claim[]; attempts: number };

/**
 * Create the container holding the GPUs `pick` chooses, and keep it only if no earlier claim overlaps;
 * otherwise remove it and pick again with the lost GPUs excluded (at most `attempts` times).
 * `pick(excluded)` returns UUIDs, or undefined when not enough GPUs are left.
 */
export async function createClaimed(
  engine: ClaimEngine,
  o: {
    options: ContainerCreateOptions;
    name: string;
    requestText: string;
    pick(excluded: ReadonlySet<string>): string[] | undefined;
    attempts?: number;
  },
): Promise<ClaimResult> {
  const excluded = new Set<string>();
  const lost: Claim[] = [];
  const max = o.attempts ?? 4;
  for (let attempt = 1; attempt <= max; attempt++) {
    const uuids = o.pick(excluded);
    if (!uuids) return { ok: false, takenBy: lost, attempts: attempt };
    const id = await engine.createContainer({ ...withPickedGpus(o.options, uuids, o.requestText), name: o.name });
    let winners: Claim[];
    try {
      const claims = await listClaims(engine);
      const mine = claims.find((c) => c.id === id) ?? toClaim(await engine.inspectContainer(id));
      winners = winningClaims(mine, claims);
    } catch (err) {
      await engine.removeContainer(id, { force: true }).catch(() => undefined);
      throw err;
    }
    if (winners.length === 0) return { ok: true, id, uuids, attempts: attempt };
    await engine.removeContainer(id, { force: true }).catch(() => undefined);
    for (const w of winners) {
      lost.push(w);
      for (const u of w.uuids) excluded.add(u.toLowerCase());
    }
  }
  return { ok: false, takenBy: lost, attempts: max };
}
