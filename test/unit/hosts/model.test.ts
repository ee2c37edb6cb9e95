import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetSummary, gpuCountText, hostNodeText, oneLine, type HostStatus } from '../../../src/core/hosts/hostModel';

void describe('hostNodeText', () => {
  const table: { host: HostStatus; text: string }[] = [
    { host: { name: 'gpubox', state: { kind: 'ok' }, gpus: { free: 5, total: 8 } }, text: 'gpubox · 5 of 8 GPUs free' },
    { host: { name: 'one', state: { kind: 'ok' }, gpus: { free: 0, total: 1 } }, text: 'one · 0 of 1 GPU free' },
    { host: { name: 'cpu', state: { kind: 'ok' }, gpus: { free: 0, total: 0 } }, text: 'cpu · no GPUs' },
    { host: { name: 'unknown', state: { kind: 'ok' } }, text: 'unknown' },
    { host: { name: 'new', state: { kind: 'connecting' } }, text: 'new · connecting…' },
    {
      host: {
        name: 'gpubox',
        state: {
          kind: 'unreachable',
          reason: '\n  ssh: connect to host gpubox port 22:   Connection refused\nsecond line',
          fix: 'Start sshd.',
        },
        gpus: { free: 5, total: 8 },
      },
      text: 'gpubox · unreachable: ssh: connect to host gpubox port 22: Connection refused',
    },
    { host: { name: 'x', state: { kind: 'unreachable', reason: '' } }, text: 'x · unreachable' },
  ];
  for (const c of table) {
    void it(c.text, () => assert.equal(hostNodeText(c.host).text, c.text));
  }
  void it('the tooltip of an unreachable host has the whole reason and the fix', () => {
    const n = hostNodeText({ name: 'g', state: { kind: 'unreachable', reason: 'a\nb', fix: 'Do X.' } });
    assert.equal(n.label, 'g');
    assert.equal(n.description, 'unreachable: a');
    assert.equal(n.tooltip, 'g is unreachable.\na\nb\nDo X.');
  });
  void it('clips a long reason to one short line', () => {
    const s = oneLine('x'.repeat(500));
    assert.equal(s.length, 100);
    assert.ok(s.endsWith('…'));
    assert.equal(oneLine(undefined as unknown as string), '');
    assert.equal(gpuCountText(undefined), '');
  });
});

void describe('fleetSummary', () => {
  const ok = (name: string, free: number, total: number): HostStatus => ({
    name,
    state: { kind: 'ok' },
    gpus: { free, total },
  });
  void it('sums GPUs over reachable hosts', () => {
    const s = fleetSummary([ok('a', 5, 8), ok('b', 6, 8), ok('c', 0, 8)]);
    assert.equal(s.text, 'GPU 11/24 free · 3 hosts');
    assert.equal(s.tooltip, 'a · 5 of 8 GPUs free\nb · 6 of 8 GPUs free\nc · 0 of 8 GPUs free');
  });
  void it('counts an unreachable host apart, never its stale GPUs', () => {
    const down: HostStatus = {
      name: 'd',
      state: { kind: 'unreachable', reason: 'timeout' },
      gpus: { free: 8, total: 8 },
    };
    const s = fleetSummary([ok('a', 5, 8), down, { name: 'n', state: { kind: 'connecting' } }]);
    assert.equal(s.text, 'GPU 5/8 free · 3 hosts · 1 unreachable');
    assert.equal(s.unreachable, 1);
  });
  void it('one host: no host count; no GPUs anywhere: no GPU part', () => {
    assert.equal(fleetSummary([ok('a', 2, 4)]).text, 'GPU 2/4 free');
    assert.equal(fleetSummary([ok('a', 0, 0)]).text, '');
    assert.equal(fleetSummary([ok('a', 0, 0), { name: 'b', state: { kind: 'ok' } }]).text, '2 hosts');
    assert.equal(fleetSummary([]).text, '');
  });
});
