/**
 * First-occurrence performance marks of the extension's first load (activate, view visible, list, store,
 * first rows handed to VS Code), so the bench can print where the time goes. One entry per name for the
 * life of the process: a mark is a Set lookup after that, and the timeline never grows.
 */
export const MARK_PREFIX = 'gpuContainers:';

const seen = new Set<string>();

export function markOnce(name: string): void {
  if (seen.has(name)) return;
  seen.add(name);
  performance.mark(MARK_PREFIX + name);
}
