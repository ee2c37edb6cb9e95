import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary, GpuRequest } from '../../../src/core/docker/engineTypes';
import { buildGpuModel, resolveDeviceId, type GpuRow } from '../../../src/core/gpu/gpuModel';
import { conflictsFor, heldMessage } from '../../../src/core/gpu/preflight';
import { parseComputeApps, parseGpuQuery, parseSmiList, withMigDevices, type GpuInfo } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';

function hex(seed: string): string {
  return seed.repeat(64).slice(0, 64);
}

function container(name: string, gpu: GpuRequest | undefined, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: hex(name.charCodeAt(0).toString(16)),
    name,
    image: 'img',
    imageId: 'sha256:0',
    command: 'python3',
    state: 'running',
    status: 'Up',
    created: 0,
    ports: [],
    mounts: [],
    labels: {},
    gpu,
    ...extra,
  };
}

const dev = (...deviceIds: string[]): GpuRequest => ({ kind: 'devices', deviceIds, source: 'deviceRequests' });
const ALL: GpuRequest = { kind: 'all', source: 'deviceRequests' };
const count = (n: number): GpuRequest => ({ kind: 'count', count: n, source: 'deviceRequests' });

const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;
const U = GPUS8.map((g) => g.uuid);

const tom = container('tom-bert', dev('3'), { owner: 'tom', id: hex('a1') });
const ana = container('ana-llm', dev(U[1]), { owner: 'ana', id: hex('b2') });
const envc = container('env-job', { kind: 'devices', deviceIds: ['4'], source: 'env' }, { id: hex('c3') });
const paused = container('paused-one', dev('5'), { state: 'paused', id: hex('d4') });
const created = container('created-one', dev('6'), { state: 'created', id: hex('e5') });
const exitedAll = container('exited-all', ALL, { state: 'exited', id: hex('f6') });
const cpu = container('cpu-only', undefined, { id: hex('07') });
const two = container('two-gpus', count(2), { id: hex('18') });

const CONTAINERS = [tom, ana, envc, paused, created, exitedAll, cpu, two];
const PIDS = new Map<number, string>([
  [2101, ana.id],
  [2202, hex('99')], // a container we were not told about
  [3300, envc.id.slice(0, 12)], // a short id
  [4400, cpu.id],
]);

function byIndex(rows: GpuRow[]): Record<number, { holders: string[]; pids: number[]; free: boolean }> {
  return Object.fromEntries(
    rows.map((r) => [
      r.gpu.index,
      {
        holders: r.holders.map((h) => `${h.container.name}:${h.how}`),
        pids: r.processes.map((p) => p.pid),
        free: r.free,
      },
    ]),
  );
}

void describe('resolveDeviceId', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['7', 7],
    ['8', undefined],
    [' 3 ', 3],
    [U[5], 5],
    [U[5].toUpperCase(), 5],
    ['GPU-00000000-0000-0000-0000-000000000000', undefined],
    ['MIG-unknown', undefined],
    ['all', undefined],
    ['', undefined],
    ['-1', undefined],
  ];
  for (const [id, want] of cases)
    void test(JSON.stringify(id), () => assert.equal(resolveDeviceId(id, GPUS8)?.gpu.index, want));
  void test('no throw on junk', () => {
    assert.equal(resolveDeviceId(undefined as unknown as string, GPUS8), undefined);
    assert.equal(resolveDeviceId('0', undefined as unknown as GpuInfo[]), undefined);
  });
});

