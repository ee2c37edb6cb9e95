import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HostState } from '../../../src/core/hosts/hostModel';
import { rankHosts, type HostFit } from '../../../src/core/hosts/rank';

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

void describe('rankHosts by what will really work', () => {
  const two: H[] = [{ name: 'local' }, { name: 'labgpu1' }];
  const gpuFits: HostFit = { fits: true, free: 4, why: '4 of 8 GPUs free and fitting' };

  void it('a host without the NVIDIA runtime ranks below one with it, even with more free GPUs, and says why', () => {
    const r = rankHosts({
      hosts: two,
      stateOf: () => ok,
      fit: (h) => (h.name === 'local' ? gpuFits : { fits: true, free: 2, why: '2 of 8 GPUs free and fitting' }),
      gpu: true,
      ready: (h) => ({ nvidiaRuntime: h.name !== 'local' }),
    });
    assert.deepEqual(
      r.ranked.map((x) => [x.host.name, x.works, x.detail]),
      [
        ['labgpu1', true, '2 of 8 GPUs free and fitting'],
        ['local', false, 'no NVIDIA runtime · 4 of 8 GPUs free and fitting'],
      ],
    );
  });

  void it('a driver too old for the image counts against a host; the runtime does not matter without GPUs', () => {
    const r = rankHosts({
      hosts: two,
      stateOf: () => ok,
      fit: () => gpuFits,
      gpu: true,
      ready: (h) => (h.name === 'local' ? { cuda: { image: '12.4', driver: '12.2', ok: false } } : {}),
    });
    assert.equal(r.ranked[0].host.name, 'labgpu1');
    assert.equal(r.ranked[1].detail, 'image needs CUDA 12.4, driver has 12.2 · 4 of 8 GPUs free and fitting');
    const none = rankHosts({
      hosts: two,
      stateOf: () => ok,
      fit: () => ({ fits: true, free: 0, why: 'no GPU needed' }),
      gpu: false,
      ready: () => ({ nvidiaRuntime: false }),
    });
    assert.deepEqual(
      none.ranked.map((x) => [x.host.name, x.works]),
      [
        ['local', true],
        ['labgpu1', true],
      ],
    );
  });

  void it('among hosts where it works, the one with the image first; each line says whether the image is there', () => {
    const r = rankHosts({
      hosts: two,
      stateOf: () => ok,
      fit: (h) => (h.name === 'local' ? gpuFits : { fits: true, free: 1 }),
      gpu: true,
      ready: (h) => ({ nvidiaRuntime: true, imagePresent: h.name === 'labgpu1' }),
    });
    assert.deepEqual(
      r.ranked.map((x) => [x.host.name, x.detail]),
      [
        ['labgpu1', '1 free GPU fits · image here'],
        ['local', '4 of 8 GPUs free and fitting · image not here yet'],
      ],
    );
  });

  void it('a throwing readiness function is treated as unknown', () => {
    const r = rankHosts({
      hosts: two,
      stateOf: () => ok,
      fit: () => gpuFits,
      gpu: true,
      ready: () => {
        throw new Error('x');
      },
    });
    assert.ok(r.ranked.every((x) => x.works));
  });
});
