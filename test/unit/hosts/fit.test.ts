import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildGpuModel } from '../../../src/core/gpu/gpuModel';
import { parseComputeApps, parseGpuQuery } from '../../../src/core/gpu/smi';
import { gpuFit } from '../../../src/core/hosts/fit';
import { rankHosts } from '../../../src/core/hosts/rank';
import { fixture } from '../gpu/fixtures';
import { container, dev } from '../gpu/helpers';

// 8 H100s; processes on GPUs 1, 2, 4 and 7 → 0, 3, 5, 6 free. GPU 1 has ~40 GB used, 2 is full.
const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;
const rows = (containers = [container('x', undefined)]) =>
  buildGpuModel({ gpus: GPUS8, apps: APPS8, pidToContainerId: new Map(), containers }, { includeStopped: true });

void describe('gpuFit', () => {
  void it('"N free GPUs" goes through the picker', () => {
    assert.deepEqual(gpuFit({ free: { count: 4 } }, rows()), {
      fits: true,
      free: 4,
      why: '4 of 8 GPUs free and fitting',
    });
    const no = gpuFit({ free: { count: 5 } }, rows());
    assert.equal(no.fits, false);
    assert.equal(no.free, 4);
    assert.match(no.why ?? '', /4 GPUs fit the request, 5 needed/);
    // A running container on GPU 0 takes it out.
    assert.equal(gpuFit({ free: { count: 4 } }, rows([container('a', dev('0'))])).fits, false);
    assert.equal(gpuFit({ free: { count: 1, model: 'A100' } }, rows()).fits, false);
  });
  void it('count, all and named devices against what is free now', () => {
    assert.equal(gpuFit({ count: 4 }, rows()).fits, true);
    assert.equal(gpuFit({ count: 5 }, rows()).fits, false);
    assert.deepEqual(gpuFit({ all: true }, rows()), { fits: false, free: 4, why: '4 of 8 GPUs in use' });
    assert.deepEqual(gpuFit({ devices: ['0', '3'] }, rows()), { fits: true, free: 4, why: 'GPU 0, 3 free' });
    assert.deepEqual(gpuFit({ devices: ['0', '1'] }, rows()), { fits: false, free: 4, why: 'GPU 1 in use' });
    assert.match(gpuFit({ devices: ['9'] }, rows()).why ?? '', /no GPU 9 on this host/);
  });
  void it('one GPU is counted in the singular (issue 28: "1 GPUs fit the request")', () => {
    const one = rows([container('a', dev('0')), container('b', dev('5')), container('c', dev('6'))]);
    assert.equal(gpuFit({ free: { count: 2 } }, one).why, '1 GPU fits the request, 2 needed (free, memory, model)');
    assert.equal(gpuFit({ count: 2 }, one).why, '1 free GPU, 2 needed');
    const single = rows().slice(0, 1); // GPU 0 alone, free
    assert.equal(gpuFit({ all: true }, single).why, 'the only GPU is free');
    assert.equal(gpuFit({ count: 1 }, single).why, '1 of 1 GPU free');
    assert.equal(gpuFit({ free: { count: 1 } }, single).why, '1 of 1 GPU free and fitting');
    const busy = rows([container('a', dev('0'))]).slice(0, 1);
    assert.equal(gpuFit({ all: true }, busy).why, 'the only GPU is in use');
  });
  void it('no GPU needed always fits; unknown GPUs never fit, with why', () => {
    assert.equal(gpuFit('none', []).fits, true);
    assert.deepEqual(gpuFit({ count: 1 }, [], 'nvidia-smi not found.'), {
      fits: false,
      free: 0,
      why: 'GPUs unknown: nvidia-smi not found.',
    });
    assert.equal(gpuFit({ all: true }, []).why, 'no GPUs found');
  });
  void it('feeds the ranking: the 8-GPU host ranks above a busy one for 2 free GPUs', () => {
    const busy = rows([container('a', dev('0', '3', '5'))]);
    const hosts = [
      { name: 'busy', rows: busy },
      { name: 'idle', rows: rows() },
    ];
    const r = rankHosts({ hosts, stateOf: () => ({ kind: 'ok' }), fit: (h) => gpuFit({ free: { count: 2 } }, h.rows) });
    assert.deepEqual(
      r.ranked.map((x) => [x.host.name, x.fits]),
      [
        ['idle', true],
        ['busy', false],
      ],
    );
  });
});
