import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostState } from '../../../src/core/hosts/hostModel';
import { pinnedHostOf, rankHosts, type HostFit } from '../../../src/core/hosts/rank';

interface H {
  name: string;
}
const hosts: H[] = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name }));
const fits: Record<string, HostFit> = {
  a: { fits: false, free: 1, why: 'only 1 free GPU with 40 GB' },
  b: { fits: true, free: 2 },
  c: { fits: true, free: 6 },
  d: { fits: false, free: 0 },
  e: { fits: true, free: 1 },
};
const ok: HostState = { kind: 'ok' };

void describe('rankHosts', () => {
  void it('fitting hosts first by free GPUs, then the others with why, unreachable last', () => {
    const states: Record<string, HostState> = { e: { kind: 'unreachable', reason: 'Connection refused\nmore' } };
    const r = rankHosts({ hosts, stateOf: (h) => states[h.name] ?? ok, fit: (h) => fits[h.name] });
    assert.deepEqual(
      r.ranked.map((x) => [x.host.name, x.fits, x.detail]),
      [
        ['c', true, '6 free GPUs fit'],
        ['b', true, '2 free GPUs fit'],
        ['a', false, 'only 1 free GPU with 40 GB'],
        ['d', false, 'not enough free GPUs (0 free)'],
        ['e', false, 'unreachable: Connection refused'],
      ],
    );
    assert.equal(r.problem, undefined);
  });

  void it('ties keep the settings order; the fit of an unreachable host is not asked', () => {
    const asked: string[] = [];
    const r = rankHosts({
      hosts,
      stateOf: (h) => (h.name === 'a' ? { kind: 'unreachable', reason: 'x' } : ok),
      fit: (h) => {
        asked.push(h.name);
        return { fits: true, free: 1 };
      },
    });
    assert.deepEqual(
      r.ranked.map((x) => x.host.name),
      ['b', 'c', 'd', 'e', 'a'],
    );
    assert.deepEqual(asked, ['b', 'c', 'd', 'e']);
    assert.equal(r.ranked[0].detail, '1 free GPU fits');
  });

  void it('a pinned host comes first even when it does not fit (case-insensitive)', () => {
    const r = rankHosts({ hosts, stateOf: () => ok, fit: (h) => fits[h.name], pinned: ' D ' });
    assert.equal(r.ranked[0].host.name, 'd');
    assert.equal(r.ranked[0].pinned, true);
    assert.equal(r.ranked[1].host.name, 'c');
  });

  void it('a pin that names no host is a problem, the ranking still given', () => {
    const r = rankHosts({ hosts, stateOf: () => ok, fit: (h) => fits[h.name], pinned: 'gpubox' });
    assert.match(r.problem ?? '', /pins the host "gpubox"/);
    assert.equal(r.ranked.length, 5);
  });

  void it('a throwing or odd fit function does not break the ranking', () => {
    const r = rankHosts({
      hosts: hosts.slice(0, 3),
      stateOf: () => ok,
      fit: (h) => {
        if (h.name === 'a') throw new Error('boom');
        return h.name === 'b' ? { fits: true, free: NaN } : { fits: true, free: 3.7 };
      },
    });
    assert.deepEqual(
      r.ranked.map((x) => [x.host.name, x.free]),
      [
        ['c', 3],
        ['b', 0],
        ['a', 0],
      ],
    );
    assert.equal(r.ranked[2].detail, 'Error: boom');
  });
});

void describe('pinnedHostOf', () => {
  void it('reads a string host field from the raw profile', () => {
    assert.equal(pinnedHostOf({ name: 'p', host: ' gpubox ' }), 'gpubox');
    for (const raw of [undefined, null, 'x', [], { host: 3 }, { host: ' ' }, {}])
      assert.equal(pinnedHostOf(raw), undefined);
  });
});
