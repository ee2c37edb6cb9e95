/**
 * "Where do I launch?": hosts ordered by how well they fit a profile's GPU request. Pure; how many GPUs of a
 * host satisfy the request comes from an injected function (the GPU picker reads each host's snapshot).
 */
import { t } from '../l10n';
import type { HostState } from './hostModel';

/** A host's answer to the profile's request. */
export interface HostFit {
  /** The request can be met now. */
  fits: boolean;
  /** GPUs that satisfy the request's per-GPU conditions and nobody uses. */
  free: number;
  /** Why it does not fit (or a note when it does): "only 1 free GPU with 40 GB", "GPUs not read yet". */
  why?: string;
}

export interface RankInput<H extends { name: string }> {
  hosts: H[];
  stateOf: (host: H) => HostState;
  fit: (host: H) => HostFit;
  /** The profile's `host` field: that host comes first whatever its fit. */
  pinned?: string;
}

export interface RankedHost<H> {
  host: H;
  fits: boolean;
  free: number;
  pinned: boolean;
  /** One line for the picker: "5 free GPUs fit", "unreachable: …", the picker's why. */
  detail: string;
}

export interface Ranking<H> {
  ranked: RankedHost<H>[];
  /** Set when the profile pins a host that is not in the list. */
  problem?: string;
}

/**
 * Pinned host first; then hosts that fit (most free GPUs first); then reachable hosts that don't (most free
 * first), each with why; unreachable hosts last. Ties keep the settings' order.
 */
export function rankHosts<H extends { name: string }>(input: RankInput<H>): Ranking<H> {
  const pin = input.pinned?.trim().toLowerCase() || undefined;
  const scored = input.hosts.map((host, order) => {
    const state = input.stateOf(host);
    const pinned = pin !== undefined && host.name.toLowerCase() === pin;
    if (state.kind === 'unreachable') {
      const detail = t('unreachable: {0}', state.reason.split(/\r?\n/)[0]?.trim() ?? '');
      return { r: { host, fits: false, free: 0, pinned, detail }, tier: 3, order };
    }
    let fit: HostFit;
    try {
      fit = input.fit(host);
    } catch (e) {
      fit = { fits: false, free: 0, why: String(e) };
    }
    const free = Number.isFinite(fit.free) && fit.free > 0 ? Math.floor(fit.free) : 0;
    const detail =
      fit.why ??
      (fit.fits
        ? free === 1
          ? t('1 free GPU fits')
          : t('{0} free GPUs fit', free)
        : t('not enough free GPUs ({0} free)', free));
    return { r: { host, fits: fit.fits, free, pinned, detail }, tier: fit.fits ? 1 : 2, order };
  });
  scored.sort(
    (a, b) => Number(b.r.pinned) - Number(a.r.pinned) || a.tier - b.tier || b.r.free - a.r.free || a.order - b.order,
  );
  const ranking: Ranking<H> = { ranked: scored.map((s) => s.r) };
  if (pin !== undefined && !scored.some((s) => s.r.pinned)) {
    ranking.problem = t(
      'The profile pins the host "{0}", which is not in gpuContainers.hosts; choose another host or add it.',
      input.pinned!.trim(),
    );
  }
  return ranking;
}

/** The `host` field of a profile as written in settings (a string), undefined otherwise. */
export function pinnedHostOf(rawProfile: unknown): string | undefined {
  if (!rawProfile || typeof rawProfile !== 'object' || Array.isArray(rawProfile)) return undefined;
  const v = (rawProfile as { host?: unknown }).host;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
