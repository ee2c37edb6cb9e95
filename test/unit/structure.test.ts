import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// Compiled to out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

const MAX_LINES = 350;

/**
 * Files allowed over MAX_LINES for now. Keep this list short and explicit: a file leaves it when it is split
 * (the test fails while a listed file is back under the limit, so the list only shrinks).
 */
const LONG_FILES_ALLOWED = new Set<string>([]);

/** Lines as `wc -l` counts them. */
function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Re-exports in a file: `export … from '…'` (named, type-only or `*`), and `export { x }` of a name the file
 * imports. Each is one statement, whitespace collapsed.
 */
function reExports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [
    ...code.matchAll(/^export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*['"][^'"]+['"];?/gm),
  ].map((m) => m[0]);
  const imported = new Set<string>();
  for (const m of code.matchAll(/^import\s+(?:type\s+)?([\s\S]*?)\s+from\s+['"][^'"]+['"]/gm)) {
    const clause = m[1];
    const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    for (const part of named.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) imported.add(name);
    }
    const head = clause.replace(/\{[^}]*\}/, '').replace(/^type\s+/, '');
    for (const part of head.split(',')) {
      const name = part
        .trim()
        .replace(/^\*\s+as\s+/, '')
        .trim();
      if (/^\w+$/.test(name)) imported.add(name);
    }
  }
  for (const m of code.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*;?\s*$/gm)) {
    const names = m[1]
      .split(',')
      .map((p) =>
        p
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]
          .trim(),
      )
      .filter(Boolean);
    if (names.some((n) => imported.has(n))) found.push(m[0].trim());
  }
  return found.map((s) => s.replace(/\s+/g, ' '));
}

/**
 * Re-exports still allowed outside an index.ts, statement by statement (a new one in these files fails too).
 * Empty now: a file goes here only while its importers move to the defining file, then leaves again.
 */
const RE_EXPORTS_ALLOWED: Record<string, string[]> = {};

// Issue 23, "Enforced": no source file over 350 lines, and one symbol, one import path (a re-export only in
// a folder's index.ts).
void describe('the shape of src/', () => {
  void it(`has no file over ${MAX_LINES} lines (but the listed ones)`, () => {
    const long = sources('src')
      .filter((f) => !LONG_FILES_ALLOWED.has(f))
      .map((f) => ({ f, n: lineCount(read(f)) }))
      .filter(({ n }) => n > MAX_LINES)
      .map(({ f, n }) => `${f}: ${n} lines`);
    assert.deepEqual(long, [], `split these along a seam (one concept per file) to ${MAX_LINES} lines or fewer`);
  });

  void it('lists only files that are still over the limit', () => {
    const short = [...LONG_FILES_ALLOWED].filter((f) => lineCount(read(f)) <= MAX_LINES);
    assert.deepEqual(short, [], 'these are short now: remove them from LONG_FILES_ALLOWED');
  });

  void it('re-exports only in an index.ts (one symbol, one import path)', () => {
    const bad = sources('src')
      .filter((f) => path.basename(f) !== 'index.ts')
      .flatMap((f) => {
        const allowed = RE_EXPORTS_ALLOWED[f] ?? [];
        return reExports(read(f))
          .filter((s) => !allowed.includes(s))
          .map((s) => `${f}: ${s}`);
      });
    assert.deepEqual(bad, [], 'import from the defining file (or the folder index.ts) instead');
  });

  void it('lists only re-exports that are still there', () => {
    const gone = Object.entries(RE_EXPORTS_ALLOWED).flatMap(([f, list]) => {
      const present = reExports(read(f));
      return list.filter((s) => !present.includes(s)).map((s) => `${f}: ${s}`);
    });
    assert.deepEqual(gone, [], 'remove these from RE_EXPORTS_ALLOWED');
  });

  void it('finds each kind of re-export (the check itself)', () => {
    const text = [
      "import { a, type B } from './a';",
      "import * as ns from './ns';",
      "import c from './c';",
      'const own = 1;',
      "export { x, type Y } from './x';",
      "export type {\n  Z,\n} from './z';",
      "export * from './all';",
      "export * as group from './group';",
      'export { a };',
      'export { type B };',
      'export { ns, c };',
      'export { own };',
      "// export { commented } from './c';",
    ].join('\n');
    assert.deepEqual(reExports(text), [
      "export { x, type Y } from './x';",
      "export type { Z, } from './z';",
      "export * from './all';",
      "export * as group from './group';",
      'export { a };',
      'export { type B };',
      'export { ns, c };',
    ]);
    assert.equal(lineCount('a\nb\n'), 2);
    assert.equal(lineCount('a\nb'), 2);
  });
});