void describe('buildGpuModel on 8 GPUs', () => {
  const rows = buildGpuModel({ gpus: GPUS8, apps: APPS8, pidToContainerId: PIDS, containers: CONTAINERS });

  void test('holders and processes per GPU', () => {
    assert.deepEqual(byIndex(rows), {
      0: { holders: ['two-gpus:count'], pids: [], free: false },
      1: { holders: ['ana-llm:device', 'two-gpus:count'], pids: [2101], free: false },
      2: { holders: [], pids: [2202], free: false },
      3: { holders: ['tom-bert:device'], pids: [], free: false },
      4: { holders: ['env-job:env'], pids: [3300, 3301], free: false },
      5: { holders: ['paused-one:device'], pids: [], free: false },
      6: { holders: [], pids: [], free: true },
      7: { holders: [], pids: [4400], free: false },
    });
  });

  void test('holders carry the ids they used', () => {
    assert.deepEqual(rows[1].holders[0].deviceIds, [U[1]]);
    assert.equal(rows[1].holders[1].deviceIds, undefined);
  });

  void test('processes are tied to containers by pid, full and short ids', () => {
    assert.deepEqual(rows[1].processes, [
      { pid: 2101, usedMemoryMiB: 40200, containerId: ana.id, containerName: 'ana-llm' },
    ]);
    assert.deepEqual(rows[2].processes, [{ pid: 2202, usedMemoryMiB: 80990, containerId: hex('99') }]);
    assert.deepEqual(rows[4].processes, [
      { pid: 3300, usedMemoryMiB: 1950, containerId: envc.id, containerName: 'env-job' },
      { pid: 3301 },
    ]);
    assert.deepEqual(rows[7].processes, [
      { pid: 4400, usedMemoryMiB: 12, containerId: cpu.id, containerName: 'cpu-only' },
    ]);
  });

  void test('memory by container', () => {
    assert.deepEqual(rows[1].memoryByContainer, { [ana.id]: 40200 });
    assert.deepEqual(rows[4].memoryByContainer, { [envc.id]: 1950 });
    assert.deepEqual(rows[6].memoryByContainer, {});
  });

  void test('count holders under every GPU when asked', () => {
    const every = buildGpuModel(
      { gpus: GPUS8, apps: [], pidToContainerId: new Map(), containers: [two] },
      { countPlacement: 'every' },
    );
    assert.ok(every.every((r) => r.holders.length === 1 && r.holders[0].how === 'count' && !r.free));
  });

  void test('an all holder is on every GPU', () => {
    const all = buildGpuModel({
      gpus: GPUS8,
      apps: [],
      pidToContainerId: new Map(),
      containers: [container('everything', ALL)],
    });
    assert.deepEqual(
      all.map((r) => r.holders.map((h) => h.how)),
      Array(8).fill(['all']),
    );
  });

  void test('memory of several processes of one container adds up', () => {
    const apps = [
      { gpuUuid: U[0], pid: 1, usedMemoryMiB: 100 },
      { gpuUuid: U[0].toUpperCase(), pid: 2, usedMemoryMiB: 50 },
      { gpuUuid: U[0], pid: 3 },
    ];
    const pids = new Map([
      [1, tom.id],
      [2, tom.id],
      [3, tom.id],
    ]);
    const [row] = buildGpuModel({ gpus: GPUS8.slice(0, 1), apps, pidToContainerId: pids, containers: [tom] });
    assert.deepEqual(row.memoryByContainer, { [tom.id]: 150 });
    assert.equal(row.processes.length, 3);
  });

  void test('real H100 with the python3 process, outside any container', () => {
    const gpus = parseGpuQuery(fixture('h100/query-gpu.csv')).gpus;
    const apps = parseComputeApps(fixture('h100/query-apps.csv')).apps;
    const [row] = buildGpuModel({ gpus, apps, pidToContainerId: new Map(), containers: [] });
    assert.deepEqual(row.processes, [{ pid: 408, usedMemoryMiB: 1950 }]);
    assert.deepEqual(row.holders, []);
    assert.equal(row.free, false);
  });

  void test('apps on unknown GPUs are dropped', () => {
    const [row] = buildGpuModel({ gpus: GPUS8.slice(0, 1), apps: APPS8, pidToContainerId: new Map(), containers: [] });
    assert.deepEqual(row.processes, []);
    assert.equal(row.free, true);
  });

  const junk: [string, unknown][] = [
    ['null', null],
    ['empty object', {}],
    ['wrong types', { gpus: 'x', apps: 5, pidToContainerId: {}, containers: [null, { id: '' }] }],
  ];
  for (const [name, input] of junk) {
    void test(`no throw on ${name}`, () =>
      assert.deepEqual(buildGpuModel(input as Parameters<typeof buildGpuModel>[0]), []));
  }
});

