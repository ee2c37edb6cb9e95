import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileFromInspect, sizeText, toPortableDockerRun } from '../../../src/core/profiles';

const image = { Config: { Env: ['PATH=/usr/bin'], Cmd: ['bash'], WorkingDir: '/', Labels: { vendor: 'x' } } };
const container = {
  Id: 'abcdef0123456789',
  Name: '/ada-train',
  Config: {
    Image: 'nvcr.io/nvidia/pytorch:24.05-py3',
    Env: ['PATH=/usr/bin', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz', 'MODEL=llama'],
    Cmd: ['bash'],
    WorkingDir: '/workspace',
    Hostname: 'abcdef012345',
    Labels: { vendor: 'x', team: 'nlp', 'gpu-containers.owner': 'ada' },
    Volumes: { '/cache': {} },
  },
  HostConfig: {
    Binds: ['/home/ada/data:/data:ro'],
    DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']] }],
    ShmSize: 17179869184,
    IpcMode: 'private',
    NetworkMode: 'bridge',
    PortBindings: { '8888/tcp': [{ HostIp: '', HostPort: '8888' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    Ulimits: [{ Name: 'memlock', Soft: -1, Hard: -1 }],
    AutoRemove: false,
    NanoCpus: 1500000000,
    Memory: 0,
    Runtime: 'runc',
  },
};

void describe('profileFromInspect (a container back to a profile)', () => {
  const p = profileFromInspect(container, image);
  void it('keeps what was asked for and omits defaults', () => {
    assert.equal(p.name, 'ada-train');
    assert.deepEqual(p.gpus, { all: true });
    assert.equal(p.shmSize?.text, '16g');
    assert.equal(p.ipc, undefined);
    assert.equal(p.network, undefined);
    assert.equal(p.hostname, undefined, 'the generated hostname is a default');
    assert.equal(p.command, undefined, 'same Cmd as the image');
    assert.equal(p.workdir, '/workspace');
    assert.deepEqual(Object.keys(p.env), ['HF_TOKEN', 'MODEL'], 'image env omitted');
    assert.deepEqual(p.labels, { team: 'nlp' }, 'image and extension labels omitted');
    assert.deepEqual(
      p.ports.map((x) => x.text),
      ['8888:8888', '127.0.0.1::53/udp'],
    );
    assert.deepEqual(
      p.volumes.map((v) => v.text),
      ['/home/ada/data:/data:ro', '/cache'],
    );
    assert.equal(p.cpus?.text, '1.5');
    assert.equal(p.runtime, undefined);
  });
  void it('Copy as docker run never writes the secret value', () => {
    const line = toPortableDockerRun(p).text;
    assert.ok(!line.includes('hf_abc'), line);
    assert.match(line, / -e HF_TOKEN /);
    assert.match(line, / -e MODEL=llama /);
  });
  void it('never throws on junk', () => {
    for (const junk of [undefined, null, {}, { Config: 5 }, { HostConfig: { PortBindings: { x: null } } }])
      assert.doesNotThrow(() => profileFromInspect(junk as never));
  });
  void it('sizeText', () => {
    assert.deepEqual(
      [sizeText(67108864).text, sizeText(1536 * 1024 ** 2).text, sizeText(1000).text],
      ['64m', '1536m', '1000'],
    );
  });
});
