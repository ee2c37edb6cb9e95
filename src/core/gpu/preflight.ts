/**
 * The GPU part of the launch preflight: everything wrong with a GPU request, said at once — no NVIDIA
 * runtime, an image needing a newer CUDA than the driver, GPUs that do not exist on this host, GPUs other
 * running containers hold. Plus the classification of the NVIDIA hook's start errors. Pure; translated.
 */
import type { ContainerSummary, GpuRequest } from '../docker/engineTypes';
import { t } from '../l10n';
import { compareCuda, formatCudaCheck, imageCudaVersion } from './cuda';
import { explicitIds, isActiveContainer, resolveDeviceId, type GpuModelOptions, type ResolvedDevice } from './gpuModel';
import { nvidiaToolkitFix } from './noGpu';
import { shortGpuId } from './request';
import type { GpuInfo } from './smi';

export interface GpuConflict {
  container: ContainerSummary;
  /** The GPUs both want, as short ids for messages: indices when known (`3`, MIG `0:1`), else as given. */
  deviceIds: string[];
}

interface Unit {
  key: string;
  display: string;
  resolved?: ResolvedDevice;
}

function unitsOf(ids: string[], gpus: GpuInfo[]): Unit[] {
  return ids.map((id) => {
    const r = resolveDeviceId(id, gpus);
    if (!r) return { key: `raw:${id.trim().toLowerCase()}`, display: shortGpuId(id.trim()) };
    const migIndex = r.mig
      ? `${r.gpu.index}:${r.mig.deviceIndex}`
      : /^\d+:\d+$/.test(id.trim())
        ? id.trim()
        : undefined;
    const display = r.migKey ? (migIndex ?? shortGpuId(id.trim())) : String(r.gpu.index);
    return { key: r.gpu.uuid, display, resolved: r };
  });
}

function overlaps(a: Unit, b: Unit): boolean {
  if (a.resolved && b.resolved) {
    if (a.resolved.gpu.uuid !== b.resolved.gpu.uuid) return false;
    return !a.resolved.migKey || !b.resolved.migKey || a.resolved.migKey === b.resolved.migKey;
  }
  return !a.resolved && !b.resolved && a.key === b.key;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Launch preflight: which active containers already hold a GPU this request wants. Counts: explicit device
 * overlap (indices, UUIDs and MIG ids resolved against `gpus` when given, else compared as strings), an `all`
 * on either side, and — under the default `firstN` placement — `--gpus N` as GPUs 0 … N-1. With `every`,
 * count requests and holders never conflict except with `all`. Two different MIG slices of a GPU don't.
 */
export function conflictsFor(
  request: GpuRequest | undefined,
  running: ContainerSummary[],
  gpus: GpuInfo[] = [],
  options: GpuModelOptions = {},
): GpuConflict[] {
  if (!request || !Array.isArray(running)) return [];
  const known = Array.isArray(gpus) ? [...gpus].sort((a, b) => a.index - b.index) : [];
  const placement = options.countPlacement ?? 'firstN';
  const allIds = known.length > 0 ? known.map((g) => String(g.index)) : ['all'];
  const mine = explicitIds(request, placement);
  const out: GpuConflict[] = [];
  for (const c of running) {
    if (!c || !c.gpu || !isActiveContainer(c)) continue;
    const theirs = explicitIds(c.gpu, placement);
    const iAmAll = request.kind === 'all';
    const theyAreAll = c.gpu.kind === 'all';
    let deviceIds: string[] = [];
    if (iAmAll && theyAreAll) deviceIds = allIds;
    else if (theyAreAll) deviceIds = mine ? unitsOf(mine, known).map((u) => u.display) : allIds;
    else if (iAmAll) deviceIds = theirs ? unitsOf(theirs, known).map((u) => u.display) : [];
    else if (mine && theirs) {
      const b = unitsOf(theirs, known);
      deviceIds = unitsOf(mine, known)
        .filter((u) => b.some((v) => overlaps(u, v)))
        .map((u) => u.display);
    }
    deviceIds = unique(deviceIds);
    if (deviceIds.length > 0) out.push({ container: c, deviceIds });
  }
  return out;
}

/** "GPU 3 is held by tom-bert (owner tom)." */
export function heldMessage(c: GpuConflict): string {
  const ids = c.deviceIds.join(', ');
  if (c.deviceIds.length === 1)
    return c.container.owner
      ? t('GPU {0} is held by {1} (owner {2}).', ids, c.container.name, c.container.owner)
      : t('GPU {0} is held by {1}.', ids, c.container.name);
  return c.container.owner
    ? t('GPUs {0} are held by {1} (owner {2}).', ids, c.container.name, c.container.owner)
    : t('GPUs {0} are held by {1}.', ids, c.container.name);
}

export type PreflightCode = 'noRuntime' | 'cudaTooNew' | 'noSuchGpu' | 'tooMany' | 'held';

export interface PreflightFinding {
  code: PreflightCode;
  /** The sentence, with its fix. */
  message: string;
}

export interface GpuPreflightInput {
  request: GpuRequest | undefined;
  /** The image's env and labels (for its CUDA version), when it could be inspected. */
  image?: { env?: unknown; labels?: unknown };
  /** The newest CUDA the driver supports, when known. */
  driverCuda?: string;
  /** False when the engine reports no NVIDIA runtime; undefined when unknown. */
  hasNvidiaRuntime?: boolean;
  /** The host's GPUs, when known (empty = unknown: no existence check). */
  gpus: GpuInfo[];
  /** All containers (only active ones count as holders). */
  containers: ContainerSummary[];
}

function hostRange(gpus: GpuInfo[]): string {
  const idx = gpus.map((g) => g.index).sort((a, b) => a - b);
  return idx.length === 1 ? String(idx[0]) : `${idx[0]}–${idx[idx.length - 1]}`;
}

/** Every problem of a GPU request, in the order to read them; empty when all is well. */
export function gpuPreflight(input: GpuPreflightInput): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  const { request, gpus } = input;
  if (!request) return out;
  if (input.hasNvidiaRuntime === false)
    out.push({
      code: 'noRuntime',
      message: `${t('The profile asks for GPUs, but the Docker engine reports no NVIDIA runtime.')} ${nvidiaToolkitFix()}`,
    });
  const cuda = formatCudaCheck(compareCuda(imageCudaVersion(input.image), input.driverCuda));
  if (cuda) out.push({ code: 'cudaTooNew', message: cuda });
  if (gpus.length > 0) {
    if (request.kind === 'count' && (request.count ?? 0) > gpus.length)
      out.push({
        code: 'tooMany',
        message: t(
          'The profile asks for {0} GPUs, but this host has {1}. Ask for at most {1}, or for "all".',
          request.count ?? 0,
          gpus.length,
        ),
      });
    if (request.kind === 'devices') {
      const missing = (request.deviceIds ?? []).filter((id) => !resolveDeviceId(id, gpus));
      if (missing.length > 0)
        out.push({
          code: 'noSuchGpu',
          message: t(
            'There is no GPU {0} on this host: it has GPUs {1}. Use an index, a GPU UUID or a MIG id from `nvidia-smi -L`.',
            missing.map(shortGpuId).join(', '),
            hostRange(gpus),
          ),
        });
    }
  }
  const running = input.containers.filter((c) => c && isActiveContainer(c));
  for (const c of conflictsFor(request, running, gpus)) out.push({ code: 'held', message: heldMessage(c) });
  return out;
}

