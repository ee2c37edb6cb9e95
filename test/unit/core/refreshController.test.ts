import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../../../src/core/docker/engineError';
import type { EventsOptions } from '../../../src/core/docker/engineContract';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import type {
  ContainerDetails,
  ContainerState,
  ContainerSummary,
  EngineEvent,
  GpuRequest,
} from '../../../src/core/docker/engineTypes';
import { nullLogger } from '../../../src/core/logger';
import { dockerEventChange } from '../../../src/core/docker/eventChange';
import { GPU_FILL_DELAY_MS, RefreshController } from '../../../src/core/tree/refreshController';
import type { RefreshEngine } from '../../../src/core/tree/refreshContract';
import type { Clock, EngineState } from '../../../src/core/tree/refreshPolicy';
import { gpuFromLabels } from '../../../src/core/tree/store';

/** Timers run only when the test advances time. */
class FakeClock implements Clock {
  time = 0;
  now(): number {
    return this.time;
  }
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  /** Advances time, running due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const t = this.timers[0];
      if (!t || t.at > end) break;
      this.timers.shift();
      this.time = t.at;
      t.fn();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

const summary = (id: string, state: ContainerState, labels: Record<string, string> = {}): ContainerSummary => ({
  id,
  name: `n-${id}`,
  image: 'img:1',
  imageId: 'sha256:1',
  command: 'sh',
  state,
  status: state,
  created: 1,
  ports: [],
  mounts: [],
  labels,
});

const details = (c: ContainerSummary, gpu?: GpuRequest): ContainerDetails => ({
  ...c,
  gpu,
  config: { user: '', workingDir: '', env: [], cmd: [], entrypoint: [], tty: false, hostname: '' },
  autoRemove: false,
  restartPolicy: '',
  shmSize: 0,
  ipcMode: '',
  networkMode: '',
  raw: {},
});

const unreachable = (): EngineError => new EngineError('unreachable', 'Cannot reach Docker.', 'Start Docker.');

/** An engine whose containers, failures and event stream the test controls. */
class FakeEngine implements RefreshEngine {
  containers = new Map<string, ContainerSummary>();
  gpu = new Map<string, GpuRequest>();
  failLists = false;
  /** Inspects of an id that fail (with a timeout) before one succeeds; Infinity: always. */
  failInspects = new Map<string, number>();
  calls = { list: 0, images: 0, inspect: 0 };
  private onEvent: ((e: EngineEvent) => void) | undefined;
  private opts: EventsOptions | undefined;

