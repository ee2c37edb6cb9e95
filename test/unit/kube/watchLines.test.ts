import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchLines, parseWatchEvent } from '../../../src/core/kube';

const events = [
  { type: 'ADDED', object: { metadata: { name: 'pödé', resourceVersion: '5' } } },
  { type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } },
  { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } },
];
const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';

void describe('WatchLines', () => {
  void it('gives the same lines however the stream is split (mid-line, mid-character)', () => {
    const bytes = Buffer.from(text);
    for (let size = 1; size <= bytes.length; size += 1) {
      const lines = new WatchLines();
      const got: string[] = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...lines.push(bytes.subarray(i, i + size)));
      got.push(...lines.end());
      assert.deepEqual(
        got.map((l) => JSON.parse(l)),
        events,
        `chunks of ${size} bytes`,
      );
    }
  });

  void it('keeps a last line without newline until the end, and skips blank lines', () => {
    const lines = new WatchLines();
    assert.deepEqual(lines.push('{"a":1}\n\n  \n{"b"'), ['{"a":1}']);
    assert.deepEqual(lines.push(':2}'), []);
    assert.deepEqual(lines.end(), ['{"b":2}']);
    assert.deepEqual(lines.end(), []);
  });
});

void describe('parseWatchEvent', () => {
  void it('events, and undefined for what is not one', () => {
    assert.deepEqual(parseWatchEvent(JSON.stringify(events[0])), events[0]);
    assert.equal(parseWatchEvent('{"type":"ADDED"'), undefined);
    assert.equal(parseWatchEvent('{"type":"RENAMED","object":{}}'), undefined);
    assert.equal(parseWatchEvent('{"type":"ADDED","object":"x"}'), undefined);
    assert.equal(parseWatchEvent('[]'), undefined);
  });
});
