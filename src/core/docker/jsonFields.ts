/** Tolerant readers of Engine API JSON fields: a missing or odd field gives an empty value, never a throw. */
export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : fallback;
}
export function optStr(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
export function num(v: unknown, fallback = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}
export function bool(v: unknown): boolean {
  return v === true;
}
export function strArray(v: unknown): string[] {
  if (typeof v === 'string') return v ? [v] : [];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
export function strRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}
/** RFC 3339 → ms; Docker's zero time ("0001-01-01T00:00:00Z") and junk → undefined. */
export function isoMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.startsWith('0001-01-01')) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
export function isoOrUndefined(v: unknown): string | undefined {
  return isoMs(v) !== undefined ? (v as string) : undefined;
}
