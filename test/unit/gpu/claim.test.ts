import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import {
  beats,
  claimUuids,
  createdKey,
  createClaimed,
  winningClaims,
  withPickedGpus,
  type Claim,
  type ClaimEngine,
} from '../../../src/core/gpu/claim';

const claim = (id: string, createdAt: string, uuids: string[], state: Claim['state'] = 'created'): Claim => ({
  id,
  name: id,
  state,
  createdAt,
  uuids,
});

void describe('GPU claims', () => {
  void test('createdKey orders by nanoseconds, across time zones', () => {
    assert.ok(createdKey('2026-11-23T11:00:00.000000001Z') < createdKey('2026-11-23T11:00:00.00000001Z'));
    assert.ok(createdKey('2026-11-23T11:00:00.9Z') < createdKey('2026-11-23T11:00:01Z'));
    assert.equal(createdKey('2026-11-23T12:00:00+01:00'), createdKey('2026-11-23T11:00:00Z'));
  });
  void test('running beats anything; among created, the older wins; exited never', () => {
    const mine = claim('m', '2026-11-23T11:00:00.5Z', ['GPU-a']);
    assert.equal(beats(claim('o', '2026-11-23T12:00:00Z', ['GPU-a'], 'running'), mine), true);
    assert.equal(beats(claim('o', '2026-11-23T11:00:00.4Z', ['GPU-a']), mine), true);
    assert.equal(beats(claim('o', '2026-11-23T11:00:00.6Z', ['GPU-a']), mine), false);
    assert.equal(beats(claim('o', '2026-11-23T10:00:00Z', ['GPU-a'], 'exited'), mine), false);
    // Same instant: the lower id wins, on both sides.
    const a = claim('a', '2026-11-23T11:00:00.5Z', ['GPU-a']);
    assert.notEqual(beats(a, mine), beats(mine, a));
  });
  void test('winningClaims: only overlapping UUIDs (case-insensitive), never itself', () => {
    const mine = claim('m', '2026-11-23T11:00:00.5Z', ['GPU-A', 'GPU-b']);
    const others = [
      mine,
      claim('x', '2026-11-23T11:00:00.1Z', ['gpu-a']),
      claim('y', '2026-11-23T11:00:00.1Z', ['GPU-c']),
      claim('z', '2026-11-23T11:00:00.9Z', ['GPU-b']),
    ];
    assert.deepEqual(
      winningClaims(mine, others).map((c) => c.id),
      ['x'],
    );
  });
  void test('withPickedGpus: concrete UUIDs, count 0, both labels, other device requests kept', () => {
    const o = withPickedGpus(
      {
        Image: 'i',
        Labels: { keep: '1' },
        HostConfig: {
          DeviceRequests: [
            { Driver: 'cdi', DeviceIDs: ['vendor.com/x=1'] },
            { Driver: '', Count: 0, DeviceIDs: undefined, Capabilities: [['compute', 'gpu']] },
          ],
        },
      },
      ['GPU-1', 'GPU-2'],
      'free=2',
    );
    assert.deepEqual(o.Labels, { keep: '1', [GPU_REQUEST_LABEL]: 'free=2', [GPU_UUIDS_LABEL]: 'GPU-1,GPU-2' });
    assert.deepEqual(o.HostConfig?.DeviceRequests?.[1], {
      Driver: '',
      Count: 0,
      DeviceIDs: ['GPU-1', 'GPU-2'],
      Capabilities: [['compute', 'gpu']],
      Options: {},
    });
    assert.equal(o.HostConfig?.DeviceRequests?.[0].Driver, 'cdi');
    assert.deepEqual(claimUuids(o.Labels), ['GPU-1', 'GPU-2']);
    assert.deepEqual(claimUuids(undefined), []);
  });

  void test('createClaimed: loses to an earlier claim, removes its container and re-picks', async () => {
    const log: string[] = [];
    let n = 0;
    const existing = { id: 'e', name: 'e', state: 'created', labels: { [GPU_UUIDS_LABEL]: 'GPU-0' } };
    const made: Record<string, { labels: Record<string, string> }> = {};
    const engine: ClaimEngine = {
      createContainer: (o) => {
        const id = `c${++n}`;
        made[id] = { labels: o.Labels ?? {} };
        log.push(`create ${id} ${o.Labels?.[GPU_UUIDS_LABEL]}`);
        return Promise.resolve(id);
      },
      listContainers: () =>
        Promise.resolve([
          existing,
          ...Object.keys(made).map((id) => ({ id, name: id, state: 'created', labels: made[id].labels })),
        ] as never),
      inspectContainer: (id) =>
        Promise.resolve({
          id,
          name: id,
          state: 'created',
          labels: id === 'e' ? existing.labels : made[id].labels,
          raw: { Created: id === 'e' ? '2026-01-01T00:00:00Z' : '2026-01-01T00:00:01Z' },
        } as never),
      removeContainer: (id) => {
        delete made[id];
        log.push(`remove ${id}`);
        return Promise.resolve();
      },
    };
    const free = ['GPU-0', 'GPU-1'];
    const r = await createClaimed(engine, {
      options: { Image: 'i' },
      name: 'n',
      requestText: 'free=1',
      pick: (ex) => free.filter((u) => !ex.has(u.toLowerCase())).slice(0, 1),
    });
    assert.deepEqual(r, { ok: true, id: 'c2', uuids: ['GPU-1'], attempts: 2 });
    assert.deepEqual(log, ['create c1 GPU-0', 'remove c1', 'create c2 GPU-1']);
    // Nothing left to pick: not ok, with the claim that won.
    const r2 = await createClaimed(engine, {
      options: { Image: 'i' },
      name: 'n2',
      requestText: 'free=1',
      pick: (ex) => (ex.has('gpu-0') ? undefined : ['GPU-0']),
    });
    assert.equal(r2.ok, false);
    assert.deepEqual(!r2.ok && r2.takenBy.map((c) => c.id), ['e']);
  });
});
