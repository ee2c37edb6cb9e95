import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ContextKeys } from '../../../src/constants';

// Compiled to out/test/unit/core/, so the repository root is four levels up.
const ROOT = path.resolve(__dirname, '../../../..');
const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const pkg = JSON.parse(read('package.json'));

void describe('Restricted Mode is said in the Containers view', () => {
  const entry = (pkg.contributes.viewsWelcome as Array<{ view: string; contents: string; when: string }>).find(
    (w) => w.view === 'gpuContainers.containers' && w.when === ContextKeys.profilesRefused,
  );
  void it('has a welcome line keyed on the refused-profiles context key', () => assert.ok(entry));
  for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
    void it(`${file}: a constant with a Manage Workspace Trust link and nothing from the workspace`, () => {
      const key = entry!.contents.replace(/^%|%$/g, '');
      const text = JSON.parse(read(file))[key] as string;
      assert.ok(text, `${key} in ${file}`);
      assert.match(text, /\]\(command:workbench\.trust\.manage\)/);
      assert.doesNotMatch(text, /\{\d\}|\$\{/, 'no placeholder for workspace text');
      assert.equal([...text.matchAll(/command:/g)].length, 1, 'one command link only');
    });
  }
});

void describe('plurals go through l10n with a singular form', () => {
  // [file, plural message, singular message that must sit beside it]
  const table: Array<[string, string, string]> = [
    ['src/commands/launchPick.ts', "t('{0} volumes'", "t('1 volume')"],
    ['src/commands/launchPick.ts', "t('{0} GPUs'", "t('1 GPU')"],
    [
      'src/commands/containerCommands.ts',
      "t('Remove {0} stopped containers of yours?'",
      "t('Remove 1 stopped container of yours?')",
    ],
    ['src/core/tree/arrange.ts', "t('{0} containers'", "t('1 container')"],
    ['src/core/tree/status.ts', "t('{0} minutes'", "t('1 minute')"],
    [
      'src/statusBar.ts',
      "t('GPU Containers: {0} containers running on {1}'",
      "t('GPU Containers: 1 container running on {0}'",
    ],
  ];
  for (const [file, plural, singular] of table) {
    void it(`${file}: ${singular}`, () => {
      const src = read(file);
      assert.ok(src.includes(plural), `${plural} in ${file}`);
      assert.ok(src.includes(singular), `${singular} in ${file}`);
    });
  }
});

void describe('no "(s)" plural in any message', () => {
  // "1 container(s)" reads wrong in English and cannot be translated well: pick the form by count instead.
  const files = fs
    .readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'));
  void it('every t(…) string in src/ has a singular and a plural form, never "(s)"', () => {
    const found = files.flatMap((f) =>
      [...read(path.join('src', f)).matchAll(/\bt\(\s*(['"`])((?:(?!\1)[^\\]|\\.)*?)\1/g)]
        .map((m) => m[2])
        .filter((msg) => /\w\((s|es)\)/.test(msg))
        .map((msg) => `${f}: ${msg}`),
    );
    assert.deepEqual(found, []);
  });
});
