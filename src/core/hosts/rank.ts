/**
 * "Where do I launch?": hosts ordered by what will really work there — GPUs that fit the request, an engine
 * that can give GPUs to a container (NVIDIA runtime), a driver new enough for the image's CUDA, the image
 * already there. Pure; each host's answers come from injected functions.
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

/** What else decides whether a launch works on a host; a field left out is not known (not held against it). */
export interface HostReadiness {
  /** The engine has the NVIDIA runtime (without it a GPU container cannot start). Asked only for GPU requests. */
  nvidiaRuntime?: boolean;
  /** The image's CUDA version and the newest the host's driver supports, when both are known. */
  cuda?: { image: string; driver: string; ok: boolean };
  /** The image is on the host already (else it must be pulled or loaded there). */
  imagePresent?: boolean;
}

export interface RankInput<H extends { name: string }> {
  hosts: H[];
  stateOf: (host: H) => HostState;
  fit: (host: H) => HostFit;
  /** Whether the launch asks for GPUs (the runtime and CUDA only matter then). */
  gpu?: boolean;
  ready?: (host: H) => HostReadiness;
  /** The profile's `host` field: that host comes first whatever its fit. */
  pinned?: string;
}

export interface RankedHost<H> {
  host: H;
  /** The GPU request can be met now. */
  fits: boolean;
  /** It fits and nothing known stands in the way (runtime, CUDA): the launch should work there. */
  works: boolean;
  free: number;
  pinned: boolean;
  /** One line for the picker: "no NVIDIA runtime · 4 of 8 GPUs free · image here", "unreachable: …". */
  detail: string;
}

export interface Ranking<H> {
  ranked: RankedHost<H>[];
  /** Set when the profile pins a host that is not in the list. */
  problem?: string;
}

/**
 * Pinned host first; then hosts where the launch works (the image already there first, then most free GPUs);
 * then reachable hosts where it would not (no NVIDIA runtime, a driver too old for the image, not enough free
 * GPUs), each saying why; unreachable hosts last. Ties keep the settings' order.
 */
export function rankHosts<H extends { name: string }>(input: RankInput<H>): Ranking<H> {
  const pin = input.pinned?.trim().toLowerCase() || undefined;
  const scored = input.hosts.map((host, order) => {
    const state = input.stateOf(host);
    const pinned = pin !== undefined && host.name.toLowerCase() === pin;
    if (state.kind === 'unreachable') {
      const detail = t('unreachable: {0}', state.reason.split(/\r?\n/)[0]?.trim() ?? '');
      return { r: { host, fits: false, works: false, free: 0, pinned, detail }, tier: 3, image: 0, order };
    }
    let fit: HostFit;
    let ready: HostReadiness;
    try {
      fit = input.fit(host);
    } catch (e) {
      fit = { fits: false, free: 0, why: String(e) };
    }
    try {
      ready = input.ready?.(host) ?? {};
    } catch {
      ready = {};
    }
    const free = Number.isFinite(fit.free) && fit.free > 0 ? Math.floor(fit.free) : 0;
    const noRuntime = input.gpu === true && ready.nvidiaRuntime === false;
    const cudaTooOld = input.gpu === true && ready.cuda !== undefined && !ready.cuda.ok;
    const works = fit.fits && !noRuntime && !cudaTooOld;
    const parts: string[] = [];
    if (noRuntime) parts.push(t('no NVIDIA runtime'));
    if (cudaTooOld) parts.push(t('image needs CUDA {0}, driver has {1}', ready.cuda!.image, ready.cuda!.driver));
    parts.push(
      fit.why ??
        (fit.fits
          ? free === 1
            ? t('1 free GPU fits')
            : t('{0} free GPUs fit', free)
          : t('not enough free GPUs ({0} free)', free)),
    );
    if (ready.imagePresent === true) parts.push(t('image here'));
    else if (ready.imagePresent === false) parts.push(t('image not here yet'));
    return {
      r: { host, fits: fit.fits, works, free, pinned, detail: parts.join(' · ') },
      tier: works ? 1 : 2,
      image: ready.imagePresent ? 1 : 0,
      order,
    };
  });
  scored.sort(
    (a, b) =>
      Number(b.r.pinned) - Number(a.r.pinned) ||
      a.tier - b.tier ||
      b.image - a.image ||
      b.r.free - a.r.free ||
      a.order - b.order,
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
