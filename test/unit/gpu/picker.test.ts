import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import { buildGpuModel, STALE_CLAIM_MS } from '../../../src/core/gpu/gpuModel';
import { pickFreeGpus } from '../../../src/core/gpu/picker';
import { parseComputeApps, parseGpuQuery, parseSmiList, withMigDevices } from '../../../src/core/gpu/smi';
import { parseTopology } from '../../../src/core/gpu/topology';
import { fixture } from './fixtures';
import { ALL, container, dev } from './helpers';

const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;
const TOPO = parseTopology(fixture('synthetic/topo-m-8-pcie.txt'));

function rows(containers = [container('x', undefined)], apps = APPS8, gpus = GPUS8) {
  return buildGpuModel({ gpus, apps, pidToContainerId: new Map(), containers }, { includeStopped: true });
}
const idx = (gs: { index: number }[]) => gs.map((g) => g.index);

void describe('pickFreeGpus (8-GPU fixture: processes on 1, 2, 4, 7)', () => {
  void test('free = no process and no running holder; lowest indices without topology', () => {
    const p = pickFreeGpus(rows(), { count: 2 });
    assert.equal(p.ok, true);
    assert.deepEqual(idx(p.picked), [0, 3]);
    assert.deepEqual(idx(p.fitting), [0, 3, 5, 6]);
    assert.deepEqual(
      p.unfit.map((u) => [u.gpu.index, u.reason]),
      [
        [1, 'process'],
        [2, 'process'],
        [4, 'process'],
        [7, 'process'],
      ],
    );
  });
  void test('held by a running container; a stopped holder does not count', () => {
    const r = rows([
      container('alice-bert', dev('0'), { owner: 'alice' }),
      container('old', dev('3'), { state: 'exited' }),
    ]);
    const p = pickFreeGpus(r, { count: 3 });
    assert.deepEqual(idx(p.picked), [3, 5, 6]);
    const held = p.unfit.find((u) => u.gpu.index === 0);
    assert.equal(held?.reason, 'held');
    assert.equal(held?.holders[0].container.name, 'alice-bert');
  });
  void test('a created container with our claim label holds its GPU; one without does not', () => {
    const claimed = container('claim', dev(GPUS8[5].uuid), {
      state: 'created',
      created: Date.now() - 5_000,
      labels: { [GPU_UUIDS_LABEL]: GPUS8[5].uuid },
    });
    const plain = container('plain', dev('6'), { state: 'created' });
    const p = pickFreeGpus(rows([claimed, plain]), { count: 4 });
    assert.equal(p.ok, false);
    assert.deepEqual(idx(p.fitting), [0, 3, 6]);
  });
  void test('a claim never started (a crash, a failed start) stops holding its GPU after STALE_CLAIM_MS', () => {
    const stale = container('stale', dev(GPUS8[5].uuid), {
      state: 'created',
      created: Date.now() - STALE_CLAIM_MS - 1_000,
      labels: { [GPU_UUIDS_LABEL]: GPUS8[5].uuid },
    });
    const p = pickFreeGpus(rows([stale]), { count: 4 });
    assert.deepEqual(idx(p.fitting), [0, 3, 5, 6]);
  });
  void test('foreign process: a GPU with a compute process outside any container is not free', () => {
    const p = pickFreeGpus(rows([], [{ gpuUuid: GPUS8[0].uuid, pid: 9, usedMemoryMiB: 500 }]), { count: 1 });
    assert.deepEqual(idx(p.picked), [1]);
  });
  void test('`all` holders take every GPU', () => {
    const p = pickFreeGpus(rows([container('greedy', ALL)]), { count: 1 });
    assert.equal(p.ok, false);
    assert.ok(p.unfit.every((u) => u.reason === 'held' || u.reason === 'process'));
  });
  void test('minimum free memory', () => {
    // GPU 0 has 0 used of 81559; make 3 nearly full without a process (memory from another context).
    const gpus = GPUS8.map((g) => (g.index === 3 ? { ...g, memoryUsedMiB: 60_000 } : g));
    const p = pickFreeGpus(rows(undefined, APPS8, gpus), { count: 2, minFreeMemoryMiB: 40 * 1024 });
    assert.deepEqual(idx(p.picked), [0, 5]);
    assert.equal(p.unfit.find((u) => u.gpu.index === 3)?.reason, 'memory');
    const none = pickFreeGpus(rows(), { count: 1, minFreeMemoryMiB: 200 * 1024 });
    assert.equal(none.ok, false);
  });
  void test('model pattern: substring and glob, case-insensitive', () => {
    assert.equal(pickFreeGpus(rows(), { count: 1, model: 'h100' }).ok, true);
    assert.equal(pickFreeGpus(rows(), { count: 1, model: '*H100*HBM3' }).ok, true);
    const a100 = pickFreeGpus(rows(), { count: 1, model: 'A100' });
    assert.equal(a100.ok, false);
    assert.ok(a100.unfit.some((u) => u.reason === 'model'));
  });
  void test('topology: prefers two GPUs behind one switch, then one NUMA node', () => {
    // Free 0, 3, 5, 6: pairs 0-3 and 5-6 are both NODE; the lower indices win the tie.
    assert.deepEqual(idx(pickFreeGpus(rows(), { count: 2 }, TOPO).picked), [0, 3]);
    // GPU 0 taken: 5-6 (NODE) beats 3-5 / 3-6 (SYS).
    const r = rows([container('a', dev('0'))]);
    assert.deepEqual(idx(pickFreeGpus(r, { count: 2 }, TOPO).picked), [5, 6]);
    // No processes at all: the PIX pair 0-1 beats 0-2.
    assert.deepEqual(idx(pickFreeGpus(rows([], []), { count: 2 }, TOPO).picked), [0, 1]);
    assert.deepEqual(idx(pickFreeGpus(rows([container('a', dev('0'))], []), { count: 2 }, TOPO).picked), [2, 3]);
  });
  void test('MIG: a GPU in MIG mode is not taken as a whole GPU', () => {
    const list = parseSmiList(fixture('synthetic/nvidia-smi-L-mig.txt')).gpus;
    const gpus = withMigDevices(parseGpuQuery(fixture('synthetic/query-gpu-mig.csv')).gpus, list);
    const r = buildGpuModel({ gpus, apps: [], pidToContainerId: new Map(), containers: [] });
    const p = pickFreeGpus(r, { count: 1 });
    assert.deepEqual(idx(p.picked), [1]);
    assert.equal(p.unfit[0].reason, 'mig');
    assert.equal(pickFreeGpus(r, { count: 2 }).ok, false);
  });
  void test('odd counts count as 1; empty rows never throw', () => {
    assert.equal(pickFreeGpus(rows(), { count: 0 }).picked.length, 1);
    assert.equal(pickFreeGpus([], { count: 2 }).ok, false);
  });
});
