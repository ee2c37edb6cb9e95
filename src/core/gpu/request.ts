import type { GpuRequest } from '../docker/engineTypes';
import { resolveDeviceId } from './gpuModel';
import type { GpuInfo } from './smi';

/** The subset of Engine API `HostConfig.DeviceRequests[]` we read. */
export interface RawDeviceRequest {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[] | null;
  Capabilities?: string[][] | null;
}

function isGpuRequest(r: RawDeviceRequest): boolean {
  if (r.Driver && r.Driver !== 'nvidia') return false;
  const caps = Array.isArray(r.Capabilities) ? r.Capabilities : [];
  // `--gpus` always sets [["gpu"]]; a bare nvidia driver request also counts.
  return r.Driver === 'nvidia' || caps.some((set) => Array.isArray(set) && set.includes('gpu'));
}

/** `nvidia.com/gpu=<id>` CDI device names (Docker 25+ `--device nvidia.com/gpu=0`), the part after `=`. */
function cdiGpuIds(raw: RawDeviceRequest): string[] {
  if (raw.Driver !== 'cdi' || !Array.isArray(raw.DeviceIDs)) return [];
  return raw.DeviceIDs.filter((d): d is string => typeof d === 'string')
    .map((d) => /^nvidia\.com\/gpu=(.+)$/i.exec(d.trim())?.[1]?.trim() ?? '')
    .filter(Boolean);
}

/** `["0,1"]` and `["0", "1"]` mean the same to the NVIDIA hook (it joins them with commas). */
function splitIds(ids: unknown[]): string[] {
  return ids
    .filter((d): d is string => typeof d === 'string')
    .flatMap((d) => d.split(','))
    .map((d) => d.trim())
    .filter(Boolean);
}

/**
 * A container's GPU request, from `HostConfig.DeviceRequests` first (`--gpus`, or CDI `nvidia.com/gpu=…`
 * devices), then the `NVIDIA_VISIBLE_DEVICES` environment variable (the nvidia runtime's way).
 * Undefined when neither asks for a GPU. Never throws on odd input.
 *
 * `runtime` is `HostConfig.Runtime`. When given, the environment variable only counts for an nvidia runtime:
 * CUDA base images set `NVIDIA_VISIBLE_DEVICES=all` in their own env, so without this check every container
 * of such an image run under plain `runc` would look like it holds all GPUs.
 */
export function gpuRequestFrom(deviceRequests: unknown, env: unknown, runtime?: string): GpuRequest | undefined {
  if (Array.isArray(deviceRequests)) {
    for (const raw of deviceRequests as RawDeviceRequest[]) {
      if (!raw || typeof raw !== 'object') continue;
      const cdi = cdiGpuIds(raw);
      if (cdi.length > 0) {
        if (cdi.some((id) => id.toLowerCase() === 'all')) return { kind: 'all', source: 'deviceRequests' };
        return { kind: 'devices', deviceIds: cdi, source: 'deviceRequests' };
      }
      if (!isGpuRequest(raw)) continue;
      const capabilities = Array.isArray(raw.Capabilities)
        ? [...new Set(raw.Capabilities.flat().filter((c): c is string => typeof c === 'string'))]
        : undefined;
      const ids = Array.isArray(raw.DeviceIDs) ? splitIds(raw.DeviceIDs) : [];
      if (ids.length > 0) return { kind: 'devices', deviceIds: ids, capabilities, source: 'deviceRequests' };
      if (raw.Count === -1) return { kind: 'all', capabilities, source: 'deviceRequests' };
      if (typeof raw.Count === 'number' && raw.Count > 0) {
        return { kind: 'count', count: raw.Count, capabilities, source: 'deviceRequests' };
      }
    }
  }
  if (typeof runtime === 'string' && runtime !== '' && !runtime.toLowerCase().includes('nvidia')) return undefined;
  if (Array.isArray(env)) {
    for (const entry of env) {
      if (typeof entry !== 'string' || !entry.startsWith('NVIDIA_VISIBLE_DEVICES=')) continue;
      const value = entry.slice('NVIDIA_VISIBLE_DEVICES='.length).trim();
      if (value === '' || value === 'void' || value === 'none') return undefined;
      if (value === 'all') return { kind: 'all', source: 'env' };
      return {
        kind: 'devices',
        deviceIds: value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        source: 'env',
      };
    }
  }
  return undefined;
}

/** "GPU all", "GPU ×2", "GPU 0,1" — the short form used in tree descriptions. */
/**
 * A row's GPUs, short: `GPU all`, `GPU ×2`, `GPU 3,6`. Device ids are shown as the indexes of the host's GPUs
 * (`gpus`, from its snapshot: a UUID becomes `3`, a MIG slice `3:1`); ids the snapshot does not know (none read
 * yet) are never listed raw: one is shortened (`GPU GPU-b22870e4`), several are counted (`GPU ×2`).
 */
export function gpuSummary(req: GpuRequest | undefined, gpus: readonly GpuInfo[] = []): string {
  if (!req) return '';
  switch (req.kind) {
    case 'all':
      return 'GPU all';
    case 'count':
      return `GPU ×${req.count ?? 0}`;
    case 'devices': {
      const ids = req.deviceIds ?? [];
      const indexes = ids.map((id) => deviceIndex(id, gpus));
      if (indexes.every((i) => i !== undefined)) return `GPU ${indexes.join(',')}`;
      return ids.length === 1 ? `GPU ${shortGpuId(ids[0])}` : `GPU ×${ids.length}`;
    }
  }
}

/**
 * The GPUs of a request in full, for a tooltip: `3 (GPU-b22870e4-…), 6 (GPU-b261f862-…)` — the index the host
 * knows it by, then the id as the container asked for it; `all`, `×2` otherwise.
 */
export function gpuDetail(
  req: GpuRequest | undefined,
  gpus: readonly GpuInfo[] = [],
  /** How an id as given is written (markdown code in a tooltip); not applied to the indexes. */
  quote: (id: string) => string = (id) => id,
): string {
  if (!req) return '';
  if (req.kind !== 'devices') return gpuSummary(req).replace(/^GPU /, '');
  return (req.deviceIds ?? [])
    .map((id) => {
      const index = deviceIndex(id, gpus);
      return index === undefined ? quote(id) : index === id.trim() ? index : `${index} (${quote(id)})`;
    })
    .join(', ');
}

/** A device id as the host numbers it (`3`, MIG `3:1`), from its GPUs; undefined when they do not know it. */
export function deviceIndex(id: string, gpus: readonly GpuInfo[]): string | undefined {
  if (typeof id !== 'string') return undefined;
  const v = id.trim();
  if (/^\d+(:\d+)?$/.test(v)) return v;
  const r = resolveDeviceId(v, [...gpus]);
  if (!r) return undefined;
  if (r.mig) return `${r.gpu.index}:${r.mig.deviceIndex}`;
  return r.migKey ? undefined : String(r.gpu.index);
}

/**
 * GPU UUIDs are long; show their first block: `GPU-b72312b2`, `MIG-5c1a3b5e`, and for the pre-R470 MIG form
 * `MIG-GPU-b72312b2/7/0` (parent block plus GPU/compute instance). Indices and anything else pass through.
 */
export function shortGpuId(id: string): string {
  if (typeof id !== 'string') return '';
  const oldMig = /^(MIG-GPU-[0-9a-f]{8})-[0-9a-f-]+(\/\d+\/\d+)$/i.exec(id);
  if (oldMig) return oldMig[1] + oldMig[2];
  return /^(GPU|MIG)-[0-9a-f]{8}-/i.test(id) ? id.slice(0, 12) : id;
}