  events(onEvent: (e: EngineEvent) => void, opts: EventsOptions = {}): { dispose(): void } {
    this.onEvent = onEvent;
    this.opts = opts;
    return { dispose: () => (this.onEvent = undefined) };
  }
  connect(): void {
    this.opts?.onState?.('connected');
  }
  disconnect(): void {
    this.opts?.onState?.('disconnected', unreachable());
  }
  emit(id: string, action: string): void {
    // The Docker backend's reading of its own event words (core/docker/eventChange.ts).
    this.onEvent?.({
      type: 'container',
      action,
      change: dockerEventChange('container', action),
      id,
      attributes: {},
      timeNano: '1',
    });
  }
  /** While set, the container list does not answer. */
  listGate: Promise<void> | undefined;
  listContainers(): Promise<ContainerSummary[]> {
    if (this.listGate) return this.listGate.then(() => this.listContainers());
    this.calls.list++;
    return this.failLists ? Promise.reject(unreachable()) : Promise.resolve([...this.containers.values()]);
  }
  /** While set, the image list does not answer. */
  imagesGate: Promise<void> | undefined;
  listImages(): Promise<never[]> {
    this.calls.images++;
    if (this.imagesGate) return this.imagesGate.then(() => this.listImages());
    return this.failLists ? Promise.reject(unreachable()) : Promise.resolve([]);
  }
  inspectContainer(id: string): Promise<ContainerDetails> {
    this.calls.inspect++;
    const fails = this.failInspects.get(id) ?? 0;
    if (fails > 0) {
      this.failInspects.set(id, fails - 1);
      return Promise.reject(new EngineError('timeout', 'Docker did not answer in time.', ''));
    }
    const c = this.containers.get(id);
    if (!c) return Promise.reject(new EngineError('notFound', `No such container: ${id}`, ''));
    return Promise.resolve(details(c, this.gpu.get(id)));
  }
}

function setup(engine = new FakeEngine()) {
  const clock = new FakeClock();
  const fired = { containers: 0, images: 0, states: [] as EngineState[] };
  const ctl = new RefreshController({
    engine: () => engine,
    endpoint: () => 'unix:///fake.sock',
    logger: nullLogger,
    clock,
    debounceMs: 100,
    pollMs: 10_000,
    retryMs: 1000,
    signals: {
      containersChanged: () => fired.containers++,
      imagesChanged: () => fired.images++,
      stateChanged: (s) => fired.states.push(s),
    },
  });
  return { engine, clock, fired, ctl };
}

async function started(engine = new FakeEngine()) {
  const s = setup(engine);
  s.ctl.setVisible('containers', true);
  s.engine.connect();
  await settle();
  await s.clock.advance(GPU_FILL_DELAY_MS); // the first load's GPU inspects
  return s;
}

describe('RefreshController', () => {
  it('refreshContainer tells the views (the row is right after Start/Stop while events are down)', async () => {
    const { engine, ctl, fired } = await started();
    engine.containers.set('a', summary('a', 'exited'));
    await ctl.refreshAll();
    engine.disconnect();
    await settle();
    engine.containers.set('a', summary('a', 'running'));
    const before = fired.containers;
    await ctl.refreshContainer('a');
    assert.equal(ctl.containers.get('a')?.state, 'running');
    assert.equal(fired.containers, before + 1, 'the store changed but no change event fired');
  });

  it('refreshContainer of a removed container drops the row and fires', async () => {
    const { engine, ctl, fired } = await started();
    engine.containers.set('a', summary('a', 'exited'));
    await ctl.refreshAll();
    engine.containers.delete('a');
    const before = fired.containers;
    await ctl.refreshContainer('a');
    assert.equal(ctl.containers.get('a'), undefined);
    assert.equal(fired.containers, before + 1);
  });

  it('an event whose inspect fails transiently (timeout under load) still adds the row, by a retry', async () => {
    const { engine, ctl, clock, fired } = await started();
    await ctl.refreshAll();
    const lists = engine.calls.list;
    engine.containers.set('a', summary('a', 'created'));
    engine.failInspects.set('a', 1);
    const before = fired.containers;
    engine.emit('a', 'create');
    await clock.advance(100);
    assert.equal(ctl.containers.get('a'), undefined);
    await clock.advance(1000);
    assert.equal(ctl.containers.get('a')?.state, 'created', 'the row never arrived');
    assert.equal(fired.containers, before + 1);
    assert.equal(engine.calls.list, lists, 'a retried inspect should not need a full list');
  });

  it('an event whose inspect keeps failing ends in a full list, which brings the row', async () => {
    const { engine, ctl, clock } = await started();
    await ctl.refreshAll();
    const lists = engine.calls.list;
    engine.containers.set('a', summary('a', 'created'));
    engine.failInspects.set('a', Infinity);
    engine.emit('a', 'create');
    await clock.advance(10_000);
    assert.equal(engine.calls.list, lists + 1);
    assert.equal(ctl.containers.get('a')?.state, 'created');
  });

  it('rm -f of a running container is one tree change (no "removing" row right before the removal)', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    const before = fired.containers;
    engine.containers.set('a', summary('a', 'removing'));
    engine.emit('a', 'kill');
    engine.emit('a', 'die');
    await clock.advance(150); // the flush inspects while dockerd is still removing it
    engine.containers.delete('a');
    engine.emit('a', 'destroy');
    await clock.advance(3000);
    assert.equal(ctl.containers.get('a'), undefined);
    assert.equal(fired.containers, before + 1, 'rm -f should be one change: VS Code holds a second one 200 ms');
  });

  it('a removal that fails shows the container as it is after all', async () => {
    const { engine, ctl, clock } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    engine.containers.set('a', summary('a', 'removing'));
    engine.emit('a', 'kill');
    engine.emit('a', 'die');
    await clock.advance(150);
    assert.equal(ctl.containers.get('a')?.state, 'running');
    engine.containers.set('a', summary('a', 'exited')); // dockerd gave up removing it: no event says so
    await clock.advance(3000);
    assert.equal(ctl.containers.get('a')?.state, 'exited');
  });

  it('the first container rows do not wait for a slow image list', async () => {
    const engine = new FakeEngine();
    engine.containers.set('a', summary('a', 'running'));
    let open: () => void = () => undefined;
    engine.imagesGate = new Promise((r) => (open = r));
    const { ctl, fired } = await started(engine);
    assert.equal(ctl.containers.get('a')?.state, 'running', 'the rows waited for the images');
    assert.ok(fired.containers >= 1);
    assert.equal(fired.images, 0);
    engine.imagesGate = undefined;
    open();
    await settle();
    assert.equal(fired.images, 1);
  });

  it('events during the first list are inspected after it lands, not answered by a second full list', async () => {
    const engine = new FakeEngine();
    engine.containers.set('a', summary('a', 'running'));
    let open: () => void = () => undefined;
    engine.listGate = new Promise((r) => (open = r));
    const { ctl, clock } = await started(engine);
    engine.containers.set('b', summary('b', 'created')); // created on a busy engine while the list runs
    engine.emit('b', 'create');
    engine.listGate = undefined;
    open(); // the list lands before the event's debounce is over
    await settle();
    await clock.advance(1000);
    assert.equal(engine.calls.list, 1, 'a second full list');
    assert.equal(ctl.containers.get('b')?.state, 'created', 'the container created during the list is missing');
    assert.equal(ctl.containers.get('a')?.state, 'running');
  });

  it('coalesces events on one container into one inspect', async () => {
    const { engine, ctl, clock } = await started();
    engine.containers.set('a', summary('a', 'running'));
    for (const action of ['create', 'start', 'exec_start: sh', 'resize', 'update']) engine.emit('a', action);
    assert.equal(engine.calls.inspect, 0);
    await clock.advance(100);
    assert.equal(engine.calls.inspect, 1);
    assert.equal(ctl.containers.get('a')?.state, 'running');
  });

  it('one change event per burst, and none when an event changes nothing a row shows', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    await settle();
    let before = fired.containers;
    engine.emit('a', 'exec_die');
    engine.emit('a', 'update'); // e.g. docker update --memory: nothing in the row changes
    await clock.advance(100);
    assert.equal(fired.containers, before, 'a change event for an unchanged row');
    before = fired.containers;
    engine.containers.set('a', summary('a', 'exited'));
    engine.emit('a', 'kill');
    await clock.advance(40);
    engine.emit('a', 'die');
    engine.emit('a', 'stop');
    await clock.advance(60);
    assert.equal(fired.containers, before + 1, 'docker stop should be one change');
    assert.equal(ctl.containers.get('a')?.state, 'exited');
  });

