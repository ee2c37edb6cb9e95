/** Small statistics and formatting helpers for the bench's figures. */

export interface Figure {
  /** Sorted samples (ms unless `unit` says otherwise). */
  samples: number[];
  median: number;
  min: number;
  max: number;
  p95: number;
}

export function summarize(values: readonly number[]): Figure {
  const samples = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (q: number): number => {
    if (samples.length === 0) return NaN;
    const pos = (samples.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return samples[lo] + (samples[hi] - samples[lo]) * (pos - lo);
  };
  return { samples, median: at(0.5), min: samples[0] ?? NaN, max: samples[samples.length - 1] ?? NaN, p95: at(0.95) };
}

export function ms(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const sign = n < 0 ? '−' : '';
  const a = Math.abs(n);
  if (a >= 1024 * 1024) return `${sign}${(a / 1024 / 1024).toFixed(2)} MiB`;
  if (a >= 1024) return `${sign}${(a / 1024).toFixed(0)} KiB`;
  return `${sign}${a} B`;
}

/** `12.3 ms (min 11.0, max 14.2, n=15)` */
export function spread(f: Figure): string {
  return `${ms(f.median)} (min ${ms(f.min)}, max ${ms(f.max)}, n=${f.samples.length})`;
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}×`;
}

/** One markdown table. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Runs `fn` with at most `limit` in flight over `items`. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i], i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return out;
}

export const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));
