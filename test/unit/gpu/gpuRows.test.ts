import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildGpuModel, gpuMemoryByContainer } from '../../../src/core/gpu/gpuModel';
import { parseComputeApps, parseGpuQuery } from '../../../src/core/gpu/smi';
import { containerItem, containerTooltip } from '../../../src/core/tree/containerRows';
import { gpuChildren, gpuNodeItem, gpuRootNodes, hostModel, type GpuNode } from '../../../src/core/tree/gpuRows';
import { escapeMarkdown as md } from '../../../src/core/markdown';
import { fixture } from './fixtures';
import { ALL, container, dev, hex } from './helpers';

const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;

// GPU 1: alice/bert runs PID 2101; GPU 2: PID 2202 of bob, outside containers; GPU 4: two processes of carol;
// GPU 3: a stopped holder only; `all`: one running (on every GPU) and one stopped.
const bert = container('bert', dev('1'), { owner: 'alice', id: hex('b1') });
const old3 = container('old3', dev('3'), { state: 'exited', status: 'Exited (0) 2 days ago', id: hex('c3') });
const old3b = container('old3b', dev('3'), { state: 'exited', id: hex('c4') });
const everything = container('everything', ALL, { owner: 'dan', id: hex('d1') });
const stoppedAll = container('stopped-all', ALL, { state: 'exited', id: hex('d2') });

function rows(containers = [bert, old3, old3b, stoppedAll]) {
  return buildGpuModel(
    {
      gpus: GPUS8,
      apps: APPS8,
      pidToContainerId: new Map([[2101, bert.id]]),
      pidToUser: new Map([
        [2101, 'alice'],
        [2202, 'bob'],
        [3300, 'carol'],
        [3301, 'carol'],
        [4400, 'erin'],
      ]),
      containers,
    },
    { includeStopped: true },
  );
}

function gpuNode(nodes: GpuNode[], index: number): Extract<GpuNode, { kind: 'gpu' }> {
  const n = nodes.find((x) => x.kind === 'gpu' && x.row.gpu.index === index);
  assert.ok(n && n.kind === 'gpu');
  return n;
}

