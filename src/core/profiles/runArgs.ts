/**
 * `docker run` flags → profile fields. The table knows every `docker run` flag (so an unsupported one
 * is reported by name and its value is not mistaken for the image): the typed fields' flags come from their
 * descriptors (fieldTable.ts), the long tail from extraFlags.ts, client-only flags are explained.
 */
import { CLIENT_ONLY, checkExtra, TAIL, TAIL_ALIASES } from './extraFlags';
import { FIELDS } from './fieldTable';
import { boolValue, type FlagApply } from './fieldTypes';
import { t } from '../l10n';
import { emptyProfile, type Profile } from './profileTypes';

export type FlagReport = (flag: string, message: string, severity?: 'error' | 'warning') => void;

interface FlagDef {
  long: string;
  short?: string;
  bool?: boolean;
  /** Supported: how the value lands in the profile. */
  apply?: FlagApply;
  /** Accepted but without effect (we always run -it, detached). */
  ignore?: boolean;
  hint?: () => string;
}

const TABLE = new Map<string, FlagDef>();
const SHORT = new Map<string, FlagDef>();

/** Built on first use: the descriptors import this module (runArgs), so they are not ready at load time. */
function buildTable(): void {
  if (TABLE.size) return;
  for (const d of FIELDS.flatMap((f) => f.flags ?? [])) {
    TABLE.set(d.long, d);
    if (d.short) SHORT.set(d.short, d);
  }
  // The long tail: stored by flag name in `extra`, applied at launch by extraFlags.ts.
  for (const [long, tail] of Object.entries(TAIL)) {
    const d: FlagDef = {
      long,
      short: tail.short,
      bool: tail.kind === 'bool',
      apply: (p, v, r) => {
        const value = tail.kind === 'bool' ? boolValue(v) : v;
        if (value === undefined) return r(t('"{0}" is not true or false.', v));
        const checked = checkExtra(long, value);
        if ('error' in checked) return r(checked.error);
        const extra = (p.extra ??= {});
        const prev = extra[long];
        extra[long] =
          tail.kind === 'list' ? [...(Array.isArray(prev) ? prev : []), ...(checked.value as string[])] : checked.value;
      },
    };
    TABLE.set(long, d);
    if (tail.short) SHORT.set(tail.short, d);
  }
  for (const [alias, long] of Object.entries(TAIL_ALIASES)) TABLE.set(alias, TABLE.get(long)!);
  // Client-only flags: accepted, not stored, explained.
  for (const [long, c] of Object.entries(CLIENT_ONLY)) {
    const d: FlagDef = { long, short: c.short, bool: c.bool, ignore: true, hint: c.why };
    TABLE.set(long, d);
    if (c.short) SHORT.set(c.short, d);
  }
}

/** Every flag name import knows, for the parity test: typed, long tail, client-only. */
export function importableFlags(): { typed: string[]; tail: string[]; clientOnly: string[] } {
  return {
    typed: FIELDS.flatMap((f) => f.flags ?? []).map((d) => d.long),
    tail: Object.keys(TAIL),
    clientOnly: Object.keys(CLIENT_ONLY),
  };
}

/** The flags of a `docker run` argv (after `run`), by their table name; nothing is stored or reported. */
export function flagsOf(args: string[]): string[] {
  const seen = new Set<string>();
  applyRunArgs(emptyProfile('flags'), args, () => undefined, { seen });
  return [...seen];
}

function run(p: Profile, d: FlagDef, name: string, value: string, report: FlagReport, seen?: Set<string>): void {
  seen?.add(d.long);
  const r = (m: string, s: 'error' | 'warning' = 'error') => report(name, m, s);
  if (d.ignore) {
    // Quiet for what launch does anyway (-i, -t, -d); a note for the others.
    if (!['interactive', 'tty', 'detach'].includes(d.long))
      r(t('{0} is accepted but not stored: {1}.', name, d.hint?.() ?? ''), 'warning');
    return;
  }
  if (!d.apply) {
    r(t('{0} is not supported by launch profiles. Remove it from the command line (it was not applied).', name));
    return;
  }
  if (/\$\(|`/.test(value) && !(d.long === 'user' && /^\$\(id -u\):\$\(id -g\)$/.test(value))) {
    r(t('"{0}" contains a shell command substitution, which is not run here; replace it with its value.', value));
    return;
  }
  d.apply(p, value, r);
}

/**
 * Applies `docker run` flags to `p`. Stops at the first non-flag (or after `--`) and returns the rest
 * (image and command). With `positional: false` the rest is returned for the caller to report.
 * `seen` collects the flags met, by their table name (`-p` → `publish`, `--net` → `net`, `--dns-opt` → `dns-option`).
 */
export function applyRunArgs(
  p: Profile,
  args: string[],
  report: FlagReport,
  opts: { positional?: boolean; seen?: Set<string> } = {},
): string[] {
  buildTable();
  const seen = opts.seen;
  let i = 0;
  while (i < args.length) {
    const a = args[i];
    if (a === '--') return args.slice(i + 1);
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const long = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const d = TABLE.get(long);
      if (!d) {
        report(`--${long}`, t('{0} is not a docker run flag; check its spelling (it was ignored).', `--${long}`));
        i++;
        continue;
      }
      let value: string;
      if (d.bool) value = eq < 0 ? 'true' : a.slice(eq + 1);
      else if (eq >= 0) value = a.slice(eq + 1);
      else {
        if (i + 1 >= args.length) {
          report(`--${long}`, t('{0} needs a value.', `--${long}`));
          return [];
        }
        value = args[++i];
      }
      run(p, d, `--${long}`, value, report, seen);
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // Shorthands, possibly combined (-itd) or with an attached value (-p8888:8888, -e=A=1).
      let j = 1;
      while (j < a.length) {
        const c = a[j];
        const d = SHORT.get(c);
        if (!d) {
          report(
            `-${c}`,
            t(
              '{0} is not a docker run flag; check its spelling (it was ignored).',
              a.length > 2 ? `-${c} (${a})` : `-${c}`,
            ),
          );
          j++;
          continue;
        }
        if (d.bool) {
          if (a[j + 1] === '=') {
            run(p, d, `-${c}`, a.slice(j + 2), report, seen);
            j = a.length;
          } else {
            run(p, d, `-${c}`, 'true', report, seen);
            j++;
          }
          continue;
        }
        let value: string;
        if (j + 1 < a.length) value = a[j + 1] === '=' ? a.slice(j + 2) : a.slice(j + 1);
        else {
          if (i + 1 >= args.length) {
            report(`-${c}`, t('{0} needs a value.', `-${c}`));
            return [];
          }
          value = args[++i];
        }
        run(p, d, `-${c}`, value, report, seen);
        j = a.length;
      }
      i++;
      continue;
    }
    return args.slice(i);
  }
  return [];
}
