import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

function readJson(rel: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, unknown>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every source: glue's `t` is vscode.l10n.t, core's is src/core/l10n.ts (@vscode/l10n, same bundle). */
function l10nSources(): string[] {
  return walk(path.join(ROOT, 'src'));
}

function unescapeJs(body: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    b: '\b',
    f: '\f',
    v: '\v',
    '0': '\0',
    '\n': '',
    '\r\n': '',
  };
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, e: string) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e[1] === '{' ? e.slice(2, -1) : e.slice(1), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return simple[e] ?? e;
  });
}

/** First arguments of t('…') / t("…") calls (same extraction as scripts/l10n-missing.mjs). */
function extractMessages(source: string): string[] {
  const re = /(?<![\w$])t\(\s*(?:'((?:[^'\\\n]|\\[\s\S])*)'|"((?:[^"\\\n]|\\[\s\S])*)")/g;
  return [...source.matchAll(re)].map((m) => unescapeJs(m[1] ?? m[2]));
}

const placeholders = (s: string): string[] => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

void describe('l10n', () => {
  const nls = readJson('package.nls.json');
  const nlsZh = readJson('package.nls.zh-cn.json');
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');

  void it('extraction handles both quote styles, escapes and line breaks', () => {
    assert.deepEqual(
      extractMessages(`t('a \\'b\\' {0}', x); t("c \\"d\\"");\nt(\n  'e'); fmt('no'); vscode.l10n.t('f')`),
      ["a 'b' {0}", 'c "d"', 'e', 'f'],
    );
  });

  void it('package.nls.zh-cn.json has exactly the keys of package.nls.json, all non-empty', () => {
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
    for (const [k, v] of Object.entries(nlsZh)) {
      assert.equal(typeof v, 'string', k);
      assert.ok((v as string).trim().length > 0, `empty translation for ${k}`);
    }
  });

  void it('package.nls.zh-cn.json keeps command links and code spans', () => {
    const tokens = (s: string): string[] => (s.match(/\(command:[^)]*\)|\$\{[^}]*\}/g) ?? []).sort();
    for (const k of Object.keys(nls)) assert.deepEqual(tokens(String(nlsZh[k])), tokens(String(nls[k])), k);
  });

  void it('every t() message in the sources has a zh-cn bundle entry', () => {
    const missing = new Set<string>();
    let count = 0;
    for (const f of l10nSources()) {
      for (const msg of extractMessages(fs.readFileSync(f, 'utf8'))) {
        count++;
        const v = bundle[msg];
        if (typeof v !== 'string' || v.trim() === '') missing.add(msg);
      }
    }
    assert.ok(count > 0, 'no t() calls found: extraction is broken');
    assert.deepEqual([...missing], [], 'run `node scripts/l10n-missing.mjs` to list them');
  });

  void it('every zh-cn bundle key is still used (scripts/l10n-missing.mjs --stale, which knows the indirect ones)', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'l10n-missing.mjs'), '--stale'], {
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), [], 'remove these keys from l10n/bundle.l10n.zh-cn.json');
  });

  void it('every {N} placeholder of an English bundle key appears in its translation', () => {
    for (const [en, zh] of Object.entries(bundle)) {
      assert.equal(typeof zh, 'string', en);
      assert.ok((zh as string).trim().length > 0, `empty translation for ${en}`);
      assert.deepEqual(placeholders(zh as string), placeholders(en), `placeholders differ for ${JSON.stringify(en)}`);
    }
  });

  void it('every %key% used in package.json exists in package.nls.json', () => {
    const pkg = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const used = [...new Set([...pkg.matchAll(/"%([^%"\s]+)%"/g)].map((m) => m[1]))];
    assert.ok(used.length > 0);
    const missing = used.filter((k) => !(k in nls));
    assert.deepEqual(missing, []);
  });
});
