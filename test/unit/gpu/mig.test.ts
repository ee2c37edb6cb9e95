import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import { claimUuids, withPickedGpus } from '../../../src/core/gpu/claim';
import { buildGpuModel, resolveDeviceId } from '../../../src/core/gpu/gpuModel';
import { isMigProfile, pickedUuids, pickFreeGpus, pickFreeMig } from '../../../src/core/gpu/picker';
import {
  parseComputeApps,
  parseGpuQuery,
  parseSmiHeader,
  parseSmiList,
  withMigDevices,
} from '../../../src/core/gpu/smi';
import { gpuChildren, gpuNodeItem, gpuRootNodes } from '../../../src/core/tree/gpuRows';
import { parseProfiles } from '../../../src/core/profiles';
import { fixture } from './fixtures';
import { container, dev } from './helpers';

const LIST = parseSmiList(fixture('h100-mig/nvidia-smi-L.txt'));
const GPUS = withMigDevices(parseGpuQuery(fixture('h100-mig/query-gpu.csv')).gpus, LIST.gpus);
const APPS = parseComputeApps(fixture('h100-mig/query-apps.csv')).apps;
const MIG = GPUS[0].migDevices!;

function rows(containers = [container('x', undefined)]) {
  return buildGpuModel({ gpus: GPUS, apps: APPS, pidToContainerId: new Map(), containers }, { includeStopped: true });
}

void describe('MIG fixtures (H100, NVIDIA documented format)', () => {
  void test('nvidia-smi -L: GPU 0 has five MIG devices, GPU 1 none; no problems', () => {
    assert.deepEqual(LIST.problems, []);
    assert.deepEqual(
      LIST.gpus[0].migDevices.map((m) => [m.deviceIndex, m.profile]),
      [
        [0, '3g.40gb'],
        [1, '1g.10gb'],
        [2, '1g.10gb'],
        [3, '1g.10gb'],
        [4, '1g.10gb'],
      ],
    );
    assert.deepEqual(LIST.gpus[1].migDevices, []);
    assert.match(MIG[1].uuid, /^MIG-[0-9a-f-]{36}$/);
  });
  void test('--query-gpu: MIG mode and [N/A] utilisation, with and without a header', () => {
    for (const f of ['h100-mig/query-gpu.csv', 'h100-mig/query-gpu-header.csv']) {
      const q = parseGpuQuery(fixture(f));
      assert.deepEqual(q.problems, []);
      assert.deepEqual(
        q.gpus.map((g) => [g.index, g.migMode, g.utilizationPct]),
        [
          [0, 'Enabled', undefined],
          [1, 'Disabled', 0],
        ],
      );
    }
    assert.equal(GPUS[0].migDevices?.length, 5);
    assert.equal(GPUS[1].migDevices, undefined);
  });
  void test('the banner of a MIG GPU still gives the driver and CUDA versions', () => {
    assert.deepEqual(parseSmiHeader(fixture('h100-mig/nvidia-smi.txt')), {
      driverVersion: '580.159.04',
      cudaVersion: '13.0',
    });
  });
  void test('malformed MIG lines are problems, never devices', () => {
    const l = parseSmiList(fixture('h100-mig/nvidia-smi-L-malformed.txt'));
    assert.equal(l.gpus.length, 1);
    assert.deepEqual(
      l.gpus[0].migDevices.map((m) => m.deviceIndex),
      [1],
    );
    assert.equal(l.problems.length, 6);
    assert.match(l.problems[0], /MIG device before any GPU/);
  });
  void test('MIG UUIDs resolve to their device and parent', () => {
    const r = resolveDeviceId(MIG[2].uuid.toUpperCase().replace('MIG-', 'MIG-'), GPUS);
    assert.equal(r?.gpu.index, 0);
    assert.equal(r?.mig?.deviceIndex, 2);
    assert.equal(resolveDeviceId('0:4', GPUS)?.mig?.uuid, MIG[4].uuid);
  });
});

