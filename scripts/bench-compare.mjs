// Compares bench figures with the committed baseline and prints the ratios; never fails on noise (exit 0
// unless the files cannot be read at all). Lower is better for every figure.
//   node scripts/bench-compare.mjs [results.json]    default out/bench/results.json (written by `npm run bench`)
//   node scripts/bench-compare.mjs --bundle-only     only the cheap figure: dist/meta.json of the last build
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baseline = JSON.parse(fs.readFileSync(path.join(repo, 'bench', 'baseline.json'), 'utf8')).figures;
const bundleOnly = process.argv.includes('--bundle-only');

function bundleFromMeta() {
  const meta = JSON.parse(fs.readFileSync(path.join(repo, 'dist', 'meta.json'), 'utf8'));
  const out = Object.entries(meta.outputs).find(([k]) => k.endsWith('extension.js'))?.[1];
  return out ? { 'bundle.bytes': out.bytes } : {};
}

let current;
try {
  current = bundleOnly
    ? bundleFromMeta()
    : JSON.parse(
        fs.readFileSync(path.resolve(process.argv[2] ?? path.join(repo, 'out', 'bench', 'results.json')), 'utf8'),
      ).figures;
} catch (err) {
  console.log(`[bench-compare] nothing to compare: ${err.message}`);
  process.exit(0);
}

const fmt = (k, v) =>
  k.endsWith('bytes') ? `${(v / 1024).toFixed(0)} KiB` : k.endsWith('Ms') ? `${v.toFixed(1)} ms` : String(v);
// The raw list call is the engine's floor: its ratio says how much slower this machine/run is overall.
const floor =
  current['firstRows.rawListMs'] > 0 && baseline['firstRows.rawListMs'] > 0
    ? current['firstRows.rawListMs'] / baseline['firstRows.rawListMs']
    : undefined;
const rows = [];
for (const [k, v] of Object.entries(current)) {
  const b = baseline[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) continue;
  const ratio = typeof b === 'number' && b > 0 ? v / b : undefined;
  const flag = ratio === undefined ? 'new' : ratio > 1.25 ? 'WORSE' : ratio < 0.8 ? 'better' : '';
  const norm = floor && ratio !== undefined && k.endsWith('Ms') ? ` (÷ floor ×${(ratio / floor).toFixed(2)})` : '';
  rows.push(
    `${k.padEnd(28)} ${fmt(k, v).padStart(12)}  baseline ${typeof b === 'number' ? fmt(k, b).padStart(12) : '—'.padStart(12)}  ${ratio === undefined ? '' : `×${ratio.toFixed(2)}`}${norm} ${flag}`.trimEnd(),
  );
}
console.log(
  `[bench-compare] against bench/baseline.json (ratios > 1 are slower/bigger; noise is expected, nothing fails):`,
);
if (floor)
  console.log(
    `  (this run's raw list call is ×${floor.toFixed(2)} the baseline's${floor > 1.1 ? ': a loaded or slower machine' : floor < 0.9 ? ': a quieter or faster machine' : ''})`,
  );
for (const r of rows) console.log(`  ${r}`);
