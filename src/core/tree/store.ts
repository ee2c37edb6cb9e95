import type { ContainerDetails, ContainerSummary, GpuRequest, ImageSummary } from '../docker/types';

/**
 * The containers the tree shows, keyed by id. A full list replaces everything; an event patches one
 * container. The list endpoint does not return GPU requests, so those come from inspect and are cached
 * per id (a container's DeviceRequests never change after it is created).
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

  /** Patch one container from an inspect (which carries its GPU request). */
  upsert(details: ContainerSummary | ContainerDetails, gpuKnown = true): void {
    if (gpuKnown) this.gpuById.set(details.id, details.gpu ?? null);
    this.byId.set(details.id, this.withGpu(details));
    this.version++;
  }

  remove(id: string): boolean {
    this.gpuById.delete(id);
    const had = this.byId.delete(id);
    if (had) this.version++;
    return had;
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
