import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadWithCodeCache } from '../../../src/core/codeCache';

interface Fixture {
  value: number;
  dir: string;
  file: string;
  dep: string;
  builtin: string;
  boom(): never;
}

function fixture(value: number): { dir: string; bundle: string; cache: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-codecache-'));
  fs.writeFileSync(path.join(dir, 'dep.js'), "module.exports = 'from dep';\n");
  const bundle = path.join(dir, 'bundle.js');
  fs.writeFileSync(
    bundle,
    [
      `'use strict';`,
      `exports.value = ${value};`,
      `exports.boom = function boom() { throw new Error('boom'); };`,
      `module.exports.dir = __dirname; exports.file = __filename;`,
      `exports.dep = require('./dep.js'); exports.builtin = typeof require('node:path').join;`,
    ].join('\n'),
  );
  return { dir, bundle, cache: path.join(dir, 'bundle.js.v8cache') };
}

/**
 * A load in a fresh Node, as each extension host is: within one process V8 serves a source it compiled
 * before from memory, whatever the cached data says.
 */
function loadInChild(bundle: string, cache: string, write = false): { cache: string; value: number; wrote?: boolean } {
  const code = [
    `const { loadWithCodeCache } = require(${JSON.stringify(require.resolve('../../../src/core/codeCache'))});`,
    `const l = loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});`,
    `const wrote = ${write} ? l.writeCache() : undefined;`,
    `console.log(JSON.stringify({ cache: l.cache, value: l.exports.value, wrote }));`,
  ].join('\n');
  return JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })) as {
    cache: string;
    value: number;
    wrote?: boolean;
  };
}

/** A fixture whose cache a fresh Node wrote, then had its bytes changed by `mutate`. */
function cachedFixture(value: number, mutate: (bytes: Buffer) => void): ReturnType<typeof fixture> {
  const f = fixture(value);
  loadInChild(f.bundle, f.cache, true);
  const bytes = fs.readFileSync(f.cache);
  mutate(bytes);
  fs.writeFileSync(f.cache, bytes);
  return f;
}

void describe('loadWithCodeCache: the bundle through V8 code cache, never stale code', () => {
  void it('loads like require (exports, __dirname, relative and builtin requires), then hits its cache', () => {
    const f = fixture(42);
    const first = loadWithCodeCache(f.bundle, f.cache);
    const x = first.exports as Fixture;
    assert.equal(first.cache, 'miss');
    assert.deepEqual([x.value, x.dir, x.file, x.dep, x.builtin], [42, f.dir, f.bundle, 'from dep', 'function']);
    assert.equal(fs.existsSync(f.cache), false, 'nothing written until asked');
    assert.equal(first.writeCache(), true);
    assert.equal(first.writeCache(), false, 'written once');
    assert.ok(fs.statSync(f.cache).size > 32);
    assert.deepEqual(
      fs.readdirSync(f.dir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    assert.deepEqual(loadInChild(f.bundle, f.cache, true), { cache: 'hit', value: 42, wrote: false });
  });

  void it('a rebuilt bundle of the same length runs its own code: the cache is stale, not used', () => {
    const f = fixture(42);
    assert.equal(loadInChild(f.bundle, f.cache, true).wrote, true);
    fs.writeFileSync(f.bundle, fs.readFileSync(f.bundle, 'utf8').replace('= 42;', '= 43;'));
    assert.deepEqual(loadInChild(f.bundle, f.cache, true), { cache: 'stale', value: 43, wrote: true });
    assert.deepEqual(loadInChild(f.bundle, f.cache), { cache: 'hit', value: 43 });
  });

  void it('data that is not what was written is not handed to V8 (release V8 does not checksum it)', () => {
    const f = cachedFixture(7, (bytes) => bytes.fill(0xab, 100, 180));
    assert.deepEqual(loadInChild(f.bundle, f.cache, true), { cache: 'corrupt', value: 7, wrote: true });
    assert.deepEqual(loadInChild(f.bundle, f.cache), { cache: 'hit', value: 7 });
  });

  void it('data V8 will not take (another V8, other flags) is rejected and the bundle compiles as usual', () => {
    const f = cachedFixture(8, (bytes) => {
      const data = bytes.subarray(64);
      data.fill(0xab, 0, 16); // V8's own header (magic number, version and flags hashes)
      crypto.createHash('sha256').update(data).digest().copy(bytes, 32); // our checksum still matches
    });
    assert.deepEqual(loadInChild(f.bundle, f.cache), { cache: 'rejected', value: 8 });
  });

  void it("stack positions are the file's own (the log maps them with the bundle's source map)", () => {
    const f = fixture(1);
    const x = loadWithCodeCache(f.bundle, f.cache).exports as Fixture;
    assert.throws(
      () => x.boom(),
      (err: Error) => (err.stack ?? '').includes(`${f.bundle}:3:`),
    );
  });

  void it('a folder it cannot write to leaves it uncached, without an error', () => {
    const f = fixture(5);
    const loaded = loadWithCodeCache(f.bundle, path.join(f.dir, 'missing', 'bundle.js.v8cache'));
    assert.equal(loaded.writeCache(), false);
    assert.equal((loaded.exports as Fixture).value, 5);
  });
});
