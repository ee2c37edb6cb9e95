/** Pure formatting used by tree items and messages. */

/** A translate function: the extension passes vscode.l10n.t; tests and core default to English. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));

/** 1.2 GB, 830 MB, 4.5 kB — decimal units, like `docker images`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${Number(v.toFixed(digits))} ${units[i]}`;
}

/** "just now", "5 minutes ago", "3 days ago" — relative to `now`, both in ms. */
/** MiB as GiB the way the GPU rows write it: `39` from 10 GiB up (and for 0), `1.9` below. */
export function formatGiB(mib: number): string {
  return (mib / 1024).toFixed(mib >= 10240 || mib === 0 ? 0 : 1);
}

export function formatAge(thenMs: number, nowMs: number, t: Translate = english): string {
  if (!Number.isFinite(thenMs) || thenMs <= 0) return t('unknown age');
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 60) return t('just now');
  const steps: Array<[number, string, string]> = [
    [60, '1 minute ago', '{0} minutes ago'],
    [3600, '1 hour ago', '{0} hours ago'],
    [86400, '1 day ago', '{0} days ago'],
    [86400 * 7, '1 week ago', '{0} weeks ago'],
    [86400 * 30, '1 month ago', '{0} months ago'],
    [86400 * 365, '1 year ago', '{0} years ago'],
  ];
  let chosen = steps[0];
  for (const step of steps) if (s >= step[0]) chosen = step;
  const n = Math.floor(s / chosen[0]);
  return n === 1 ? t(chosen[1]) : t(chosen[2], n);
}

export function shortId(id: string): string {
  const bare = id.startsWith('sha256:') ? id.slice(7) : id;
  return bare.slice(0, 12);
}

/** `root-bert`, then `root-bert (2)`, `root-bert (3)`… — the first name not taken. */
export function numberedName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} (${n})`)) return `${base} (${n})`;
}
