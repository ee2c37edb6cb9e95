import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namedMessage, ownership, pruneCandidates, removalReport } from '../../../src/core/ownership';

describe('container ownership (issue 18 item 5)', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['tom-bert', undefined, 'mineByName'],
    ['tom.smith-exp', undefined, 'others'],
    ['tom_b-x', undefined, 'others'],
    ['tomato', undefined, 'others'],
    ['tom', undefined, 'others'],
    ['Tom-bert', undefined, 'others'],
    ['tom-bert', 'alice', 'others'],
    ['bert', 'tom', 'mine'],
    ['alice-x', 'tom', 'mine'],
    ['tom-x', '', 'mineByName'],
  ];
  for (const [name, owner, want] of cases) {
    it(`${name} with owner label ${owner ?? '(none)'} is ${want} for tom`, () => {
      assert.equal(ownership({ name, owner }, 'tom'), want);
    });
  }
  it('nobody owns anything for an empty user name', () => {
    assert.equal(ownership({ name: '-x', owner: undefined }, ''), 'others');
  });
  it('prune lists labelled containers and name-only ones apart, others not at all', () => {
    const list = [
      { name: 'a', owner: 'tom' },
      { name: 'tom-hand', owner: undefined },
      { name: 'tom.smith-exp', owner: undefined },
      { name: 'tom-theirs', owner: 'alice' },
    ];
    const { labelled, byName } = pruneCandidates(list, 'tom');
    assert.deepEqual(
      labelled.map((c) => c.name),
      ['a'],
    );
    assert.deepEqual(
      byName.map((c) => c.name),
      ['tom-hand'],
    );
  });
});

describe('removal reports name containers, never their ids (issue 18 item 6)', () => {
  const id = 'f'.repeat(64);
  it('replaces full and short ids with the name', () => {
    assert.equal(namedMessage(`No such container: ${id}`, { id, name: 'tom-bert' }), 'No such container: tom-bert');
    assert.equal(namedMessage(`container ${id.slice(0, 12)} is busy`, { id, name: 'b' }), 'container b is busy');
  });
  it('reports what was removed and each failure by name', () => {
    assert.equal(removalReport(3, []), undefined);
    const r = removalReport(3, [{ name: 'x', reason: 'device or resource busy.' }]) ?? '';
    assert.match(r, /Removed 2 of 3 containers/);
    assert.match(r, /x \(device or resource busy\)/);
    assert.doesNotMatch(r, /[0-9a-f]{64}/);
  });
});