void describe('MIG', () => {
  const gpus = withMigDevices(
    parseGpuQuery(fixture('synthetic/query-gpu-mig.csv')).gpus,
    parseSmiList(fixture('synthetic/nvidia-smi-L-mig.txt')).gpus,
  );
  const mig = gpus[0].migDevices!;
  const a = container('mig-a', dev(mig[0].uuid), { id: hex('a') });
  const b = container('mig-b', dev('0:1'), { id: hex('b') });
  const c = container('whole-1', dev('1'), { id: hex('c') });

  void test('MIG ids resolve to their parent GPU', () => {
    assert.equal(resolveDeviceId(mig[2].uuid, gpus)?.gpu.index, 0);
    assert.equal(resolveDeviceId(mig[2].uuid, gpus)?.mig?.profile, '1g.5gb');
    assert.equal(resolveDeviceId('0:2', gpus)?.mig?.uuid, mig[2].uuid);
    assert.equal(resolveDeviceId('1:0', gpus)?.mig, undefined, 'GPU 1 has no MIG devices listed');
    assert.equal(resolveDeviceId('5:0', gpus), undefined);
    assert.equal(
      resolveDeviceId(mig[0].uuid, parseGpuQuery(fixture('synthetic/query-gpu-mig.csv')).gpus),
      undefined,
      'needs -L',
    );
  });

  void test('legacy MIG-GPU-<uuid>/gi/ci ids resolve even without -L', () => {
    const legacy = `MIG-${gpus[0].uuid}/7/0`;
    assert.equal(resolveDeviceId(legacy, parseGpuQuery(fixture('synthetic/query-gpu-mig.csv')).gpus)?.gpu.index, 0);
  });

  void test('holders of MIG slices sit on the parent GPU', () => {
    const apps = parseComputeApps(fixture('synthetic/query-apps-mig.csv')).apps;
    const rows = buildGpuModel({ gpus, apps, pidToContainerId: new Map([[5100, a.id]]), containers: [a, b, c] });
    assert.deepEqual(byIndex(rows), {
      0: { holders: ['mig-a:device', 'mig-b:device'], pids: [5100, 5101], free: false },
      1: { holders: ['whole-1:device'], pids: [], free: false },
    });
    assert.deepEqual(rows[0].holders[1].deviceIds, ['0:1']);
    assert.deepEqual(rows[0].memoryByContainer, {}, '[N/A] memory is not counted');
  });

  const cases: [string, GpuRequest, string[]][] = [
    ['the same MIG slice by UUID', dev(mig[0].uuid), ['mig-a:0:0']],
    ['the same MIG slice by index pair', dev('0:0'), ['mig-a:0:0']],
    ['another slice of the same GPU: no conflict', dev(mig[2].uuid), []],
    ['the whole parent GPU', dev('0'), ['mig-a:0', 'mig-b:0']],
    ['all', ALL, ['mig-a:0:0', 'mig-b:0:1', 'whole-1:1']],
  ];
  for (const [name, req, want] of cases) {
    void test(`conflicts: ${name}`, () => {
      assert.deepEqual(
        conflictsFor(req, [a, b, c], gpus).map((x) => `${x.container.name}:${x.deviceIds.join(',')}`),
        want,
      );
    });
  }
});

