import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ContainerDetails } from '../../../src/core/docker/engineTypes';
import { PROBE_LABEL } from '../../../src/core/gpu/probe';
import { GpuSnapshotReader, parsePasswd, uidFromStatus, type GpuEngine } from '../../../src/core/gpu/snapshot';
import { fixture } from './fixtures';

const ID = 'a'.repeat(64);

function host(overrides: Record<string, string | Error> = {}) {
  const calls: string[] = [];
  const outputs: Record<string, string | Error> = {
    '--query-gpu': fixture('synthetic/query-gpu-8.csv'),
    '--query-compute-apps': fixture('synthetic/query-apps-8.csv'),
    '': fixture('h100/nvidia-smi.txt'),
    topo: fixture('synthetic/topo-m-8-pcie.txt'),
    ...overrides,
  };
  const run = (file: string, args: string[]): Promise<string> => {
    calls.push([file, ...args].join(' '));
    const key = args.length === 0 ? '' : args[0] === 'topo' ? 'topo' : args[0].replace(/=.*/, '');
    const out = outputs[key];
    if (out instanceof Error) return Promise.reject(out);
    if (out === undefined) return Promise.reject(Object.assign(new Error('unexpected'), { code: 2, stdout: '' }));
    return Promise.resolve(out);
  };
  const files: Record<string, string> = {
    '/proc/2101/cgroup': `0::/system.slice/docker-${ID}.scope\n`,
    '/proc/2101/status': 'Name:\tpython3\nUid:\t1001\t1001\t1001\t1001\n',
    '/proc/4400/status': 'Name:\tpython3\nUid:\t1002\t1002\t1002\t1002\n',
    '/proc/3300/status': 'Uid:\t4242\t4242\t4242\t4242\n',
    '/etc/passwd':
      'root:x:0:0::/root:/bin/sh\nalice:x:1001:1001::/home/alice:/bin/bash\nbob:x:1002:1002::/home/bob:/bin/bash\n',
  };
  const readFile = (p: string): Promise<string> =>
    p in files ? Promise.resolve(files[p]) : Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
  return { run, readFile, calls };
}

function engine(over: Partial<GpuEngine> = {}): GpuEngine & { log: string[] } {
  const log: string[] = [];
  const e: GpuEngine = {
    info: () => Promise.resolve({ hasNvidiaRuntime: true } as Awaited<ReturnType<GpuEngine['info']>>),
    createContainer: (o) => {
      log.push(`create ${JSON.stringify(o.Labels)} ${String(o.Entrypoint)}`);
      return Promise.resolve('probe1');
    },
    startContainer: (id) => Promise.resolve(void log.push(`start ${id}`)),
    inspectContainer: () => Promise.resolve({ state: 'exited', exitCode: 0 } as ContainerDetails),
    logs: (_id, _o, cb) => Promise.resolve(cb('stdout', fixture('synthetic/query-gpu-8.csv'))),
    removeContainer: (id) => Promise.resolve(void log.push(`remove ${id}`)),
    ...over,
  };
  return Object.assign(e, { log });
}

void describe('GpuSnapshotReader, host path', () => {
  void test('reads GPUs, processes, their containers and users, the driver CUDA and the topology', async () => {
    const h = host();
    const r = new GpuSnapshotReader({ run: h.run, readFile: h.readFile, engine: engine() });
    const s = await r.read({ local: true, smiPath: '/x/nvidia-smi', host: 'local' });
    assert.equal(s.source, 'host');
    assert.equal(s.gpus.length, 8);
    assert.equal(s.apps.length, 5);
    assert.equal(s.pidToContainerId.get(2101), ID);
    assert.equal(s.pidToContainerId.has(4400), false);
    assert.equal(s.pidToUser.get(2101), 'alice');
    assert.equal(s.pidToUser.get(4400), 'bob');
    assert.equal(s.pidToUser.get(3300), '4242', 'an unknown uid is shown as the number');
    assert.equal(s.pidToUser.has(2202), false, 'a gone process has no user');
    assert.equal(s.driverCuda, '13.0');
    assert.equal(s.topology?.gpus.length, 8);
    assert.equal(s.unavailable, undefined);
    // The banner and the topology are read once.
    await r.read({ local: true, smiPath: '/x/nvidia-smi', host: 'local' });
    assert.equal(h.calls.filter((c) => c.endsWith('topo -m')).length, 1);
    assert.equal(h.calls.filter((c) => c === '/x/nvidia-smi').length, 1);
    r.invalidate();
    await r.read({ local: true, smiPath: '/x/nvidia-smi', host: 'local' });
    assert.equal(h.calls.filter((c) => c === '/x/nvidia-smi').length, 2);
  });
  void test('nvidia-smi missing: no rows, the reason and the fix', async () => {
    const h = host({ '--query-gpu': Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }) });
    const s = await new GpuSnapshotReader({ run: h.run, readFile: h.readFile, engine: engine() }).read({
      local: true,
      smiPath: 'nvidia-smi',
      host: 'local',
    });
    assert.equal(s.gpus.length, 0);
    assert.match(s.unavailable?.message ?? '', /nvidia-smi not found/);
    assert.match(s.unavailable?.fix ?? '', /Install the NVIDIA driver/);
  });
  void test('GPUs but no NVIDIA runtime: rows and the toolkit fix', async () => {
    const h = host();
    const e = engine({
      info: () => Promise.resolve({ hasNvidiaRuntime: false } as Awaited<ReturnType<GpuEngine['info']>>),
    });
    const s = await new GpuSnapshotReader({ run: h.run, readFile: h.readFile, engine: e }).read({
      local: true,
      smiPath: 'nvidia-smi',
      host: 'local',
    });
    assert.equal(s.gpus.length, 8);
    assert.match(s.unavailable?.fix ?? '', /nvidia-ctk runtime configure/);
  });
});

