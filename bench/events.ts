/**
 * Figure 2: event latency and idle requests, through the extension's own RefreshController
 * (src/core/tree/refreshController.ts — the class the Containers view wraps): Engine.events → coalesce
 * 100 ms → inspectContainer → ContainerStore.upsert → change signal. The engine is wrapped only to note
 * each event's own timestamp; the first load is the controller's: list ‖ list images, then GPU inspects
 * of running containers without our GPU label.
 */
import type { EngineEvent } from '../src/core/docker';
import { nullLogger } from '../src/core/logger';
import { RefreshController } from '../src/core/tree/refreshController';
import type { RefreshEngine } from '../src/core/tree/refreshContract';
import type { ContainerStore, ImageStore } from '../src/core/tree/store';
import { BUSYBOX, cli, type Rig } from './docker';
import { sleep, summarize, type Figure } from './stats';

const DEBOUNCE_MS = 100;

/** Wall clock with sub-millisecond resolution (epoch ms), comparable with the engine's event times. */
const wall = (): number => performance.timeOrigin + performance.now();

export interface FirstLoad {
  listMs: number;
  gpuFillMs: number;
  inspects: number;
  /** Engine requests of the first load, by kind (the events stream not counted). */
  requests: Record<string, number>;
}

export class EventPath {
  readonly controller: RefreshController;
  /** Epoch ms of each container's latest `start` event. */
  readonly startedAt = new Map<string, number>();
  /** Epoch ms at which the store first held each container as running. */
  private readonly runningAt = new Map<string, number>();
  private waiters = new Map<string, (at: number) => void>();
  /** Every container event the stream delivered (for attributing requests in the idle window). */
  readonly seen: { at: number; id: string }[] = [];
  private changed: () => void = () => undefined;

  constructor(private readonly rig: Rig) {
    const engine: RefreshEngine = {
      listContainers: (o) => rig.engine.listContainers(o),
      listImages: () => rig.engine.listImages(),
      inspectContainer: (id) => rig.engine.inspectContainer(id),
      events: (onEvent, opts) =>
        rig.engine.events((e: EngineEvent) => {
          if (e.type === 'container') this.seen.push({ at: Date.now(), id: e.id });
          if (e.type === 'container' && e.action === 'start')
            this.startedAt.set(e.id, Number(BigInt(e.timeNano) / 1000n) / 1000);
          onEvent(e);
        }, opts),
    };
    this.controller = new RefreshController({
      engine: () => engine,
      endpoint: () => rig.endpoint.host,
      logger: nullLogger,
      debounceMs: DEBOUNCE_MS,
      signals: {
        containersChanged: () => this.onChanged(),
        imagesChanged: () => undefined,
        stateChanged: () => undefined,
      },
    });
  }

  get containers(): ContainerStore {
    return this.controller.containers;
  }
  get images(): ImageStore {
    return this.controller.images;
  }

  /** Notes when the store first holds each container as running (a create's flush may already see it running). */
  private onChanged(): void {
    this.changed();
    const at = wall();
    for (const c of this.containers.all()) {
      if (c.state !== 'running' || this.runningAt.has(c.id)) continue;
      this.runningAt.set(c.id, at);
      const w = this.waiters.get(c.id);
      this.waiters.delete(c.id);
      w?.(at);
    }
  }

  /** The first full load (the view becomes visible); resolves with its timings and requests. */
  async load(): Promise<FirstLoad> {
    const mark = this.rig.counter.mark();
    const t0 = performance.now();
    const listed = new Promise<void>((r) => (this.changed = () => this.controller.isComplete && r()));
    this.controller.setVisible('bench', true);
    await listed;
    this.changed = () => undefined;
    const t1 = performance.now();
    while (this.containers.gpuToInspect().length > 0) await sleep(2);
    const t2 = performance.now();
    const requests: Record<string, number> = {};
    for (const r of this.rig.counter.since(mark)) {
      if (/^GET \/events/.test(r)) continue;
      const kind = r.replace(/\/containers\/[0-9a-f]{64}\//, '/containers/{id}/').replace(/\?.*$/, '');
      requests[kind] = (requests[kind] ?? 0) + 1;
    }
    return { listMs: t1 - t0, gpuFillMs: t2 - t1, inspects: requests['GET /containers/{id}/json'] ?? 0, requests };
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
    this.controller.dispose();
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
    const name = `${process.env.BENCH_NAME_PREFIX ?? 'gpuc-bench'}-${rig.runId}-ev${runSeq++}`;
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
    // The create's inspect may already see it running before the start event is delivered.
    for (let w = 0; w < 100 && !path.startedAt.has(id); w++) await sleep(10);
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
