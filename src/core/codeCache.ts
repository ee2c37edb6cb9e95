/**
 * Loads a CommonJS bundle through V8's code cache (issue 17). Every window's extension host compiles the
 * whole bundle before activate() and then each function on its first call; with the cache kept next to the
 * bundle, the next window deserializes the bytecode instead (the compile of dist/extension.js is most of
 * `require` in the extension host). The cache is written once, a while after the load, so that it also
 * holds the functions activation and the first rows compiled.
 *
 * Safety: the cache lives in the bundle's own folder (whoever can write there can change the bundle
 * itself); its key is the SHA-256 of the source with Node's version and architecture, so a rebuilt bundle
 * never runs stale code (V8 checks only the source's length); V8 rejects data from another V8 or other
 * flags. Any failure — no cache, a rejected one, a read-only folder — falls back to a plain compile.
 */
import * as buffer from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** hit: used; miss: none yet; stale: another build's; corrupt: not what was written; rejected: by V8. */
export type CodeCacheState = 'hit' | 'miss' | 'stale' | 'corrupt' | 'rejected';

export interface LoadedBundle {
  exports: unknown;
  /** What the cache did on this load. */
  cache: CodeCacheState;
  /** Writes the cache now (if this load did not use one); false when it could not be written. */
  writeCache(): boolean;
}

/** The file: the key (32 bytes), the SHA-256 of the data (32), then V8's data. */
const KEY_BYTES = 32;
const HEADER_BYTES = 64;

const sha256 = (b: Buffer): Buffer => crypto.createHash('sha256').update(b).digest();

function cacheKey(source: Buffer): Buffer {
  return crypto.createHash('sha256').update(`${process.version}\u0000${process.arch}\u0000`).update(source).digest();
}

/**
 * The cache file's data when its key is this source's; else why not: `miss` (none), `stale` (another
 * build's), `corrupt` (not what was written: release builds of V8 do not checksum it, and bad data can crash).
 */
function readCache(file: string, key: Buffer): Buffer | 'miss' | 'stale' | 'corrupt' {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return 'miss';
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, KEY_BYTES).equals(key)) return 'stale';
  const data = bytes.subarray(HEADER_BYTES);
  return sha256(data).equals(bytes.subarray(KEY_BYTES, HEADER_BYTES)) ? data : 'corrupt';
}

/**
 * Requires `bundle` (a CommonJS file) with `cacheFile` as its code cache. The module gets the `require`,
 * `module`, `exports`, `__filename` and `__dirname` Node would give it, so its relative requires and the
 * host's interception of `require('vscode')` (by the requiring file's path) work as with a plain require.
 */
export function loadWithCodeCache(bundle: string, cacheFile: string, parent?: NodeJS.Module): LoadedBundle {
  const bytes = fs.readFileSync(bundle);
  const key = cacheKey(bytes);
  // The bundle is ASCII (esbuild escapes the rest; the UI test checks the shipped one): a one-byte string, decoded and
  // compiled faster than UTF-8 into a two-byte one. Anything else is decoded as UTF-8.
  const isAscii = (buffer as { isAscii?: (b: Buffer) => boolean }).isAscii;
  const source = isAscii?.(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cached = readCache(cacheFile, key);
  // The wrapper on a line of its own, and lineOffset -1: stack positions are the file's (source maps apply).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: bundle,
    lineOffset: -1,
    cachedData: typeof cached === 'string' ? undefined : cached,
  });
  const cache: CodeCacheState = typeof cached === 'string' ? cached : script.cachedDataRejected ? 'rejected' : 'hit';
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  const req = Module.createRequire(bundle);
  const fn = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: NodeJS.Module,
    filename: string,
    dirname: string,
  ) => void;
  fn.call(mod.exports, mod.exports, req, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  let written = false;
  return {
    exports: mod.exports,
    cache,
    writeCache() {
      if (cache === 'hit' || written) return false;
      written = true;
      const tmp = `${cacheFile}.${process.pid}.${Date.now()}.tmp`;
      try {
        const data = script.createCachedData();
        fs.writeFileSync(tmp, Buffer.concat([key, sha256(data), data]), { mode: 0o644 });
        fs.renameSync(tmp, cacheFile);
        return true;
      } catch {
        fs.rmSync(tmp, { force: true });
        return false;
      }
    },
  };
}