void describe('GpuSnapshotReader, probe path (remote engine)', () => {
  const remote = { local: false, smiPath: 'nvidia-smi', host: 'tcp://gpu1:2376' };
  void test('no probe image: says the engine is remote and how to opt in, and touches nothing', async () => {
    const e = engine();
    const s = await new GpuSnapshotReader({ run: host().run, readFile: host().readFile, engine: e }).read(remote);
    assert.equal(s.source, 'none');
    assert.match(s.unavailable?.message ?? '', /remote \(tcp:\/\/gpu1:2376\)/);
    assert.deepEqual(e.log, []);
  });
  void test('creates, starts, waits for, reads and removes the probe container', async () => {
    let polls = 0;
    const e = engine({
      inspectContainer: () =>
        Promise.resolve({ state: polls++ < 2 ? 'running' : 'exited', exitCode: 0 } as ContainerDetails),
    });
    const h = host();
    const s = await new GpuSnapshotReader({ run: h.run, readFile: h.readFile, engine: e, sleep: async () => {} }).read({
      ...remote,
      probeImage: 'nvidia/cuda:12.4.1-base-ubuntu22.04',
    });
    assert.equal(s.source, 'probe');
    assert.equal(s.gpus.length, 8);
    assert.deepEqual(h.calls, [], 'nothing runs on this machine');
    assert.match(e.log[0], new RegExp(PROBE_LABEL.replace('.', '\\.')));
    assert.deepEqual(e.log.slice(1), ['start probe1', 'remove probe1']);
    assert.equal(polls, 3);
  });
  void test('a failing probe is classified from its output, and still removed', async () => {
    const e = engine({
      inspectContainer: () => Promise.resolve({ state: 'exited', exitCode: 9 } as ContainerDetails),
      logs: (_id, _o, cb) => Promise.resolve(cb('stdout', fixture('synthetic/error-driver-not-loaded.txt'))),
    });
    const s = await new GpuSnapshotReader({ run: host().run, readFile: host().readFile, engine: e }).read({
      ...remote,
      probeImage: 'cuda',
    });
    assert.match(s.unavailable?.message ?? '', /driver is not loaded/);
    assert.ok(e.log.includes('remove probe1'));
  });
  void test('a probe that never exits times out and is removed', async () => {
    let clock = 0;
    const e = engine({ inspectContainer: () => Promise.resolve({ state: 'running' } as ContainerDetails) });
    const s = await new GpuSnapshotReader({
      run: host().run,
      readFile: host().readFile,
      engine: e,
      now: () => clock,
      sleep: (ms) => Promise.resolve(void (clock += ms)),
    }).read({ ...remote, probeImage: 'cuda', probeTimeoutMs: 1000 });
    assert.equal(s.gpus.length, 0);
    assert.ok(s.unavailable);
    assert.ok(e.log.includes('remove probe1'));
  });
  void test('an engine error (image missing) becomes the engine error sentence', async () => {
    const e = engine({
      createContainer: () =>
        Promise.reject(
          Object.assign(new Error('(HTTP code 404) no such image - No such image: cuda:nope'), { statusCode: 404 }),
        ),
    });
    const s = await new GpuSnapshotReader({ run: host().run, readFile: host().readFile, engine: e }).read({
      ...remote,
      probeImage: 'cuda:nope',
    });
    assert.equal(s.gpus.length, 0);
    assert.ok((s.unavailable?.message ?? '').length > 0);
    assert.deepEqual(e.log, [], 'nothing to remove');
  });
});

void describe('passwd and status', () => {
  void test('parse', () => {
    assert.equal(parsePasswd('a:x:5:5::/:/bin/sh\nbroken\n').get(5), 'a');
    assert.equal(parsePasswd(undefined).size, 0);
    assert.equal(uidFromStatus('Uid:\t7\t7\t7\t7'), 7);
    assert.equal(uidFromStatus('nothing'), undefined);
  });
});
