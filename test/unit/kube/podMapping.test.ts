import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podEvent, podState, toPodDetails, toPodSummary } from '../../../src/core/kube/podMapping';
import { clusterFit, clusterSnapshot, SlotBook } from '../../../src/core/kube/clusterGpus';
import type { Node, Pod } from '../../../src/core/kube/kubeTypes';
import { buildGpuModel } from '../../../src/core/gpu';

function pod(
  name: string,
  o: { phase?: string; node?: string; gpus?: number; created?: string; status?: Pod['status']; owner?: string } = {},
): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: o.created ?? '2026-12-06T10:00:00Z',
      labels: { 'gpu-containers.owner': o.owner ?? 'alice' },
      annotations: { 'gpu-containers.profile': 'bert', 'gpu-containers.gpus': 'free:2' },
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      containers: [
        {
          name: 'main',
          image: 'pytorch:24',
          ...(o.gpus ? { resources: { limits: { 'nvidia.com/gpu': String(o.gpus) } } } : {}),
        },
      ],
    },
    status: o.status ?? { phase: (o.phase ?? 'Running') as 'Running' },
  };
}

function node(name: string, gpus: number, ready = true): Node {
  return {
    metadata: { name },
    status: {
      allocatable: { 'nvidia.com/gpu': String(gpus) },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

void describe("podState: the real state in kubectl's words", () => {
  void it("Pending with the scheduler's reason", () => {
    const p = pod('a', {
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.',
          },
        ],
      },
    });
    assert.deepEqual(podState(p), {
      state: 'created',
      status: 'Pending: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.',
    });
  });
  void it('ContainerCreating, image pull errors, Running, Succeeded, Failed, Terminating', () => {
    const waiting = (reason: string, message?: string): Pod =>
      pod('a', {
        status: { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason, message } } }] },
      });
    assert.deepEqual(podState(waiting('ContainerCreating')), { state: 'created', status: 'ContainerCreating' });
    assert.equal(podState(waiting('ErrImagePull', 'not found')).status, 'ErrImagePull: not found');
    const started = new Date(Date.parse('2026-12-06T10:00:00Z')).toISOString();
    const running = pod('a', {
      status: { phase: 'Running', containerStatuses: [{ name: 'main', state: { running: { startedAt: started } } }] },
    });
    assert.deepEqual(podState(running, Date.parse(started) + 3 * 60_000), {
      state: 'running',
      status: 'Running 3 minutes',
    });
    assert.equal(toPodSummary(running).since, Date.parse(started), 'the row moves from the start, not frozen words');
    const ended = (phase: 'Succeeded' | 'Failed', exitCode: number): Pod =>
      pod('a', {
        status: {
          phase,
          containerStatuses: [
            { name: 'main', state: { terminated: { exitCode, reason: phase === 'Failed' ? 'Error' : 'Completed' } } },
          ],
        },
      });
    assert.deepEqual(podState(ended('Succeeded', 0)), { state: 'exited', status: 'Succeeded (0)' });
    assert.deepEqual(podState(ended('Failed', 2)), { state: 'exited', status: 'Failed (2): Error' });
    const del = pod('a');
    del.metadata.deletionTimestamp = '2026-12-06T10:01:00Z';
    assert.equal(podState(del).state, 'removing');
  });
  void it('a row: labels from labels and annotations, owner, GPUs only from held slots', () => {
    const s = toPodSummary(pod('a', { node: 'n1', gpus: 2 }), undefined, [
      'n1/nvidia.com/gpu/0',
      'n1/nvidia.com/gpu/1',
    ]);
    assert.equal(s.owner, 'alice');
    assert.equal(s.labels['gpu-containers.profile'], 'bert');
    assert.deepEqual(s.gpu, {
      kind: 'devices',
      count: 2,
      deviceIds: ['n1/nvidia.com/gpu/0', 'n1/nvidia.com/gpu/1'],
      source: 'scheduler',
    });
    assert.equal(toPodSummary(pod('b', { gpus: 2, phase: 'Pending' })).gpu, undefined);
    const d = toPodDetails(pod('a'));
    assert.equal(d.raw !== undefined, true);
  });
  void it('watch events as engine events', () => {
    assert.equal(podEvent('ADDED', pod('a'), undefined)?.action, 'create');
    assert.equal(podEvent('MODIFIED', pod('a'), 'created')?.action, 'start');
    assert.equal(podEvent('MODIFIED', pod('a', { phase: 'Succeeded' }), 'running')?.action, 'die');
    assert.equal(podEvent('DELETED', pod('a'), 'running')?.action, 'destroy');
    assert.equal(podEvent('BOOKMARK', pod('a'), 'running'), undefined);
  });
});