void describe('MIG in the model, the picker and the rows', () => {
  void test('a container asking for a MIG UUID holds that device, and the parent is busy', () => {
    const r = rows([container('bert', dev(MIG[1].uuid), { owner: 'alice' })]);
    assert.deepEqual(
      r[0].mig!.map((m) => m.free),
      [true, false, true, true, true],
    );
    assert.equal(r[0].mig![1].holders[0].container.name, 'bert');
    assert.equal(r[0].free, false);
    assert.equal(r[1].mig, undefined);
  });
  void test('{ free: 2, mig: "1g.10gb" } takes the lowest free 1g.10gb devices; held ones are skipped', () => {
    const p = pickFreeGpus(rows([container('bert', dev(MIG[1].uuid))]), { count: 2, mig: '1g.10gb' });
    assert.equal(p.ok, true);
    assert.deepEqual(pickedUuids(p), [MIG[2].uuid, MIG[3].uuid]);
    assert.deepEqual(
      p.picked.map((g) => g.index),
      [0],
    );
    assert.equal(p.fittingMig?.length, 3);
  });
  void test('not enough MIG devices of that profile; excluded ones (lost claims) do not count', () => {
    const r = rows();
    assert.equal(pickFreeMig(r, { count: 5, mig: '1g.10gb' }).ok, false);
    assert.equal(pickFreeMig(r, { count: 1, mig: '7g.80gb' }).ok, false);
    const ex = new Set([MIG[1].uuid.toLowerCase(), MIG[2].uuid.toLowerCase()]);
    assert.deepEqual(pickedUuids(pickFreeMig(r, { count: 2, mig: '1g.10gb' }, ex)), [MIG[3].uuid, MIG[4].uuid]);
    const p = pickFreeMig(r, { count: 1, mig: '1g.10gb', model: 'A100' });
    assert.equal(p.ok, false);
    assert.deepEqual(
      p.unfit.map((u) => [u.gpu.index, u.reason]),
      [
        [0, 'model'],
        [1, 'mig'],
      ],
    );
  });
  void test('a GPU in MIG mode is never picked as a whole GPU', () => {
    const p = pickFreeGpus(rows(), { count: 2 });
    assert.equal(p.ok, false);
    assert.deepEqual(
      p.fitting.map((g) => g.index),
      [1],
    );
    assert.deepEqual(pickedUuids(pickFreeGpus(rows(), { count: 1 })), [GPUS[1].uuid]);
  });
  void test('the claim label and DeviceIDs record MIG UUIDs', () => {
    const uuids = [MIG[3].uuid, MIG[4].uuid];
    const o = withPickedGpus({ Image: 'x', HostConfig: {} }, uuids, 'free=2,mig=1g.10gb');
    assert.deepEqual(o.HostConfig?.DeviceRequests?.[0].DeviceIDs, uuids);
    assert.deepEqual(claimUuids(o.Labels), uuids);
    // A claimed (created) container holds the devices it names, so the next pick skips them.
    const claimed = container('claim', dev(...uuids), {
      state: 'created',
      created: Date.now(),
      labels: { [GPU_UUIDS_LABEL]: uuids.join(',') },
    });
    assert.deepEqual(pickedUuids(pickFreeMig(rows([claimed]), { count: 2, mig: '1g.10gb' })), [
      MIG[1].uuid,
      MIG[2].uuid,
    ]);
  });
  void test('rows: MIG devices under their GPU, their holders under them', () => {
    const r = rows([container('bert', dev(MIG[1].uuid), { owner: 'alice' })]);
    const gpu0 = gpuRootNodes(r)[0];
    const kids = gpuChildren(gpu0);
    assert.deepEqual(
      kids.map((k) => k.kind),
      ['mig', 'mig', 'mig', 'mig', 'mig', 'process'],
    );
    const item = gpuNodeItem(kids[1]);
    assert.equal(item.label, 'MIG 0:1');
    assert.equal(item.description, '1g.10gb · alice/bert');
    assert.equal(gpuNodeItem(kids[2]).description, '1g.10gb · free');
    const holders = gpuChildren(kids[1]);
    assert.equal(holders.length, 1);
    assert.equal(gpuNodeItem(holders[0]).label, 'alice/bert');
  });
  void test('isMigProfile', () => {
    for (const ok of ['1g.10gb', '3g.40gb', '1g.10gb+me', '7g.80gb']) assert.equal(isMigProfile(ok), true, ok);
    for (const bad of ['', '1g', 'g.10gb', '1g.10', 'MIG 1g.10gb', 3, undefined])
      assert.equal(isMigProfile(bad), false);
  });
});

