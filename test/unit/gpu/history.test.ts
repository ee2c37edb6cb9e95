import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildGpuModel } from '../../../src/core/gpu/gpuModel';
import {
  idleHeldGpuMs,
  idleHolderMs,
  idlePolicy,
  idleRun,
  parsePercent,
  parseWindow,
  Ring,
  stats,
  UseHistory,
} from '../../../src/core/gpu/history';
import type { GpuInfo } from '../../../src/core/gpu/smi';
import { gpuChildren, gpuNodeItem, gpuRootNodes } from '../../../src/core/tree/gpuRows';
import { idleText } from '../../../src/core/tree/gpuTexts';
import { container, dev } from './helpers';

const MIN = 60_000;

function gpu(index: number, util: number | undefined, used = 1000): GpuInfo {
  return {
    index,
    uuid: `GPU-0000000${index}-aaaa-bbbb-cccc-dddddddddddd`,
    name: 'NVIDIA H100 80GB HBM3',
    utilizationPct: util,
    memoryUsedMiB: used,
    memoryTotalMiB: 81559,
  };
}

const bert = container('bert', dev('0'), { owner: 'alice' });

function model(util0: number | undefined, util1: number | undefined) {
  return buildGpuModel({
    gpus: [gpu(0, util0, 80_000), gpu(1, util1)],
    apps: [{ gpuUuid: gpu(0, 0).uuid, pid: 7, usedMemoryMiB: 79_000 }],
    pidToContainerId: new Map([[7, bert.id]]),
    containers: [bert],
  });
}

void describe('Ring', () => {
  void test('keeps the newest capacity items, oldest first', () => {
    const r = new Ring<number>(3);
    assert.deepEqual(r.toArray(), []);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.last(), 5);
    assert.equal(r.size, 3);
    assert.throws(() => new Ring(0));
  });
});

void describe('settings', () => {
  void test('idleBelow: "5%", "5", 5, and nonsense → default', () => {
    assert.equal(parsePercent('5%'), 5);
    assert.equal(parsePercent(' 2.5 % '), 2.5);
    assert.equal(parsePercent(10), 10);
    assert.equal(parsePercent('101%'), undefined);
    assert.equal(parsePercent('-1'), undefined);
    assert.equal(parsePercent('five'), undefined);
    assert.equal(idlePolicy('lots', 'never').belowPct, 5);
  });
  void test('idleAfter: 30m, 2h, 90s, 1.5h, 500ms; nonsense → default 30 min', () => {
    assert.equal(parseWindow('30m'), 30 * MIN);
    assert.equal(parseWindow('2h'), 120 * MIN);
    assert.equal(parseWindow('90s'), 90_000);
    assert.equal(parseWindow('1.5h'), 90 * MIN);
    assert.equal(parseWindow('500ms'), 500);
    assert.equal(parseWindow('0m'), undefined);
    assert.equal(parseWindow('30'), undefined);
    assert.equal(parseWindow(30), undefined);
    assert.deepEqual(idlePolicy(undefined, undefined), { belowPct: 5, afterMs: 30 * MIN });
  });
});

