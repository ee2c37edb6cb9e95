import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildGpuModel } from '../../../src/core/gpu/gpuModel';
import { parseComputeApps, parseGpuQuery } from '../../../src/core/gpu/smi';
import {
  dequeue,
  enqueue,
  nextToLaunch,
  queuedText,
  readQueue,
  type QueuedLaunch,
} from '../../../src/core/gpu/waitQueue';
import { fixture } from './fixtures';
import { container, dev } from './helpers';

const GPUS8 = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
const APPS8 = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;
/** The 8-GPU fixture: processes on 1, 2, 4, 7; free: 0, 3, 5, 6. `busy`: indices held by running containers. */
function host(name: string, busy: number[]) {
  const containers = busy.map((i) => container(`c${name}${i}`, dev(String(i))));
  return { name, rows: buildGpuModel({ gpus: GPUS8, apps: APPS8, pidToContainerId: new Map(), containers }) };
}
const T0 = 1_800_000_000_000;

void describe('the wait queue (pure; fake clock)', () => {
  void it('queues, replaces the same launch, cancels', () => {
    let q = enqueue([], { profile: 'bert', need: { count: 2 }, queuedAt: T0 });
    q = enqueue(q, { profile: 'gpt', need: { count: 1 }, queuedAt: T0 + 1 });
    q = enqueue(q, { profile: 'bert', need: { count: 3 }, queuedAt: T0 + 2 });
    assert.deepEqual(
      q.map((e) => [e.profile, e.need.count]),
      [
        ['gpt', 1],
        ['bert', 3],
      ],
    );
    assert.equal(new Set(q.map((e) => e.id)).size, 2);
    assert.deepEqual(
      dequeue(q, q[0].id).map((e) => e.profile),
      ['bert'],
    );
  });
  void it('survives a reload: what was stored reads back; malformed entries are dropped', () => {
    const q = enqueue([], {
      profile: 'bert',
      image: 'img:1',
      host: 'gpubox2',
      need: { count: 2, minFreeMemoryMiB: 40960 },
      queuedAt: T0,
    });
    const stored = JSON.parse(JSON.stringify(q)) as unknown;
    assert.deepEqual(readQueue(stored), q);
    assert.deepEqual(
      readQueue([
        ...(stored as unknown[]),
        null,
        3,
        { id: 'x', profile: '', need: { count: 1 }, queuedAt: 1 },
        { id: 'y', profile: 'p', need: { count: 0 }, queuedAt: 1 },
        { id: 'z', profile: 'p', need: { count: 1 } },
      ]),
      q,
    );
    assert.deepEqual(readQueue(undefined), []);
    assert.deepEqual(readQueue({}), []);
  });
  void it('launches on the first host that fits; nothing while none does', () => {
    const q = enqueue([], { profile: 'bert', need: { count: 2 }, queuedAt: T0 });
    assert.equal(nextToLaunch(q, [host('a', [0, 3, 5, 6]), host('b', [0, 3, 5])]), undefined);
    assert.deepEqual(nextToLaunch(q, [host('a', [0, 3, 5, 6]), host('b', [0, 3])])?.host, 'b');
    assert.deepEqual(nextToLaunch(q, [host('a', [0, 3]), host('b', [0, 3])])?.host, 'a');
  });
  void it('a pinned entry waits for its host; the oldest entry goes first; memory counts', () => {
    let q = enqueue([], { profile: 'late', need: { count: 1 }, queuedAt: T0 + 5 });
    q = enqueue(q, { profile: 'pinned', host: 'b', need: { count: 1 }, queuedAt: T0 });
    assert.deepEqual(nextToLaunch(q, [host('a', []), host('b', [0, 3, 5, 6])])?.entry.profile, 'late');
    assert.deepEqual(nextToLaunch(q, [host('a', []), host('b', [0, 3, 5])])?.entry.profile, 'pinned');
    const big: QueuedLaunch[] = enqueue([], {
      profile: 'big',
      need: { count: 1, minFreeMemoryMiB: 900_000 },
      queuedAt: T0,
    });
    assert.equal(nextToLaunch(big, [host('a', [])]), undefined);
  });
  void it('says what it waits for', () => {
    const e = (need: QueuedLaunch['need'], h?: string): QueuedLaunch => ({
      id: 'q',
      profile: 'bert',
      need,
      queuedAt: T0,
      ...(h ? { host: h } : {}),
    });
    assert.equal(queuedText(e({ count: 2 })), 'queued: bert — waiting for 2 free GPUs on any host');
    assert.equal(queuedText(e({ count: 1 })), 'queued: bert — waiting for 1 free GPU on any host');
    assert.equal(
      queuedText(e({ count: 2, minFreeMemoryMiB: 40 * 1024, model: 'H100' }, 'gpubox2')),
      'queued: bert — waiting for 2 free H100 GPUs with ≥ 40 GiB on gpubox2',
    );
  });
});
