import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveEndpoint } from '../../../src/core/docker/endpoint';
import { toEngineError } from '../../../src/core/docker/errors';
import { cdiDevicesFor, toLibpodSpec } from '../../../src/core/podman/libpodSpec';
import { classifyPodmanError } from '../../../src/core/podman/podmanErrors';
import { displayTag, toContractEvent } from '../../../src/core/podman/podmanEngine';

const gpu = (r: Record<string, unknown>) => [{ Driver: '', Capabilities: [['gpu']], ...r }];

void describe('GPU requests → CDI device names', () => {
  for (const [what, reqs, want] of [
    ['all', gpu({ Count: -1 }), ['nvidia.com/gpu=all']],
    [
      'ids (also what the picker chose for free: N)',
      gpu({ DeviceIDs: ['1', 'GPU-abc'] }),
      ['nvidia.com/gpu=1', 'nvidia.com/gpu=GPU-abc'],
    ],
    ['count', gpu({ Count: 2 }), ['nvidia.com/gpu=0', 'nvidia.com/gpu=1']],
    ['nvidia driver', [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu', 'utility']] }], ['nvidia.com/gpu=all']],
    ['not a GPU request', [{ Driver: 'x', Count: -1, Capabilities: [['other']] }], []],
    ['none', undefined, []],
  ] as const) {
    void it(what, () => assert.deepEqual(cdiDevicesFor(reqs as never), want));
  }
});

void describe('toLibpodSpec', () => {
  void it('translates what profiles send, devices included', () => {
    const r = toLibpodSpec(
      {
        name: 'n1',
        Image: 'img:1',
        Cmd: ['sleep', '1'],
        Env: ['A=1', 'B=x=y'],
        Labels: { l: 'v' },
        Tty: true,
        OpenStdin: true,
        WorkingDir: '/w',
        HostConfig: {
          Binds: ['/src:/dst:ro', 'vol:/data'],
          PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
          ShmSize: 1024,
          IpcMode: 'host',
          RestartPolicy: { Name: 'no' },
          Ulimits: [{ Name: 'memlock', Soft: -1, Hard: -1 }],
          NanoCpus: 1_500_000_000,
          Memory: 1 << 30,
          DeviceRequests: gpu({ Count: -1 }),
        },
      },
      ['nvidia.com/gpu=all'],
    );
    assert.ok('spec' in r);
    assert.deepEqual(r.spec, {
      image: 'img:1',
      devices: [{ path: 'nvidia.com/gpu=all' }],
      name: 'n1',
      command: ['sleep', '1'],
      env: { A: '1', B: 'x=y' },
      labels: { l: 'v' },
      work_dir: '/w',
      terminal: true,
      stdin: true,
      mounts: [{ destination: '/dst', type: 'bind', source: '/src', options: ['rbind', 'ro'] }],
      volumes: [{ Name: 'vol', Dest: '/data', Options: [] }],
      portmappings: [{ container_port: 80, host_port: 8080, host_ip: '127.0.0.1', protocol: 'tcp' }],
      shm_size: 1024,
      ipcns: { nsmode: 'host' },
      r_limits: [{ type: 'RLIMIT_MEMLOCK', soft: -1, hard: -1 }],
      resource_limits: { memory: { limit: 1 << 30 }, cpu: { period: 100_000, quota: 150_000 } },
    });
  });

  void it('names what it cannot carry over instead of dropping it', () => {
    const r = toLibpodSpec({ Image: 'i', HostConfig: { CpusetCpus: '0-1', SecurityOpt: ['apparmor=x'] } }, [
      'nvidia.com/gpu=0',
    ]);
    assert.deepEqual(r, { unsupported: ['HostConfig.SecurityOpt apparmor=x', 'HostConfig.CpusetCpus'] });
  });
});

const podmanErr = (statusCode: number, message: string) => ({
  statusCode,
  json: { cause: 'x', message, response: statusCode },
  message: `(HTTP code ${statusCode}) server error - ${message}`,
});

void describe('classifyPodmanError (what Docker reading gets wrong)', () => {
  const cases: [string, ReturnType<typeof podmanErr>, string][] = [
    [
      'duplicate name (500)',
      podmanErr(
        500,
        'container create: creating container storage: the container name "dup" is already in use by abc. You have to remove that container to be able to reuse that name: that name is already in use',
      ),
      'conflict',
    ],
    [
      'exec in a stopped container',
      podmanErr(500, 'can only create exec sessions on running containers: container state improper'),
      'conflict',
    ],
    [
      'missing image',
      podmanErr(404, 'failed to find image x/nope:1: docker.io/x/nope:1: image not known'),
      'imageMissing',
    ],
    [
      'unknown CDI device',
      podmanErr(500, 'error setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=9'),
      'gpuUnavailable',
    ],
  ];
  for (const [what, err, kind] of cases) {
    void it(what, () => {
      assert.notEqual(toEngineError(err, {}).kind, kind, 'Docker reading alone gets it wrong');
      const e = classifyPodmanError(err, { image: 'x/nope:1' });
      assert.equal(e?.kind, kind);
      assert.ok(e.fix.length > 0);
    });
  }
  void it('the name of a duplicate comes back for the rename flow', () => {
    assert.equal(classifyPodmanError(cases[0][1], {})?.containerName, 'dup');
  });
  void it('leaves the rest to Docker reading', () => {
    assert.equal(classifyPodmanError(podmanErr(500, 'something else'), {}), undefined);
    assert.equal(classifyPodmanError({ code: 'ECONNREFUSED' }, {}), undefined);
  });
});

void describe('Podman events, tags and endpoints', () => {
  void it('remove → destroy; others unchanged', () => {
    const e = { type: 'container', action: 'remove', change: 'none' as const, id: 'a', attributes: {}, timeNano: '1' };
    assert.equal(toContractEvent(e).action, 'destroy');
    assert.equal(toContractEvent(e).change, 'removed', 'the row goes');
    assert.equal(toContractEvent({ ...e, type: 'image' }).action, 'remove');
    assert.equal(toContractEvent({ ...e, action: 'die' }).action, 'die');
  });
  void it('localhost/ tags read as name:tag', () => {
    assert.equal(displayTag('localhost/a/b:1'), 'a/b:1');
    assert.equal(displayTag('quay.io/a/b:1'), 'quay.io/a/b:1');
  });
  const base = { env: {}, homedir: '/h', readFile: () => undefined, platform: 'linux' as const };
  void it('a podman.sock address is a Podman endpoint whose terminals use podman with CONTAINER_HOST', () => {
    const { endpoint } = resolveEndpoint({ ...base, hostSetting: 'unix:///run/user/1000/podman/podman.sock' });
    assert.equal(endpoint.engine, 'podman');
    assert.equal(endpoint.cli, 'podman');
    assert.deepEqual(endpoint.terminalEnv, { CONTAINER_HOST: 'unix:///run/user/1000/podman/podman.sock' });
    const docker = resolveEndpoint({ ...base, hostSetting: 'unix:///var/run/docker.sock' }).endpoint;
    assert.equal(docker.engine, undefined);
    assert.deepEqual(docker.terminalEnv, { DOCKER_HOST: 'unix:///var/run/docker.sock' });
  });
  void it('the rootless socket is the default only when there is no Docker socket', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    const rootless = '/run/user/1000/podman/podman.sock';
    const only = (p: string) => p === rootless;
    assert.equal(resolveEndpoint({ ...base, env, exists: only }).endpoint.host, `unix://${rootless}`);
    assert.equal(resolveEndpoint({ ...base, env, exists: only }).endpoint.engine, 'podman');
    const both = () => true;
    assert.equal(resolveEndpoint({ ...base, env, exists: both }).endpoint.host, 'unix:///var/run/docker.sock');
    assert.equal(resolveEndpoint({ ...base, env: {}, exists: only }).endpoint.host, 'unix:///var/run/docker.sock');
  });
});
