import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyGpuStartError, gpuPreflight } from '../../../src/core/gpu/preflight';
import { parseGpuQuery } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';
import { container, dev } from './helpers';

const ONE = parseGpuQuery(fixture('h100/query-gpu.csv')).gpus;
const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;

void describe('gpuPreflight', () => {
  void test('says all that is wrong at once: no runtime, CUDA too new, and a holder', () => {
    const f = gpuPreflight({
      request: dev('3'),
      image: { env: ['CUDA_VERSION=13.1.0'] },
      driverCuda: '13.0',
      hasNvidiaRuntime: false,
      gpus: GPUS8,
      containers: [container('tom-bert', dev('3'), { owner: 'tom' }), container('old', dev('3'), { state: 'exited' })],
    });
    assert.deepEqual(
      f.map((x) => x.code),
      ['noRuntime', 'cudaTooNew', 'held'],
    );
    assert.match(f[0].message, /nvidia-ctk/);
    assert.match(f[1].message, /needs CUDA 13\.1, but the driver supports up to CUDA 13\.0\. Update/);
    assert.equal(f[2].message, 'GPU 3 is held by tom-bert (owner tom).');
  });
  void test('gpus: 99 on a 1-GPU host, and device=abc, are flagged against the host', () => {
    assert.equal(ONE.length, 1);
    const many = gpuPreflight({
      request: { kind: 'count', count: 99, source: 'deviceRequests' },
      gpus: ONE,
      containers: [],
    });
    assert.deepEqual(
      many.map((x) => x.code),
      ['tooMany'],
    );
    assert.match(many[0].message, /asks for 99 GPUs, but this host has 1/);
    const abc = gpuPreflight({ request: dev('abc'), gpus: ONE, containers: [] });
    assert.deepEqual(
      abc.map((x) => x.code),
      ['noSuchGpu'],
    );
    assert.match(abc[0].message, /no GPU abc on this host: it has GPUs 0\./);
    assert.match(gpuPreflight({ request: dev('0', '9'), gpus: GPUS8, containers: [] })[0].message, /GPUs 0–7/);
  });
  void test('unknown host GPUs: no existence check; no request: nothing', () => {
    assert.deepEqual(gpuPreflight({ request: dev('abc'), gpus: [], containers: [] }), []);
    assert.deepEqual(gpuPreflight({ request: undefined, hasNvidiaRuntime: false, gpus: ONE, containers: [] }), []);
    assert.deepEqual(gpuPreflight({ request: dev(ONE[0].uuid), gpus: ONE, containers: [] }), []);
  });
});

void describe('classifyGpuStartError', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Error response from daemon: could not select device driver "" with capabilities: [[gpu]]', 'noRuntime'],
    [
      "OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: device error: abc: unknown device: unknown",
      'noSuchGpu',
    ],
    [
      'nvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.4, please update your driver',
      'cudaTooNew',
    ],
    ['nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown', 'driver'],
    ['port is already allocated', undefined],
  ];
  for (const [text, kind] of cases)
    void test(kind ?? 'other', () => {
      const c = classifyGpuStartError(text);
      assert.equal(c?.kind, kind);
      if (c) assert.ok(c.fix.length > 0 && c.message.length < 200);
    });
  void test('device error names the device', () =>
    assert.match(
      classifyGpuStartError('nvidia-container-cli: device error: 7: unknown device')?.message ?? '',
      /GPU 7/,
    ));
  void test('junk', () => assert.equal(classifyGpuStartError(undefined), undefined));
});
