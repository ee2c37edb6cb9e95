/** One full list of containers and images for the refresh controller, bounded by a ping. */
import type { ContainerSummary, ImageSummary } from '../docker';
import type { RefreshEngine } from './refreshContract';

/**
 * How long a full list waits for the engine to answer a ping before the list counts as failed (a frozen
 * daemon): Refresh answers in seconds instead of the list's own 30 s timeout. A slow list on an engine that
 * answers pings still gets its full timeout.
 */
export const LIST_PING_TIMEOUT_MS = 5_000;

/**
 * Both lists at once, the containers not waiting for the images. The container list rejects when the engine
 * does not answer a ping in time; the image list's rejection is the caller's to read (never unhandled).
 */
export function listAll(
  engine: RefreshEngine,
  signal: AbortSignal,
): { containers: Promise<ContainerSummary[]>; images: Promise<ImageSummary[]> } {
  const images = engine.listImages({ signal });
  images.catch(() => undefined);
  const containers = Promise.race([engine.listContainers({ all: true, signal }), unanswered(engine)]);
  return { containers, images };
}

/** Rejects when the engine does not answer a ping in time (never resolves otherwise). */
function unanswered(engine: RefreshEngine): Promise<never> {
  const ping = engine.ping?.({ timeoutMs: LIST_PING_TIMEOUT_MS });
  return new Promise<never>((_resolve, reject) => void ping?.catch(reject));
}
