import type { GpuRequest } from '../docker/engineTypes';

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
export function gpuSummary(req: GpuRequest | undefined): string {
  if (!req) return '';
  switch (req.kind) {
    case 'all':
      return 'GPU all';
    case 'count':
      return `GPU ×${req.count ?? 0}`;
    case 'devices':
      return `GPU ${(req.deviceIds ?? []).map(shortGpuId).join(',')}`;
  }
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
