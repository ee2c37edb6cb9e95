import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../docker/labels';
import type { ContainerDetails, ContainerSummary, GpuRequest, ImageSummary } from '../docker/engineTypes';

/**
 * The GPU request a container created by this extension carries in its labels, so the tree knows it
 * without an inspect: the picked UUIDs when recorded, else the request as written (`all`, `2`,
 * `device=0,1`; `free=N` without UUIDs counts as N). `null`: labelled, no GPU. `undefined`: no label.
 */
export function gpuFromLabels(labels: Record<string, string> | undefined): GpuRequest | null | undefined {
  const uuids = (labels?.[GPU_UUIDS_LABEL] ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (uuids.length > 0) return { kind: 'devices', deviceIds: uuids, source: 'deviceRequests' };
  const raw = labels?.[GPU_REQUEST_LABEL];
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'none' || v === '0') return null;
  if (v === 'all') return { kind: 'all', source: 'deviceRequests' };
  const count = /^(?:free=)?(\d+)$/.exec(v);
  if (count) return { kind: 'count', count: Number(count[1]), source: 'deviceRequests' };
  const devices = /^"?device=([^"]+)"?$/.exec(v);
  if (devices) {
    const deviceIds = raw
      .slice(raw.indexOf('=') + 1)
      .replace(/"$/, '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    return deviceIds.length ? { kind: 'devices', deviceIds, source: 'deviceRequests' } : undefined;
  }
  return undefined;
}

/**
 * The containers the tree shows, keyed by id. A full list replaces everything; an event patches one
 * container. The list endpoint does not return GPU requests, so those come from inspect and are cached
 * per id (a container's DeviceRequests never change after it is created; an event re-inspects anyway).
 * Containers this extension created carry the request in labels (no inspect needed).
 */
export class ContainerStore {
  private readonly byId = new Map<string, ContainerSummary>();
  private readonly gpuById = new Map<string, GpuRequest | null>();
  private version = 0;

  get size(): number {
    return this.byId.size;
  }
  /** Bumped on every change, so callers can tell whether anything happened. */
  get revision(): number {
    return this.version;
  }

  all(): ContainerSummary[] {
    return [...this.byId.values()];
  }

  get(id: string): ContainerSummary | undefined {
    return this.byId.get(id);
  }

  findByName(name: string): ContainerSummary | undefined {
    for (const c of this.byId.values()) if (c.name === name) return c;
    return undefined;
  }

  replaceAll(list: readonly ContainerSummary[]): void {
    const seen = new Set<string>();
    this.byId.clear();
    for (const c of list) {
      seen.add(c.id);
      this.byId.set(c.id, this.withGpu(c));
    }
    for (const id of [...this.gpuById.keys()]) if (!seen.has(id)) this.gpuById.delete(id);
    this.version++;
  }

  /**
   * Patch one container from an inspect (which carries its GPU request). An inspect that shows no GPU request
   * does not override our claim labels (GPUs claimed by UUID, Podman's CDI devices): the same answer as a list.
   */
  upsert(details: ContainerSummary | ContainerDetails, gpuKnown = true): void {
    if (gpuKnown) this.gpuById.set(details.id, details.gpu ?? gpuFromLabels(details.labels) ?? null);
    this.byId.set(details.id, this.withGpu(details));
    this.version++;
  }

  remove(id: string): boolean {
    this.gpuById.delete(id);
    const had = this.byId.delete(id);
    if (had) this.version++;
    return had;
  }

  /**
   * Running containers whose GPU request is neither in their labels nor known from an inspect: the only
   * ones worth an inspect (a stopped container holds no GPU; it is inspected when an event starts it).
   */
  gpuToInspect(): string[] {
    const out: string[] = [];
    for (const c of this.byId.values()) if (c.state === 'running' && !c.gpu && !this.gpuById.has(c.id)) out.push(c.id);
    return out;
  }

  /** Ids whose GPU request is not known yet (to be filled by inspect in the background). */
  missingGpuInfo(): string[] {
    return [...this.byId.keys()].filter((id) => !this.gpuById.has(id));
  }

  setGpu(id: string, gpu: GpuRequest | undefined): void {
    this.gpuById.set(id, gpu ?? null);
    const c = this.byId.get(id);
    if (c) {
      this.byId.set(id, { ...c, gpu });
      this.version++;
    }
  }

  private withGpu(c: ContainerSummary): ContainerSummary {
    if (c.gpu) return c;
    if (!this.gpuById.has(c.id)) {
      const labelled = gpuFromLabels(c.labels);
      if (labelled !== undefined) this.gpuById.set(c.id, labelled);
    }
    const cached = this.gpuById.get(c.id);
    return cached ? { ...c, gpu: cached } : c;
  }
}

export class ImageStore {
  private images: ImageSummary[] = [];
  replaceAll(list: readonly ImageSummary[]): void {
    this.images = [...list];
  }
  all(): ImageSummary[] {
    return this.images;
  }
}
