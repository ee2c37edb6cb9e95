import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Demuxer, LineSplitter, PullProgress } from '../../../src/core/docker/streams';
import { sinceFromNanos } from '../../../src/core/docker/eventsSubscription';

function frame(type: number, payload: string | Buffer): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

void describe('Demuxer', () => {
  void it('splits stdout/stderr frames, across arbitrary chunk boundaries and split UTF-8', () => {
    const euro = Buffer.from('€'); // 3 bytes
    const all = Buffer.concat([
      frame(1, 'out1\n'),
      frame(2, 'err1\n'),
      frame(1, euro.subarray(0, 2)),
      frame(1, Buffer.concat([euro.subarray(2), Buffer.from('\n')])),
    ]);
    for (const size of [1, 3, 7, all.length]) {
      const got: string[] = [];
      const d = new Demuxer((s, t) => got.push(`${s}:${t}`));
      for (let i = 0; i < all.length; i += size) d.push(all.subarray(i, i + size));
      d.end();
      const out = got
        .filter((g) => g.startsWith('stdout:'))
        .map((g) => g.slice(7))
        .join('');
      const err = got
        .filter((g) => g.startsWith('stderr:'))
        .map((g) => g.slice(7))
        .join('');
      assert.equal(out, 'out1\n€\n', `chunk ${size}`);
      assert.equal(err, 'err1\n');
    }
  });
  void it('raw (tty) passes through as stdout', () => {
    const got: string[] = [];
    const d = new Demuxer((s, t) => got.push(`${s}:${t}`), true);
    d.push(Buffer.from('\x01\x00\x00\x00hello'));
    assert.deepEqual(got, ['stdout:\x01\x00\x00\x00hello']);
  });
  void it('falls back to raw when the data is not multiplexed', () => {
    const got: string[] = [];
    const d = new Demuxer((s, t) => got.push(`${s}:${t}`));
    d.push(Buffer.from('plain text, not framed\n'));
    assert.deepEqual(got, ['stdout:plain text, not framed\n']);
  });
});

void describe('LineSplitter', () => {
  void it('handles partial lines and a final unterminated line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('{"a":1}\n{"b"');
    s.push(':2}\n\n{"c":3}');
    s.end();
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});

void describe('PullProgress', () => {
  void it('rolls layers into one monotonic percentage, 100 only at the end', () => {
    const p = new PullProgress();
    const msgs = [
      { status: 'Pulling from library/x', id: '1' },
      { status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' },
      { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 50, total: 100 } },
      { status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' }, // a new layer appears: must not go down
      { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 100, total: 100 } },
      { status: 'Download complete', id: 'bbbbbbbbbbbb' },
      { status: 'Extracting', id: 'aaaaaaaaaaaa', progressDetail: { current: 10, total: 100 } },
      { status: 'Pull complete', id: 'aaaaaaaaaaaa' },
      { status: 'Already exists', id: 'bbbbbbbbbbbb' },
      { status: 'Digest: sha256:x' },
      { status: 'garbage', progressDetail: 'x' },
    ];
    const seen = msgs.map((m) => p.update(m).percent);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `monotonic at ${i}: ${seen.join(',')}`);
    assert.ok(seen[2] > 0);
    assert.ok(seen.every((x) => x <= 99));
    assert.equal(p.complete().percent, 100);
  });
  void it('survives junk', () => {
    const p = new PullProgress();
    for (const m of [null, 1, 'x', {}, { id: 5 }]) assert.equal(p.update(m).percent, 0);
  });
});

void describe('sinceFromNanos', () => {
  void it('formats sec.nanos with padding', () => {
    assert.equal(sinceFromNanos(1795413117000000042n), '1795413117.000000042');
    assert.equal(sinceFromNanos(1795413117507371645n), '1795413117.507371645');
  });
});
