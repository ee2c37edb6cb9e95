import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultProfileSettings,
  gpuRequestText,
  needsShmWarning,
  portConflicts,
  recreateWithoutGpu,
  runImageContainerName,
  uniqueContainerName,
  validateContainerName,
  withRandomHostPorts,
  withShmSize,
} from '../../../src/core/launchDecisions';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import { requestsGpu, withoutGpu } from '../../../src/core/docker/gpuRequests';
import type { ContainerDetails, ContainerSummary } from '../../../src/core/docker/engineTypes';
import { parseProfiles } from '../../../src/core/profiles';
import { redact, redactEnv } from '../../../src/core/secrets';
import { containerNameFromImage as nameFromImage } from '../../../src/core/profiles/imageName';
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

void describe('launch preflight helpers (conflicts, names, GPU labels, recreate without GPU)', () => {
  const running = (name: string, hostPort: number, state: ContainerSummary['state'] = 'running'): ContainerSummary => ({
    id: name.padEnd(64, '0'),
    name,
    image: 'i',
    imageId: 'sha256:0',
    command: '',
    state,
    status: '',
    created: 0,
    ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort }],
    mounts: [],
    labels: {},
  });
  void it('a fixed host port published by a running container is a conflict; a stopped one or a random port is not', () => {
    const options = {
      HostConfig: {
        PortBindings: {
          '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '8888' }],
          '6006/tcp': [{ HostPort: '' }],
          '53/udp': [{ HostPort: '8888' }],
        },
      },
    };
    const c = portConflicts(options, [running('jupyter', 8888), running('old', 6006, 'exited')]);
    assert.deepEqual(
      c.map((x) => [x.hostPort, x.protocol, x.container.name]),
      [[8888, 'tcp', 'jupyter']],
    );
    const fixed = withRandomHostPorts(options, c).HostConfig?.PortBindings as Record<string, { HostPort: string }[]>;
    assert.equal(fixed['8888/tcp'][0].HostPort, '');
    assert.equal(fixed['53/udp'][0].HostPort, '8888', 'udp is another port');
    assert.deepEqual(portConflicts({}, [running('x', 1)]), []);
  });
  void it('ports on different specific addresses do not collide; 0.0.0.0 collides with any address', () => {
    const on = (ip: string, port: number) => ({
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: ip, HostPort: String(port) }] } },
    });
    const holder = {
      ...running('other-ip', 8888),
      ports: [{ containerPort: 1, protocol: 'tcp', hostIp: '10.0.0.1', hostPort: 8888 }],
    };
    assert.deepEqual(portConflicts(on('127.0.0.1', 8888), [holder]), []);
    assert.equal(portConflicts(on('0.0.0.0', 8888), [holder])[0]?.container.name, 'other-ip');
    assert.equal(portConflicts(on('10.0.0.1', 8888), [holder])[0]?.container.name, 'other-ip');
  });
  void it('names from images, made unique', () => {
    assert.equal(nameFromImage('nvcr.io/nvidia/pytorch:24.05-py3'), 'pytorch');
    assert.equal(nameFromImage('localhost:5000/team/train@sha256:abc'), 'train');
    assert.equal(nameFromImage('_weird_'), 'weird_');
    assert.equal(nameFromImage(''), 'dev');
    assert.equal(uniqueContainerName('tom-pytorch', new Set(['tom-pytorch', 'tom-pytorch-2'])), 'tom-pytorch-3');
    assert.equal(uniqueContainerName('a-b', new Set()), 'a-b');
  });
  void it('Run Image names the container by the containerNameTemplate setting, as a launch does', () => {
    const ctx = { user: 'tom', uid: 1000, gid: 1000, userHome: '/home/tom', env: {}, workspaceFolder: '/w/proj' };
    const image = 'nvcr.io/nvidia/pytorch:24.01-py3';
    assert.equal(runImageContainerName(image, ctx, '${user}-${profile}', new Set()), 'tom-pytorch');
    assert.equal(
      runImageContainerName(image, ctx, 'lab-${workspaceFolderBasename}-${profile}', new Set()),
      'lab-proj-pytorch',
    );
    assert.equal(runImageContainerName(image, ctx, 'exp', new Set(['exp'])), 'exp-2');
  });
  void it('the GPU request as recorded in the label', () => {
    assert.equal(gpuRequestText('none'), undefined);
    assert.equal(gpuRequestText({ all: true }), 'all');
    assert.equal(gpuRequestText({ count: 2 }), '2');
    assert.equal(gpuRequestText({ devices: ['0', '3'] }), 'device=0,3');
    assert.equal(gpuRequestText({ free: { count: 2 } }), 'free=2');
  });
  void it('withoutGpu also drops the GPU labels; recreateWithoutGpu keeps the rest of the container', () => {
    const o = withoutGpu({
      Labels: { a: '1', [GPU_REQUEST_LABEL]: 'free=1', [GPU_UUIDS_LABEL]: 'GPU-x' },
      HostConfig: { DeviceRequests: [GPU] },
    });
    assert.deepEqual(o.Labels, { a: '1' });
    const r = recreateWithoutGpu({
      name: 'tom-bert',
      raw: {
        Config: { Image: 'img', Hostname: 'abc123', Env: ['A=1'], Labels: { [GPU_UUIDS_LABEL]: 'GPU-x', b: '2' } },
        HostConfig: { ShmSize: 5, DeviceRequests: [GPU], Binds: ['/a:/b'] },
      },
    } as unknown as ContainerDetails);
    assert.equal(r.name, 'tom-bert');
    assert.equal(r.Image, 'img');
    assert.equal((r as { Hostname?: string }).Hostname, undefined, 'a new hostname, not the old id');
    assert.deepEqual(r.Env, ['A=1']);
    assert.deepEqual(r.Labels, { b: '2' });
    assert.equal(r.HostConfig?.ShmSize, 5);
    assert.deepEqual(r.HostConfig?.Binds, ['/a:/b']);
    assert.equal(r.HostConfig?.DeviceRequests, undefined);
  });
});
