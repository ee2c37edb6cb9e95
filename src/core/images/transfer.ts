/**
 * Moving images in and out of the engine: save to / load from a file, commit a container, tag, push.
 * Every function takes the Dockerode instance (injected) and an optional AbortSignal, and rejects only
 * with an `EngineError` (kind 'cancelled' when the signal fired).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type Dockerode from 'dockerode';
import {
  EngineError,
  FIX,
  cancelledError,
  isEngineError,
  toEngineError,
  type EngineErrorContext,
} from '../docker/errors';
import { LineSplitter } from '../docker/streams';
import type { RegistryAuth } from './auth';
import { PushProgress, loadedFromMessage, parseStreamLine, pushDigestOf, pushError, streamErrorOf } from './progress';
import { registryOf, splitRef, validateImageRef, validateTagTarget, withDefaultTag } from './refs';

export interface TransferOptions {
  signal?: AbortSignal;
  /** DOCKER_HOST-style address of the engine, used in error messages. */
  endpoint?: string;
}

const FIX_NAME = 'Correct the image name and try again.';

function invalidName(problem: string): EngineError {
  return new EngineError('unknown', problem, FIX_NAME);
}

/** Rejects with what the user can act on: 'cancelled' when our signal fired, else the classified error. */
function classify(
  err: unknown,
  operation: string,
  signal: AbortSignal | undefined,
  ctx: EngineErrorContext,
): EngineError {
  if (isEngineError(err)) return err;
  if (signal?.aborted) return cancelledError(operation, err);
  return toEngineError(err, { ...ctx, operation });
}

/** A local file-system error (it has a path), as opposed to an engine/network one. */
function isFileError(err: unknown): err is NodeJS.ErrnoException {
  return !!err && typeof err === 'object' && typeof (err as { path?: unknown }).path === 'string';
}

function fileError(verb: 'write' | 'read', file: string, err: NodeJS.ErrnoException): EngineError {
  const why =
    err.code === 'ENOENT'
      ? verb === 'write'
        ? 'the folder does not exist'
        : 'the file does not exist'
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? 'permission denied'
        : err.code === 'ENOSPC'
          ? 'the disk is full'
          : err.code === 'EISDIR'
            ? 'it is a folder'
            : (err.code ?? err.message);
  const fix =
    verb === 'write'
      ? 'Choose a folder you can write to, with enough free space.'
      : 'Choose an image archive you can read (a .tar or .tar.gz made by docker save).';
  return new EngineError('unknown', `Could not ${verb} ${file}: ${why}.`, fix, { cause: err });
}

/** Reads a newline-delimited JSON answer to its end; premature close and abort reject. */
async function readJsonStream(
  stream: NodeJS.ReadableStream,
  onMessage: (m: Record<string, unknown>) => void,
  signal?: AbortSignal,
): Promise<void> {
  const readable = stream as Readable;
  if (signal) addAbortSignal(signal, readable);
  const lines = new LineSplitter((line) => {
    const m = parseStreamLine(line);
    if (m) onMessage(m);
  });
  for await (const chunk of readable) lines.push(chunk as Buffer);
  lines.end();
}

const IMAGE_ID = /^(sha256:)?[0-9a-f]{12,64}$/;

// ---------------------------------------------------------------------------------------------- save

export interface SaveOptions extends TransferOptions {
  /** Compress with gzip in-process. Default: the destination ends with .gz or .tgz. */
  gzip?: boolean;
  /** Bytes written to the file so far (compressed bytes when gzip). */
  onProgress?: (bytesWritten: number) => void;
}

/**
 * Saves one or more images/tags into ONE archive at `dest` (GET /images/get?names=…), like
 * `docker save [-o dest] ref…`. Written to a temporary file beside `dest` and renamed at the end, so a
 * cancel or failure leaves no file at all; an existing `dest` is replaced (the caller asks first).
 */
