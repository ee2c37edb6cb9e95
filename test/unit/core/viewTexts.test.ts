import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containersViewTexts, sshProblemText, type ContainersViewInput } from '../../../src/core/tree/viewTexts';

const t = (m: string, ...a: Array<string | number | boolean>): string =>
  m.replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)]));
const base: ContainersViewInput = { total: 5, shown: 5, running: 2, filter: 'all', text: '', refused: 0, t };

void describe('the Containers view message and description', () => {
  void it('nothing to say: no message, the running count', () =>
    assert.deepEqual(containersViewTexts(base), { message: undefined, description: '2 running' }));
  void it('mine hides some: says how many of how many', () =>
    assert.equal(
      containersViewTexts({ ...base, filter: 'mine', shown: 3 }).message,
      'Showing your containers (3 of 5).',
    ));
  void it('a text filter: in the message and the description', () =>
    assert.deepEqual(containersViewTexts({ ...base, text: 'bert', shown: 1 }), {
      message: 'Filter "bert": 1 of 5 containers.',
      description: '2 running · filter: bert',
    }));
  void it('Restricted Mode comes first, and no description on an empty engine', () => {
    const r = containersViewTexts({ ...base, total: 0, shown: 0, running: 0, refused: 2 });
    assert.match(r.message ?? '', /^Launch profiles from this folder are not used/);
    assert.equal(r.description, undefined);
  });
});

void describe('the Containers view while the engine does not answer (issue 24)', () => {
  void it('stale rows: the message says so (with the host and since when), the description first', () => {
    const out = containersViewTexts({ ...base, staleSince: '14:03:07', host: 'unix:///x.sock' });
    assert.match(out.message ?? '', /^Docker at unix:\/\/\/x\.sock is not answering \(since 14:03:07\)/);
    assert.equal(out.description, 'not answering: rows may be stale · 2 running');
  });
});

void describe('no answer over ssh (issue 27): the ssh sentence first, the rows stale without blaming Docker', () => {
  void it('says the link, then that the rows may be out of date', () => {
    const problem = sshProblemText('unreachable', {
      ssh: 'noAnswer',
      message: 'No answer from gpubox over ssh — reconnecting.',
      fix: 'Check your network or VPN and that gpubox is up.',
    });
    const out = containersViewTexts({ ...base, staleSince: '14:03:07', host: 'ssh://gpubox', problem });
    assert.equal(
      out.message,
      'No answer from gpubox over ssh — reconnecting. Check your network or VPN and that gpubox is up. ' +
        'These rows are from 14:03:07 and may be out of date; they update when the host answers again.',
    );
    assert.doesNotMatch(out.message ?? '', /Docker at|responsive/);
    assert.equal(out.description, 'not answering: rows may be stale · 2 running');
  });
});

void describe('an ssh failure is said in the view message, first', () => {
  const err = { ssh: 'dockerDenied', message: 'Your user on gpubox may not use Docker.', fix: 'On gpubox: sudo …' };
  void it('the sentence and its fix, before the rest', () => {
    const problem = sshProblemText('denied', err);
    assert.equal(problem, 'Your user on gpubox may not use Docker. On gpubox: sudo …');
    assert.match(containersViewTexts({ ...base, refused: 1, problem }).message ?? '', /^Your user on gpubox/);
  });
  void it('nothing once the engine answers, nor for a failure that is not an ssh one', () => {
    assert.equal(sshProblemText('ok', err), undefined);
    assert.equal(sshProblemText('unreachable', { message: 'Cannot reach', fix: 'Start Docker' }), undefined);
  });
});
