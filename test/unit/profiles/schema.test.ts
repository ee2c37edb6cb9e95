import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROFILE_KEYS } from '../../../src/core/profiles';
import { applyNlsStrings, applySettingsSchema } from '../../../src/core/profiles/packageJson';
import { nlsCollisions, nlsStrings } from '../../../src/core/profiles/schemaNls';
import { profileSchema } from '../../../src/core/profiles/schemaProfile';
import { configurationSchema, settingsSchema } from '../../../src/core/profiles/settingsSchema';

const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'src/core/profiles/nls.json'), 'utf8'));
const packageNlsText = fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8');
const packageNls = JSON.parse(packageNlsText) as Record<string, string>;

/** Every object in a JSON value, with the path to it. */
function objects(v: unknown, at = '', out: Array<[string, Record<string, unknown>]> = []) {
  if (v && typeof v === 'object') {
    if (!Array.isArray(v)) out.push([at, v as Record<string, unknown>]);
    for (const [k, x] of Object.entries(v)) objects(x, `${at}/${k}`, out);
  }
  return out;
}

function placeholders(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const m = /^%([^%]+)%$/.exec(v);
    if (m) out.push(m[1]);
  } else if (v && typeof v === 'object') for (const x of Object.values(v)) placeholders(x, out);
  return out;
}

void describe('settings schema', () => {
  void it('package.json holds exactly the generated configuration (run npm run schema to update)', () => {
    assert.deepEqual(pkg.contributes.configuration, configurationSchema);
    assert.deepEqual(applySettingsSchema(pkg), pkg);
    assert.deepEqual(applyNlsStrings(packageNls), packageNls, 'package.nls.json has every generated string');
  });
  void it('nls.json has every placeholder, and nothing else', () => {
    const keys = placeholders(configurationSchema);
    assert.deepEqual(Object.keys(nls).sort(), [...new Set(keys)].sort());
    assert.deepEqual(nls, nlsStrings);
  });
  void it('every description is a placeholder', () => {
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'description' || k === 'markdownDescription') && typeof x === 'string') assert.match(x, /^%.+%$/, x);
        walk(x);
      }
    };
    walk(settingsSchema);
  });
  void it('covers the same fields the parser reads', () => {
    assert.deepEqual(Object.keys(profileSchema.properties).sort(), [...PROFILE_KEYS].sort());
  });
  void it('keeps other contributions', () => {
    const out = applySettingsSchema({ name: 'x', contributes: { commands: [1] } }) as {
      contributes: { configuration: unknown; commands: unknown };
    };
    assert.deepEqual(out.contributes.configuration, configurationSchema);
    assert.deepEqual(out.contributes.commands, [1]);
  });
  void it('every pattern has a localized patternErrorMessage (the squiggle shows words, not a regex)', () => {
    const withPattern = objects(pkg.contributes.configuration).filter(([, o]) => typeof o.pattern === 'string');
    assert.ok(withPattern.length >= 10, String(withPattern.length));
    for (const [at, o] of withPattern) {
      assert.match(String(o.patternErrorMessage), /^%.+%$/, at);
      const key = String(o.patternErrorMessage).slice(1, -1);
      assert.ok(packageNls[key], `${at}: ${key} missing in package.nls.json`);
    }
  });
  void it('no two schema texts share a key, and package.nls.json has no duplicate keys', () => {
    assert.deepEqual(nlsCollisions, []);
    // JSON.parse keeps the last of duplicate keys silently: count them in the raw text.
    const keys = [...packageNlsText.matchAll(/^\s*"((?:[^"\\]|\\.)*)"\s*:/gm)].map((m) => m[1]);
    const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
    assert.deepEqual(dup, []);
    // The profile field "description" and the setting's description were one key before.
    assert.notEqual(
      (profileSchema.properties.description as { description: string }).description,
      (settingsSchema['gpuContainers.profiles'] as { description: string }).description,
    );
  });
  void it('the Settings UI reads "GPU Containers": titled sections with ids that trim the key prefix, every setting ordered', () => {
    const sections = pkg.contributes.configuration as Array<{ id: string; title: string; properties: object }>;
    assert.deepEqual(
      sections.map((x) => [x.id, packageNls[x.title.slice(1, -1)]]),
      [
        ['gpuContainers', 'GPU Containers'],
        ['gpuContainers.launch', 'Launch Profiles'],
        ['gpuContainers.gpus', 'GPUs'],
      ],
    );
    for (const sec of sections)
      for (const [k, v] of Object.entries(sec.properties) as Array<[string, { order?: number }]>) {
        assert.equal(typeof v.order, 'number', k);
        // VS Code trims a category that starts with the section id: "gpuContainers.gpus.nvidiaSmiPath" reads "Nvidia Smi Path".
        assert.ok(k.startsWith(sec.id.replace(/\.launch$/, '')), k);
      }
    const props = Object.assign({}, ...sections.map((x) => x.properties)) as Record<string, { scope?: string }>;
    for (const k of ['gpuContainers.host', 'gpuContainers.dockerPath', 'gpuContainers.gpus.nvidiaSmiPath'])
      assert.equal(props[k].scope, 'machine-overridable', k);
  });
  void it('gpus accepts the free form', () => {
    const gpus = profileSchema.properties.gpus as { anyOf: Array<{ type: string; properties?: object }> };
    const obj = gpus.anyOf.find((x) => x.type === 'object');
    assert.deepEqual(Object.keys(obj?.properties ?? {}), ['free', 'minFreeMemory', 'mig', 'model', 'hold']);
  });
  void it('the shm size pattern agrees with the parser on common inputs', async () => {
    const { parseRamSize } = await import('../../../src/core/profiles');
    const re = new RegExp((profileSchema.properties.shmSize as { pattern: string }).pattern);
    for (const s of ['16g', '16G', '16gb', '16GiB', '1.5g', '512m', '100', '16 g', '16x', 'g', '16gg', '16gbb']) {
      assert.equal(re.test(s), parseRamSize(s).error === undefined, s);
    }
  });
});
