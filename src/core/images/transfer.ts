/**
 * Moving images between the engine and files: save to / load from a `docker save` archive (commit, tag
 * and push are in `transferPush.ts`). Every function takes the engine (the capabilities of the `Engine`
 * contract it needs) and an optional AbortSignal, and rejects only with an `EngineError` (kind
 * 'cancelled' when the signal fired).
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { ImagesApi, ImageTransferApi } from '../docker/engineContract';
import { EngineError, isEngineError, type EngineErrorContext } from '../docker/engineError';
import { FIX } from '../docker/errorFixes';
import { cancelledError, toEngineError } from '../docker/errors';
import { LineSplitter } from '../docker/streams';
import { t } from '../l10n';
import { loadedFromMessage, parseStreamLine, streamErrorOf } from './progress';
import { validateImageRef } from './refs';
import { cleanStaleParts, noSpaceError, partFileFor } from './transferFiles';

export interface TransferOptions {
  signal?: AbortSignal;
  /** DOCKER_HOST-style address of the engine, used in error messages. */
  endpoint?: string;
}

export function invalidName(problem: string): EngineError {
  return new EngineError('unknown', problem, t('Correct the image name and try again.'));
}

/** Rejects with what the user can act on: 'cancelled' when our signal fired, else the classified error. */
export function classify(
  err: unknown,
  operation: string,
  signal: AbortSignal | undefined,
  ctx: EngineErrorContext,
): EngineError {
  if (isEngineError(err)) return signal?.aborted && err.kind !== 'cancelled' ? cancelledError(operation, err) : err;
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
        ? t('the folder does not exist')
        : t('the file does not exist')
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? t('permission denied')
        : err.code === 'EISDIR'
          ? t('it is a folder')
          : (err.code ?? err.message);
  const fix =
    verb === 'write'
      ? t('Choose a folder you can write to, with enough free space.')
      : t('Choose an image archive you can read (a .tar or .tar.gz made by docker save).');
  const message =
    verb === 'write' ? t('Could not write {0}: {1}.', file, why) : t('Could not read {0}: {1}.', file, why);
  return new EngineError('unknown', message, fix, { cause: err });
}

/** Reads a newline-delimited JSON answer to its end; premature close and abort reject. */
export async function readJsonStream(
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
 * `docker save [-o dest] ref…`. Written to a temporary `.part` file beside `dest` and renamed at the end,
 * so a cancel or failure leaves no file at all; `.part` files that a killed save left behind in that folder
 * are removed first. An existing `dest` is replaced (the caller asks first).
 */
export async function saveImages(
  engine: ImageTransferApi & Pick<ImagesApi, 'inspectImage'>,
  refs: string[],
  dest: string,
  opts: SaveOptions = {},
): Promise<{ bytes: number }> {
  const operation = 'Save images';
  const { signal } = opts;
  if (refs.length === 0)
    throw new EngineError('unknown', t('Nothing to save: no image was given.'), t('Select at least one image.'));
  for (const ref of refs) {
    const problem = IMAGE_ID.test(ref) ? undefined : validateImageRef(ref);
    if (problem) throw invalidName(problem);
  }
  if (signal?.aborted) throw cancelledError(operation);
  const gzip = opts.gzip ?? /\.(gz|tgz)$/i.test(dest);
  const target = path.resolve(dest);
  await cleanStaleParts(path.dirname(target));
  const tmp = partFileFor(target);
  const ctx: EngineErrorContext = { endpoint: opts.endpoint, image: refs.join(', ') };

  let body: NodeJS.ReadableStream;
  try {
    body = await engine.exportImages(refs, { signal });
  } catch (err) {
    if (!signal?.aborted && isEngineError(err) && err.statusCode === 404) {
      throw await missingImageError(engine, refs, err);
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
    // A full disk fails the write with ENOSPC and, unlike open errors, no `path`.
    if ((err as NodeJS.ErrnoException)?.code === 'ENOSPC') throw await noSpaceError(engine, refs, target, err);
    if (isFileError(err)) throw fileError('write', dest, err);
    throw classify(err, operation, signal, ctx);
  }
  return { bytes };
}

/** Names the images of a failed save that the engine does not have. */
async function missingImageError(
  engine: Pick<ImagesApi, 'inspectImage'>,
  refs: string[],
  cause: unknown,
): Promise<EngineError> {
  const missing: string[] = [];
  for (const ref of refs) {
    try {
      await engine.inspectImage(ref);
    } catch {
      missing.push(ref);
    }
  }
  const list = missing.length > 0 ? missing : refs;
  return new EngineError(
    'imageMissing',
    list.length === 1
      ? t('Could not save: image {0} is not available locally.', list[0])
      : t('Could not save: images {0} are not available locally.', list.join(', ')),
    t('Refresh the Images view and pick images that exist, or Pull / Load them first.'),
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

function notArchive(file: string, engineMessage?: string): EngineError {
  const fix = t('Choose a .tar or .tar.gz file written by docker save (or by Save Image to File).');
  const message = engineMessage
    ? t('{0} is not an image archive made by docker save (the engine says: {1}).', file, oneLine(engineMessage, 160))
    : t('{0} is not an image archive made by docker save.', file);
  return new EngineError('corruptArchive', message, fix, { engineMessage });
}

function oneLine(s: string, max: number): string {
  return s.replace(/\s+/g, ' ').slice(0, max);
}

const CORRUPT =
  /manifest\.json|repositories|Error processing tar file|unexpected EOF|invalid tar header|archive\/tar|gzip: invalid header/i;

/**
 * Loads images from a `docker save` archive (.tar, or compressed: detected by its bytes, not its name),
 * like `docker load -i file`. Returns what the engine reports loaded: "repo:tag", or "sha256:…" for
 * untagged images.
 */
export async function loadImages(
  engine: ImageTransferApi,
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
  try {
    const res = await engine.importImages(counter, { signal });
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
    const e = classify(err, operation, signal, { endpoint: opts.endpoint });
    if (e.kind === 'unknown' && e.engineMessage && CORRUPT.test(e.engineMessage))
      throw notArchive(file, e.engineMessage);
    throw e;
  }
  if (streamError !== undefined) {
    if (CORRUPT.test(streamError)) throw notArchive(file, streamError);
    throw new EngineError('unknown', t('Could not load {0}: {1}', file, oneLine(streamError, 240)), FIX.unknown, {
      engineMessage: streamError,
    });
  }
  return { loaded };
}
