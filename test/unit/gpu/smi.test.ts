import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUERY_GPU_FIELDS,
  isMissing,
  parseComputeApps,
  parseGpuQuery,
  parseSmiHeader,
  parseSmiList,
  queryAppsArgs,
  queryGpuArgs,
  withMigDevices,
} from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';

const H100 = 'GPU-b72312b2-a2f7-d8e9-118c-c4d4515cd7c2';

void describe('query argv', () => {
  void test('queryGpuArgs is the command the h100 fixtures were recorded with', () => {
    assert.deepEqual(queryGpuArgs(), [
      '--query-gpu=index,uuid,name,memory.used,memory.total,utilization.gpu,temperature.gpu,driver_version,mig.mode.current,pci.bus_id',
      '--format=csv,noheader,nounits',
    ]);
    assert.equal(QUERY_GPU_FIELDS.length, 10);
  });
  void test('queryAppsArgs', () => {
    assert.deepEqual(queryAppsArgs(), [
      '--query-compute-apps=gpu_uuid,pid,used_memory',
      '--format=csv,noheader,nounits',
    ]);
  });
  void test('each call returns a fresh array', () => {
    const a = queryGpuArgs();
    a.push('x');
    assert.equal(queryGpuArgs().length, 2);
  });
});

void describe('isMissing', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, true],
    ['', true],
    ['  ', true],
    ['N/A', true],
    ['[N/A]', true],
    ['[Not Supported]', true],
    ['[Unknown Error]', true],
    ['ERR!', true],
    ['0', false],
    ['Disabled', false],
    ['NVIDIA [N/A] card', false],
  ];
  for (const [input, want] of cases) void test(JSON.stringify(input), () => assert.equal(isMissing(input), want));
});

