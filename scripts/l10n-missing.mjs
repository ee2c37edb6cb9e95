#!/usr/bin/env node
// Prints, as a JSON array, the English strings passed to vscode.l10n.t (`t('…')` / `t("…")`)
// (glue) and src/core/l10n.ts's t (core, @vscode/l10n: same bundle) in src/**/*.ts that
// have no entry in l10n/bundle.l10n.zh-cn.json. Exit code 0 either way.
//   node scripts/l10n-missing.mjs            -> missing strings
//   node scripts/l10n-missing.mjs --all      -> every extracted string
//   node scripts/l10n-missing.mjs --stale    -> bundle keys no longer used in the sources
//   node scripts/l10n-missing.mjs --bundle l10n/bundle.l10n.ja.json   -> check another bundle
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Strings translated through a variable (t(chosen[1])) that the regex cannot see. */
export const INDIRECT = [
  '1 minute ago',
  '{0} minutes ago',
  '1 hour ago',
  '{0} hours ago',
  '1 day ago',
  '{0} days ago',
  '1 week ago',
  '{0} weeks ago',
  '1 month ago',
  '{0} months ago',
  '1 year ago',
  '{0} years ago',
];

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function l10nSourceFiles(repoRoot = root) {
  return walk(path.join(repoRoot, 'src'));
}

function unescape(body) {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, e) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e[1] === '{' ? e.slice(2, -1) : e.slice(1), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    const map = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', '\n': '', '\r\n': '' };
    return e in map ? map[e] : e;
  });
}

/** First arguments of t('…') / t("…") calls in one source text. */
export function extractMessages(source) {
  const re = /(?<![\w$])t\(\s*(?:'((?:[^'\\\n]|\\[\s\S])*)'|"((?:[^"\\\n]|\\[\s\S])*)")/g;
  const out = [];
  for (const m of source.matchAll(re)) out.push(unescape(m[1] ?? m[2]));
  return out;
}

export function extractAll(repoRoot = root) {
  const set = new Set();
  for (const f of l10nSourceFiles(repoRoot)) for (const s of extractMessages(fs.readFileSync(f, 'utf8'))) set.add(s);
  for (const s of INDIRECT) set.add(s);
  return [...set].sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const bi = args.indexOf('--bundle');
  const bundlePath = path.resolve(root, bi >= 0 ? args[bi + 1] : 'l10n/bundle.l10n.zh-cn.json');
  const bundle = fs.existsSync(bundlePath) ? JSON.parse(fs.readFileSync(bundlePath, 'utf8')) : {};
  const all = extractAll();
  let result;
  if (args.includes('--all')) result = all;
  else if (args.includes('--stale')) result = Object.keys(bundle).filter((k) => !all.includes(k));
  else result = all.filter((s) => !(s in bundle) || !String(bundle[s]).trim());
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
