/**
 * Figure 2: event latency and idle requests, through the same core pieces the extension's RefreshManager
 * (src/tree/refresh.ts, which needs vscode) wires together: Engine.events (container+image) → coalesce
 * 100 ms → Engine.inspectContainer(id) → ContainerStore.upsert. The first load mirrors its refreshAll:
 * list containers ‖ list images → replaceAll, then the background GPU fill (inspect each new id, 4 at a time).
 */
import type { EngineEvent } from '../src/core/docker';
import { ContainerStore, ImageStore } from '../src/core/tree/store';
import { BUSYBOX, cli, type Rig } from './docker';
import { sleep, summarize, type Figure } from './stats';

const CONTAINER_ACTIONS = new Set([
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'pause',
  'unpause',
  'destroy',
  'rename',
  'update',
  'oom',
  'kill',
]);
const DEBOUNCE_MS = 100;

/** Wall clock with sub-millisecond resolution (epoch ms), comparable with the engine's event times. */
const wall = (): number => performance.timeOrigin + performance.now();

export class EventPath {
  readonly containers = new ContainerStore();
  readonly images = new ImageStore();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sub: { dispose(): void } | undefined;
  private connected: Promise<void>;
  /** Epoch ms of each container's latest `start` event. */
  readonly startedAt = new Map<string, number>();
  /** Epoch ms at which the store first held each container as running. */
  private readonly runningAt = new Map<string, number>();
  private waiters = new Map<string, (at: number) => void>();
  /** Every container event this path acted on (for attributing requests in the idle window). */
  readonly seen: { at: number; id: string }[] = [];

  constructor(private readonly rig: Rig) {
    let ready: () => void = () => undefined;
    this.connected = new Promise((r) => (ready = r));
    this.sub = rig.engine.events((e) => this.onEvent(e), {
      filters: { type: ['container', 'image'] },
      onState: (s) => s === 'connected' && ready(),
    });
  }

  /** The first full load; resolves with its timings and request count. */
  async load(): Promise<{ listMs: number; gpuFillMs: number; inspects: number }> {
    await this.connected;
    const t0 = performance.now();
    const [c, i] = await Promise.all([this.rig.engine.listContainers({ all: true }), this.rig.engine.listImages()]);
    this.containers.replaceAll(c);
    this.images.replaceAll(i);
    const t1 = performance.now();
    const ids = this.containers.missingGpuInfo();
    const inspects = ids.length;
    const worker = async (): Promise<void> => {
      for (let id = ids.pop(); id !== undefined; id = ids.pop()) {
        try {
          this.containers.setGpu(id, (await this.rig.engine.inspectContainer(id)).gpu);
        } catch {
          this.containers.setGpu(id, undefined);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return { listMs: t1 - t0, gpuFillMs: performance.now() - t1, inspects };
  }

  private onEvent(e: EngineEvent): void {
    if (e.type !== 'container' || !CONTAINER_ACTIONS.has(e.action.split(':')[0])) return;
    this.seen.push({ at: Date.now(), id: e.id });
    if (e.action === 'start') this.startedAt.set(e.id, Number(BigInt(e.timeNano) / 1000n) / 1000);
    if (e.action === 'destroy') {
      this.pending.delete(e.id);
      this.containers.remove(e.id);
      return;
    }
    this.pending.add(e.id);
    this.timer ??= setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const ids = [...this.pending];
    this.pending.clear();
    await Promise.all(
      ids.map(async (id) => {
        try {
          const d = await this.rig.engine.inspectContainer(id);
          this.containers.upsert(d);
          if (d.state === 'running' && !this.runningAt.has(id)) {
            const at = wall();
            this.runningAt.set(id, at);
            const w = this.waiters.get(id);
            this.waiters.delete(id);
            w?.(at);
          }
        } catch {
          this.containers.remove(id);
        }
      }),
    );
  }

  /** Resolves with the epoch ms at which the store first holds `id` as running. */
  whenRunning(id: string, timeoutMs = 10_000): Promise<number> {
    const at = this.runningAt.get(id);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters.delete(id);
        reject(new Error(`the store never saw ${id.slice(0, 12)} running`));
      }, timeoutMs);
      this.waiters.set(id, (at) => {
        clearTimeout(t);
        resolve(at);
      });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.sub?.dispose();
  }
}

export interface LatencyFigures {
  fromEvent: Figure;
  fromCli: Figure;
  /** Requests our path made per external `docker run`, by kind (summed over all runs). */
  requests: Record<string, number>;
  runs: number;
  existing: number;
}

/**
 * `runs` external `docker run -d` (CLI); for each, the time from the engine's `start` event (its own
 * timestamp) and from the CLI's return to the moment our store first holds the container as running.
 */
let runSeq = 0;

export async function benchLatency(rig: Rig, path: EventPath, runs: number): Promise<LatencyFigures> {
  const fromEvent: number[] = [];
  const fromCli: number[] = [];
  const requests: Record<string, number> = {};
  const existing = path.containers.size;
  for (let i = 0; i < runs; i++) {
    await sleep(250); // let the previous run's flush settle
    const mark = rig.counter.mark();
    const name = `gpuc-bench-${rig.runId}-ev${runSeq++}`;
    const run = await cli(rig, [
      'run',
      '-d',
      '--name',
      name,
      '--label',
      rig.label,
      '--network',
      'none',
      BUSYBOX,
      'sleep',
      '86400',
    ]);
    const cliDone = wall();
    const id = run.stdout.trim();
    const seen = await path.whenRunning(id);
    const startEvent = path.startedAt.get(id);
    if (startEvent === undefined) throw new Error(`no start event for ${name}`);
    fromEvent.push(seen - startEvent);
    fromCli.push(seen - cliDone);
    await sleep(DEBOUNCE_MS + 50);
    for (const r of rig.counter.since(mark)) {
      const kind = r.replace(/\/containers\/[0-9a-f]{64}\//, '/containers/{id}/');
      requests[kind] = (requests[kind] ?? 0) + 1;
    }
  }
  return { fromEvent: summarize(fromEvent), fromCli: summarize(fromCli), requests, runs, existing };
}

export interface IdleFigures {
  seconds: number;
  /** Requests not caused by an event: should be none (the events stream itself is not counted). */
  unprompted: string[];
  /** Inspects of containers that changed meanwhile (other users' activity on a shared engine). */
  eventDriven: number;
  /** Container events (actions the tree shows) that arrived in the window. */
  events: number;
}

/**
 * Requests our tree path makes while nobody touches it, for `seconds`. On a shared engine other people's
 * containers may change meanwhile; an inspect of a container that had an event in the window is counted
 * as event-driven, everything else (lists, polls) as unprompted.
 */
export async function benchIdle(rig: Rig, path: EventPath, seconds: number): Promise<IdleFigures> {
  await sleep(500);
  const mark = rig.counter.mark();
  const seenMark = path.seen.length;
  await sleep(seconds * 1000);
  await sleep(DEBOUNCE_MS + 50); // let a flush triggered at the very end land in the window's accounting
  const changed = new Set(path.seen.slice(seenMark).map((e) => e.id));
  const unprompted: string[] = [];
  let eventDriven = 0;
  for (const r of rig.counter.since(mark)) {
    const m = /^GET \/containers\/([0-9a-f]{64})\/json$/.exec(r);
    if (m && changed.has(m[1])) eventDriven++;
    else if (!/^GET \/events$/.test(r)) unprompted.push(r);
  }
  return { seconds, unprompted, eventDriven, events: path.seen.length - seenMark };
}
