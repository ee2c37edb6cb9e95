/**
 * GPU leases without a scheduler. A profile with `gpus: { free: 2, hold: "8h" }` launches a container whose
 * claim (see claim.ts) also says until when it holds its GPUs: `LEASE_UNTIL_LABEL`, an absolute time in ISO 8601
 * UTC, and `LEASE_HOLD_LABEL`, the hold itself. Everyone's GPUs view reads them ("held by alice until 18:00",
 * "lease expired 10 minutes ago"); nothing is freed or stopped when a lease ends — the container still uses the
 * GPUs, and only its owner may stop it.
 *
 * Extend: Docker labels cannot change on an existing container (`docker container update` changes resources and
 * the restart policy only), and recreating a running container would kill its work. So an extension is kept by
 * the owner's extension (VS Code's globalState, by container id) and nowhere else: the owner's windows show and
 * warn by the extended time; other users still see the label's time, and an expired lease there is only words.
 *
 * Time always comes from an injected clock (`now`), so everything here is deterministic under test.
 */
import { LEASE_HOLD_LABEL, LEASE_UNTIL_LABEL } from '../docker/labels';
import { english, formatAge, type Translate } from '../tree/format';

/** Milliseconds since the epoch: `Date.now` in the extension, a fixed number in tests. */
export type Clock = () => number;

/** How long before a lease ends its owner is told (with Extend / Stop). */
export const LEASE_WARNING_MS = 15 * 60_000;
/** The longest hold a profile may ask for (a lease is a promise to others, not a reservation for ever). */
export const MAX_HOLD_MS = 30 * 86_400_000;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `"8h"`, `"90m"`, `"1d"`, `"1h30m"`, `"1.5h"` → milliseconds; undefined for anything else (`"8x"`, `"-1h"`, `"0"`, `8`). */
export function parseHold(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const text = v.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[mhd])+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)([mhd])/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  ms = Math.round(ms);
  return ms >= 60_000 && ms <= MAX_HOLD_MS ? ms : undefined;
}

/** 8 h → `"8h"`, 90 min → `"1h30m"` (the settings form, also the hold label). */
export function holdText(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
}

/** ISO 8601 UTC at second precision: `2026-12-06T18:00:00Z`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The labels a launch with a hold adds to its claim: until `now + hold`. */
export function leaseLabels(holdMs: number, now: number): Record<string, string> {
  return { [LEASE_UNTIL_LABEL]: isoUtc(now + holdMs), [LEASE_HOLD_LABEL]: holdText(holdMs) };
}

export interface Lease {
  /** When it ends (ms since the epoch): the label's time, or the owner's extension when later. */
  until: number;
  /** The hold to add on Extend (from the hold label). */
  holdMs?: number;
  /** The owner extended it (kept in their globalState; others see the label's time). */
  extended: boolean;
}

/** An absolute UTC time as written in the label; anything else (no zone, garbage) is no lease. */
function parseUntil(v: string | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/.test(v.trim())) return undefined;
  const ms = Date.parse(v.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

/** A container's lease from its labels, moved later by the owner's extension (`extendedUntil`) when given. */
export function leaseOf(labels: Record<string, string> | undefined, extendedUntil?: number): Lease | undefined {
  const until = parseUntil(labels?.[LEASE_UNTIL_LABEL]);
  if (until === undefined) return undefined;
  const holdMs = parseHold(labels?.[LEASE_HOLD_LABEL]);
  const extended = extendedUntil !== undefined && Number.isFinite(extendedUntil) && extendedUntil > until;
  return { until: extended ? extendedUntil : until, holdMs, extended };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local time: `18:00` today, `2026-12-07 18:00` on another day. */
export function clockTime(ms: number, now: number): string {
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

export function isExpired(lease: Lease, now: number): boolean {
  return now >= lease.until;
}

/**
 * The holder line's words: `held by alice until 18:00` (no owner: `held until 18:00`), or
 * `lease expired 10 minutes ago`.
 */
export function leaseText(lease: Lease, now: number, owner?: string, t: Translate = english): string {
  if (isExpired(lease, now)) return t('lease expired {0}', formatAge(lease.until, now, t));
  const at = clockTime(lease.until, now);
  return owner ? t('held by {0} until {1}', owner, at) : t('held until {0}', at);
}

/** Extend: the hold again, from the lease's end (or from now when it already ended). */
export function extendedLease(lease: Lease, holdMs: number, now: number): number {
  return Math.max(lease.until, now) + holdMs;
}

/**
 * Which of the owner's leases to warn about now: ending within `LEASE_WARNING_MS` (or ended) and not warned
 * yet for this end time (`warned` holds `id@until`; an extension moves the end, so it warns again later).
 */
export function leasesToWarn(
  leases: ReadonlyArray<{ id: string; lease: Lease }>,
  now: number,
  warned: ReadonlySet<string>,
): Array<{ id: string; lease: Lease; key: string }> {
  return leases
    .filter(({ lease }) => lease.until - now <= LEASE_WARNING_MS)
    .map((l) => ({ ...l, key: `${l.id}@${l.lease.until}` }))
    .filter((l) => !warned.has(l.key));
}

/** The stored extensions (globalState: container id → ISO time), read defensively and without the gone ones. */
export function readExtensions(raw: unknown, liveIds?: ReadonlySet<string>): Record<string, number> {
  const out: Record<string, number> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    const ms = typeof v === 'string' ? parseUntil(v) : undefined;
    if (ms !== undefined && (!liveIds || liveIds.has(id))) out[id] = ms;
  }
  return out;
}

export function writeExtensions(ext: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(ext).map(([id, ms]) => [id, isoUtc(ms)]));
}
