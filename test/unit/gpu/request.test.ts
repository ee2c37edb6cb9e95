import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GpuRequest } from '../../../src/core/docker/engineTypes';
import { deviceIndex, gpuDetail, gpuRequestFrom, gpuSummary, shortGpuId } from '../../../src/core/gpu/request';
import { parseGpuQuery } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';

const UUID = 'GPU-b72312b2-a2f7-d8e9-118c-c4d4515cd7c2';
const MIG = 'MIG-5c1a3b5e-8f2d-5b7e-a1c4-0f6e7d8c9b0a';

void describe('gpuRequestFrom', () => {
  const gpu = [['gpu']];
  const cases: [string, unknown, unknown, string | undefined, GpuRequest | undefined][] = [
    [
      '--gpus all',
      [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: gpu }],
      [],
      undefined,
      { kind: 'all', capabilities: ['gpu'], source: 'deviceRequests' },
    ],
    [
      '--gpus 2',
      [{ Count: 2, Capabilities: gpu }],
      [],
      undefined,
      { kind: 'count', count: 2, capabilities: ['gpu'], source: 'deviceRequests' },
    ],
    [
      '--gpus device=0,1',
      [{ DeviceIDs: ['0', '1'], Capabilities: gpu }],
      [],
      undefined,
      { kind: 'devices', deviceIds: ['0', '1'], capabilities: ['gpu'], source: 'deviceRequests' },
    ],
    [
      'DeviceIDs joined with a comma',
      [{ DeviceIDs: ['0,1'], Capabilities: gpu }],
      [],
      undefined,
      { kind: 'devices', deviceIds: ['0', '1'], capabilities: ['gpu'], source: 'deviceRequests' },
    ],
    [
      'a UUID',
      [{ Driver: 'nvidia', DeviceIDs: [UUID] }],
      [],
      undefined,
      { kind: 'devices', deviceIds: [UUID], capabilities: undefined, source: 'deviceRequests' },
    ],
    [
      'utility capability merged',
      [{ Count: -1, Capabilities: [['gpu', 'utility'], ['gpu']] }],
      [],
      undefined,
      { kind: 'all', capabilities: ['gpu', 'utility'], source: 'deviceRequests' },
    ],
    [
      'CDI nvidia.com/gpu=all',
      [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'] }],
      [],
      undefined,
      { kind: 'all', source: 'deviceRequests' },
    ],
    [
      'CDI nvidia.com/gpu=0 and a MIG',
      [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=0', 'nvidia.com/gpu=1:0'] }],
      [],
      undefined,
      { kind: 'devices', deviceIds: ['0', '1:0'], source: 'deviceRequests' },
    ],
    ['CDI of another vendor', [{ Driver: 'cdi', DeviceIDs: ['vendor.com/fpga=0'] }], [], undefined, undefined],
    ['another driver', [{ Driver: 'amd', Count: -1, Capabilities: gpu }], [], undefined, undefined],
    ['no gpu capability', [{ Count: -1, Capabilities: [['tpu']] }], [], undefined, undefined],
    ['Count 0', [{ Count: 0, Capabilities: gpu }], [], undefined, undefined],
    ['env all', null, ['PATH=/bin', 'NVIDIA_VISIBLE_DEVICES=all'], undefined, { kind: 'all', source: 'env' }],
    [
      'env list',
      null,
      ['NVIDIA_VISIBLE_DEVICES=0, 2'],
      undefined,
      { kind: 'devices', deviceIds: ['0', '2'], source: 'env' },
    ],
    ['env void', null, ['NVIDIA_VISIBLE_DEVICES=void'], undefined, undefined],
    ['env none', null, ['NVIDIA_VISIBLE_DEVICES=none'], undefined, undefined],
    ['env empty', null, ['NVIDIA_VISIBLE_DEVICES='], undefined, undefined],
    ['env with the nvidia runtime', null, ['NVIDIA_VISIBLE_DEVICES=all'], 'nvidia', { kind: 'all', source: 'env' }],
    ['env of a CUDA image under runc: no GPU', null, ['NVIDIA_VISIBLE_DEVICES=all'], 'runc', undefined],
    [
      'device requests win over runc',
      [{ Count: -1, Capabilities: gpu }],
      ['NVIDIA_VISIBLE_DEVICES=all'],
      'runc',
      { kind: 'all', capabilities: ['gpu'], source: 'deviceRequests' },
    ],
    ['junk', 'x', 5, undefined, undefined],
    ['junk entries', [null, 3, 'x', { Capabilities: 'gpu' }], [null, 7], undefined, undefined],
    ['undefined', undefined, undefined, undefined, undefined],
  ];
  for (const [name, dr, env, runtime, want] of cases) {
    void test(name, () => assert.deepEqual(gpuRequestFrom(dr, env, runtime), want));
  }
});

void describe('gpuSummary', () => {
  const cases: [GpuRequest | undefined, string][] = [
    [undefined, ''],
    [{ kind: 'all', source: 'env' }, 'GPU all'],
    [{ kind: 'count', count: 2, source: 'deviceRequests' }, 'GPU ×2'],
    [{ kind: 'count', source: 'deviceRequests' }, 'GPU ×0'],
    [{ kind: 'devices', deviceIds: ['0', '1'], source: 'deviceRequests' }, 'GPU 0,1'],
    // No snapshot of the host yet: never the raw list of UUIDs; one is shortened, several are counted.
    [{ kind: 'devices', deviceIds: [UUID, MIG], source: 'deviceRequests' }, 'GPU ×2'],
    [{ kind: 'devices', deviceIds: [UUID], source: 'deviceRequests' }, 'GPU GPU-b72312b2'],
    [{ kind: 'devices', source: 'env' }, 'GPU '],
  ];
  for (const [req, want] of cases) void test(want || '(none)', () => assert.equal(gpuSummary(req), want));
});

void describe('shortGpuId', () => {
  const cases: [string, string][] = [
    [UUID, 'GPU-b72312b2'],
    [UUID.toUpperCase(), 'GPU-B72312B2'],
    [MIG, 'MIG-5c1a3b5e'],
    [`MIG-${UUID}/7/0`, 'MIG-GPU-b72312b2/7/0'],
    ['0', '0'],
    ['1:0', '1:0'],
    ['GPU-short', 'GPU-short'],
    ['', ''],
  ];
  for (const [id, want] of cases) void test(id || '(empty)', () => assert.equal(shortGpuId(id), want));
  void test('no throw on a non-string', () => assert.equal(shortGpuId(undefined as unknown as string), ''));
});

void describe('GPU ids as the host numbers them (its snapshot)', () => {
  const GPUS = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
  const g3 = GPUS.find((g) => g.index === 3)!.uuid;
  const g6 = GPUS.find((g) => g.index === 6)!.uuid;
  const req: GpuRequest = { kind: 'devices', deviceIds: [g3, g6], source: 'deviceRequests' };
  void test('a row says `GPU 3,6`, not the UUIDs', () => {
    assert.equal(gpuSummary(req, GPUS), 'GPU 3,6');
    assert.equal(gpuSummary({ ...req, deviceIds: [g6.toUpperCase(), '1'] }, GPUS), 'GPU 6,1');
  });
  void test('the tooltip names each index with the UUID it was asked by', () => {
    assert.equal(gpuDetail(req, GPUS), `3 (${g3}), 6 (${g6})`);
    assert.equal(gpuDetail({ ...req, deviceIds: ['2'] }, GPUS), '2');
    assert.equal(gpuDetail({ kind: 'all', source: 'env' }, GPUS), 'all');
    assert.equal(gpuDetail({ ...req, deviceIds: [UUID] }, GPUS), UUID);
  });
  void test('a UUID the host does not have: short form, never the raw list', () => {
    assert.equal(gpuSummary({ ...req, deviceIds: [g3, UUID] }, GPUS), 'GPU ×2');
    assert.equal(deviceIndex(UUID, GPUS), undefined);
    assert.equal(deviceIndex(' 4 ', GPUS), '4');
    assert.equal(deviceIndex(g3, []), undefined);
    assert.equal(deviceIndex(undefined as unknown as string, GPUS), undefined);
  });
});
