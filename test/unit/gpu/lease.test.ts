import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEASE_HOLD_LABEL, LEASE_UNTIL_LABEL } from '../../../src/core/docker/labels';
import {
  clockTime,
  extendedLease,
  holdText,
  leaseLabels,
  leaseOf,
  leasesToWarn,
  leaseText,
  parseHold,
  readExtensions,
  writeExtensions,
  type Clock,
} from '../../../src/core/gpu/lease';
import { buildGpuModel } from '../../../src/core/gpu/gpuModel';
import { gpuChildren, gpuNodeItem, gpuRootNodes } from '../../../src/core/tree/gpuRows';
import { parseComputeApps, parseGpuQuery } from '../../../src/core/gpu/smi';
import { fixture } from './fixtures';
import { container, dev } from './helpers';

const H = 3_600_000;
const M = 60_000;
/** A fake clock: 2026-12-06 10:00 local time (tests never read the real time). */
const start = new Date(2026, 11, 6, 10, 0, 0).getTime();
const clock: Clock = () => start;

void describe('parseHold: how long a profile holds its GPUs', () => {
  for (const [text, ms] of [
    ['8h', 8 * H],
    ['90m', 90 * M],
    ['1d', 24 * H],
    ['1h30m', 90 * M],
    ['1.5h', 90 * M],
    [' 2H ', 2 * H],
    ['30d', 30 * 24 * H],
  ] as const)
    void it(`${JSON.stringify(text)} → ${ms} ms`, () => assert.equal(parseHold(text), ms));
  for (const bad of ['8x', '-1h', '0', '0h', '8', 8, '', 'h', '1h 30m', '31d', '30s', null, {}, '1e3h'])
    void it(`${JSON.stringify(bad)} is not a hold`, () => assert.equal(parseHold(bad), undefined));
  void it('holdText writes the settings form back', () => {
    assert.equal(holdText(8 * H), '8h');
    assert.equal(holdText(90 * M), '1h30m');
    assert.equal(holdText(26 * H), '1d2h');
  });
});

void describe('lease labels', () => {
  void it('carry the end as ISO 8601 UTC at second precision, and the hold', () => {
    const at = Date.UTC(2026, 11, 6, 10, 0, 0, 456);
    assert.deepEqual(leaseLabels(8 * H, at), {
      [LEASE_UNTIL_LABEL]: '2026-12-06T18:00:00Z',
      [LEASE_HOLD_LABEL]: '8h',
    });
  });
  void it('read back; a later extension of the owner wins, an earlier one does not', () => {
    const labels = leaseLabels(8 * H, start);
    assert.deepEqual(leaseOf(labels), { until: start + 8 * H - (start % 1000), holdMs: 8 * H, extended: false });
    assert.equal(leaseOf(labels, start + 16 * H)?.until, start + 16 * H);
    assert.equal(leaseOf(labels, start + 16 * H)?.extended, true);
    assert.equal(leaseOf(labels, start)?.extended, false);
  });
  void it('anything but an absolute time is no lease', () => {
    for (const v of ['', 'tomorrow', '2026-12-06 18:00', '2026-12-06T18:00:00', '18:00'])
      assert.equal(leaseOf({ [LEASE_UNTIL_LABEL]: v }), undefined, v);
    assert.equal(leaseOf({}), undefined);
    assert.equal(leaseOf(undefined), undefined);
    assert.equal(leaseOf({ [LEASE_UNTIL_LABEL]: '2026-12-06T18:00:00+01:00' })?.until, Date.UTC(2026, 11, 6, 17));
  });
});

void describe('lease texts (fake clock, local time)', () => {
  const now = clock();
  void it('held by alice until 18:00', () => {
    const lease = { until: new Date(2026, 11, 6, 18, 0).getTime(), extended: false };
    assert.equal(leaseText(lease, now, 'alice'), 'held by alice until 18:00');
    assert.equal(leaseText(lease, now), 'held until 18:00');
  });
  void it('another day says the date', () => {
    assert.equal(clockTime(new Date(2026, 11, 7, 2, 5).getTime(), now), '2026-12-07 02:05');
  });
  void it('expired: lease expired 10 minutes ago', () => {
    assert.equal(leaseText({ until: now - 10 * M, extended: false }, now, 'alice'), 'lease expired 10 minutes ago');
    assert.equal(leaseText({ until: now, extended: false }, now, 'alice'), 'lease expired just now');
    assert.equal(leaseText({ until: now - 3 * H, extended: false }, now), 'lease expired 3 hours ago');
  });
});

