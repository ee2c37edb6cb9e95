import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileNamesIn, upsertProfile } from '../../../src/core/profiles';

// Issue 24 item 1: a profile save must never drop what the settings file already holds.
describe('upsertProfile', () => {
  const three = [
    { name: 'a', image: 'x' },
    { name: 'b', image: 'y' },
    { bogus: true, name: 7 },
  ];

  it('appends to the list it was given and keeps every entry, even ones it cannot parse', () => {
    const w = upsertProfile(three, { name: 'new', image: 'z' });
    assert.deepEqual(w, { ok: true, replaced: false, list: [...three, { name: 'new', image: 'z' }] });
  });

  it('replaces an entry of the same name in place', () => {
    const w = upsertProfile(three, { name: 'b', image: 'w' });
    assert.deepEqual(w, { ok: true, replaced: true, list: [three[0], { name: 'b', image: 'w' }, three[2]] });
  });

  it('does not change the list it was given', () => {
    const before = structuredClone(three);
    upsertProfile(three, { name: 'a', image: 'q' });
    assert.deepEqual(three, before);
  });

  it('starts a list where there is none', () => {
    assert.deepEqual(upsertProfile(undefined, { name: 'n' }), { ok: true, replaced: false, list: [{ name: 'n' }] });
    assert.deepEqual(upsertProfile(null, { name: 'n' }), { ok: true, replaced: false, list: [{ name: 'n' }] });
  });

  it('refuses to overwrite a value that is not a list', () => {
    for (const v of [{ name: 'a' }, 'a', 3, true])
      assert.deepEqual(upsertProfile(v, { name: 'n' }), { ok: false, reason: 'notAList' }, JSON.stringify(v));
  });

  it('names the profiles of a list, skipping entries without a string name', () => {
    assert.deepEqual(profileNamesIn(three), ['a', 'b']);
    assert.deepEqual(profileNamesIn({ name: 'a' }), []);
  });
});