  it('docker run: the row is inspected at the start event, not a coalescing window after it', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('r', summary('r', 'created'));
    engine.emit('r', 'create');
    await clock.advance(100);
    assert.equal(ctl.containers.get('r')?.state, 'created');
    // dockerd 20.10: start comes ~300 ms after create; the CLI returns right after it.
    await clock.advance(200);
    engine.containers.set('r', summary('r', 'running'));
    const before = { inspects: engine.calls.inspect, fired: fired.containers };
    engine.emit('r', 'start');
    await clock.advance(0);
    assert.equal(ctl.containers.get('r')?.state, 'running', 'start waited for the window');
    assert.deepEqual(
      { inspects: engine.calls.inspect, fired: fired.containers },
      { inspects: before.inspects + 1, fired: before.fired + 1 },
    );
  });

  it('docker stop: inspected at die, one change, the stop event after it changes nothing', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('s', summary('s', 'running'));
    await ctl.refreshAll();
    const before = fired.containers;
    engine.emit('s', 'kill');
    await clock.advance(18);
    engine.emit('s', 'kill');
    await clock.advance(37);
    engine.containers.set('s', summary('s', 'exited'));
    engine.emit('s', 'die');
    await clock.advance(0);
    assert.equal(ctl.containers.get('s')?.state, 'exited', 'die waited for the window');
    engine.emit('s', 'stop');
    await clock.advance(1000);
    assert.equal(fired.containers, before + 1, 'docker stop should be one change');
  });

  it('rm -f: die while dockerd removes it shows nothing; destroy drops the row (one change)', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('x', summary('x', 'running'));
    await ctl.refreshAll();
    const before = fired.containers;
    engine.emit('x', 'kill');
    engine.containers.set('x', summary('x', 'removing'));
    await clock.advance(44);
    engine.emit('x', 'die');
    await clock.advance(0);
    assert.equal(fired.containers, before, 'a "removing" row right before the removal');
    engine.containers.delete('x');
    engine.emit('x', 'destroy');
    await clock.advance(3000);
    assert.equal(ctl.containers.get('x'), undefined);
    assert.equal(fired.containers, before + 1);
  });

  it('a failed full refresh while the stream is up retries by itself with backoff, then heals', async () => {
    const { engine, ctl, clock, fired } = await started();
    engine.containers.set('a', summary('a', 'running'));
    engine.containers.set('b', summary('b', 'exited'));
    engine.failLists = true;
    await ctl.refreshAll(); // the user pressed Refresh while the daemon was stopped
    assert.equal(ctl.state, 'unreachable');
    assert.equal(ctl.isComplete, false);
    assert.equal(ctl.containers.size, 0);
    assert.deepEqual(clock.pending, [1000]);
    await clock.advance(1000);
    assert.equal(engine.calls.list, 3, 'no retry after 1 s');
    assert.deepEqual(clock.pending, [2000], 'backoff did not double');
    engine.failLists = false; // the daemon continues
    await clock.advance(2000);
    assert.equal(ctl.state, 'ok');
    assert.equal(ctl.isComplete, true);
    assert.equal(ctl.containers.size, 2);
    assert.deepEqual(clock.pending, [GPU_FILL_DELAY_MS], 'a timer besides the GPU fill is left after healing');
    await clock.advance(GPU_FILL_DELAY_MS);
    assert.deepEqual(clock.pending, [], 'a timer is left after healing');
    assert.deepEqual(fired.states, ['ok', 'unreachable', 'ok']);
  });

  it('never shows a partial list: events after a failed refresh trigger a full list, not a patch', async () => {
    const { engine, ctl, clock } = await started();
    engine.containers.set('a', summary('a', 'running'));
    engine.containers.set('b', summary('b', 'exited'));
    engine.failLists = true;
    await ctl.refreshAll();
    engine.failLists = false;
    engine.emit('a', 'start');
    await settle();
    assert.equal(ctl.containers.size, 0, 'an event patched an incomplete store');
    assert.equal(engine.calls.inspect, 0);
    await clock.advance(100);
    assert.equal(ctl.state, 'ok');
    assert.deepEqual(
      ctl.containers
        .all()
        .map((c) => c.id)
        .sort(),
      ['a', 'b'],
    );
  });

  it('polls only while the stream is down, and stops when it reconnects', async () => {
    const { engine, clock } = await started();
    const lists = engine.calls.list;
    engine.disconnect();
    await settle();
    assert.equal(engine.calls.list, lists + 1, 'no list when the stream went down');
    await clock.advance(10_000);
    assert.equal(engine.calls.list, lists + 2);
    await clock.advance(10_000);
    assert.equal(engine.calls.list, lists + 3);
    engine.connect();
    await settle();
    const after = engine.calls.list;
    await clock.advance(60_000);
    assert.equal(engine.calls.list, after, 'still polling with the stream up');
  });

  it('throws away a refresh that started before a restart (stale-result guard)', async () => {
    const { engine, ctl } = await started();
    engine.containers.set('old', summary('old', 'running'));
    const stale = ctl.refreshAll();
    engine.containers.clear();
    engine.containers.set('new', summary('new', 'running'));
    ctl.restart();
    await stale;
    engine.connect();
    await ctl.refreshAll();
    assert.deepEqual(
      ctl.containers.all().map((c) => c.id),
      ['new'],
    );
  });

  it('nothing runs while hidden', async () => {
    const { engine, ctl, clock } = await started();
    ctl.setVisible('containers', false);
    assert.equal(ctl.active, false);
    const calls = { ...engine.calls };
    engine.emit('a', 'start');
    await clock.advance(60_000);
    assert.deepEqual(engine.calls, calls);
  });

  it('first load: 2 list calls and one inspect per running container without our GPU label', async () => {
    const engine = new FakeEngine();
    for (let i = 0; i < 1000; i++) {
      const labels: Record<string, string> = i % 20 === 0 ? { [GPU_REQUEST_LABEL]: '2' } : {};
      engine.containers.set(`c${i}`, summary(`c${i}`, i % 10 === 0 ? 'running' : 'exited', labels));
    }
    engine.gpu.set('c10', { kind: 'all', source: 'deviceRequests' });
    const { ctl, clock } = setup(engine);
    ctl.setVisible('containers', true);
    engine.connect();
    await settle();
    assert.deepEqual({ list: engine.calls.list, images: engine.calls.images }, { list: 1, images: 1 });
    assert.equal(ctl.containers.size, 1000, 'the rows do not wait for the GPU inspects');
    assert.equal(engine.calls.inspect, 0, 'GPU inspects before the rows were handed to the tree');
    await clock.advance(GPU_FILL_DELAY_MS);
    assert.equal(engine.calls.inspect, 50, '100 running, 50 of them labelled');
    assert.deepEqual(ctl.containers.get('c0')?.gpu, { kind: 'count', count: 2, source: 'deviceRequests' });
    assert.deepEqual(ctl.containers.get('c10')?.gpu, { kind: 'all', source: 'deviceRequests' });
    await ctl.refreshAll();
    assert.equal(engine.calls.inspect, 50, 'a second full list inspected again');
  });

  it('GPU inspects wait until they are needed', async () => {
    const engine = new FakeEngine();
    engine.containers.set('a', summary('a', 'running'));
    const { ctl } = setup(engine);
    ctl.setGpuNeeded(false);
    ctl.setVisible('containers', true);
    engine.connect();
    await settle();
    assert.equal(engine.calls.inspect, 0);
    ctl.setGpuNeeded(true);
    await settle();
    assert.equal(engine.calls.inspect, 1);
  });
});