export async function saveImages(
  docker: Dockerode,
  refs: string[],
  dest: string,
  opts: SaveOptions = {},
): Promise<{ bytes: number }> {
  const operation = 'Save images';
  const { signal } = opts;
  if (refs.length === 0)
    throw new EngineError('unknown', 'Nothing to save: no image was given.', 'Select at least one image.');
  for (const ref of refs) {
    const problem = IMAGE_ID.test(ref) ? undefined : validateImageRef(ref);
    if (problem) throw invalidName(problem);
  }
  if (signal?.aborted) throw cancelledError(operation);
  const gzip = opts.gzip ?? /\.(gz|tgz)$/i.test(dest);
  const target = path.resolve(dest);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const ctx: EngineErrorContext = { endpoint: opts.endpoint, image: refs.join(', ') };

  let body: NodeJS.ReadableStream;
  try {
    // GET /images/get?names=a&names=b (dockerode has it; its typings do not).
    const withGetImages = docker as unknown as { getImages(o: object): Promise<NodeJS.ReadableStream> };
    body = await withGetImages.getImages({ names: refs, abortSignal: signal });
  } catch (err) {
    if (!signal?.aborted && (err as { statusCode?: unknown })?.statusCode === 404) {
      throw await missingImageError(docker, refs, err);
    }
    throw classify(err, operation, signal, ctx);
  }

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      try {
        opts.onProgress?.(bytes);
        cb(null, chunk);
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  const steps: NodeJS.ReadWriteStream[] = gzip ? [zlib.createGzip(), counter] : [counter];
  try {
    const out = fs.createWriteStream(tmp, { flags: 'wx' });
    await (signal ? pipeline([body, ...steps, out], { signal }) : pipeline([body, ...steps, out]));
    if (signal?.aborted) throw cancelledError(operation);
    await fsp.rename(tmp, target);
  } catch (err) {
    (body as Readable).destroy?.();
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw cancelledError(operation, err);
    if (isFileError(err)) throw fileError('write', dest, err);
    throw classify(err, operation, signal, ctx);
  }
  return { bytes };
}

/** Names the images of a failed save that the engine does not have. */
async function missingImageError(docker: Dockerode, refs: string[], cause: unknown): Promise<EngineError> {
  const missing: string[] = [];
  for (const ref of refs) {
    try {
      await docker.getImage(ref).inspect();
    } catch {
      missing.push(ref);
    }
  }
  const list = missing.length > 0 ? missing : refs;
  return new EngineError(
    'imageMissing',
    `Could not save: ${list.length === 1 ? `image ${list[0]} is` : `images ${list.join(', ')} are`} not available locally.`,
    'Refresh the Images view and pick images that exist, or Pull / Load them first.',
    { cause, image: list[0], statusCode: 404 },
  );
}

// ---------------------------------------------------------------------------------------------- load

export type ArchiveKind = 'tar' | 'gzip' | 'xz' | 'bzip2';

/**
 * What a file's first bytes say it is: a tar (ustar magic at 257), gzip (1f 8b, checked to hold a tar),
 * xz or bzip2 (passed to the engine, which decompresses them). Undefined: not a tar archive.
 */
export function sniffArchive(head: Buffer): ArchiveKind | undefined {
  const isTar = (b: Buffer): boolean => b.length >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    let inner: Buffer;
    try {
      inner = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return undefined;
    }
    return isTar(inner) ? 'gzip' : undefined;
  }
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  return isTar(head) ? 'tar' : undefined;
}

export interface LoadOptions extends TransferOptions {
  onProgress?: (bytesRead: number, total: number) => void;
}

const NOT_ARCHIVE_FIX = 'Choose a .tar or .tar.gz file written by docker save (or by Save Image to File).';

function notArchive(file: string, engineMessage?: string): EngineError {
  const said = engineMessage ? ` (the engine says: ${engineMessage.replace(/\s+/g, ' ').slice(0, 160)})` : '';
  return new EngineError('unknown', `${file} is not an image archive made by docker save${said}.`, NOT_ARCHIVE_FIX, {
    engineMessage,
  });
}

/**
 * Loads images from a `docker save` archive (.tar, or compressed: detected by its bytes, not its name),
 * like `docker load -i file`. Returns what the engine reports loaded: "repo:tag", or "sha256:…" for
 * untagged images.
 */
