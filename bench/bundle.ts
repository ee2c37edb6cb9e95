/**
 * The production bundle's top contributors, from the esbuild metafile that `node esbuild.mjs` writes to
 * dist/meta.json: bytes in the output per npm package (or per folder of src/).
 */
import fs from 'node:fs';
import path from 'node:path';

interface Meta {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface BundleFigures {
  bytes: number;
  top: Array<{ name: string; bytes: number }>;
}

/** `node_modules/a/…` → `a`, `node_modules/@s/b/…` → `@s/b`, `src/core/x/…` → `src/core/x`. */
function owner(input: string): string {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1];
  const parts = input.split('/');
  return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, -1).join('/') || input;
}

export function bundleFigures(repo: string, top = 12): BundleFigures | undefined {
  const file = path.join(repo, 'dist', 'meta.json');
  if (!fs.existsSync(file)) return undefined;
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Meta;
  const out = Object.entries(meta.outputs).find(([k]) => k.endsWith('extension.js'))?.[1];
  if (!out) return undefined;
  const by = new Map<string, number>();
  for (const [input, v] of Object.entries(out.inputs))
    by.set(owner(input), (by.get(owner(input)) ?? 0) + v.bytesInOutput);
  const sorted = [...by.entries()].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes }));
  return { bytes: out.bytes, top: sorted.slice(0, top) };
}
