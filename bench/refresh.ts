/**
 * Figure 1: one full refresh, three ways.
 *   ours  = the extension's RefreshController.refreshAll() (Engine.listContainers({all}) ‖ Engine.listImages() →
 *           our types → ContainerStore/ImageStore → change signals) → sort/filter → containerItem/imageItem
 *           for every row (what the views render).
 *   cli   = `docker ps -a --no-trunc --format '{{json .}}'` ‖ `docker images --format '{{json .}}'`, parsed in Node.
 *   raw   = dockerode listContainers({all}) ‖ listImages() alone: the floor.
 */
import { containerItem, filterContainers, sortContainers } from '../src/core/tree/containerRows';
import { imageItem, imageRows } from '../src/core/tree/imageRows';
import { nullLogger } from '../src/core/logger';
import { RefreshController } from '../src/core/tree/refreshController';
import { cli, type Rig } from './docker';
import { summarize, type Figure } from './stats';

export interface RefreshFigures {
  ours: Figure;
  cli: Figure;
  raw: Figure;
  /** Our path split: the list calls vs mapping + store + items. */
  oursMapping: Figure;
  rows: { containers: number; images: number };
}

async function ours(rig: Rig): Promise<{ ms: number; mapMs: number; rows: { containers: number; images: number } }> {
  let listed = 0;
  const ctl = new RefreshController({
    engine: () => rig.engine,
    endpoint: () => rig.endpoint.host,
    logger: nullLogger,
    signals: {
      containersChanged: () => (listed = performance.now()),
      imagesChanged: () => undefined,
      stateChanged: () => undefined,
    },
  });
  ctl.setGpuNeeded(false); // GPU inspects are figure 2's first load, not the refresh's
  const t0 = performance.now();
  await ctl.refreshAll();
  if (ctl.state !== 'ok') throw new Error(`refresh failed: ${ctl.lastError?.message ?? ctl.state}`);
  const t1 = listed;
  const cs = ctl.containers;
  const is = ctl.images;
  const now = Date.now();
  const cItems = sortContainers(filterContainers(cs.all(), 'all', 'bench')).map((c) =>
    containerItem(c, { user: 'bench', now }),
  );
  const iItems = imageRows(is.all(), false).map((r) => imageItem(r, { now }));
  const t2 = performance.now();
  return { ms: t2 - t0, mapMs: t2 - t1, rows: { containers: cItems.length, images: iItems.length } };
}

async function viaCli(rig: Rig): Promise<number> {
  const t0 = performance.now();
  const [ps, imgs] = await Promise.all([
    cli(rig, ['ps', '-a', '--no-trunc', '--format', '{{json .}}']),
    cli(rig, ['images', '--format', '{{json .}}']),
  ]);
  const parse = (s: string): unknown[] =>
    s
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
  const n = parse(ps.stdout).length + parse(imgs.stdout).length;
  if (n === 0) throw new Error('the CLI listed nothing');
  return performance.now() - t0;
}

async function raw(rig: Rig): Promise<number> {
  const t0 = performance.now();
  await Promise.all([rig.docker.listContainers({ all: true }), rig.docker.listImages()]);
  return performance.now() - t0;
}

/** `reps` rounds, each round running the three paths in a rotating order (after one warm-up round). */
export async function benchRefresh(rig: Rig, reps: number): Promise<RefreshFigures> {
  const o: number[] = [];
  const m: number[] = [];
  const c: number[] = [];
  const r: number[] = [];
  let rows = { containers: 0, images: 0 };
  const steps = [
    async (keep: boolean) => {
      const x = await ours(rig);
      rows = x.rows;
      if (keep) {
        o.push(x.ms);
        m.push(x.mapMs);
      }
    },
    async (keep: boolean) => {
      const x = await viaCli(rig);
      if (keep) c.push(x);
    },
    async (keep: boolean) => {
      const x = await raw(rig);
      if (keep) r.push(x);
    },
  ];
  for (let round = -1; round < reps; round++) {
    for (let k = 0; k < steps.length; k++) await steps[(k + Math.max(round, 0)) % steps.length](round >= 0);
  }
  return { ours: summarize(o), cli: summarize(c), raw: summarize(r), oursMapping: summarize(m), rows };
}
