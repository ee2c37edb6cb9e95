/**
 * Commit a container to an image, tag, push: the engine calls behind those commands, with validation of
 * the names first and the engine's in-stream push errors turned into messages naming image and registry.
 */
import type { ContainersApi, ImagesApi, ImageTransferApi } from '../docker/engineContract';
import { cancelledError } from '../docker/errors';
import type { RegistryAuth } from './auth';
import { PushProgress, pushDigestOf, pushError, streamErrorOf } from './progress';
import { registryOf, splitRef, validateTagTarget, withDefaultTag } from './refs';
import { classify, invalidName, readJsonStream, type TransferOptions } from './transfer';

export interface CommitOptions extends TransferOptions {
  repo: string;
  tag?: string;
  /** Commit message (`docker commit -m`). */
  message?: string;
  author?: string;
  /** Pause the container while committing (the engine's default: true). */
  pause?: boolean;
}

/** `docker commit`: a new image from a container's current file system. */
export async function commitContainer(
  engine: Pick<ContainersApi, 'commitContainer'>,
  containerId: string,
  opts: CommitOptions,
): Promise<{ id: string }> {
  const operation = 'Commit container';
  const target = opts.tag !== undefined ? `${opts.repo}:${opts.tag}` : opts.repo;
  const problem = validateTagTarget(target);
  if (problem) throw invalidName(problem);
  if (opts.signal?.aborted) throw cancelledError(operation);
  try {
    return await engine.commitContainer(containerId, {
      repo: opts.repo,
      tag: opts.tag ?? 'latest',
      comment: opts.message,
      author: opts.author,
      pause: opts.pause,
      signal: opts.signal,
    });
  } catch (err) {
    throw classify(err, operation, opts.signal, { endpoint: opts.endpoint, containerName: containerId });
  }
}

/** `docker tag source target`; `target` is repo[:tag] (":latest" when no tag). */
export async function tagImage(
  engine: Pick<ImagesApi, 'tagImage'>,
  source: string,
  target: string,
  opts: TransferOptions = {},
): Promise<void> {
  const operation = 'Tag image';
  const problem = validateTagTarget(target);
  if (problem) throw invalidName(problem);
  if (opts.signal?.aborted) throw cancelledError(operation);
  const { repo, tag } = splitRef(target.trim());
  try {
    await engine.tagImage(source, repo, tag ?? 'latest', { signal: opts.signal });
  } catch (err) {
    throw classify(err, operation, opts.signal, { endpoint: opts.endpoint, image: source });
  }
}

export interface PushOptions extends TransferOptions {
  auth?: RegistryAuth;
  /** From `authFor`: appended to a "refused access" error, so the user knows why no login was sent. */
  authNote?: string;
  onProgress?: (p: { percent: number; status: string }) => void;
}

/**
 * `docker push ref` (":latest" when no tag). The engine answers 200 and reports failures inside its JSON
 * stream; those reject with an EngineError naming the image and the registry. Resolves with the
 * pushed manifest digest when the registry reported one.
 */
export async function pushImage(
  engine: ImageTransferApi & Pick<ImagesApi, 'inspectImage'>,
  ref: string,
  opts: PushOptions = {},
): Promise<{ digest?: string }> {
  const operation = 'Push image';
  const { signal } = opts;
  const problem = validateTagTarget(ref);
  if (problem) throw invalidName(problem);
  if (signal?.aborted) throw cancelledError(operation);
  const full = withDefaultTag(ref);
  const { repo, tag } = splitRef(full);
  const registry = registryOf(full);
  const progress = new PushProgress();
  let streamError: string | undefined;
  let digest: string | undefined;
  try {
    // Check the tag locally first: otherwise the engine contacts the registry before noticing it is missing.
    await engine.inspectImage(full, { signal });
    if (signal?.aborted) throw cancelledError(operation);
  } catch (err) {
    const e = classify(err, operation, signal, { endpoint: opts.endpoint, image: full });
    if (e.kind === 'imageMissing' || e.kind === 'notFound') {
      throw pushError(full, registry, e.engineMessage ?? e.message, opts.authNote, err);
    }
    throw e;
  }
  try {
    const res = await engine.pushImage(repo, tag ?? 'latest', opts.auth ?? {}, { signal });
    await readJsonStream(
      res,
      (m) => {
        const e = streamErrorOf(m);
        if (e !== undefined) {
          streamError ??= e;
          return;
        }
        digest ??= pushDigestOf(m);
        opts.onProgress?.(progress.update(m));
      },
      signal,
    );
  } catch (err) {
    const e = classify(err, operation, signal, { endpoint: opts.endpoint, image: full });
    if (e.kind === 'unknown' || e.kind === 'notFound' || e.kind === 'imageMissing') {
      throw pushError(full, registry, e.engineMessage ?? e.message, opts.authNote, err);
    }
    throw e;
  }
  if (streamError !== undefined) throw pushError(full, registry, streamError, opts.authNote);
  opts.onProgress?.(progress.complete());
  return digest ? { digest } : {};
}