void describe('parseGpuQuery', () => {
  const h100 = {
    index: 0,
    uuid: H100,
    name: 'NVIDIA H100 80GB HBM3',
    memoryUsedMiB: 0,
    memoryTotalMiB: 81559,
    utilizationPct: 0,
    temperatureC: 40,
    driverVersion: '580.159.04',
    migMode: 'Disabled',
    pciBusId: '00000000:00:06.0',
  };

  void test('real H100 output (noheader,nounits)', () => {
    assert.deepEqual(parseGpuQuery(fixture('h100/query-gpu.csv')), { gpus: [h100], problems: [] });
  });

  void test('real H100 output with header and units gives the same', () => {
    assert.deepEqual(parseGpuQuery(fixture('h100/query-gpu-header.csv')), { gpus: [h100], problems: [] });
  });

  void test('8 GPUs, in index order', () => {
    const { gpus, problems } = parseGpuQuery(fixture('synthetic/query-gpu-8.csv'));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      gpus.map((g) => g.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(gpus[2].memoryUsedMiB, 81003);
    assert.equal(gpus[1].utilizationPct, 97);
    assert.equal(gpus[7].pciBusId, '00000000:88:00.0');
  });

  void test('rows out of order are sorted by index', () => {
    const csv = fixture('synthetic/query-gpu-8.csv').trim().split('\n').reverse().join('\n');
    assert.deepEqual(
      parseGpuQuery(csv).gpus.map((g) => g.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
  });

  void test('[N/A], [Not Supported], N/A and other bracketed values become undefined', () => {
    const { gpus, problems } = parseGpuQuery(fixture('synthetic/query-gpu-na.csv'));
    assert.deepEqual(problems, []);
    const [v100, rtx, t4, l4] = gpus;
    assert.equal(v100.utilizationPct, undefined);
    assert.equal(v100.temperatureC, undefined);
    assert.equal(v100.migMode, undefined);
    assert.equal(v100.memoryUsedMiB, 3);
    assert.equal(rtx.utilizationPct, undefined);
    assert.equal(rtx.migMode, undefined);
    assert.equal(rtx.temperatureC, 48);
    assert.deepEqual(t4, {
      index: 2,
      uuid: t4.uuid,
      name: 'NVIDIA T4',
      memoryUsedMiB: undefined,
      memoryTotalMiB: undefined,
      utilizationPct: undefined,
      temperatureC: undefined,
      driverVersion: undefined,
      migMode: undefined,
      pciBusId: undefined,
    });
    assert.equal(l4.memoryUsedMiB, undefined);
    assert.equal(l4.utilizationPct, undefined);
    assert.equal(l4.temperatureC, undefined);
    assert.equal(l4.migMode, 'Disabled');
  });

  void test('MIG mode', () => {
    const { gpus } = parseGpuQuery(fixture('synthetic/query-gpu-mig.csv'));
    assert.deepEqual(
      gpus.map((g) => g.migMode),
      ['Enabled', 'Disabled'],
    );
    assert.equal(gpus[0].utilizationPct, undefined);
  });

  void test('malformed rows become problems, good rows survive', () => {
    const { gpus, problems } = parseGpuQuery(fixture('synthetic/query-gpu-malformed.csv'));
    assert.equal(gpus.length, 1);
    assert.equal(gpus[0].index, 3);
    assert.equal(gpus[0].memoryUsedMiB, undefined, '"lots" is not a number');
    assert.equal(gpus[0].migMode, undefined, '"Maybe" is not a MIG mode');
    assert.equal(problems.length, 5);
    assert.match(problems[0], /^line 1: expected 10 fields: Failed to initialize NVML/);
    assert.match(problems[1], /^line 2: expected 10 fields/);
    assert.match(problems[2], /^line 3: no GPU index or UUID/);
    assert.match(problems[3], /^line 4: no GPU index or UUID/);
    assert.match(problems[4], /^line 7: expected 10 fields: rc=0/);
  });

  void test('a comma in the name is glued back', () => {
    const { gpus, problems } = parseGpuQuery(`0, ${H100}, Odd, Name, 1, 2, 3, 4, 5.0, Enabled, 0000:01:00.0`);
    assert.deepEqual(problems, []);
    assert.equal(gpus[0].name, 'Odd, Name');
    assert.equal(gpus[0].memoryUsedMiB, 1);
    assert.equal(gpus[0].pciBusId, '0000:01:00.0');
  });

  void test('a reordered header is honoured', () => {
    const { gpus, problems } = parseGpuQuery(`temperature.gpu, uuid, index\n71, ${H100}, 5\n`);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      gpus.map((g) => [g.index, g.uuid, g.temperatureC, g.name]),
      [[5, H100, 71, '']],
    );
  });

  void test('CRLF line ends', () => {
    assert.equal(parseGpuQuery(fixture('synthetic/query-gpu-8.csv').replace(/\n/g, '\r\n')).gpus.length, 8);
  });

  const junk: [string, unknown][] = [
    ['empty', ''],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { gpus: [] }],
    ['only blank lines', '\n\n  \n'],
  ];
  for (const [name, input] of junk) {
    void test(`no GPUs and no throw for ${name}`, () => assert.deepEqual(parseGpuQuery(input).gpus, []));
  }
  void test('an error message is a problem, not a GPU', () => {
    const r = parseGpuQuery(fixture('h100/error-bad-field.txt'));
    assert.deepEqual(r.gpus, []);
    assert.equal(r.problems.length, 1);
  });
});

void describe('parseComputeApps', () => {
  void test('real H100 output with one python3 process', () => {
    assert.deepEqual(parseComputeApps(fixture('h100/query-apps.csv')), {
      apps: [{ gpuUuid: H100, pid: 408, usedMemoryMiB: 1950 }],
      problems: [],
    });
  });
  const none: [string, string][] = [
    ['real empty output', fixture('h100/query-apps-empty.clean.csv')],
    ['real header only (no nounits, no process)', fixture('h100/query-apps-header.csv')],
    ['banner wording', 'No running processes found\n'],
  ];
  for (const [name, csv] of none) {
    void test(`no processes: ${name}`, () => assert.deepEqual(parseComputeApps(csv), { apps: [], problems: [] }));
  }
  void test('the recorder line in query-apps-empty.csv is a problem', () => {
    const r = parseComputeApps(fixture('h100/query-apps-empty.csv'));
    assert.deepEqual(r.apps, []);
    assert.match(r.problems[0], /line 1: .*rc=0/);
  });
  void test('units are tolerated', () => {
    assert.deepEqual(parseComputeApps(`gpu_uuid, pid, used_gpu_memory [MiB]\n${H100}, 408, 1950 MiB\n`).apps, [
      { gpuUuid: H100, pid: 408, usedMemoryMiB: 1950 },
    ]);
  });
  void test('8-GPU processes, [N/A] memory is undefined', () => {
    const { apps, problems } = parseComputeApps(fixture('synthetic/query-apps-8.csv'));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      apps.map((a) => a.pid),
      [2101, 2202, 3300, 3301, 4400],
    );
    assert.equal(apps[3].usedMemoryMiB, undefined);
  });
  void test('malformed rows', () => {
    const { apps, problems } = parseComputeApps(fixture('synthetic/query-apps-malformed.csv'));
    assert.deepEqual(
      apps.map((a) => a.pid),
      [9001],
    );
    assert.equal(problems.length, 5);
  });
  for (const input of [undefined, null, 7, '', '\n']) {
    void test(`no throw for ${JSON.stringify(input)}`, () => assert.deepEqual(parseComputeApps(input).apps, []));
  }
});

