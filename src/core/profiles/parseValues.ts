/** Small readers for settings values: each reports a localized problem and returns undefined when the value is bad. */
import { t } from '../l10n';
import type { Parsed } from './fieldsSizePort';
import { shellSplit } from './shell';
import { unknownVariableMessage, unknownVariables } from './variables';

export const GPU_CAPABILITIES = ['gpu', 'compute', 'utility', 'graphics', 'video', 'display', 'compat32'];

/** An environment variable name docker and a shell both accept (dots and dashes are allowed by docker). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export type Report = (field: string, message: string, severity?: 'error' | 'warning') => void;

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

export function suggestKey(key: string, keys: readonly string[]): string | undefined {
  // A typo is short: a long key (pasted junk, 100,000 characters) is never compared character by character.
  if (key.length > 40) return undefined;
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of keys) {
    const dist = norm(k) === norm(key) ? 0 : levenshtein(norm(key), norm(k));
    if (dist < bestD) [best, bestD] = [k, dist];
  }
  return bestD <= Math.max(1, Math.floor(key.length / 4)) ? best : undefined;
}

/**
 * Characters a message must never carry raw: C0/C1 controls (a terminal escape, a NUL from a binary file),
 * bidi overrides and isolates (they reorder the text around them, spoofing a name), zero-width and
 * invisible characters, the BOM and U+FFFD (what a binary file decodes to).
 */
export const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffd]/g;

/** `U+202E` for a character. */
export const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Text safe to echo in a message: every unprintable character written as its code point (`<U+202E>`). */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `<${codePoint(c)}>`);
}

/** A value for a message: short, so a pasted blob (or a secret) is never echoed whole; never an unprintable character. */
export function shorten(s: string, max = 60): string {
  const p = printable(s);
  return p.length > max ? `${p.slice(0, max - 1)}…` : p;
}

export const describe = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? t('a list')
      : typeof v === 'object'
        ? t('an object')
        : v === undefined
          ? 'undefined'
          : shorten(JSON.stringify(v) ?? typeof v);

/** Reports unknown variables in a string value; returns it unchanged. */
export function vars(field: string, s: string, report: Report): string {
  const bad = unknownVariables(s);
  if (bad.length) report(field, unknownVariableMessage(bad));
  return s;
}

export function take<T>(field: string, r: Parsed<T>, report: Report): T | undefined {
  if (r.error !== undefined) {
    report(field, r.error);
    return undefined;
  }
  for (const w of r.warnings ?? []) report(field, w, 'warning');
  return r.value;
}

export function str(
  field: string,
  v: unknown,
  report: Report,
  opts: { allowEmpty?: boolean } = {},
): string | undefined {
  if (typeof v !== 'string') {
    report(field, t('{0} must be a string, not {1}.', field, describe(v)));
    return undefined;
  }
  if (!opts.allowEmpty && v.trim() === '') {
    report(field, t('{0} is empty; remove it or give a value.', field));
    return undefined;
  }
  return vars(field, v, report);
}

export function list(field: string, v: unknown, report: Report, allowScalar = true): unknown[] | undefined {
  if (Array.isArray(v)) return v as unknown[];
  if (allowScalar && (typeof v === 'string' || typeof v === 'number')) return [v];
  report(field, t('{0} must be a list, not {1}.', field, describe(v)));
  return undefined;
}

export function bool(field: string, v: unknown, report: Report): boolean | undefined {
  if (typeof v === 'boolean') return v;
  report(field, t('{0} must be true or false, not {1}.', field, describe(v)));
  return undefined;
}

export function stringList(field: string, v: unknown, report: Report): string[] | undefined {
  const l = list(field, v, report);
  if (!l) return undefined;
  const out: string[] = [];
  l.forEach((x, i) => {
    const s = str(`${field}[${i}]`, x, report);
    if (s !== undefined) out.push(s);
  });
  return out;
}

/** A command or entrypoint: a list of arguments, or a string split like a shell would (nothing expanded). */
export function commandValue(field: string, v: unknown, report: Report): string[] | undefined {
  if (typeof v === 'string') {
    const r = shellSplit(v);
    if (r.error) {
      // The value is not echoed: a command line may carry a token.
      report(
        field,
        t('{0} could not be split into arguments: {1}. Write it as a list of strings instead.', field, r.error),
      );
      return undefined;
    }
    r.args.forEach((a) => vars(field, a, report));
    return r.args;
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    v.forEach((a) => vars(field, a, report));
    return [...v];
  }
  report(field, t('{0} must be a string or a list of strings, not {1}.', field, describe(v)));
  return undefined;
}

export function record(v: unknown): Record<string, unknown> | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return undefined;
}