export async function loadImages(
  docker: Dockerode,
  file: string,
  opts: LoadOptions = {},
): Promise<{ loaded: string[] }> {
  const operation = 'Load images';
  const { signal } = opts;
  if (signal?.aborted) throw cancelledError(operation);
  let total: number;
  let head: Buffer;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw notArchive(file);
    total = st.size;
    const fh = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(total, 64 * 1024));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isEngineError(err)) throw err;
    throw isFileError(err) ? fileError('read', file, err) : classify(err, operation, signal, {});
  }
  if (!sniffArchive(head)) throw notArchive(file);
  if (signal?.aborted) throw cancelledError(operation);

  const input = fs.createReadStream(file);
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytesRead += chunk.length;
      try {
        opts.onProgress?.(bytesRead, total);
        cb(null, chunk);
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  input.on('error', (err) => counter.destroy(err));
  input.pipe(counter);
  const loaded: string[] = [];
  let streamError: string | undefined;
  const ctx: EngineErrorContext = { endpoint: opts.endpoint };
  try {
    const res = (await docker.loadImage(
      counter as unknown as string,
      {
        quiet: true,
        abortSignal: signal,
      } as object,
    )) as NodeJS.ReadableStream;
    await readJsonStream(
      res,
      (m) => {
        streamError ??= streamErrorOf(m);
        loaded.push(...loadedFromMessage(m));
      },
      signal,
    );
  } catch (err) {
    input.destroy();
    counter.destroy();
    if (signal?.aborted) throw cancelledError(operation, err);
    if (isFileError(err)) throw fileError('read', file, err);
    throw classify(err, operation, signal, ctx);
  }
  if (streamError !== undefined) {
    if (
      /manifest\.json|repositories|Error processing tar file|unexpected EOF|invalid tar header|archive\/tar|unexpected EOF|gzip: invalid header/i.test(
        streamError,
      )
    ) {
      throw notArchive(file, streamError);
    }
    throw new EngineError(
      'unknown',
      `Could not load ${file}: ${streamError.replace(/\s+/g, ' ').slice(0, 240)}`,
      FIX.unknown,
      {
        engineMessage: streamError,
      },
    );
  }
  return { loaded };
}

// -------------------------------------------------------------------------------------- commit / tag

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
  docker: Dockerode,
  containerId: string,
  opts: CommitOptions,
): Promise<{ id: string }> {
  const operation = 'Commit container';
  const target = opts.tag !== undefined ? `${opts.repo}:${opts.tag}` : opts.repo;
  const problem = validateTagTarget(target);
  if (problem) throw invalidName(problem);
  if (opts.signal?.aborted) throw cancelledError(operation);
  const query: Record<string, unknown> = { repo: opts.repo, tag: opts.tag ?? 'latest', pause: opts.pause ?? true };
  if (opts.message) query.comment = opts.message;
  if (opts.author) query.author = opts.author;
  try {
    const res = (await docker.getContainer(containerId).commit({ ...query, abortSignal: opts.signal } as object)) as
      { Id?: unknown; ID?: unknown } | undefined;
    const id = typeof res?.Id === 'string' ? res.Id : typeof res?.ID === 'string' ? res.ID : '';
    if (!id) throw new EngineError('unknown', 'The engine did not return the new image id.', FIX.unknown);
    return { id };
  } catch (err) {
    throw classify(err, operation, opts.signal, { endpoint: opts.endpoint, containerName: containerId });
  }
}

/** `docker tag source target`; `target` is repo[:tag] (":latest" when no tag). */
export async function tagImage(
  docker: Dockerode,
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
    const tagOpts = { repo, tag: tag ?? 'latest', abortSignal: opts.signal } as { repo: string; tag: string };
    await docker.getImage(source).tag(tagOpts);
  } catch (err) {
    throw classify(err, operation, opts.signal, { endpoint: opts.endpoint, image: source });
  }
}

// ---------------------------------------------------------------------------------------------- push

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
export async function pushImage(docker: Dockerode, ref: string, opts: PushOptions = {}): Promise<{ digest?: string }> {
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
    await docker.getImage(full).inspect();
    if (signal?.aborted) throw cancelledError(operation);
  } catch (err) {
    const e = classify(err, operation, signal, { endpoint: opts.endpoint, image: full });
    if (e.kind === 'imageMissing' || e.kind === 'notFound') {
      throw pushError(full, registry, e.engineMessage ?? e.message, opts.authNote, err);
    }
    throw e;
  }
  try {
    // The engine requires an X-Registry-Auth header even when empty ("{}").
    const image = docker.getImage(repo) as unknown as { push(o: object): Promise<NodeJS.ReadableStream> };
    const res = await image.push({ tag, abortSignal: signal, authconfig: opts.auth ?? {} });
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