describe('gpuFromLabels', () => {
  const cases: Array<[Record<string, string>, GpuRequest | null | undefined]> = [
    [{}, undefined],
    [{ [GPU_REQUEST_LABEL]: 'all' }, { kind: 'all', source: 'deviceRequests' }],
    [{ [GPU_REQUEST_LABEL]: '2' }, { kind: 'count', count: 2, source: 'deviceRequests' }],
    [{ [GPU_REQUEST_LABEL]: 'free=3' }, { kind: 'count', count: 3, source: 'deviceRequests' }],
    [{ [GPU_REQUEST_LABEL]: 'device=0,1' }, { kind: 'devices', deviceIds: ['0', '1'], source: 'deviceRequests' }],
    [{ [GPU_REQUEST_LABEL]: 'none' }, null],
    [{ [GPU_REQUEST_LABEL]: '' }, null],
    [{ [GPU_REQUEST_LABEL]: 'gibberish' }, undefined],
    [
      { [GPU_REQUEST_LABEL]: 'free=2', [GPU_UUIDS_LABEL]: 'GPU-a, GPU-b' },
      { kind: 'devices', deviceIds: ['GPU-a', 'GPU-b'], source: 'deviceRequests' },
    ],
  ];
  for (const [labels, want] of cases) {
    it(JSON.stringify(labels), () => assert.deepEqual(gpuFromLabels(labels), want));
  }
});

