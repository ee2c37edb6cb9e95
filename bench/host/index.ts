// Runs inside the extension host (as the extensionTestsPath, copied next to the installed VSIX by
// bench/vscode.ts): times the require of the bundle and activate() of the extension, then the heap/RSS
// growth (after a full GC) of loading the bench's containers into the Containers view. Writes JSON to
// BENCH_RESULT_FILE. Only node builtins and vscode are required at run time.
import fs from 'node:fs';
import inspector from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as vscode from 'vscode';
import type { Api } from '../../src/extension';
import type { MARK_PREFIX as MarkPrefix } from '../../src/core/perfMarks';

/** src/core/perfMarks.ts's prefix (this file is copied next to the VSIX: it requires nothing of ours). */
const MARK_PREFIX: typeof MarkPrefix = 'gpuContainers:';

const EXTENSION_ID = 'gpu-containers.gpu-containers';
/** Node's require (same module cache as the host's): the bundle is loaded by path at run time, not imported. */
const requireModule = createRequire(__filename);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ok: () => boolean, timeoutMs: number, status: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${status()})`);
    await sleep(10);
  }
}

/** A full GC, so heap figures are what is retained (the extension host has no --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** BENCH_PROFILE_DIR: a CPU profile of this host from before the require to the end of the GPU fill. */
function profiler(): { stop(): Promise<void> } | undefined {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return undefined;
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  const started = post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 250 }))
    .then(() => post('Profiler.start'));
  return {
    async stop() {
      await started;
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(path.join(dir, 'host.cpuprofile'), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CLOCK_MONOTONIC in µs: the clock of V8's and Chromium's CPU profiles on Linux. */
const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);

let prof: { stop(): Promise<void> } | undefined;

async function measure(): Promise<Record<string, unknown>> {
  prof = profiler();
  const marks: Record<string, number> = {};
  if (prof) await sleep(50);
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not in this host`);
  const wasActive = ext.isActive;
  // package.json "main": dist/loader.js, which loads dist/extension.js through V8's code cache.
  const main = path.join(ext.extensionPath, String((ext.packageJSON as { main?: string }).main));

  // Before the load: V8's code cache records the flags it was made under and rejects itself under others,
  // so a flag set after the load (--expose-gc) would make every next window's cache a miss.
  const gc = collector();
  // The host loads the same module through Node's require cache, so activate() below reuses this load.
  marks.require = monoUs();
  const t0 = performance.now();
  const mod = requireModule(main) as unknown;
  const t1 = performance.now();
  marks.activate = monoUs();
  const api = await ext.activate();
  const t2 = performance.now();
  marks.activated = monoUs();
  const sameModule = requireModule(main) === mod;

  const { refresh } = api.services;
  const status = (): string =>
    `store ${refresh.containers.size}, state ${refresh.state}, events ${refresh.active ? 'on' : 'off'}, error ${refresh.lastError?.message ?? 'none'}`;
  const expect = Number(process.env.BENCH_EXPECT ?? '0');
  await sleep(500);
  gc();
  const before = process.memoryUsage();
  const t3 = performance.now();
  const focusAt = performance.timeOrigin + t3;
  marks.focus = monoUs();
  marks.epochUsAtFocus = focusAt * 1000;
  await vscode.commands.executeCommand('gpuContainers.containers.focus');
  await vscode.commands.executeCommand('gpuContainers.refresh');
  // A stalled first load is reported (and retried once by the Refresh command) rather than waited out.
  let stalled: string | undefined;
  try {
    await waitFor(`${expect} containers in the store`, () => refresh.containers.size >= expect, 15_000, status);
  } catch (err) {
    stalled = err instanceof Error ? err.message : String(err);
    await vscode.commands.executeCommand('gpuContainers.refresh');
    await waitFor(
      `${expect} containers in the store after a second Refresh`,
      () => refresh.containers.size >= expect,
      60_000,
      status,
    );
  }
  const t4 = performance.now();
  marks.store = monoUs();
  // GPU inspects (running containers without our GPU label) finish the first load.
  await waitFor('the GPU fill', () => refresh.containers.gpuToInspect().length === 0, 120_000, status);
  const t5 = performance.now();
  marks.gpuFill = monoUs();
  await sleep(1000);
  gc();
  const after = process.memoryUsage();
  // The extension's first-load marks (src/core/perfMarks.ts), as epoch ms: same process, same timeline.
  const extMarks: Record<string, number> = {};
  for (const m of performance.getEntriesByType('mark'))
    if (m.name.startsWith(MARK_PREFIX))
      extMarks[m.name.slice(MARK_PREFIX.length)] = performance.timeOrigin + m.startTime;
  return {
    extMarks,
    marks,
    wasActive,
    sameModule,
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    ownActivateMs: api.activateMs,
    loadMs: stalled ? null : t4 - t3,
    focusAt,
    stalled,
    gpuFillMs: t5 - t4,
    size: refresh.containers.size,
    rows: api.services.containersTree.visible(api.services.refresh).length,
    before: { heapUsed: before.heapUsed, rss: before.rss },
    after: { heapUsed: after.heapUsed, rss: after.rss },
    node: process.version,
    vscode: vscode.version,
  };
}

export async function run(): Promise<void> {
  const file = process.env.BENCH_RESULT_FILE;
  let result: Record<string, unknown>;
  try {
    result = await measure();
  } catch (err) {
    result = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  if (file) fs.writeFileSync(file, JSON.stringify(result));
  else console.log(JSON.stringify(result));
  // The bench measures the workbench's DOM meanwhile (bench/dom.ts); keep the host up until it is done.
  const done = process.env.BENCH_DONE_FILE;
  if (done && !result.error) {
    const deadline = Date.now() + 240_000;
    while (!fs.existsSync(done) && Date.now() < deadline) await sleep(100);
  }
  await prof?.stop();
}