void describe('GPUs view rows (8-GPU fixture)', () => {
  void test('one line per GPU, what matters first; the model once per host', () => {
    const nodes = gpuRootNodes(rows());
    assert.equal(hostModel(rows()), 'NVIDIA H100 80GB HBM3 × 8');
    const g1 = gpuNodeItem(gpuNode(nodes, 1));
    assert.equal(g1.label, 'GPU 1');
    assert.equal(g1.description, '39/80 GiB · 97% · alice/bert');
    assert.ok(!g1.description.includes('H100'), 'no model per row');
    assert.equal(gpuNodeItem(gpuNode(nodes, 0)).description, 'free · 0/80 GiB · 0%');
    assert.equal(gpuNodeItem(gpuNode(nodes, 0)).contextValue, 'gpu;free');
    assert.equal(gpuNodeItem(gpuNode(nodes, 2)).description, '79/80 GiB · 100% · bob (PID 2202)');
    assert.equal(gpuNodeItem(gpuNode(nodes, 4)).description, '1.9/80 GiB · 3% · carol (PID 3300) (+1 process)');
  });
  void test('a GPU row with children has another id than the same GPU without (VS Code expands only rows it has not seen)', () => {
    const fresh = container('fresh', dev('0'), { owner: 'alice', id: hex('e0') });
    const free = gpuNode(gpuRootNodes(rows([])), 0);
    const held = gpuNode(gpuRootNodes(rows([fresh])), 0);
    assert.equal(gpuChildren(free).length, 0, 'no holder: a leaf');
    assert.equal(gpuNodeItem(free).id, `gpu:${GPUS8[0].uuid}`);
    assert.equal(gpuNodeItem(held).id, `gpu:${GPUS8[0].uuid}:held`);
    // Holder rows keep their own ids.
    assert.equal(gpuNodeItem(gpuChildren(held)[0]).id, `gpu:${GPUS8[0].uuid}:c:${fresh.id}`);
  });
  void test('a GPU with only stopped holders is free; they are folded under one child', () => {
    const nodes = gpuRootNodes(rows());
    const g3 = gpuNode(nodes, 3);
    assert.equal(g3.row.free, true);
    assert.match(gpuNodeItem(g3).description, /^free/);
    const kids = gpuChildren(g3);
    assert.deepEqual(
      kids.map((k) => k.kind),
      ['stopped'],
    );
    assert.equal(gpuNodeItem(kids[0]).label, '2 stopped containers');
    assert.deepEqual(
      gpuChildren(kids[0]).map((k) => gpuNodeItem(k).label),
      ['old3', 'old3b'],
    );
  });
  void test('processes outside containers are shown as such, with their user', () => {
    const kids = gpuChildren(gpuNode(gpuRootNodes(rows()), 2));
    assert.equal(kids.length, 1);
    const item = gpuNodeItem(kids[0]);
    assert.equal(item.label, 'bob (PID 2202)');
    assert.match(item.description, /^not in a container · 79 GiB$/);
  });
  void test('running holder rows carry the container GPU memory', () => {
    const kids = gpuChildren(gpuNode(gpuRootNodes(rows()), 1));
    assert.deepEqual(
      kids.map((k) => k.kind),
      ['holder'],
    );
    assert.match(gpuNodeItem(kids[0]).description, /39 GiB$/);
    assert.equal(gpuMemoryByContainer(rows()).get(bert.id), 40200);
  });
  void test('the Containers row and tooltip show the GPU memory of its processes, from the snapshot', () => {
    const memory = gpuMemoryByContainer(rows());
    const item = containerItem(bert, { user: 'alice', gpuMemoryMiB: memory.get(bert.id) });
    assert.match(item.description, / · 39 GiB GPU$/);
    const tip = containerTooltip(bert, { now: Date.now(), gpuMemoryMiB: memory.get(bert.id) });
    assert.match(tip, /GPU memory: 39 GiB \(40200 MiB, the sum of its processes\)/);
    // No GPU process (old3 is stopped; a snapshot not read gives no number): nothing shown.
    assert.doesNotMatch(containerItem(old3, { user: 'x', gpuMemoryMiB: memory.get(old3.id) }).description, /GiB/);
    assert.doesNotMatch(containerItem(bert, { user: 'alice' }).description, /GiB/);
  });
  void test('containers holding `all` are listed once, in their own row, not under every GPU', () => {
    const r = rows([bert, everything, stoppedAll]);
    const nodes = gpuRootNodes(r);
    assert.equal(nodes[0].kind, 'all');
    assert.equal(nodes.filter((n) => n.kind === 'all').length, 1);
    const all = gpuChildren(nodes[0]);
    assert.deepEqual(
      all.map((k) => gpuNodeItem(k).label),
      ['dan/everything', '1 stopped container'],
    );
    for (let i = 0; i < 8; i++) {
      const kids = gpuChildren(gpuNode(nodes, i));
      assert.ok(!kids.some((k) => k.kind === 'holder' && k.holder.container.id === everything.id), `GPU ${i}`);
    }
    // GPU 0 is busy because of it, and says so.
    assert.equal(gpuNodeItem(gpuNode(nodes, 0)).description, '0/80 GiB · 0% · dan/everything (all GPUs)');
    assert.equal(gpuNodeItem(gpuNode(nodes, 1)).description, '39/80 GiB · 97% · alice/bert (+1 container)');
  });
  void test('a host with mixed models shows the model on each row', () => {
    const gpus = GPUS8.slice(0, 2).map((g, i) => (i === 1 ? { ...g, name: 'NVIDIA A100-SXM4-40GB' } : g));
    const r = buildGpuModel({ gpus, apps: [], pidToContainerId: new Map(), containers: [] });
    assert.equal(hostModel(r), undefined);
    assert.match(gpuNodeItem(gpuRootNodes(r)[1]).description, /A100/);
  });
  void test('names from the engine are escaped in tooltips', () => {
    const evil = container('[x](command:evil)', dev('1'), { id: hex('ee') });
    const kids = gpuChildren(gpuNode(gpuRootNodes(rows([evil])), 1));
    assert.ok(!(gpuNodeItem(kids[0]).tooltip ?? '').includes('[x](command:evil)'));
    assert.equal(md('a_b'), 'a\\_b');
  });
});