void describe('RefreshController when the engine stops answering (issue 24)', () => {
  const timeout = (): EngineError => new EngineError('timeout', 'Docker did not answer in time.', 'Check Docker.');

  void it('a stream stalled (ping timeout): the rows are kept and marked stale at once, cleared by a list', async () => {
    const { engine, ctl, fired } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    const before = fired.containers;
    engine.listContainers = () => new Promise(() => undefined); // frozen: the list never answers
    (engine as unknown as { opts: EventsOptions }).opts.onState?.('disconnected', timeout());
    assert.notEqual(ctl.staleSince, undefined);
    assert.equal(ctl.containers.size, 1, 'the rows were dropped');
    assert.equal(ctl.state, 'unreachable');
    assert.ok(fired.containers > before, 'the view was not told');
  });

  void it('a full list that times out keeps the last list, stale; one refused (daemon gone) empties it', async () => {
    const { engine, ctl } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    const list = engine.listContainers.bind(engine);
    engine.listContainers = () => Promise.reject(timeout());
    await ctl.refreshAll();
    assert.notEqual(ctl.staleSince, undefined);
    assert.equal(ctl.containers.size, 1);
    assert.equal(ctl.isComplete, false, 'events must list again, not patch stale rows');
    engine.listContainers = list;
    await ctl.refreshAll();
    assert.equal(ctl.staleSince, undefined);
    assert.equal(ctl.state, 'ok');
    engine.failLists = true;
    await ctl.refreshAll();
    assert.equal(ctl.staleSince, undefined);
    assert.equal(ctl.containers.size, 0);
  });

  void it('Refresh answers as soon as a ping times out, while the list would hang', async () => {
    const { engine, ctl } = await started();
    engine.containers.set('a', summary('a', 'running'));
    await ctl.refreshAll();
    engine.listContainers = () => new Promise(() => undefined);
    (engine as FakeEngine & { ping: () => Promise<void> }).ping = () => Promise.reject(timeout());
    await ctl.refreshAll();
    assert.notEqual(ctl.staleSince, undefined);
    assert.equal(ctl.containers.size, 1);
  });
});