void describe('the owner is warned 15 minutes before, once per end time', () => {
  const now = clock();
  const lease = (until: number) => ({ until, holdMs: 8 * H, extended: false });
  void it('warns within 15 minutes and for an ended lease, not earlier', () => {
    const due = leasesToWarn(
      [
        { id: 'a', lease: lease(now + 16 * M) },
        { id: 'b', lease: lease(now + 15 * M) },
        { id: 'c', lease: lease(now - 5 * M) },
      ],
      now,
      new Set(),
    );
    assert.deepEqual(
      due.map((d) => d.id),
      ['b', 'c'],
    );
  });
  void it('not twice for the same end; again after Extend moved it', () => {
    const first = leasesToWarn([{ id: 'b', lease: lease(now + 10 * M) }], now, new Set());
    const warned = new Set(first.map((d) => d.key));
    assert.deepEqual(leasesToWarn([{ id: 'b', lease: lease(now + 10 * M) }], now, warned), []);
    const later = extendedLease(lease(now + 10 * M), 8 * H, now);
    assert.equal(later, now + 10 * M + 8 * H);
    assert.deepEqual(leasesToWarn([{ id: 'b', lease: lease(later) }], now, warned), []);
    const then = later - 14 * M;
    assert.equal(leasesToWarn([{ id: 'b', lease: lease(later) }], then, warned).length, 1);
  });
  void it('Extend of an expired lease counts from now', () => {
    assert.equal(extendedLease(lease(now - H), 2 * H, now), now + 2 * H);
  });
  void it('the stored extensions read back, bad entries and gone containers dropped', () => {
    const stored = writeExtensions({ a: Date.UTC(2026, 11, 6, 20), b: Date.UTC(2026, 11, 7) });
    assert.deepEqual(stored, { a: '2026-12-06T20:00:00Z', b: '2026-12-07T00:00:00Z' });
    assert.deepEqual(readExtensions({ ...stored, c: 'soon', d: 5 }, new Set(['a', 'c', 'd'])), {
      a: Date.UTC(2026, 11, 6, 20),
    });
    assert.deepEqual(readExtensions('x'), {});
    assert.deepEqual(readExtensions([1]), {});
  });
});

void describe('the GPUs view: a lease on the holder line', () => {
  const gpus = parseGpuQuery(fixture('synthetic/query-gpu-8.csv')).gpus;
  const apps = parseComputeApps(fixture('synthetic/query-apps-8.csv')).apps;
  const now = clock();
  const holderOf = (labels: Record<string, string>, owner = 'alice') => {
    const c = container('bert', dev('3'), { owner, labels });
    const rows = buildGpuModel({ gpus, apps, pidToContainerId: new Map(), containers: [c] }, { includeStopped: true });
    const gpu3 = gpuRootNodes(rows).find((n) => n.kind === 'gpu' && n.row.gpu.index === 3)!;
    return { node: gpuChildren(gpu3).find((n) => n.kind === 'holder')!, id: c.id };
  };
  void it('held by alice until 18:00', () => {
    const { node } = holderOf({ [LEASE_UNTIL_LABEL]: new Date(2026, 11, 6, 18).toISOString() });
    const item = gpuNodeItem(node, undefined, now);
    assert.equal(item.label, 'alice/bert');
    assert.match(String(item.description), / · held by alice until 18:00$/);
    assert.match(String(item.tooltip), /held by alice until 18\\:00/, 'escaped for markdown');
  });
  void it('expired leases are marked', () => {
    const { node } = holderOf({ [LEASE_UNTIL_LABEL]: new Date(now - 10 * M).toISOString() });
    assert.match(String(gpuNodeItem(node, undefined, now).description), /lease expired 10 minutes ago/);
  });
  void it("the owner's extension moves the time shown", () => {
    const { node, id } = holderOf({ [LEASE_UNTIL_LABEL]: new Date(now - 10 * M).toISOString() });
    const item = gpuNodeItem(node, undefined, now, undefined, { [id]: new Date(2026, 11, 6, 20).getTime() });
    assert.match(String(item.description), /held by alice until 20:00/);
  });
  void it('no lease label, no lease words', () => {
    const { node } = holderOf({});
    assert.doesNotMatch(String(gpuNodeItem(node, undefined, now).description), /held|lease/);
  });
});