void describe('cluster GPUs', () => {
  const nodes = [node('b', 2), node('a', 2), node('c', 4, false), node('cpu', 0)];
  void it('one GPU per allocatable slot of Ready nodes, named by node', () => {
    const snap = clusterSnapshot(nodes);
    assert.deepEqual(
      snap.gpus.map((g) => [g.index, g.uuid, g.name]),
      [
        [0, 'a/nvidia.com/gpu/0', 'nvidia.com/gpu on a'],
        [1, 'a/nvidia.com/gpu/1', 'nvidia.com/gpu on a'],
        [2, 'b/nvidia.com/gpu/0', 'nvidia.com/gpu on b'],
        [3, 'b/nvidia.com/gpu/1', 'nvidia.com/gpu on b'],
      ],
    );
  });
  void it('pods hold their count of slots on their node; slots are kept while they run and freed when they end', () => {
    const book = new SlotBook();
    const p1 = pod('p1', { node: 'a', gpus: 1, created: '2026-12-06T10:00:00Z' });
    const p2 = pod('p2', { node: 'a', gpus: 1, created: '2026-12-06T10:01:00Z' });
    const p3 = pod('p3', { node: 'b', gpus: 2 });
    const pending = pod('p4', { gpus: 2, phase: 'Pending' });
    book.assignAll([p2, p1, p3, pending]);
    assert.deepEqual(book.slotsOf(p1), ['a/nvidia.com/gpu/0']);
    assert.deepEqual(book.slotsOf(p2), ['a/nvidia.com/gpu/1']);
    assert.deepEqual(book.slotsOf(p3), ['b/nvidia.com/gpu/0', 'b/nvidia.com/gpu/1']);
    assert.equal(book.slotsOf(pending), undefined);
    // p1 ends: its slot is free for the next pod on a, p2 keeps its own.
    book.assignAll([pod('p1', { node: 'a', gpus: 1, phase: 'Succeeded' }), p2, p3]);
    const p5 = pod('p5', { node: 'a', gpus: 1, created: '2026-12-06T10:05:00Z' });
    assert.deepEqual(book.slotsOf(p5), ['a/nvidia.com/gpu/0']);
    assert.deepEqual(book.slotsOf(p2), ['a/nvidia.com/gpu/1']);
    // The GPU model reads the slots like device ids: node a full, node b full.
    const rows = buildGpuModel({
      ...clusterSnapshot(nodes),
      containers: [p2, p3, p5].map((p) => toPodSummary(p, undefined, book.slotsOf(p))),
    });
    assert.deepEqual(
      rows.map((r) => r.holders.map((h) => h.container.name).join()),
      ['p5', 'p2', 'p3', 'p3'],
    );
    assert.equal(rows.filter((r) => r.free).length, 0);
  });
  void it('fit: whether any node could ever hold the pod, and the most free on one node now', () => {
    const pods = [pod('p1', { node: 'a', gpus: 1 })];
    assert.deepEqual(clusterFit(nodes, pods, 2), { anyNodeCanHold: true, bestFree: 2, total: 4 });
    assert.deepEqual(clusterFit(nodes, pods, 3), { anyNodeCanHold: false, bestFree: 2, total: 4 });
    assert.deepEqual(clusterFit([], pods, 1), { anyNodeCanHold: false, bestFree: 0, total: 0 });
  });
});
