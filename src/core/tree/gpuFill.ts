import type { Engine } from '../docker';
import type { ContainerStore } from './store';

/**
 * GPU requests the list does not carry: from our labels (no request, see ContainerStore), else one inspect
 * per running container not known yet, cached per id (events re-inspect a container anyway). Stopped
 * containers hold no GPU, so they are not inspected. `current()` false stops it (a newer refresh began).
 * Resolves true when some container turned out to hold GPUs.
 */
export async function fillGpuRequests(
  engine: Pick<Engine, 'inspectContainer'>,
  store: ContainerStore,
  current: () => boolean,
  workers = 4,
): Promise<boolean> {
  const ids = store.gpuToInspect();
  let changed = false;
  const worker = async (): Promise<void> => {
    for (let id = ids.pop(); id !== undefined && current(); id = ids.pop()) {
      try {
        const d = await engine.inspectContainer(id);
        if (!current()) return;
        store.setGpu(id, d.gpu);
        if (d.gpu) changed = true;
      } catch {
        store.setGpu(id, undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, ids.length) }, worker));
  return changed;
}
