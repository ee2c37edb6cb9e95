import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../../../src/core/docker/engineError';
import { isNoSuchContainer, vanishedError, vanishedRow } from '../../../src/core/vanished';

const A = { id: 'a'.repeat(64), name: 'tom-bert' };
const B = { id: 'b'.repeat(64), name: 'ann-gpt' };
const gone = (id: string): EngineError =>
  new EngineError('notFound', `The container ${id} no longer exists.`, 'Refresh.', {
    engineMessage: `No such container: ${id}`,
  });

void describe('a container that vanished under a command', () => {
  void it('recognises "no such container", not a missing image or another kind', () => {
    assert.equal(isNoSuchContainer(gone(A.id)), true);
    assert.equal(isNoSuchContainer(new EngineError('notFound', 'x', '', { engineMessage: 'No such image: y' })), false);
    assert.equal(isNoSuchContainer(new EngineError('conflict', 'x', '')), false);
    assert.equal(isNoSuchContainer(new Error('No such container: x')), false);
  });
  void it('finds the row the engine names, by full or short id; else the only row', () => {
    assert.equal(vanishedRow(gone(B.id), [A, B]), B);
    assert.equal(vanishedRow(gone(B.id.slice(0, 12)), [A, B]), B);
    assert.equal(vanishedRow(gone('c'.repeat(64)), [A, B]), undefined);
    assert.equal(vanishedRow(gone('c'.repeat(64)), [A]), A);
    assert.equal(vanishedRow(gone('c'.repeat(64)), [A], false), undefined);
  });
  void it('tells it by name, never by id, and keeps the kind', () => {
    const e = vanishedError(gone(A.id), A.name);
    assert.equal(e.kind, 'notFound');
    assert.match(e.message, /^The container tom-bert no longer exists \(removed by someone else\?\)/);
    assert.ok(!e.message.includes(A.id.slice(0, 12)));
  });
});