void describe('UseHistory (injected clock)', () => {
  void test('min/avg/max per GPU and per container', () => {
    let now = 0;
    const h = new UseHistory({ now: () => now });
    for (const u of [90, 30, 0]) {
      h.record(model(u, 50));
      now += MIN;
    }
    const g = h.gpuStats(gpu(0, 0).uuid)!;
    assert.equal(g.samples, 3);
    assert.deepEqual(g.util, { min: 0, avg: 40, max: 90 });
    assert.deepEqual(g.mem, { min: 80_000, avg: 80_000, max: 80_000 });
    const c = h.containerStats(bert.id)!;
    assert.deepEqual(c.util, { min: 0, avg: 40, max: 90 });
    assert.deepEqual(c.mem, { min: 79_000, avg: 79_000, max: 79_000 });
    assert.equal(h.containerStats('nobody'), undefined);
  });
  void test('a holder is flagged idle only after the window, and not again once busy', () => {
    let now = 0;
    const h = new UseHistory({ now: () => now });
    const use = { history: h, policy: idlePolicy('5%', '30m') };
    h.record(model(80, 0));
    for (let i = 1; i <= 4; i++) {
      now += 10 * MIN;
      h.record(model(1, 0));
    }
    const rows = model(1, 0);
    // idle from the first sample under 5% (10 min) to now (40 min).
    assert.equal(idleHeldGpuMs(rows[0], use), 30 * MIN);
    assert.equal(idleHolderMs(bert.id, use), 30 * MIN);
    // GPU 1 is idle too, but nobody holds it: not an idle holder.
    assert.equal(idleHeldGpuMs(rows[1], use), undefined);
    now += 1;
    h.record(model(2, 0));
    const item = gpuNodeItem(gpuChildren(gpuRootNodes(rows, use)[0])[0], undefined, now, use);
    assert.equal(item.label, 'alice/bert');
    assert.match(String(item.description), /77 GiB · idle 30 min$/);
    assert.match(String(item.tooltip), /Utilization \(last 40 min\): min 1% · avg 14% · max 80%/);
    now += 1;
    h.record(model(60, 0));
    assert.equal(idleHolderMs(bert.id, use), undefined);
    assert.doesNotMatch(
      String(gpuNodeItem(gpuChildren(gpuRootNodes(rows, use)[0])[0], undefined, now, use).description),
      /idle/,
    );
  });
  void test('unknown utilisation ends an idle run; idleRun on its own', () => {
    assert.equal(idleRun([{ at: 0, utilPct: 0 }, { at: 5 }], 5, 10), undefined);
    assert.equal(
      idleRun(
        [
          { at: 0, utilPct: 9 },
          { at: 5, utilPct: 1 },
        ],
        5,
        10,
      ),
      5,
    );
    assert.equal(idleRun([], 5, 10), undefined);
    assert.equal(stats([]), undefined);
  });
  void test('idle holders first: GPUs sorted by how long they have been idle', () => {
    let now = 0;
    const alice = container('a', dev('0'));
    const bob = container('b', dev('1'));
    const m = (u0: number, u1: number) =>
      buildGpuModel({
        gpus: [gpu(0, u0), gpu(1, u1)],
        apps: [],
        pidToContainerId: new Map(),
        containers: [alice, bob],
      });
    const h = new UseHistory({ now: () => now });
    const use = { history: h, policy: idlePolicy('5%', '1m') };
    h.record(m(50, 0));
    now += 5 * MIN;
    h.record(m(50, 0));
    const order = (idleFirst: boolean) =>
      gpuRootNodes(m(50, 0), use, idleFirst).map((n) => (n.kind === 'gpu' ? n.row.gpu.index : -1));
    assert.deepEqual(order(false), [0, 1]);
    assert.deepEqual(order(true), [1, 0]);
    assert.match(String(gpuNodeItem(gpuRootNodes(m(50, 0), use)[1], undefined, now, use).description), /idle 5 min/);
  });
  void test('bounded: capacity per key, old samples and vanished keys dropped', () => {
    let now = 0;
    const h = new UseHistory({ now: () => now, capacity: 10, maxAgeMs: 60 * MIN });
    for (let i = 0; i < 100; i++) {
      h.record(model(i % 100, 0));
      now += MIN;
    }
    assert.equal(h.gpuSamples(gpu(0, 0).uuid).length, 10);
    assert.deepEqual(h.size, { gpus: 2, containers: 1 });
    now += 61 * MIN;
    h.record([]);
    assert.deepEqual(h.size, { gpus: 0, containers: 0 });
    h.record(null as never);
  });
  void test('idleText', () => {
    assert.equal(idleText(20_000), 'idle 20 s');
    assert.equal(idleText(45 * MIN), 'idle 45 min');
    assert.equal(idleText(3 * 60 * MIN + 5), 'idle 3 h');
  });
});
