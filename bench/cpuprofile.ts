/**
 * Reads a V8/Chromium .cpuprofile and sums self time per function and per source inside time windows
 * (CLOCK_MONOTONIC µs, the clock both profilers stamp samples with on Linux). For bench/profile.ts.
 */
import fs from 'node:fs';
import { SourceMap } from 'node:module';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  from: number;
  to: number;
}

export interface SelfTimes {
  totalMs: number;
  byFunction: Array<{ name: string; ms: number }>;
  bySource: Array<{ name: string; ms: number }>;
  /** Self time under our bundle's frames and everything they call (ms). */
  underOursMs: number;
}

/** The installed extension's files (the rig's cache folder is also called gpu-containers-dev). */
const OURS = /\/gpu-containers\.gpu-containers-[^/]+\//;

/** Where a frame comes from: our bundle, a vscode file, node internals, or V8's own (GC, program, idle). */
function source(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (OURS.test(url)) return url.endsWith('bench-host.js') ? 'bench host script' : 'our bundle';
  if (url.startsWith('node:')) return url;
  const m = /\/(out|vs)\/(.+?)(\?|$)/.exec(url);
  if (m) return m[2].split('/').slice(0, 4).join('/');
  return url.replace(/^.*\//, '');
}

/** Names a minified frame of our bundle by its original source:line (from the bundle's source map). */
export function bundleNamer(mapFile: string): (line: number, column: number) => string | undefined {
  const map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')) as never);
  return (line, column) => {
    const e = map.findEntry(line, column) as { originalSource?: string; originalLine?: number; name?: string };
    if (!e.originalSource) return undefined;
    const file = e.originalSource.replace(/^.*?(node_modules\/|src\/)/, '$1');
    return `${e.name ?? ''} ${file}:${(e.originalLine ?? 0) + 1}`.trim();
  };
}

export function selfTimes(
  file: string,
  windows: Window[],
  top = 25,
  name?: (line: number, column: number) => string | undefined,
): SelfTimes {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const oursCache = new Map<number, boolean>();
  const underOurs = (id: number): boolean => {
    const hit = oursCache.get(id);
    if (hit !== undefined) return hit;
    const n = byId.get(id)!;
    const up = parent.get(id);
    const v =
      (OURS.test(n.callFrame.url) && !n.callFrame.url.endsWith('bench-host.js')) || (up !== undefined && underOurs(up));
    oursCache.set(id, v);
    return v;
  };
  const fn = new Map<string, number>();
  const src = new Map<string, number>();
  let total = 0;
  let ours = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (!windows.some((w) => t >= w.from && t < w.to)) continue;
    const n = byId.get(p.samples[i])!;
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    const s = source(url, functionName);
    const mapped = s === 'our bundle' && name ? name(lineNumber, columnNumber) : undefined;
    const key = mapped ?? `${functionName || '(anonymous)'} ${s}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const where = mapped ? `ours: ${mapped.replace(/^.* /, '').replace(/:\d+$/, '')}` : s;
    src.set(where, (src.get(where) ?? 0) + dt);
    total += dt;
    if (underOurs(n.id)) ours += dt;
  }
  const sorted = (m: Map<string, number>): Array<{ name: string; ms: number }> =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms }));
  return { totalMs: total, byFunction: sorted(fn), bySource: sorted(src), underOursMs: ours };
}

export function printSelfTimes(title: string, s: SelfTimes, say: (s: string) => void): void {
  say(`\n## ${title}: ${s.totalMs.toFixed(1)} ms busy (not idle), ${s.underOursMs.toFixed(1)} ms under our code`);
  say('by source:');
  for (const r of s.bySource.slice(0, 12)) say(`  ${r.ms.toFixed(1).padStart(8)} ms  ${r.name}`);
  say('by function (self):');
  for (const r of s.byFunction) say(`  ${r.ms.toFixed(1).padStart(8)} ms  ${r.name}`);
}