void describe('profiles: gpus { free, mig } and device=MIG-…', () => {
  const parse = (gpus: unknown) => {
    const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', gpus }], { source: 'user' });
    return { profile: r.profiles[0], problems: r.problems };
  };
  void test('{ free: 1, mig: "1g.10gb" }', () => {
    const r = parse({ free: 1, mig: '1g.10gb' });
    assert.deepEqual(r.profile?.gpus, { free: { count: 1, mig: '1g.10gb' } });
  });
  void test('a bad mig profile is an error', () => {
    const r = parse({ free: 1, mig: 'big' });
    assert.ok(r.problems.some((p) => p.field === 'gpus.mig' && p.severity === 'error'));
  });
  void test('device=MIG-… is a device request without warnings', () => {
    const r = parse(`device=${MIG[1].uuid}`);
    assert.deepEqual(r.profile?.gpus, { devices: [MIG[1].uuid] });
    assert.deepEqual(r.problems, []);
  });
});

void describe('MIG through the readers', () => {
  void test('ssh reader: one round trip carries the GPU table and -L; MIG devices attached', async () => {
    const { remoteGpuScript, remoteGpuSnapshot } = await import('../../../src/core/hosts/remoteGpu');
    const script = remoteGpuScript();
    assert.match(script, /mig\.mode\.current/);
    assert.match(script, /' -L|nvidia-smi' -L|-L 2>/);
    const out = [
      '@@gpuc@@start',
      fixture('h100-mig/query-gpu.csv').trim(),
      '@@gpuc@@list',
      fixture('h100-mig/nvidia-smi-L.txt').trim(),
      '@@gpuc@@apps',
      fixture('h100-mig/query-apps.csv').trim(),
      '@@gpuc@@end',
    ].join('\n');
    const snap = remoteGpuSnapshot('gpubox', { code: 0, stdout: out, stderr: '' });
    assert.deepEqual(
      snap.gpus.map((g) => [g.index, g.migMode, g.migDevices?.length]),
      [
        [0, 'Enabled', 5],
        [1, 'Disabled', undefined],
      ],
    );
  });
  void test('host reader: runs -L only when a GPU is in MIG mode', async () => {
    const { GpuSnapshotReader } = await import('../../../src/core/gpu/snapshot');
    const calls: string[] = [];
    const reader = new GpuSnapshotReader({
      run: (_file, args) => {
        calls.push(args.join(' '));
        if (args[0]?.startsWith('--query-gpu')) return Promise.resolve(fixture('h100-mig/query-gpu.csv'));
        if (args[0] === '-L') return Promise.resolve(fixture('h100-mig/nvidia-smi-L.txt'));
        if (args[0]?.startsWith('--query-compute-apps')) return Promise.resolve(fixture('h100-mig/query-apps.csv'));
        if (args.length === 0) return Promise.resolve(fixture('h100-mig/nvidia-smi.txt'));
        return Promise.reject(new Error('no'));
      },
      readFile: () => Promise.reject(new Error('none')),
      engine: { info: () => Promise.resolve({ hasNvidiaRuntime: true }) } as never,
    });
    const snap = await reader.read({ local: true, smiPath: 'nvidia-smi', host: 'local' });
    assert.ok(calls.includes('-L'));
    assert.equal(snap.gpus[0].migDevices?.[4].uuid, MIG[4].uuid);
    assert.equal(snap.driverCuda, '13.0');
  });
});
