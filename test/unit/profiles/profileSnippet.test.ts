import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseProfiles } from '../../../src/core/profiles';

const ROOT = path.resolve(__dirname, '../../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: Array<{ properties: Record<string, { defaultSnippets?: Array<{ body: unknown }> }> }> };
};

/** What the editor inserts for a snippet body: `${1:train}` → `train`, `\${workspaceFolder}` → `${workspaceFolder}`. */
const expand = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.replace(/(?<!\\)\$\{\d+:([^}]*)\}/g, '$1').replace(/\\\$/g, '$')
    : Array.isArray(v)
      ? v.map(expand)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)]))
        : v;

void describe('settings.json completion of gpuContainers.profiles (issue 28)', () => {
  void it('the setting has exactly one snippet (the JSON language service then inserts it as the value)', () => {
    const prop = pkg.contributes.configuration.find((c) => c.properties['gpuContainers.profiles'])!.properties[
      'gpuContainers.profiles'
    ];
    assert.equal(prop.defaultSnippets?.length, 1, 'with none, completing the key inserts `[]`');
    const body = expand(prop.defaultSnippets[0].body);
    assert.ok(Array.isArray(body) && body.length === 1, 'the body is a list with one profile');
    const r = parseProfiles(body, { source: 'user' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.profiles[0].name, 'train');
    assert.equal(r.profiles[0].volumes[0].text, '${workspaceFolder}:/workspace');
  });
});
