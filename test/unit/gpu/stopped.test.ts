import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../../src/core/docker/engineTypes';
import { buildGpuModel, type GpuInfo } from '../../../src/core/gpu';

const gpu = (index: number): GpuInfo => ({
  index,
  uuid: `GPU-0000000${index}-aaaa-bbbb-cccc-dddddddddddd`,
  name: 'H100',
});
const box = (name: string, state: ContainerSummary['state'], deviceIds: string[]): ContainerSummary => ({
  id: `${name}`.padEnd(64, '0'),
  name,
  image: 'img',
  imageId: 'sha256:x',
  command: '',
  state,
  status: state,
  created: 0,
  ports: [],
  mounts: [],
  labels: {},
  gpu: { kind: 'devices', deviceIds, source: 'deviceRequests' },
});

void describe('buildGpuModel includeStopped', () => {
  void it('lists a stopped container under its GPU as inactive, and the GPU stays free', () => {
    const rows = buildGpuModel(
      {
        gpus: [gpu(0), gpu(1)],
        apps: [],
        pidToContainerId: new Map(),
        containers: [box('alice-a', 'exited', ['1']), box('bob-b', 'running', ['0'])],
      },
      { includeStopped: true },
    );
    assert.deepEqual(
      rows[1].holders.map((h) => [h.container.name, h.active]),
      [['alice-a', false]],
    );
    assert.equal(rows[1].free, true);
    assert.deepEqual(
      rows[0].holders.map((h) => [h.container.name, h.active]),
      [['bob-b', true]],
    );
    assert.equal(rows[0].free, false);
  });

  void it('leaves stopped containers out by default', () => {
    const rows = buildGpuModel({
      gpus: [gpu(0)],
      apps: [],
      pidToContainerId: new Map(),
      containers: [box('a', 'created', ['0'])],
    });
    assert.equal(rows[0].holders.length, 0);
  });
});
