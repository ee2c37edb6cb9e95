import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROBE_LABEL, probeCreateOptions } from '../../../src/core/gpu/probe';
import { queryGpuArgs } from '../../../src/core/gpu/smi';

void test('probeCreateOptions asks for all GPUs and runs the GPU query', () => {
  assert.deepEqual(probeCreateOptions('nvidia/cuda:12.4.1-base-ubuntu22.04'), {
    Image: 'nvidia/cuda:12.4.1-base-ubuntu22.04',
    Entrypoint: ['nvidia-smi'],
    Cmd: queryGpuArgs(),
    Labels: { [PROBE_LABEL]: '1' },
    HostConfig: {
      AutoRemove: false,
      NetworkMode: 'none',
      DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} }],
    },
  });
});

void test('the probe label is gpu-containers.probe and the output is machine-readable', () => {
  const o = probeCreateOptions('x');
  assert.equal(o.Labels['gpu-containers.probe'], '1');
  assert.ok(o.Cmd.includes('--format=csv,noheader,nounits'));
});

void test('calls do not share arrays', () => {
  const a = probeCreateOptions('x');
  a.Cmd.push('--oops');
  a.HostConfig.DeviceRequests[0].Capabilities[0].push('oops');
  assert.deepEqual(probeCreateOptions('x').Cmd, queryGpuArgs());
  assert.deepEqual(probeCreateOptions('x').HostConfig.DeviceRequests[0].Capabilities, [['gpu']]);
});
