import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultProfileSettings,
  needsShmWarning,
  requestsGpu,
  validateContainerName,
  withoutGpu,
  withShmSize,
} from '../../../src/core/launch';
import { parseProfiles } from '../../../src/core/profiles';
import { redact, redactEnv } from '../../../src/core/logger';
import { attachArgs, execArgs, logsArgs } from '../../../src/core/terminalArgs';

const GPU = { Driver: '', Count: -1, Capabilities: [['gpu']], Options: {} };

void describe('launch decisions', () => {
  void it('container names follow docker', () => {
    for (const ok of ['ab', 'tom-bert', 'a.b_c-1']) assert.equal(validateContainerName(ok), undefined, ok);
    for (const bad of ['', 'a', '-x', 'has space', 'ü-name', 'a/b']) assert.ok(validateContainerName(bad), bad);
  });

  void it('defaults: all GPUs only with an NVIDIA runtime, 16g shm, the workspace at /workspace', () => {
    const s = defaultProfileSettings('nvcr.io/nvidia/pytorch:24.05-py3', { gpus: true, hasWorkspace: true });
    assert.deepEqual(s, {
      name: 'pytorch',
      image: 'nvcr.io/nvidia/pytorch:24.05-py3',
      gpus: 'all',
      shmSize: '16g',
      containerName: '${user}-${workspaceFolderBasename}',
      volumes: ['${workspaceFolder}:/workspace'],
      workdir: '/workspace',
    });
    assert.equal(defaultProfileSettings('busybox', { gpus: false, hasWorkspace: false }).gpus, 'none');
    const parsed = parseProfiles([s]);
    assert.deepEqual(parsed.problems, [], 'the defaults are a valid profile');
  });

  void it('the /dev/shm warning: GPUs with the 64 MB default and no ipc host', () => {
    assert.equal(needsShmWarning({ HostConfig: { DeviceRequests: [GPU] } }), true);
    assert.equal(needsShmWarning({ HostConfig: { DeviceRequests: [GPU], ShmSize: 64 * 1024 * 1024 } }), true);
    assert.equal(needsShmWarning({ HostConfig: { DeviceRequests: [GPU], ShmSize: 16 * 1024 ** 3 } }), false);
    assert.equal(needsShmWarning({ HostConfig: { DeviceRequests: [GPU], IpcMode: 'host' } }), false);
    assert.equal(needsShmWarning({ HostConfig: {} }), false);
    assert.equal(withShmSize({ HostConfig: { DeviceRequests: [GPU] } }, 5).HostConfig?.ShmSize, 5);
  });

  void it('Launch without GPU drops only the GPU request', () => {
    const other = { Driver: 'other', Count: 1, Capabilities: [['fpga']] };
    assert.equal(requestsGpu({ HostConfig: { DeviceRequests: [GPU] } }), true);
    assert.deepEqual(withoutGpu({ Image: 'x', HostConfig: { DeviceRequests: [GPU, other], ShmSize: 1 } }), {
      Image: 'x',
      HostConfig: { DeviceRequests: [other], ShmSize: 1 },
    });
    assert.equal(withoutGpu({ HostConfig: { DeviceRequests: [GPU] } }).HostConfig?.DeviceRequests, undefined);
    assert.equal(requestsGpu(withoutGpu({ HostConfig: { DeviceRequests: [GPU] } })), false);
  });
});

void describe('terminal argv (never shell strings)', () => {
  void it('docker exec -it [-u] [-w] id shell', () => {
    assert.deepEqual(execArgs({ containerId: 'abc', shell: 'bash' }), ['exec', '-it', 'abc', 'bash']);
    assert.deepEqual(execArgs({ containerId: 'abc', shell: 'sh', user: '1000:1000', workdir: '/work space' }), [
      'exec',
      '-it',
      '-u',
      '1000:1000',
      '-w',
      '/work space',
      'abc',
      'sh',
    ]);
    assert.deepEqual(attachArgs('abc'), ['attach', '--detach-keys', 'ctrl-],q', 'abc']);
    assert.deepEqual(logsArgs('abc'), ['logs', '-f', '--tail', '500', 'abc']);
  });
});

void describe('secrets never reach the log', () => {
  void it('redacts NAME=value and JSON pairs with secret-looking names, and auth headers', () => {
    assert.equal(redact('docker run -e HF_TOKEN=hf_abc -e FOO=bar img'), 'docker run -e HF_TOKEN=*** -e FOO=bar img');
    assert.equal(redact('{"WANDB_API_KEY": "xyz", "name": "a"}'), '{"WANDB_API_KEY": "***", "name": "a"}');
    assert.equal(redact('Authorization: Bearer abc.def'), 'Authorization: ***');
    assert.deepEqual(redactEnv(['AWS_SECRET_ACCESS_KEY=1', 'PATH=/bin', 'DB_PASSWORD=x=y']), [
      'AWS_SECRET_ACCESS_KEY=***',
      'PATH=/bin',
      'DB_PASSWORD=***',
    ]);
  });
});