export type GpuStartErrorKind = 'noRuntime' | 'noSuchGpu' | 'cudaTooNew' | 'driver';

/**
 * What the NVIDIA hook's start errors mean, with the fix (`could not select device driver`,
 * `nvidia-container-cli: device error: …: unknown device`, `requirement error: unsatisfied condition: cuda>=…`,
 * `initialization error: nvml error: driver not loaded`). Undefined for anything else.
 */
export function classifyGpuStartError(
  text: unknown,
): { kind: GpuStartErrorKind; message: string; fix: string } | undefined {
  if (typeof text !== 'string') return undefined;
  if (/could not select device driver/i.test(text))
    return {
      kind: 'noRuntime',
      message: t('The Docker engine cannot give this container GPUs: the NVIDIA Container Toolkit is not set up.'),
      fix: nvidiaToolkitFix(),
    };
  const dev = /nvidia-container-cli: device error: ([^:\s]+)(?::\s*unknown device)?/i.exec(text);
  if (dev)
    return {
      kind: 'noSuchGpu',
      message: t('The NVIDIA Container Toolkit found no GPU {0} on this host.', shortGpuId(dev[1])),
      fix: t('Pick GPUs that exist: `nvidia-smi -L` lists their indices and UUIDs.'),
    };
  const cuda = /unsatisfied condition: cuda\s*>=\s*(\d+\.\d+)/i.exec(text);
  if (cuda)
    return {
      kind: 'cudaTooNew',
      message: t('This image needs CUDA {0}, which the NVIDIA driver on this host does not support.', cuda[1]),
      fix: t('Update the NVIDIA driver, or use an image built for an older CUDA.'),
    };
  if (/nvidia-container-cli: initialization error/i.test(text))
    return {
      kind: 'driver',
      message: t('The NVIDIA Container Toolkit could not talk to the NVIDIA driver.'),
      fix: t('Run `nvidia-smi` on the host: if it fails, reinstall or reload the driver, then try again.'),
    };
  return undefined;
}
