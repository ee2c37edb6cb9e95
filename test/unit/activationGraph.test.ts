import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';

// Compiled to out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

/** Packages that must not be evaluated when the bundle is required (activation, issue 17): loaded on first use. */
const HEAVY = ['dockerode', 'docker-modem', 'ssh2', 'yaml', 'shell-quote', 'tar-fs', 'readable-stream'];

void describe('activation loads nothing heavy', () => {
  void it('the static import graph of src/extension.ts holds none of the heavy packages', async () => {
    const r = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      external: ['vscode', 'cpu-features', '*.node'],
      logLevel: 'silent',
    });
    // Only `import` statements run at require time; `require()` inside a function and `import()` stay lazy.
    const seen = new Set<string>();
    const stack = ['src/extension.ts'];
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const i of r.metafile.inputs[f]?.imports ?? [])
        if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
    }
    const packages = new Set(
      [...seen].filter((f) => f.includes('node_modules/')).map((f) => f.split('node_modules/').pop()!.split('/')[0]),
    );
    assert.deepEqual(
      HEAVY.filter((p) => packages.has(p)),
      [],
      `eager packages: ${[...packages].join(' ')}`,
    );
    // The launch profiles (parser, field table, exports: a quarter of the bundle) load on first use too.
    assert.deepEqual(
      [...seen].filter((f) => f.startsWith('src/core/profiles/') || f.startsWith('src/commands/')),
      [],
    );
  });
});
