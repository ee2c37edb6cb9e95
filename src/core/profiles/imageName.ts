/** Names derived from an image reference: the one place that knows how (profiles, launch, imports). */

/** `nvcr.io/nvidia/pytorch:24.05-py3` → `pytorch`: the repository's last path part, without tag or digest. */
export function nameFromImage(image: string | undefined, fallback = 'imported'): string {
  const last = (image ?? '').split('@')[0].split('/').pop() ?? '';
  const repo = last.includes(':') ? last.slice(0, last.lastIndexOf(':')) : last;
  return repo || fallback;
}

/** The same as a container name part: runs of characters docker refuses become `-`; `dev` when nothing is left. */
export function containerNameFromImage(image: string): string {
  const clean = nameFromImage(image, '')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '');
  return clean || 'dev';
}
