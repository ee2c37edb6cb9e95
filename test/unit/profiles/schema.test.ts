import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROFILE_KEYS } from '../../../src/core/profiles';
import { applySettingsSchema } from '../../../src/core/profiles/packageJson';
import { nlsStrings, profileSchema, settingsSchema } from '../../../src/core/profiles/schema';

const root = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'src/core/profiles/nls.json'), 'utf8'));

function placeholders(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    const m = /^%([^%]+)%$/.exec(v);
    if (m) out.push(m[1]);
  } else if (v && typeof v === 'object') for (const x of Object.values(v)) placeholders(x, out);
  return out;
}

void describe('settings schema', () => {
  void it('package.json holds exactly our schema (run node out/src/core/profiles/packageJson.js to update)', () => {
    const props = (
      Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration[0] : pkg.contributes.configuration
    ).properties;
    for (const k of Object.keys(settingsSchema)) assert.deepEqual(props[k], settingsSchema[k], k);
    assert.deepEqual(applySettingsSchema(pkg), pkg);
  });
  void it('nls.json has every placeholder, and nothing else', () => {
    const keys = placeholders(settingsSchema);
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
  void it('keeps other settings and creates the section when missing', () => {
    const out = applySettingsSchema({ name: 'x', contributes: { commands: [1] } }) as {
      contributes: { configuration: { title: string; properties: object }; commands: unknown };
    };
    assert.equal(out.contributes.configuration.title, '%configuration.title%');
    assert.deepEqual(Object.keys(out.contributes.configuration.properties), Object.keys(settingsSchema));
    assert.deepEqual(out.contributes.commands, [1]);
    const kept = applySettingsSchema({
      contributes: { configuration: { title: 't', properties: { 'gpuContainers.host': { type: 'string' } } } },
    }) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    assert.ok(kept.contributes.configuration.properties['gpuContainers.host']);
  });
  void it('the shm size pattern agrees with the parser on common inputs', async () => {
    const { parseRamSize } = await import('../../../src/core/profiles');
    const re = new RegExp((profileSchema.properties.shmSize as { pattern: string }).pattern);
    for (const s of ['16g', '16G', '16gb', '16GiB', '1.5g', '512m', '100', '16 g', '16x', 'g', '16gg', '16gbb']) {
      assert.equal(re.test(s), parseRamSize(s).error === undefined, s);
    }
  });
});
