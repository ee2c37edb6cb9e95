import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCuda, cudaMajorMinor, formatCudaCheck, imageCudaVersion } from '../../../src/core/gpu/cuda';
import { parseSmiHeader } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';

void describe('imageCudaVersion', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['nvidia/cuda env', { env: ['PATH=/usr/bin', 'NVARCH=x86_64', 'CUDA_VERSION=12.4.1'], labels: {} }, '12.4.1'],
    ['label', { env: [], labels: { 'com.nvidia.cuda.version': '11.8.0' } }, '11.8.0'],
    [
      'env wins over label',
      { env: ['CUDA_VERSION=12.1.0'], labels: { 'com.nvidia.cuda.version': '11.8.0' } },
      '12.1.0',
    ],
    ['last env entry wins', { env: ['CUDA_VERSION=11.0', 'CUDA_VERSION=12.2'], labels: {} }, '12.2'],
    [
      'NVIDIA_REQUIRE_CUDA',
      { env: ['NVIDIA_REQUIRE_CUDA=cuda>=12.4 brand=tesla,driver>=470,driver<471'], labels: {} },
      '12.4',
    ],
    [
      'unreadable env falls back to label',
      { env: ['CUDA_VERSION=latest'], labels: { 'com.nvidia.cuda.version': '12.0' } },
      '12.0',
    ],
    ['no CUDA', { env: ['PATH=/bin'], labels: { a: 'b' } }, undefined],
    ['missing fields', {}, undefined],
    ['wrong types', { env: 'CUDA_VERSION=12.4', labels: 5 }, undefined],
    ['null', null, undefined],
  ];
  for (const [name, image, want] of cases) {
    void test(name, () => assert.equal(imageCudaVersion(image as Parameters<typeof imageCudaVersion>[0]), want));
  }
});

void describe('cudaMajorMinor', () => {
  const cases: [unknown, [number, number] | undefined][] = [
    ['12.4.1', [12, 4]],
    ['12.10', [12, 10]],
    [' 13.0 ', [13, 0]],
    ['12', undefined],
    ['N/A', undefined],
    [undefined, undefined],
  ];
  for (const [v, want] of cases) void test(String(v), () => assert.deepEqual(cudaMajorMinor(v), want));
});

void describe('compareCuda', () => {
  const cases: [string | undefined, string | undefined, boolean, 'ok' | 'tooNew' | 'unknown'][] = [
    ['12.4.1', '12.3', false, 'tooNew'],
    ['12.4.1', '12.4', true, 'ok'],
    ['12.4.1', '13.0', true, 'ok'],
    ['12.10', '12.9', false, 'tooNew'],
    ['12.9', '12.10', true, 'ok'],
    ['13.0', '12.9', false, 'tooNew'],
    ['11.8.0', '12.2', true, 'ok'],
    [undefined, '12.2', true, 'unknown'],
    ['12.2', undefined, true, 'unknown'],
    ['latest', 'N/A', true, 'unknown'],
  ];
  for (const [img, drv, ok, code] of cases) {
    void test(`${img} on ${drv}`, () => {
      const r = compareCuda(img, drv);
      assert.equal(r.ok, ok);
      assert.equal(r.code, code);
      assert.equal(r.message !== undefined, !ok);
    });
  }
  void test('the message, with major.minor only', () => {
    const r = compareCuda('12.4.1', '12.3');
    assert.deepEqual(r, {
      ok: false,
      code: 'tooNew',
      imageVersion: '12.4',
      driverVersion: '12.3',
      message:
        'This image needs CUDA 12.4, but the driver supports up to CUDA 12.3. Update the NVIDIA driver to one that supports CUDA 12.4, or use an image built for CUDA 12.3 or older.',
    });
    assert.equal(formatCudaCheck(r), r.message);
  });
  void test('formatCudaCheck says nothing when ok', () =>
    assert.equal(formatCudaCheck(compareCuda('12.0', '13.0')), undefined));
  void test('with the real H100 banner', () => {
    const { cudaVersion } = parseSmiHeader(fixture('h100/nvidia-smi.txt'));
    assert.equal(compareCuda('12.8.1', cudaVersion).ok, true);
    assert.equal(compareCuda('13.1.0', cudaVersion).ok, false);
  });
});
