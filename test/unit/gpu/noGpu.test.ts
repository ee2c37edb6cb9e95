import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySmiFailure,
  noNvidiaRuntimeReason,
  type SmiError,
  type SmiFailureReason,
} from '../../../src/core/gpu/noGpu';
import { fixture } from './fixtures';

void describe('classifySmiFailure', () => {
  const cases: [string, SmiError | null | undefined, SmiFailureReason, RegExp, RegExp][] = [
    [
      'ENOENT from execFile',
      { code: 'ENOENT', message: 'spawn nvidia-smi ENOENT' },
      'notFound',
      /^nvidia-smi not found/,
      /Install the NVIDIA driver/,
    ],
    ['127 from a shell', { code: 127, stderr: 'sh: 1: nvidia-smi: not found\n' }, 'notFound', /not found/, /driver/],
    ['bare 127', { code: 127 }, 'notFound', /not found/, /driver/],
    [
      'docker exec',
      {
        code: 126,
        stdout:
          'OCI runtime exec failed: exec failed: unable to start container process: exec: "nvidia-smi": executable file not found in $PATH',
      },
      'notFound',
      /not found/,
      /driver/,
    ],
    [
      'driver not loaded (stdout, as nvidia-smi prints it)',
      { code: 9, stdout: fixture('synthetic/error-driver-not-loaded.txt') },
      'driverNotLoaded',
      /not loaded/,
      /modprobe nvidia/,
    ],
    [
      'libnvidia-ml.so missing',
      { code: 127, stdout: fixture('synthetic/error-no-libnvidia-ml.txt') },
      'driverNotLoaded',
      /libnvidia-ml/,
      /Reinstall/,
    ],
    [
      'no devices (real)',
      { code: 6, stdout: fixture('h100/error-no-devices.txt') },
      'noDevices',
      /no NVIDIA GPUs/,
      /lspci/,
    ],
    [
      'version mismatch',
      { code: 18, stdout: fixture('synthetic/error-version-mismatch.txt') },
      'failed',
      /do not match/,
      /Reboot/,
    ],
    ['EACCES', { code: 'EACCES' }, 'failed', /permission denied/, /permissions/],
    [
      'NVML insufficient permissions',
      { code: 4, stdout: 'Failed to initialize NVML: Insufficient Permissions' },
      'failed',
      /permission denied/,
      /permissions/,
    ],
    [
      'bad field (real)',
      { code: 2, stdout: fixture('h100/error-bad-field.txt') },
      'failed',
      /^nvidia-smi failed: Field "bogus"/,
      /terminal/,
    ],
    ['only a code', { code: 3 }, 'failed', /^nvidia-smi failed: exit code 3$/, /terminal/],
    [
      'only a message',
      { message: 'Command failed: nvidia-smi\nboom' },
      'failed',
      /^nvidia-smi failed: Command failed: nvidia-smi$/,
      /terminal/,
    ],
    ['empty', {}, 'failed', /^nvidia-smi failed\.$/, /terminal/],
    ['null', null, 'failed', /^nvidia-smi failed\.$/, /terminal/],
    ['undefined', undefined, 'failed', /^nvidia-smi failed\.$/, /terminal/],
    [
      'wrong types',
      { code: {} as unknown as string, stderr: 5 as unknown as string, stdout: null as unknown as string },
      'failed',
      /^nvidia-smi failed/,
      /terminal/,
    ],
  ];
  for (const [name, err, reason, message, fix] of cases) {
    void test(name, () => {
      const r = classifySmiFailure(err);
      assert.equal(r.reason, reason);
      assert.match(r.message, message);
      assert.match(r.fix, fix);
    });
  }
  void test('a long first line is cut', () => {
    assert.ok(classifySmiFailure({ stdout: 'x'.repeat(1000) }).message.length < 250);
  });
});

void test('noNvidiaRuntimeReason names the toolkit, the configure command and the restart', () => {
  const r = noNvidiaRuntimeReason();
  assert.match(r.message, /no NVIDIA runtime/);
  assert.match(r.fix, /NVIDIA Container Toolkit/);
  assert.match(r.fix, /nvidia-ctk runtime configure --runtime=docker/);
  assert.match(r.fix, /restart Docker/);
});

void describe('classifySmiFailure names the nvidia-smi it tried', () => {
  void test('a configured path that does not exist: the path, and where to set another', () => {
    const f = classifySmiFailure(
      { code: 'ENOENT', message: 'spawn /opt/nv/bin/nvidia-smi ENOENT' },
      '/opt/nv/bin/nvidia-smi',
    );
    assert.equal(f.reason, 'notFound');
    assert.equal(f.message, 'nvidia-smi not found (tried /opt/nv/bin/nvidia-smi).');
    assert.match(f.fix, /gpuContainers\.gpus\.nvidiaSmiPath .*Remote settings/);
  });
  void test('on an ssh host: the host and the path, also for a shell that says "<path>: not found"', () => {
    const f = classifySmiFailure({ code: 127, stderr: 'sh: 1: /x/smi: not found' }, '/x/smi', 'gpubox2');
    assert.equal(f.message, 'nvidia-smi not found on gpubox2 (tried /x/smi).');
    const g = classifySmiFailure({ code: 1, stderr: 'sh: /x/smi: not found' }, '/x/smi');
    assert.equal(g.reason, 'notFound');
  });
  void test('without a path tried, the message is as before', () => {
    assert.equal(classifySmiFailure({ code: 'ENOENT' }).message, 'nvidia-smi not found.');
  });
});
