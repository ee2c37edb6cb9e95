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

void describe('profileFromInspect: the long tail the oracle found missing', () => {
  const c = {
    Id: '0123456789abcdef',
    Name: '/self',
    Config: { Image: 'busybox', MacAddress: '02:42:ac:11:00:99' },
    HostConfig: {
      NetworkMode: 'lab',
      CgroupnsMode: 'private',
      KernelMemory: 67108864,
      Isolation: 'default',
      BlkioWeightDevice: [{ Path: '/dev/vda', Weight: 200 }],
      BlkioDeviceReadBps: [{ Path: '/dev/vda', Rate: 1048576 }],
      BlkioDeviceWriteBps: [{ Path: '/dev/vda', Rate: 2097152 }],
      BlkioDeviceReadIOps: [{ Path: '/dev/vda', Rate: 100 }],
      BlkioDeviceWriteIOps: null,
      Links: ['/db:/self/db', '/cache:/self/redis'],
    },
    NetworkSettings: {
      Networks: {
        lab: {
          IPAMConfig: { IPv4Address: '172.31.0.9', IPv6Address: 'fd00::9', LinkLocalIPs: ['169.254.9.9'] },
          Aliases: ['trainer', '0123456789ab'],
        },
      },
    },
  };
  void it('block IO limits, links, the endpoint of a user-defined network, MAC, kernel memory, isolation', () => {
    assert.deepEqual(profileFromInspect(c, undefined, { cgroupVersion: '1' }).extra, {
      isolation: 'default',
      'kernel-memory': '64m',
      'mac-address': '02:42:ac:11:00:99',
      cgroupns: 'private',
      'blkio-weight-device': ['/dev/vda:200'],
      'device-read-bps': ['/dev/vda:1m'],
      'device-write-bps': ['/dev/vda:2m'],
      'device-read-iops': ['/dev/vda:100'],
      link: ['db', 'cache:redis'],
      ip: '172.31.0.9',
      ip6: 'fd00::9',
      'link-local-ip': ['169.254.9.9'],
      'network-alias': ['trainer'],
    });
  });
  void it("the cgroupns mode is left out only where it is the engine's default", () => {
    const mode = (m: string, v?: string) =>
      profileFromInspect({ ...c, HostConfig: { CgroupnsMode: m } }, undefined, { cgroupVersion: v }).extra?.cgroupns;
    assert.equal(mode('host', '1'), undefined);
    assert.equal(mode('private', '1'), 'private');
    assert.equal(mode('private', '2'), undefined);
    assert.equal(mode('host', '2'), 'host');
    assert.equal(mode('host'), 'host', 'unknown engine: written');
  });
});