void describe('GPU holders: indexes and owners', () => {
  const g3 = GPUS8.find((g) => g.index === 3)!.uuid;
  void test('a holder that asked by UUID says `device 3`; the UUID is in its tooltip', () => {
    const byUuid = container('by-uuid', dev(g3), { owner: 'alice', id: hex('e3') });
    const node = gpuChildren(gpuNode(gpuRootNodes(rows([byUuid])), 3)).find((n) => n.kind === 'holder');
    assert.ok(node);
    const item = gpuNodeItem(node);
    assert.match(item.description, /^device 3 · /);
    assert.ok(!item.description.includes('GPU-'), item.description);
    assert.ok(item.tooltip!.includes(g3));
  });
  void test('a holder without an owner label is named by the user running its GPU processes, as on ssh hosts', () => {
    const unlabelled = container('bert', dev('1'), { id: hex('b1') });
    const node = gpuChildren(gpuNode(gpuRootNodes(rows([unlabelled])), 1)).find((n) => n.kind === 'holder');
    assert.ok(node);
    assert.equal(gpuNodeItem(node).label, 'alice/bert');
    assert.equal(gpuNodeItem(gpuNode(gpuRootNodes(rows([unlabelled])), 1)).description, '39/80 GiB · 97% · alice/bert');
    assert.match(gpuNodeItem(node).tooltip!, /Owner: alice \(runs its GPU processes; no owner label\)/);
  });
  void test('the owner label wins over the process user; no process, no label: the name alone', () => {
    const labelled = container('bert', dev('1'), { owner: 'dan', id: hex('b1') });
    const holder = (c: ReturnType<typeof container>, i: number) =>
      gpuChildren(gpuNode(gpuRootNodes(rows([c])), i)).find((n) => n.kind === 'holder')!;
    assert.equal(gpuNodeItem(holder(labelled, 1)).label, 'dan/bert');
    assert.equal(gpuNodeItem(holder(container('idle', dev('5'), { id: hex('f5') }), 5)).label, 'idle');
  });
});

void describe("Containers rows: GPUs by index from the host's snapshot", () => {
  const g3 = GPUS8.find((g) => g.index === 3)!.uuid;
  const g6 = GPUS8.find((g) => g.index === 6)!.uuid;
  const c = container('two', dev(g3, g6), { id: hex('a6') });
  void test('the row says `GPU 3,6`; the tooltip has each UUID', () => {
    const item = containerItem(c, { user: 'x', gpus: GPUS8 });
    assert.match(item.description, /· GPU 3,6$/);
    const tip = containerTooltip(c, { now: 0, gpus: GPUS8 });
    assert.ok(tip.includes(`GPUs: 3 (\`${g3}\`), 6 (\`${g6}\`)`), tip);
  });
  void test('before the snapshot is read: a short form, never the raw UUIDs', () => {
    const description = containerItem(c, { user: 'x' }).description;
    assert.match(description, /· GPU ×2$/);
    assert.ok(!description.includes('GPU-'), description);
  });
});

void describe("GPU holders: status from the container's timestamps when shown", () => {
  void test('an inspected holder says "Up 2 minutes" two minutes after Docker said "Up Less than a second"', () => {
    const started = Date.parse('2026-01-01T10:00:00Z');
    // Inspect gives the neutral moment the state began (`since`, from Docker's StartedAt).
    const c = container('fresh', dev('1'), { id: hex('b1'), status: 'Up Less than a second', since: started });
    const node = gpuChildren(gpuNode(gpuRootNodes(rows([c])), 1)).find((n) => n.kind === 'holder')!;
    const item = gpuNodeItem(node, undefined, started + 2 * 60_000 + 5_000);
    assert.match(item.description, /· Up 2 minutes/);
    assert.match(item.tooltip!, /Status: Up 2 minutes/);
    assert.ok(!item.description.includes('Less than a second'));
  });
});
