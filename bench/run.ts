/**
 * `npm run bench`: GPU Containers against the docker CLI, side by side (issue 7).
 * Prints one line per figure as it is measured, then a markdown summary table. Each figure is the median
 * of repeated runs with min/max. Everything the bench creates carries a per-run label (containers) or a
 * per-run repo (image tags) and is removed at the end, on failure and on Ctrl+C.
 *   BENCH_QUICK=1   100 containers only, fewer repetitions, idle window 5 s (a ~1 min smoke run)
 *   BENCH_IDLE_S=N  idle window for the request count (default 60; 5 in quick mode)
 */
import os from 'node:os';
import { benchIdle, benchLatency, EventPath, type LatencyFigures } from './events';
import { benchLaunch } from './launch';
import { benchRefresh, type RefreshFigures } from './refresh';
import { BENCH_LABEL_KEY, cleanup, cli, createContainers, makeRig, tagImages, type Rig } from './docker';
import { bytes, ms, ratio, spread, summarize, table, type Figure } from './stats';
import fs from 'node:fs';
import path from 'node:path';
import { bundleFigures } from './bundle';
import { benchDom, type DomFigures } from './dom';
import { codeCacheState, firstLoadSplit, hostSession, REPO, stageExtension, type HostResult } from './vscode';

const QUICK = process.env.BENCH_QUICK === '1';
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? (QUICK ? 5 : 60));
const SIZES = QUICK ? [100] : [100, 1000];
const REFRESH_REPS = QUICK ? 5 : 15;
const LATENCY_RUNS = QUICK ? 5 : 20;
const LAUNCH_REPS = QUICK ? 3 : 10;
const HOST_SESSIONS = QUICK ? 1 : 3;
/** More windows that only activate (no first-load wait, no DOM rounds): activation medians of n=3 are noise. */
const ACTIVATION_SESSIONS = QUICK ? 0 : 4;
const IMAGE_TAGS = 300;
const DOM_REPS = QUICK ? 3 : 10;
/** Container names start with this (then the run id); everything is labelled and removed by label. */
const PREFIX = process.env.BENCH_NAME_PREFIX ?? 'gpuc-bench';
/** Where the figures go as JSON (scripts/bench-compare.mjs compares them with bench/baseline.json). */
const JSON_OUT = process.env.BENCH_JSON ?? path.join(REPO, 'out', 'bench', 'results.json');
const START_EVERY = 10; // every 10th bench container is started; the rest stay created

const say = (s: string): void => console.log(s);
const DOM_CHANGES = ['run', 'stop', 'rm'] as const;

/** Things to stop before cleanup on Ctrl+C (code-server, Chromium). */
const stoppers = new Set<() => Promise<void>>();
function onStop(fn: () => Promise<void>): () => void {
  stoppers.add(fn);
  return () => stoppers.delete(fn);
}