void describe('parseSmiHeader', () => {
  const cases: [string, unknown, { driverVersion?: string; cudaVersion?: string }][] = [
    ['real banner', fixture('h100/nvidia-smi.txt'), { driverVersion: '580.159.04', cudaVersion: '13.0' }],
    ['real busy banner', fixture('h100/nvidia-smi-busy.txt'), { driverVersion: '580.159.04', cudaVersion: '13.0' }],
    ['real -q', fixture('h100/nvidia-smi-q.txt'), { driverVersion: '580.159.04', cudaVersion: '13.0' }],
    [
      'older banner',
      fixture('synthetic/nvidia-smi-banner-535.txt'),
      { driverVersion: '535.183.01', cudaVersion: '12.2' },
    ],
    ['CUDA N/A', '| NVIDIA-SMI 470.1   Driver Version: 470.1   CUDA Version: N/A |', { driverVersion: '470.1' }],
    ['not nvidia-smi', 'hello', {}],
    ['error output', fixture('synthetic/error-driver-not-loaded.txt'), {}],
    ['empty', '', {}],
    ['undefined', undefined, {}],
    ['object', {}, {}],
  ];
  for (const [name, input, want] of cases) void test(name, () => assert.deepEqual(parseSmiHeader(input), want));
});

void describe('parseSmiList', () => {
  void test('real H100', () => {
    assert.deepEqual(parseSmiList(fixture('h100/nvidia-smi-L.txt')), {
      gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', uuid: H100, migDevices: [] }],
      problems: [],
    });
  });
  void test('8 GPUs', () => {
    const { gpus, problems } = parseSmiList(fixture('synthetic/nvidia-smi-L-8.txt'));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      gpus.map((g) => g.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
  });
  void test('MIG devices hang under their GPU', () => {
    const { gpus, problems } = parseSmiList(fixture('synthetic/nvidia-smi-L-mig.txt'));
    assert.deepEqual(problems, []);
    assert.equal(gpus.length, 2);
    assert.deepEqual(
      gpus[0].migDevices.map((m) => [m.parentIndex, m.deviceIndex, m.profile, m.uuid.slice(0, 4)]),
      [
        [0, 0, '3g.20gb', 'MIG-'],
        [0, 1, '2g.10gb', 'MIG-'],
        [0, 2, '1g.5gb', 'MIG-'],
      ],
    );
    assert.deepEqual(gpus[1].migDevices, []);
  });
  void test('legacy MIG-GPU-<uuid>/gi/ci ids', () => {
    const { gpus, problems } = parseSmiList(fixture('synthetic/nvidia-smi-L-mig-legacy.txt'));
    assert.deepEqual(problems, []);
    assert.match(gpus[0].migDevices[1].uuid, /^MIG-GPU-[0-9a-f-]+\/8\/0$/);
  });
  void test('malformed lines are problems', () => {
    const { gpus, problems } = parseSmiList(fixture('synthetic/nvidia-smi-L-malformed.txt'));
    assert.deepEqual(
      gpus.map((g) => g.index),
      [1],
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0], /MIG device before any GPU/);
    assert.match(problems[1], /not a GPU or MIG line: GPU 0/);
  });
  for (const input of [undefined, null, 3, '']) {
    void test(`no throw for ${JSON.stringify(input)}`, () =>
      assert.deepEqual(parseSmiList(input), { gpus: [], problems: [] }));
  }
});

void describe('withMigDevices', () => {
  void test('attaches by UUID without mutating', () => {
    const { gpus } = parseGpuQuery(fixture('synthetic/query-gpu-mig.csv'));
    const list = parseSmiList(fixture('synthetic/nvidia-smi-L-mig.txt')).gpus;
    const out = withMigDevices(gpus, list);
    assert.equal(out[0].migDevices?.length, 3);
    assert.equal(out[1].migDevices, undefined);
    assert.equal(gpus[0].migDevices, undefined);
  });
});
