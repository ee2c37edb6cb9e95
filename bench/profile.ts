/**
 * `npm run bench:profile`: where the time of the first load and of change → visible row goes, in CPU
 * profiles of the real extension host and the real workbench (Chromium), windowed to those moments.
 * Keeps its 1,000-container fixture between runs (label gpu-containers-bench.run=profile) so it can be
 * rerun in a minute; BENCH_PROFILE_CLEAN=1 removes it at the end. Profiles are left in out/bench/profile/.
 *   BENCH_PROFILE_N=1000   containers in the fixture
 *   BENCH_PROFILE_COLD=1   profile the first window after install (no code cache yet)
 */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_LABEL_KEY, cleanup, createContainers, makeRig } from './docker';
import { benchDom, type DomFigures } from './dom';
import { bundleNamer, printSelfTimes, selfTimes } from './cpuprofile';
import { sleep, spread } from './stats';
import { codeCacheState, firstLoadSplit, hostSession, REPO, stageExtension } from './vscode';

const N = Number(process.env.BENCH_PROFILE_N ?? 1000);
const PREFIX = 'gpuc-bench';
const say = (s: string): void => console.log(s);

async function main(): Promise<void> {
  const rig = makeRig();
  rig.runId = 'profile';
  rig.label = `${BENCH_LABEL_KEY}=${rig.runId}`;
  const have = await rig.docker.listContainers({ all: true, filters: { label: [rig.label] } });
  if (have.length < N) {
    say(`fixture: creating ${N - have.length} containers (every 10th started)…`);
    await createContainers(rig, N - have.length, have.length, 10);
  }
  const dir = path.join(REPO, 'out', 'bench', 'profile');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const staged = await stageExtension(say);
  try {
    // A first window writes V8's code cache (src/loader.ts, 10 s after the load), as any window after the
    // first one finds it; BENCH_PROFILE_COLD=1 profiles the first window after install instead.
    if (process.env.BENCH_PROFILE_COLD !== '1') {
      say('warm-up window (writes the code cache)…');
      await hostSession(staged, 0, () => () => undefined, { dom: () => sleep(11_000) });
    }
    const h = await hostSession(staged, N, () => () => undefined, {
      marker: `${PREFIX}-${rig.runId}-`,
      profileDir: dir,
      dom: (page) => benchDom(page, rig, 5, PREFIX),
    });
    const m = h.marks!;
    const epochToMono = (epochMs: number): number => epochMs * 1000 - m.epochUsAtFocus + m.focus;
    const firstRow = h.firstRowsDomMs === undefined ? m.store : epochToMono(h.focusAt + h.firstRowsDomMs);
    const d = h.dom as DomFigures;
    say(
      `require ${((m.activate - m.require) / 1000).toFixed(1)} ms, activate ${((m.activated - m.activate) / 1000).toFixed(1)} ms ` +
        `(ours ${h.ownActivateMs?.toFixed(1)} ms); focus → store ${((m.store - m.focus) / 1000).toFixed(0)} ms, ` +
        `→ first DOM row ${h.firstRowsDomMs?.toFixed(0)} ms; GPU fill ${h.gpuFillMs.toFixed(0)} ms`,
    );
    say(`first load after focus: ${firstLoadSplit(h)}; code cache ${codeCacheState(h)}`);
    say(`change → DOM row: run ${spread(d.run)}; stop ${spread(d.stop)}; rm ${spread(d.rm)}`);
    const namer = bundleNamer(path.join(staged.dir, 'dist', 'extension.js.map'));
    const windows = {
      activation: [{ from: m.require, to: m.activated }],
      firstLoad: [{ from: m.focus, to: firstRow }],
      changes: (d.windowsUs ?? []).map(([, from, to]) => ({ from, to })),
    };
    fs.writeFileSync(path.join(dir, 'windows.json'), JSON.stringify(windows));
    for (const [proc, file] of [
      ['extension host', 'host.cpuprofile'],
      ['workbench', 'workbench.cpuprofile'],
    ] as const) {
      const f = path.join(dir, file);
      if (!fs.existsSync(f)) {
        say(`(no ${file})`);
        continue;
      }
      for (const [what, w] of Object.entries(windows))
        printSelfTimes(`${proc}, ${what}`, selfTimes(f, w, 25, namer), say);
    }
    say(`\nprofiles: ${dir} (open in Chrome DevTools → Performance, or VS Code's profile viewer)`);
  } finally {
    staged.remove();
    if (process.env.BENCH_PROFILE_CLEAN === '1') await cleanup(rig, say);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
