import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerState, ContainerSummary } from '../../../src/core/docker/engineTypes';
import { formatDuration, StatusClock } from '../../../src/core/tree/status';
import { ListedSince, parseDockerDuration, readStatusWords } from '../../../src/core/docker/statusWords';

const MIN = 60_000;
const c = (state: ContainerState, status: string, extra: Record<string, unknown> = {}): ContainerSummary => ({
  id: 'x'.repeat(64),
  name: 'x',
  image: 'img',
  imageId: 'sha256:1',
  command: 'sh',
  state,
  status,
  created: 1,
  ports: [],
  mounts: [],
  labels: {},
  ...extra,
});

void describe("Docker's durations", () => {
  const table: Array<[string, number | undefined]> = [
    ['Less than a second', 0],
    ['1 second', 1000],
    ['42 seconds', 42_000],
    ['About a minute', MIN],
    ['11 minutes', 11 * MIN],
    ['About an hour', 60 * MIN],
    ['5 hours', 300 * MIN],
    ['3 days', 3 * 86_400_000],
    ['2 weeks', 14 * 86_400_000],
    ['soon', undefined],
  ];
  for (const [text, ms] of table) void it(text, () => assert.equal(parseDockerDuration(text), ms));

  void it('read back into the neutral fields', () => {
    assert.deepEqual(readStatusWords('Up 3 minutes (healthy)', 10 * MIN), { since: 7 * MIN, health: 'healthy' });
    assert.deepEqual(readStatusWords('Up 5 seconds (health: starting)', 10_000), { since: 5_000, health: 'starting' });
    assert.deepEqual(readStatusWords('Exited (137) 11 seconds ago', 100_000), { since: 89_000, exitCode: 137 });
    assert.deepEqual(readStatusWords('Created', 0), {});
  });
  void it('a listed row keeps its moment while its words stay the same', () => {
    const since = new ListedSince();
    const [a] = since.apply([c('running', 'Up 3 minutes')], 10 * MIN, true);
    assert.equal(a.since, 7 * MIN);
    const [b] = since.apply([c('running', 'Up 3 minutes')], 10 * MIN + 20_000, true);
    assert.equal(b.since, 7 * MIN, 'the same words 20 s later: the same moment');
    const [d] = since.apply([c('running', 'Up 4 minutes')], 11 * MIN, true);
    assert.equal(d.since, 7 * MIN);
  });
});

void describe('formatDuration (plurals)', () => {
  const table: Array<[number, string]> = [
    [0, 'less than a minute'],
    [59_000, 'less than a minute'],
    [MIN, '1 minute'],
    [5 * MIN, '5 minutes'],
    [60 * MIN, '1 hour'],
    [47 * 60 * MIN, '47 hours'],
    [3 * 86_400_000, '3 days'],
    [20 * 86_400_000, '2 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ];
  for (const [ms, text] of table) void it(`${ms} → ${text}`, () => assert.equal(formatDuration(ms), text));
});

void describe('status text is computed at render time, never frozen', () => {
  void it('moves on from "Up Less than a second" as time passes (a Docker list row)', () => {
    let now = 1_000_000_000;
    const clock = new StatusClock(() => now);
    const [row] = new ListedSince().apply([c('running', 'Up Less than a second')], now, true);
    assert.equal(clock.text(row), 'Up less than a minute');
    now += 61_000;
    assert.equal(clock.text(row), 'Up 1 minute');
    now += 4 * MIN;
    assert.equal(clock.text(row), 'Up 5 minutes');
  });
  void it('moves on from "Exited (137) 11 seconds ago"', () => {
    let now = 1_000_000_000;
    const clock = new StatusClock(() => now);
    const [row] = new ListedSince().apply([c('exited', 'Exited (137) 11 seconds ago')], now, true);
    assert.equal(clock.text(row), 'Exited (137) less than a minute ago');
    now += 5 * MIN;
    assert.equal(clock.text(row), 'Exited (137) 5 minutes ago');
  });
  void it('reads the neutral fields only: since, exit code, health, paused', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    const clock = new StatusClock(() => now);
    const row = c('exited', 'whatever the engine said', { since: Date.parse('2026-01-01T09:00:00Z'), exitCode: 2 });
    assert.equal(clock.text(row), 'Exited (2) 1 hour ago');
    const up = c('running', '', { since: Date.parse('2026-01-01T09:58:00Z'), health: 'unhealthy' });
    assert.equal(clock.text(up), 'Up 2 minutes (unhealthy)');
    const paused = c('paused', '', { since: Date.parse('2026-01-01T09:58:00Z') });
    assert.equal(clock.text(paused), 'Up 2 minutes (Paused)');
  });
  void it("keeps the engine's words when it has no moment", () => {
    const clock = new StatusClock(() => 0);
    assert.equal(clock.text(c('created', 'Created')), 'Created');
    assert.equal(clock.text(c('created', 'Pending: 0/2 nodes are available')), 'Pending: 0/2 nodes are available');
  });
});