void describe('conflictsFor', () => {
  const allRunning = container('all-runner', ALL, { id: hex('aa') });
  const idx = (...xs: number[]) => xs.map(String);
  const cases: [
    string,
    GpuRequest | undefined,
    ContainerSummary[],
    GpuInfo[] | undefined,
    'firstN' | 'every' | undefined,
    [string, string[]][],
  ][] = [
    ['same index', dev('3'), [tom], GPUS8, undefined, [['tom-bert', ['3']]]],
    ['same index, no GPU list', dev('3'), [tom], undefined, undefined, [['tom-bert', ['3']]]],
    ['UUID against index', dev(U[3]), [tom], GPUS8, undefined, [['tom-bert', ['3']]]],
    ['UUID against index, no GPU list: cannot tell', dev(U[3]), [tom], undefined, undefined, []],
    ['index against UUID holder', dev('1', '2'), [ana], GPUS8, undefined, [['ana-llm', ['1']]]],
    ['no overlap', dev('0', '2'), [tom, ana], GPUS8, undefined, []],
    [
      'I want all: their explicit GPUs',
      ALL,
      [tom, ana],
      GPUS8,
      undefined,
      [
        ['tom-bert', ['3']],
        ['ana-llm', ['1']],
      ],
    ],
    [
      'I want all, no GPU list: their ids as given, short',
      ALL,
      [ana],
      undefined,
      undefined,
      [['ana-llm', ['GPU-4822a95c']]],
    ],
    ['they hold all', dev('2', '6'), [allRunning], GPUS8, undefined, [['all-runner', ['2', '6']]]],
    ['both all', ALL, [allRunning], GPUS8, undefined, [['all-runner', idx(0, 1, 2, 3, 4, 5, 6, 7)]]],
    ['both all, no GPU list', ALL, [allRunning], undefined, undefined, [['all-runner', ['all']]]],
    ['count 1 vs --gpus 2 (both on GPU 0)', count(1), [two], GPUS8, undefined, [['two-gpus', ['0']]]],
    ['device 1 vs --gpus 2', dev('1'), [two], GPUS8, undefined, [['two-gpus', ['1']]]],
    ['device 5 vs --gpus 2', dev('5'), [two], GPUS8, undefined, []],
    ['count vs count under every: never', count(1), [two], GPUS8, 'every', []],
    ['device vs count holder under every: never', dev('0'), [two], GPUS8, 'every', []],
    [
      'count vs all under every: all GPUs',
      count(1),
      [allRunning],
      GPUS8,
      'every',
      [['all-runner', idx(0, 1, 2, 3, 4, 5, 6, 7)]],
    ],
    ['count vs all under firstN', count(2), [allRunning], GPUS8, undefined, [['all-runner', ['0', '1']]]],
    ['all vs count holder under every: not explicit', ALL, [two], GPUS8, 'every', []],
    ['paused holders count', dev('5'), [paused], GPUS8, undefined, [['paused-one', ['5']]]],
    ['created, exited and GPU-less containers do not', ALL, [created, exitedAll, cpu], GPUS8, undefined, []],
    ['env holders count', dev(U[4]), [envc], GPUS8, undefined, [['env-job', ['4']]]],
    ['repeated ids are reported once', dev('3', '3', U[3]), [tom], GPUS8, undefined, [['tom-bert', ['3']]]],
    ['no request', undefined, [tom], GPUS8, undefined, []],
  ];
  for (const [name, req, running, gpus, countPlacement, want] of cases) {
    void test(name, () => {
      const got = conflictsFor(req, running, gpus, { countPlacement }).map((x): [string, string[]] => [
        x.container.name,
        x.deviceIds,
      ]);
      assert.deepEqual(got, want);
    });
  }
  void test('no throw on junk', () => {
    assert.deepEqual(conflictsFor(dev('0'), null as unknown as ContainerSummary[]), []);
    assert.deepEqual(
      conflictsFor(
        dev('0'),
        [null as unknown as ContainerSummary, container('x', dev('0'))],
        'x' as unknown as GpuInfo[],
      ).length,
      1,
    );
  });
  void test('the preflight message', () => {
    const [c] = conflictsFor(dev('3'), [tom], GPUS8);
    assert.equal(heldMessage(c), 'GPU 3 is held by tom-bert (owner tom).');
    assert.equal(
      heldMessage({ deviceIds: ['0', '1'], container: { ...c.container, name: 'x', owner: undefined } }),
      'GPUs 0, 1 are held by x.',
    );
  });
});
