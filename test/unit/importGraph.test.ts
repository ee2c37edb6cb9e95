import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';

// Compiled to out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every src file's runtime imports of other src files (esbuild drops `import type`, which never runs). */
async function importGraph(): Promise<Map<string, string[]>> {
  const r = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: sources('src'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    outdir: 'out/import-graph',
    external: ['vscode', 'cpu-features', '*.node'],
    logLevel: 'silent',
  });
  const g = new Map<string, string[]>();
  for (const [file, input] of Object.entries(r.metafile.inputs))
    if (file.startsWith('src/'))
      g.set(
        file,
        input.imports.filter((i) => !i.external && i.path.startsWith('src/')).map((i) => i.path),
      );
  return g;
}

/** Strongly connected groups of more than one file (Tarjan): each is an import cycle. */
function cycles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

// Issue 23: the splits that made cycles (fromContainer ↔ fromContainerTail, fieldTable → fieldDescSecurity →
// runArgs → fieldTable, and a circle of 6 glue files) are gone; this keeps them gone.
void describe('the import graph', () => {
  void it('has no import cycles in src/', async () => {
    assert.deepEqual(cycles(await importGraph()), []);
  });

  void it('core imports nothing outside core (glue depends on core, never the other way)', async () => {
    const g = await importGraph();
    const bad = [...g]
      .filter(([f]) => f.startsWith('src/core/'))
      .flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('src/core/')).map((d) => `${f} → ${d}`));
    assert.deepEqual(bad, []);
  });

  void it('finds a cycle when there is one (the check itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
  });
});
