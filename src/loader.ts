/**
 * The extension's entry (package.json "main", dist/loader.js): requires the bundle, dist/extension.js,
 * through V8's code cache (src/core/codeCache.ts) and hands its activate/deactivate to VS Code. The cache
 * is written once per build, CACHE_WRITE_DELAY_MS after the load, when activation and the first rows have
 * compiled what they use. Only node builtins here: this file is what the host compiles cold every time.
 */
import path from 'node:path';
import { loadWithCodeCache, type CodeCacheState } from './core/codeCache';
import { markOnce } from './core/perfMarks';

const CACHE_WRITE_DELAY_MS = 10_000;

const loaded = loadWithCodeCache(
  path.join(__dirname, 'extension.js'),
  path.join(__dirname, 'extension.js.v8cache'),
  module,
);
markOnce(`codeCache:${loaded.cache satisfies CodeCacheState}`);
if (loaded.cache !== 'hit') setTimeout(() => loaded.writeCache(), CACHE_WRITE_DELAY_MS).unref();

module.exports = loaded.exports;
