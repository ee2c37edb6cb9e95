import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../../src/core/docker/endpoint';
import type { GpuEngine } from '../../../src/core/gpu/snapshot';
import { gpuTargetOf, HostGpuReader } from '../../../src/core/hosts/hostGpuReader';
import { resolveHosts } from '../../../src/core/hosts/endpoints';
import { hostsFromInspect } from '../../../src/core/hosts/hostsInspect';
import type { ProcessResult } from '../../../src/core/hosts/remoteGpu';

const ID = 'b'.repeat(64);
/** What the remote script prints on a host with one H100 and one process in a container. */
const REMOTE = [
  '@@gpuc@@start',
  '0, GPU-11111111-2222-3333-4444-555555555555, NVIDIA H100 80GB HBM3, 40210, 81559, 97, 40, 580.1, Disabled, 0:1',
  '@@gpuc@@list',
  '@@gpuc@@apps',
  'GPU-11111111-2222-3333-4444-555555555555, 77, 40200',
  '@@gpuc@@user 77 ann',
  '@@gpuc@@pid 77',
  `0::/system.slice/docker-${ID}.scope`,
  '@@gpuc@@header',
  '| NVIDIA-SMI 580.82.07    Driver Version: 580.82.07    CUDA Version: 13.0 |',
  '@@gpuc@@end',
].join('\n');

function inputs(hostSetting?: string) {
  return { hostSetting, env: {}, homedir: '/nonexistent', readFile: () => undefined };
}

function reader(hasNvidiaRuntime = true) {
  const ssh: string[][] = [];
  const here: string[] = [];
  const engine = { info: () => Promise.resolve({ hasNvidiaRuntime }) } as unknown as GpuEngine;
  const r = new HostGpuReader({
    run: (file, args) => {
      here.push([file, ...args].join(' '));
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOENT' }));
    },
    runProcess: (file, args): Promise<ProcessResult> => {
      ssh.push([file, ...args]);
      return Promise.resolve({ code: 0, stdout: REMOTE, stderr: '' });
    },
    readFile: () => Promise.reject(new Error('ENOENT')),
    engine,
  });
  return { r, ssh, here };
}

void describe('gpuTargetOf: where a host’s GPUs are read', () => {
  void it('the single host of gpuContainers.host = ssh://gpubox is an ssh target (no probe)', () => {
    const [host] = resolveHosts([], inputs('ssh://gpubox'));
    assert.deepEqual(gpuTargetOf(host), { host: 'ssh://gpubox', local: false, ssh: { destination: 'gpubox' } });
  });

  void it('an ssh host listed first keeps its nvidiaSmi field; a bare ssh endpoint works too', () => {
    const parsed = hostsFromInspect({
      globalValue: [
        { name: 'box', host: 'ssh://ann@gpubox:2222', nvidiaSmi: '/opt/nv/nvidia-smi' },
        { name: 'local', host: 'unix:///var/run/docker.sock' },
      ],
    });
    const [first] = resolveHosts(parsed.hosts, inputs());
    const t = gpuTargetOf(first);
    assert.deepEqual(t.ssh, { destination: 'ann@gpubox', port: 2222 });
    assert.equal(t.remoteNvidiaSmi, '/opt/nv/nvidia-smi');
    assert.equal(t.local, false);
    const bare: Endpoint = { host: 'ssh://gpubox', kind: 'ssh', source: 'setting' } as Endpoint;
    assert.deepEqual(gpuTargetOf({ endpoint: bare }).ssh, { destination: 'gpubox' });
  });

  void it('unix sockets and loopback tcp are local; remote tcp is neither local nor ssh (the probe)', () => {
    const [unix] = resolveHosts([], inputs('unix:///var/run/docker.sock'));
    assert.equal(gpuTargetOf(unix).local, true);
    const [loop] = resolveHosts([], inputs('tcp://127.0.0.1:2375'));
    assert.equal(gpuTargetOf(loop).local, true);
    const [far] = resolveHosts([], inputs('tcp://gpubox:2375'));
    assert.deepEqual(gpuTargetOf(far), { host: 'tcp://gpubox:2375', local: false });
  });
});

