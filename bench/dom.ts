/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Figure: change → visible row, in the DOM of the real workbench (issue 17). The clock starts when the
 * docker CLI command returns (in this process) and stops when a MutationObserver in the page sees the
 * row change in the sidebar (epoch ms on both sides: same machine, same wall clock).
 *   run  → a row with the container's name showing "Up"
 *   stop → no row with its name showing "Up" (it moved to the exited group, usually out of view)
 *   rm   → no row with its name (removed while running, so its row was in view)
 * The first-rows probe records when the first bench row appears after the view is focused.
 */
import { BUSYBOX, cli, type Rig } from './docker';
import { sleep, summarize, type Figure } from './stats';

export interface DomPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  addInitScript<A>(fn: (arg: A) => void, arg: A): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
}

export interface DomFigures {
  run: Figure;
  stop: Figure;
  rm: Figure;
  /** Each change as [CLI returned, row seen] in CLOCK_MONOTONIC µs (to window a CPU profile). */
  windowsUs?: Array<[string, number, number]>;
}

type Want = 'up' | 'notUp' | 'gone';
const wall = (): number => performance.timeOrigin + performance.now();

/** Installed before the workbench loads: the epoch ms at which a row containing `marker` first shows. */
export async function installFirstRowProbe(page: DomPage, marker: string): Promise<void> {
  await page.addInitScript((m: string) => {
    const w = window as unknown as { __gpucFirstRowAt?: number };
    const check = (): boolean => {
      for (const row of document.querySelectorAll('.part.sidebar .monaco-list-row'))
        if (row.textContent?.includes(m)) return true;
      return false;
    };
    const start = (): void => {
      const obs = new MutationObserver(() => {
        if (w.__gpucFirstRowAt === undefined && check()) {
          w.__gpucFirstRowAt = performance.timeOrigin + performance.now();
          obs.disconnect();
        }
      });
      obs.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    };
    if (document.documentElement) start();
    else document.addEventListener('DOMContentLoaded', start);
  }, marker);
}

export function firstRowAt(page: DomPage): Promise<number | undefined> {
  return page.evaluate(() => (window as unknown as { __gpucFirstRowAt?: number }).__gpucFirstRowAt, undefined);
}

/** Arms an observer in the page for `name` reaching `want`; `wait()` resolves with the epoch ms it did. */
async function arm(page: DomPage, name: string, want: Want): Promise<{ wait(): Promise<number> }> {
  await page.evaluate(
    ({ name, want }: { name: string; want: Want }) => {
      const w = window as unknown as { __gpucWait?: Promise<number> };
      const holds = (): boolean => {
        const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')].filter((r) =>
          r.textContent?.includes(name),
        );
        const up = rows.some((r) => /\bUp\b/.test(r.textContent ?? ''));
        return want === 'up' ? up : want === 'notUp' ? !up : rows.length === 0;
      };
      w.__gpucWait = new Promise<number>((resolve, reject) => {
        const obs = new MutationObserver(() => {
          if (!holds()) return;
          obs.disconnect();
          resolve(performance.timeOrigin + performance.now());
        });
        obs.observe(document.querySelector('.part.sidebar') ?? document.body, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
        setTimeout(() => {
          obs.disconnect();
          reject(new Error(`the row of ${name} never reached ${want}`));
        }, 15_000);
      });
    },
    { name, want },
  );
  return {
    wait: () => page.evaluate(() => (window as unknown as { __gpucWait: Promise<number> }).__gpucWait, undefined),
  };
}

/** `reps` rounds of run → stop → start → rm -f of one bench container, each change timed in the DOM. */
export async function benchDom(page: DomPage, rig: Rig, reps: number, prefix: string): Promise<DomFigures> {
  const run: number[] = [];
  const stop: number[] = [];
  const rm: number[] = [];
  const windowsUs: Array<[string, number, number]> = [];
  const timed = async (name: string, want: Want, args: string[], into: number[] | undefined): Promise<void> => {
    const probe = await arm(page, name, want);
    await cli(rig, args);
    const returned = wall();
    const seen = await probe.wait();
    // Signed: the row can change before the CLI has returned (the event beats the CLI's own exit).
    into?.push(seen - returned);
    const mono = Number(process.hrtime.bigint() / 1000n);
    windowsUs.push([args[0], mono - (wall() - returned) * 1000, mono - (wall() - seen) * 1000]);
  };
  for (let i = 0; i < reps; i++) {
    // "0" sorts this running container ahead of the bench's others, so its row is in view.
    const name = `${prefix}-0dom-${rig.runId}-${i}`;
    await sleep(300);
    const runArgs = ['run', '-d', '--name', name, '--label', rig.label, '--network', 'none', BUSYBOX, 'sleep', '86400'];
    await timed(name, 'up', runArgs, run);
    await sleep(300);
    await timed(name, 'notUp', ['stop', '-t', '0', name], stop);
    await sleep(300);
    await timed(name, 'up', ['start', name], undefined);
    await sleep(300);
    await timed(name, 'gone', ['rm', '-f', name], rm);
  }
  return { run: summarize(run), stop: summarize(stop), rm: summarize(rm), windowsUs };
}
