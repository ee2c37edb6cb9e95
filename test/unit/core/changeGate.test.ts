import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerState, ContainerSummary } from '../../../src/core/docker/engineTypes';
import { ChangeGate, VSCODE_TREE_DEBOUNCE_MS } from '../../../src/core/tree/changeGate';
import { ContainerOrder, sortContainers } from '../../../src/core/tree/containerRows';

/** Timers that run only when the test advances time. */
class Clock {
  time = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== h);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const t = this.timers[0];
      if (!t || t.at > end) break;
      this.timers.shift();
      this.time = t.at;
      t.fn();
    }
    this.time = end;
  }
}

/**
 * VS Code's Event.debounce(…, 200, leading = true) as the extension host wires a tree view's changes: the
 * first event fires at once, every event restarts the timer, and the timer fires what came after the first.
 */
class VsCodeDebounce {
  private handle: unknown;
  private count = 0;
  readonly delivered: number[] = [];
  constructor(private readonly clock: Clock) {}
  event(): void {
    this.count++;
    if (this.handle === undefined) {
      this.delivered.push(this.clock.time);
    }
    this.clock.clearTimeout(this.handle);
    this.handle = this.clock.setTimeout(() => {
      if (this.count > 1) this.delivered.push(this.clock.time);
      this.count = 0;
      this.handle = undefined;
    }, VSCODE_TREE_DEBOUNCE_MS);
  }
}

function rig() {
  const clock = new Clock();
  const vscode = new VsCodeDebounce(clock);
  const batches: Array<{ at: number; all: boolean; elements: string[] }> = [];
  const gate = new ChangeGate<string>({
    clock,
    now: () => clock.time,
    flush: (all, elements) => {
      batches.push({ at: clock.time, all, elements });
      vscode.event();
      return true;
    },
  });
  return { clock, vscode, batches, gate };
}

describe('ChangeGate (changes on the leading edge of VS Code’s 200 ms tree debounce)', () => {
  it('a change with the window closed goes out at once', () => {
    const { gate, vscode, clock } = rig();
    clock.advance(1000);
    gate.request();
    assert.deepEqual(vscode.delivered, [1000]);
  });

  it('a burst (list, GPU fill, message) reaches VS Code at t and t+205, never pushed back by later events', () => {
    const { gate, vscode, clock, batches } = rig();
    gate.request(); // the first list
    clock.advance(120);
    gate.request(); // its GPU fill
    clock.advance(50);
    gate.request(['a']); // an event
    clock.advance(1000);
    assert.deepEqual(vscode.delivered, [0, 205]);
    assert.deepEqual(
      batches.map((b) => [b.at, b.all]),
      [
        [0, true],
        [205, true],
      ],
      'the held changes were not merged into one batch',
    );
  });

  it('without the gate the same burst reaches VS Code 200 ms after its last event', () => {
    const clock = new Clock();
    const vscode = new VsCodeDebounce(clock);
    vscode.event();
    clock.advance(120);
    vscode.event();
    clock.advance(50);
    vscode.event();
    clock.advance(1000);
    assert.deepEqual(vscode.delivered, [0, 370]);
  });

  it('element changes merge; a whole-tree change absorbs them', () => {
    const { gate, clock, batches } = rig();
    gate.request(['x']);
    gate.request(['a']);
    gate.request(['b', 'a']);
    clock.advance(300);
    gate.request(['c']);
    gate.request();
    clock.advance(300);
    assert.deepEqual(
      batches.map((b) => [b.at, b.all, b.elements]),
      [
        [0, false, ['x']],
        [205, false, ['a', 'b']],
        [410, true, []],
      ],
    );
  });

  it('flushNow sends what is held at once (before a reveal)', () => {
    const { gate, clock, batches } = rig();
    gate.request();
    clock.advance(10);
    gate.request(['a']);
    assert.equal(gate.holding, true);
    gate.flushNow();
    assert.deepEqual(
      batches.map((b) => b.at),
      [0, 10],
    );
    assert.equal(gate.holding, false);
    clock.advance(1000);
    assert.equal(batches.length, 2, 'the held batch went out twice');
  });

  it('a batch that emitted nothing does not open the window', () => {
    const clock = new Clock();
    let emit = false;
    const at: number[] = [];
    const gate = new ChangeGate<string>({
      clock,
      now: () => clock.time,
      flush: () => {
        at.push(clock.time);
        return emit;
      },
    });
    gate.request([]); // a message that did not change
    clock.advance(10);
    emit = true;
    gate.request();
    assert.deepEqual(at, [0, 10]);
  });
});

const row = (name: string, state: ContainerState): ContainerSummary => ({
  id: `id-${name}`,
  name,
  image: 'img',
  imageId: 'sha256:1',
  command: 'sleep',
  state,
  status: state === 'running' ? 'Up 1 minute' : 'Exited (0) 1 minute ago',
  created: 0,
  ports: [],
  mounts: [],
  labels: {},
});

describe('ContainerOrder (the sorted rows, kept between changes)', () => {
  const list = Array.from({ length: 300 }, (_, i) => row(`c-${i}`, i % 7 === 0 ? 'running' : 'exited'));

  it('sorts exactly like sortContainers, after adds, removals and state changes', () => {
    const order = new ContainerOrder();
    let current = [...list].reverse();
    assert.deepEqual(order.sort(current, '1'), sortContainers(current));
    current = current.filter((c) => c.name !== 'c-14').concat(row('c-0a', 'running'), row('b-1', 'exited'));
    current = current.map((c) => (c.name === 'c-3' ? row('c-3', 'running') : c));
    assert.deepEqual(order.sort(current, '2'), sortContainers(current));
  });

  it('is memoized on its key (one sort per store change, however many callers)', () => {
    const order = new ContainerOrder();
    const first = order.sort(list, 'a');
    assert.equal(order.has('a'), true);
    assert.equal(order.sort([], 'a'), first, 'a new array for the same key');
    const changed = list.map((c) => (c.name === 'c-100' ? row('c-100', 'running') : c));
    assert.equal(order.has('b'), false);
    assert.deepEqual(order.sort(changed, 'b'), sortContainers(changed));
  });

  it('keeps duplicates of an id apart (two hosts never share an order, but a bad list must not lose rows)', () => {
    const order = new ContainerOrder();
    order.sort(list, '1');
    const twice = [...list, list[0]];
    assert.equal(order.sort(twice, '2').length, twice.length);
  });
});