async function machine(rig: Rig): Promise<string> {
  const cpus = os.cpus();
  const v = await rig.engine.version();
  const client = (await cli(rig, ['version', '--format', '{{.Client.Version}}'])).stdout.trim();
  return (
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()}; dockerd ${v.version} (API ${v.apiVersion}), docker CLI ${client}, Node ${process.version}` +
    `; load average ${os.loadavg()[0].toFixed(1)} at start${QUICK ? '; BENCH_QUICK=1' : ''}`
  );
}

function pct(ours: number, floor: number): string {
  return `${(((ours - floor) / floor) * 100).toFixed(1)}%`;
}

function latencyLine(l: LatencyFigures): string {
  const req =
    Object.entries(l.requests)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ') || 'none';
  return (
    `event latency @${l.existing} containers: from start event ${spread(l.fromEvent)}, p95 ${ms(l.fromEvent.p95)}; ` +
    `from CLI return ${spread(l.fromCli)}, p95 ${ms(l.fromCli.p95)}; our requests over ${l.runs} runs: ${req}`
  );
}

async function main(rig: Rig): Promise<void> {
  const machineLine = await machine(rig);
  say(machineLine);
  const before = await rig.docker.listContainers({ all: true });
  if (before.length > 0) {
    const profile = before.filter((c) => c.Labels?.[BENCH_LABEL_KEY] === 'profile').length;
    say(
      `WARNING: the engine already holds ${before.length} containers${profile ? ` (${profile} of them bench:profile's fixture: docker rm -f $(docker ps -aq --filter label=${BENCH_LABEL_KEY}=profile))` : ''}; ` +
        'every "@N containers" figure below includes them',
    );
  }
  say(
    `Run label ${rig.label}; event path = the extension's RefreshController (src/core/tree/refreshController.ts): ` +
      'Engine.events → coalesce 100 ms → inspectContainer → ContainerStore.upsert → change signal.',
  );
  const staged = await stageExtension(say);
  onStop(() => Promise.resolve().then(() => staged.remove()));
  say(
    `size: dist/extension.js ${bytes(staged.bundleBytes)} (production; + dist/yaml.js ${bytes(staged.yamlChunkBytes)}, loaded by the Compose export only), VSIX ${bytes(staged.vsixBytes)}; installed into ${staged.dir}`,
  );
  const bundleMeta = bundleFigures(REPO);
  if (bundleMeta)
    say(`bundle top contributors: ${bundleMeta.top.map((t) => `${t.name} ${bytes(t.bytes)}`).join(', ')}`);
  const json: Record<string, number> = {
    'bundle.bytes': staged.bundleBytes,
    'bundle.yamlChunkBytes': staged.yamlChunkBytes,
    'vsix.bytes': staged.vsixBytes,
  };
  const domLine = (n: number, d: DomFigures): string =>
    `change → visible row in the workbench DOM @${n} containers (from the CLI's return): run ${spread(d.run)}; stop ${spread(d.stop)}; rm ${spread(d.rm)}`;
  const domFigures: Array<{ n: number; d: DomFigures }> = [];
  const refresh: RefreshFigures[] = [];
  const latency: LatencyFigures[] = [];
  let made = 0;
  let cold: HostResult | undefined;

  // Event latency on a small daemon, then launch overhead there.
  await createContainers(rig, 10, made, START_EVERY);
  made += 10;
  let events = new EventPath(rig);
  await events.load();
  latency.push(await benchLatency(rig, events, LATENCY_RUNS));
  say(latencyLine(latency[0]));
  events.dispose();

  {
    const h = await hostSession(staged, 0, onStop, {
      dom: (page) => benchDom(page, rig, DOM_REPS, PREFIX),
    });
    const d = h.dom as DomFigures;
    domFigures.push({ n: h.size, d });
    say(domLine(h.size, d));
    // The first window after the install: no code cache yet (it is written during this session).
    cold = h;
    say(
      `extension host, first window after install (code cache ${codeCacheState(h)}): require ${ms(h.requireMs)}, our activate() ${ms(h.ownActivateMs ?? NaN)}`,
    );
  }

  const launch = await benchLaunch(rig, LAUNCH_REPS);
  say(
    `launch (profile → create → start → exec true): ours ${spread(launch.ours)}; CLI run -d + exec ${spread(launch.cli)}; CLI/ours ${ratio(launch.cli.median, launch.ours.median)}`,
  );

  const tagStart = performance.now();
  await tagImages(rig, IMAGE_TAGS);
  say(`fixture: ${IMAGE_TAGS} image tags in ${ms(performance.now() - tagStart)}`);
  for (const size of SIZES) {
    const t0 = performance.now();
    await createContainers(rig, size - made, made, START_EVERY);
    say(`fixture: ${size - made} more containers (every ${START_EVERY}th started) in ${ms(performance.now() - t0)}`);
    made = size;
    const r = await benchRefresh(rig, REFRESH_REPS);
    refresh.push(r);
    say(
      `refresh @${r.rows.containers} containers + ${r.rows.images} image rows: ours ${spread(r.ours)}; CLI ${spread(r.cli)}; ` +
        `raw dockerode ${spread(r.raw)}; CLI/ours ${ratio(r.cli.median, r.ours.median)}; ours over raw ${pct(r.ours.median, r.raw.median)} ` +
        `(our mapping+store+items ${ms(r.oursMapping.median)})`,
    );
  }

  const top = SIZES[SIZES.length - 1];
  events = new EventPath(rig);
  const first = await events.load();
  const running = events.containers.all().filter((c) => c.state === 'running').length;
  const firstReq = Object.entries(first.requests)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
  say(
    `first load @${events.containers.size} (${running} running): lists ${ms(first.listMs)}, then GPU inspects ${first.inspects} in ${ms(first.gpuFillMs)}; engine requests: ${firstReq}`,
  );
  latency.push(await benchLatency(rig, events, LATENCY_RUNS));
  say(latencyLine(latency[1]));
  const idle = await benchIdle(rig, events, IDLE_S);
  events.dispose();
  const loaded = events.containers.size;
  const idleNote = `${idle.eventDriven} inspects driven by ${idle.events} events from other activity on the engine`;
  say(
    `idle ${IDLE_S} s with ${loaded} containers loaded and the event stream open: ${idle.unprompted.length} unprompted Engine API requests` +
      `${idle.unprompted.length ? ` (${idle.unprompted.slice(0, 10).join(', ')})` : ''}; ${idleNote}`,
  );

  const hosts: HostResult[] = [];
  for (let i = 0; i < HOST_SESSIONS; i++) {
    const h = await hostSession(staged, top, onStop, {
      marker: `${PREFIX}-${rig.runId}-`,
      dom: i === 0 ? (page) => benchDom(page, rig, DOM_REPS, PREFIX) : undefined,
    });
    hosts.push(h);
    if (h.dom) {
      domFigures.push({ n: h.size, d: h.dom as DomFigures });
      say(domLine(h.size, h.dom as DomFigures));
    }
    say(
      `extension host #${i + 1} (VS Code ${h.vscode}, Node ${h.node}; code cache ${codeCacheState(h)}): require ${ms(h.requireMs)}, activate ${ms(h.activateMs)} (of which our activate() ${ms(h.ownActivateMs ?? NaN)})` +
        `${h.wasActive ? ' (WAS ALREADY ACTIVE)' : ''}${h.sameModule ? '' : ' (host loaded a second copy)'}; ` +
        `load ${h.size} containers ${h.loadMs === null ? `STALLED (${h.stalled}); loaded after a second Refresh` : ms(h.loadMs)}` +
        `${h.firstRowsDomMs === undefined ? '' : ` (first row in the DOM ${ms(h.firstRowsDomMs)})`} + GPU fill ${ms(h.gpuFillMs)}; heap Δ ${bytes(h.after.heapUsed - h.before.heapUsed)}, RSS Δ ${bytes(h.after.rss - h.before.rss)} (after GC)`,
    );
    say(`  first load after focus: ${firstLoadSplit(h)}`);
  }
  const activations = [...hosts];
  for (let i = 0; i < ACTIVATION_SESSIONS; i++) {
    const h = await hostSession(staged, 0, onStop);
    activations.push(h);
    say(
      `activation window #${i + 1} (code cache ${codeCacheState(h)}): require ${ms(h.requireMs)}, activate ${ms(h.activateMs)} (of which our activate() ${ms(h.ownActivateMs ?? NaN)})`,
    );
  }
  const fig = (f: (h: HostResult) => number): Figure => summarize(hosts.map(f));
  const actFig = (f: (h: HostResult) => number): Figure => summarize(activations.map(f));
  const req = actFig((h) => h.requireMs);
  const act = actFig((h) => h.activateMs);
  const total = actFig((h) => h.requireMs + h.activateMs);
  const own = actFig((h) => h.ownActivateMs ?? NaN);
  const reqOwn = actFig((h) => h.requireMs + (h.ownActivateMs ?? NaN));
  const heap = fig((h) => h.after.heapUsed - h.before.heapUsed);
  const rss = fig((h) => h.after.rss - h.before.rss);
  const hostLoad = fig((h) => h.loadMs ?? NaN);
  const domFirst = fig((h) => h.firstRowsDomMs ?? NaN);
  const topRefresh = refresh[refresh.length - 1];
  const stalls = hosts.filter((h) => h.loadMs === null).length;
  const bundle = staged.bundleBytes;
  const vsix = staged.vsixBytes;

  const mem = (f: Figure): string =>
    `${bytes(f.median)} (min ${bytes(f.min)}, max ${bytes(f.max)}, n=${f.samples.length})`;
  const rows: string[][] = [];
  for (const r of refresh) {
    rows.push([
      `Refresh, ${r.rows.containers} containers + ${r.rows.images} image rows`,
      spread(r.ours),
      spread(r.cli),
      spread(r.raw),
      `CLI/ours ${ratio(r.cli.median, r.ours.median)}; ours over raw +${pct(r.ours.median, r.raw.median)}`,
    ]);
  }
  for (const l of latency) {
    rows.push([
      `Event latency, start event → store running, @${l.existing} containers`,
      `${spread(l.fromEvent)}, p95 ${ms(l.fromEvent.p95)}`,
      '≥ ½ poll interval + one CLI refresh',
      '—',
      `from CLI return: ${ms(l.fromCli.median)}, p95 ${ms(l.fromCli.p95)}; lists per event: ${Object.entries(l.requests)
        .filter(([k]) => k.endsWith('/json') && !k.includes('{id}'))
        .reduce((n, [, v]) => n + v, 0)}`,
    ]);
  }
  rows.push([
    `Idle: unprompted Engine API requests in ${IDLE_S} s @${loaded} containers`,
    String(idle.unprompted.length),
    '2 CLI runs per poll',
    '—',
    `events stream open; ${idleNote}`,
  ]);
  rows.push([
    'Launch: profile → create → start → exec true',
    spread(launch.ours),
    spread(launch.cli),
    '—',
    `CLI/ours ${ratio(launch.cli.median, launch.ours.median)}`,
  ]);
  rows.push([
    'Activation: require dist/loader.js (loads dist/extension.js)',
    spread(req),
    '—',
    '—',
    `in code-server extension host; code cache ${activations.map(codeCacheState).join(', ')}`,
  ]);
  if (cold)
    rows.push([
      'Activation, first window after install: require + our activate()',
      ms(cold.requireMs + (cold.ownActivateMs ?? NaN)),
      '—',
      '—',
      `code cache ${codeCacheState(cold)} (written during that window)`,
    ]);
  rows.push([
    'Activation: activate() (views registered)',
    spread(act),
    '—',
    '—',
    `require+activate ${ms(total.median)}`,
  ]);
  rows.push([
    'Activation: our activate() alone',
    spread(own),
    '—',
    '—',
    `require + our activate ${spread(reqOwn)}; goal ≤ 50 ms`,
  ]);
  rows.push([
    `Extension host: load ${top} containers (focus + refresh)`,
    spread(hostLoad),
    '—',
    '—',
    stalls ? `first load STALLED in ${stalls} of ${hosts.length} sessions (excluded)` : '',
  ]);
  rows.push([
    `First rows in the workbench DOM @${top} (focus → first row painted)`,
    spread(domFirst),
    '—',
    `${ms(topRefresh.raw.median)} (list ‖ list images)`,
    `DOM/raw ${ratio(domFirst.median, topRefresh.raw.median)}; goal ≤ 1.2×`,
  ]);
  for (const { n, d } of domFigures)
    for (const [k, f] of DOM_CHANGES.map((k) => [k, d[k]] as const))
      rows.push([
        `Change → visible row (DOM), docker ${k} @${n} containers`,
        spread(f),
        '—',
        '—',
        'from the CLI returning',
      ]);
  rows.push([
    `First load @${events.containers.size}: engine requests`,
    `${Object.values(first.requests).reduce((a, b) => a + b, 0)}`,
    '—',
    '—',
    `${running} running; ${firstReq}`,
  ]);
  rows.push([`Extension host heap growth (after GC) @${top}`, mem(heap), '—', '—', `RSS Δ ${mem(rss)}`]);
  rows.push([
    'Bundle dist/extension.js (production)',
    bytes(bundle),
    '—',
    '—',
    `+ dist/yaml.js ${bytes(staged.yamlChunkBytes)} (Compose export only)`,
  ]);
  rows.push(['VSIX', bytes(vsix), '—', '—', '']);
  say('');
  say(`${machineLine}, ${os.loadavg()[0].toFixed(1)} at end`);
  say('');
  say(table(['Figure', 'Ours (median, min/max)', 'docker CLI', 'Raw dockerode (floor)', 'Ratio / notes'], rows));

  json['activation.requireMs'] = req.median;
  json['activation.activateMs'] = act.median;
  json['activation.totalMs'] = total.median;
  json['activation.ownActivateMs'] = own.median;
  json['activation.requirePlusOwnMs'] = reqOwn.median;
  if (cold) json['activation.coldTotalMs'] = cold.requireMs + (cold.ownActivateMs ?? NaN);
  json['firstRows.storeMs'] = hostLoad.median;
  json['firstRows.domMs'] = domFirst.median;
  json['firstRows.rawListMs'] = topRefresh.raw.median;
  json['refresh.top.oursMs'] = topRefresh.ours.median;
  json['firstLoad.requests'] = Object.values(first.requests).reduce((a, b) => a + b, 0);
  json['firstLoad.inspects'] = first.inspects;
  for (const [i, { d }] of domFigures.entries())
    for (const [k, f] of DOM_CHANGES.map((k) => [k, d[k]] as const))
      json[`dom.${i === 0 ? 'small' : 'top'}.${k}Ms`] = f.median;
  for (const [i, l] of latency.entries()) json[`eventLatency.${i === 0 ? 'small' : 'top'}Ms`] = l.fromEvent.median;
  fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
  fs.writeFileSync(JSON_OUT, `${JSON.stringify({ machine: machineLine, quick: QUICK, figures: json }, null, 2)}\n`);
  // Issue 17's goals, each against this run's figures (printed, never failing: noise is not a regression).
  const goal = (what: string, value: string, ok: boolean): void =>
    say(`  ${ok ? 'met    ' : 'NOT met'}  ${what}: ${value}`);
  const worst = (d: DomFigures): number => Math.max(...DOM_CHANGES.map((k) => d[k].median));
  say('\ngoals (issue 17):');
  for (const { n, d } of domFigures) {
    const limit = n <= 100 ? 50 : 100;
    goal(
      `change → visible row ≤ ${limit} ms @${n} (run, stop, rm; the slowest median)`,
      ms(worst(d)),
      worst(d) <= limit,
    );
  }
  goal(
    `activation: require + our activate() ≤ 50 ms (median of ${activations.length} windows)`,
    ms(reqOwn.median),
    reqOwn.median <= 50,
  );
  goal(
    `first rows in the DOM ≤ 1.2× the raw list @${top}`,
    `${ms(domFirst.median)} = ${ratio(domFirst.median, topRefresh.raw.median)}`,
    domFirst.median <= 1.2 * topRefresh.raw.median,
  );
  goal(
    'first-load inspects ≤ running containers',
    `${first.inspects} for ${running} running`,
    first.inspects <= running,
  );
  const shipped = bundle + staged.yamlChunkBytes;
  goal('production bundle ≤ 500 KiB (with the yaml chunk)', bytes(shipped), shipped <= 500 * 1024);
  say(`figures written to ${JSON_OUT} (compare: node scripts/bench-compare.mjs ${path.relative(REPO, JSON_OUT)})`);
}

async function entry(): Promise<number> {
  const rig = makeRig();
  let cleaning: Promise<void> | undefined;
  const clean = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const stop of [...stoppers]) await stop().catch(() => undefined);
      await cleanup(rig, say);
    })();
    return cleaning;
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    say(`\n${sig}: cleaning up…`);
    void clean().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  try {
    await main(rig);
    return 0;
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await clean();
    say(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

void entry().then((code) => process.exit(code));