void describe('HostGpuReader: one path for every host', () => {
  void it('an ssh host runs nvidia-smi there in one ssh round trip; processes map to containers and memory', async () => {
    const { r, ssh, here } = reader();
    const [host] = resolveHosts([], inputs('ssh://gpubox'));
    const snap = await r.read(gpuTargetOf(host), { smiPath: 'nvidia-smi' });
    assert.equal(ssh.length, 1);
    assert.equal(ssh[0][0], 'ssh');
    assert.ok(ssh[0].includes('gpubox'), JSON.stringify(ssh[0]));
    assert.deepEqual(here, [], 'nothing runs on this machine');
    assert.equal(snap.source, 'host');
    assert.equal(snap.unavailable, undefined);
    assert.equal(snap.gpus.length, 1);
    assert.equal(snap.pidToContainerId.get(77), ID);
    assert.equal(snap.pidToUser.get(77), 'ann');
    assert.equal(snap.apps[0].usedMemoryMiB, 40200);
    assert.equal(snap.driverCuda, '13.0');
  });

  void it('an ssh host whose engine has no NVIDIA runtime says so, as a local one does (rows still shown)', async () => {
    const { r } = reader(false);
    const snap = await r.read(gpuTargetOf(resolveHosts([], inputs('ssh://gpubox'))[0]), { smiPath: 'nvidia-smi' });
    assert.equal(snap.gpus.length, 1);
    assert.match(snap.unavailable?.message ?? '', /no NVIDIA runtime/);
  });

  void it('the banner is read once per ssh host and kept; invalidate() reads it again', async () => {
    const { r, ssh } = reader();
    const target = gpuTargetOf(resolveHosts([], inputs('ssh://gpubox'))[0]);
    await r.read(target, { smiPath: 'nvidia-smi' });
    const again = await r.read(target, { smiPath: 'nvidia-smi' });
    const script = (i: number) => ssh[i].at(-1) ?? '';
    assert.match(script(0), /@@gpuc@@header/);
    assert.doesNotMatch(script(1), /@@gpuc@@header/);
    assert.equal(again.driverCuda, '13.0', 'kept from the first read');
    r.invalidate();
    await r.read(target, { smiPath: 'nvidia-smi' });
    assert.match(script(2), /@@gpuc@@header/);
  });

  void it('the nvidiaSmi field of an ssh host is what runs there', async () => {
    const { r, ssh } = reader();
    await r.read(
      { host: 'ssh://gpubox', local: false, ssh: { destination: 'gpubox' }, remoteNvidiaSmi: '/x/smi' },
      {
        smiPath: 'nvidia-smi',
      },
    );
    assert.match(ssh[0].at(-1) ?? '', /\/x\/smi --query-gpu/);
  });

  void it('a remote tcp:// engine without a probe image says how to read its GPUs; no ssh, no local nvidia-smi', async () => {
    const { r, ssh, here } = reader();
    const snap = await r.read(gpuTargetOf(resolveHosts([], inputs('tcp://gpubox:2375'))[0]), {
      smiPath: 'nvidia-smi',
    });
    assert.deepEqual([ssh.length, here.length], [0, 0]);
    assert.match(snap.unavailable?.fix ?? '', /probeImage/);
  });

  void it('a local engine reads nvidia-smi here (and never ssh)', async () => {
    const { r, ssh, here } = reader();
    const snap = await r.read(gpuTargetOf(resolveHosts([], inputs('unix:///var/run/docker.sock'))[0]), {
      smiPath: '/opt/smi',
    });
    assert.equal(ssh.length, 0);
    assert.match(here[0] ?? '', /^\/opt\/smi --query-gpu/);
    assert.match(snap.unavailable?.message ?? '', /nvidia-smi/);
  });
});
