import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { EventsSubscription, REPLAY_WINDOW_NS, type EventsSource } from '../../../src/core/docker/eventsSubscription';
import type { EngineEvent } from '../../../src/core/docker/engineTypes';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

const line = (id: string, action: string, nano: bigint): string =>
  `{"Type":"container","Action":"${action}","Actor":{"ID":"${id}","Attributes":{}},"time":1,"timeNano":${nano}}\n`;

/** An engine whose event streams the test writes; remembers the `since` of every open. */
class FakeSource implements EventsSource {
  readonly endpointHost = 'fake';
  readonly connectTimeoutMs = 1000;
  streams: PassThrough[] = [];
  sinces: Array<string | undefined> = [];
  open(query: { since?: string }): Promise<NodeJS.ReadableStream> {
    this.sinces.push(query.since);
    const s = new PassThrough();
    this.streams.push(s);
    return Promise.resolve(s);
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
}

const T = 1_795_413_117_000_000_000n;

describe('EventsSubscription', () => {
  it('delivers events the engine sends slightly out of time order (a burst of concurrent creates)', async () => {
    const source = new FakeSource();
    const got: EngineEvent[] = [];
    const sub = new EventsSubscription(source, (e) => got.push(e), { livenessMs: 0 });
    await settle();
    // dockerd stamps an event, then publishes it: two concurrent creates can be published in either order.
    source.streams[0].write(
      line('a', 'create', T + 500n) + line('b', 'create', T + 200n) + line('c', 'create', T + 900n),
    );
    await settle();
    sub.dispose();
    assert.deepEqual(
      got.map((e) => e.id),
      ['a', 'b', 'c'],
    );
  });

  it('resumes a little before the last event and drops the replayed duplicates', async () => {
    const source = new FakeSource();
    const got: string[] = [];
    const sub = new EventsSubscription(source, (e) => got.push(`${e.id}:${e.action}`), {
      livenessMs: 0,
      backoff: { initialMs: 1, maxMs: 1 },
    });
    await settle();
    source.streams[0].write(line('a', 'create', T + 100n) + line('b', 'create', T + 300n));
    await settle();
    source.streams[0].end();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    assert.equal(source.streams.length, 2, 'no reconnect');
    const since = source.sinces[1]!;
    const [sec, frac] = since.split('.');
    assert.ok(BigInt(sec) * 1_000_000_000n + BigInt(frac) <= T + 300n - REPLAY_WINDOW_NS, `resumed at ${since}`);
    // The engine replays what it has since then: the two seen, one stamped earlier but never delivered, one new.
    source.streams[1].write(
      line('a', 'create', T + 100n) +
        line('x', 'create', T + 250n) +
        line('b', 'create', T + 300n) +
        line('c', 'start', T + 400n),
    );
    await settle();
    sub.dispose();
    assert.deepEqual(got, ['a:create', 'b:create', 'x:create', 'c:start']);
  });
});
