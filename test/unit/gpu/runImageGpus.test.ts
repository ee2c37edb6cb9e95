import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildGpuModel } from '../../../src/core/gpu/gpuModel';
import { runImageGpuChoices } from '../../../src/core/gpu/runImageGpus';
import { parseComputeApps, parseGpuQuery } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';
import { ALL, container, dev } from './helpers';

const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;

void describe('Run Image: the GPU choices', () => {
  const unlabelled = container('bert-exp', dev('1')); // a colleague's `docker run --gpus`, no owner label
  const labelled = container('train', ALL, { owner: 'alice' });
  const mine = container('tom-nb', dev('0'), { owner: 'tom' });

  void test('GPU rows unknown, no owner labels anywhere: "No GPU" first, never "All GPUs"', () => {
    for (const containers of [[], [unlabelled], [labelled], [mine]]) {
      const plan = runImageGpuChoices({ rows: [], containers, user: 'tom' });
      assert.deepEqual(plan.order, ['none', 'all'], JSON.stringify(containers.map((c) => c.name)));
      assert.deepEqual(plan.freeCounts, []);
    }
  });

  void test('colleagues’ running GPU containers are named, labelled or not; mine and stopped ones are not', () => {
    const stopped = container('old', ALL, { owner: 'bob', state: 'exited' });
    const plan = runImageGpuChoices({ rows: [], containers: [unlabelled, labelled, mine, stopped], user: 'tom' });
    assert.deepEqual(plan.others, ['bert-exp', 'alice/train']);
  });

  void test('with readable rows: the free counts first, then No GPU, All last', () => {
    const rows = buildGpuModel({
      gpus: GPUS8,
      apps: APPS8,
      pidToContainerId: new Map(),
      pidToUser: new Map(),
      containers: [unlabelled],
    });
    const plan = runImageGpuChoices({ rows, containers: [unlabelled], user: 'tom' });
    assert.deepEqual(plan.order, ['free', 'none', 'all']);
    assert.equal(plan.free, 4);
    assert.deepEqual(plan.freeCounts, [1, 2, 3, 4]);
    assert.deepEqual(plan.others, ['bert-exp']);
  });

  void test('no GPU free: No GPU first', () => {
    const busy = container('x', ALL, { owner: 'alice' });
    const rows = buildGpuModel({
      gpus: GPUS8,
      apps: APPS8,
      pidToContainerId: new Map(),
      pidToUser: new Map(),
      containers: [busy],
    });
    assert.deepEqual(runImageGpuChoices({ rows, containers: [busy], user: 'tom' }).order, ['none', 'all']);
  });
});
