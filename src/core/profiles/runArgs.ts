/**
 * `docker run` flags → profile fields. The table knows every `docker run` flag (so an unsupported one
 * is reported by name and its value is not mistaken for the image), and maps the supported ones.
 */
import {
  checkIpc,
  checkNetwork,
  checkSecurityOpt,
  checkUser,
  parseCpus,
  parseDevice,
  parseExtraHost,
  parseGpusFlag,
  parseMount,
  parseMountCsv,
  parsePortSpec,
  parseRamSize,
  parseRestart,
  parseUlimit,
  parseVolumeSpec,
  type Parsed,
} from './fields';
import { CLIENT_ONLY, checkExtra, TAIL, TAIL_ALIASES } from './extraFlags';
import { t } from '../l10n';
import type { Profile } from './types';

export type FlagReport = (flag: string, message: string, severity?: 'error' | 'warning') => void;

type Handler = (p: Profile, value: string, report: (message: string, severity?: 'error' | 'warning') => void) => void;

interface FlagDef {
  long: string;
  short?: string;
  bool?: boolean;
  /** Supported: how the value lands in the profile. Absent: reported as unsupported. */
  apply?: Handler;
  /** Accepted but without effect (we always run -it, detached). */
  ignore?: boolean;
  hint?: () => string;
}

function take<T>(r: Parsed<T>, report: (m: string, s?: 'error' | 'warning') => void): T | undefined {
  if (r.error !== undefined) {
    report(r.error);
    return undefined;
  }
  for (const w of r.warnings ?? []) report(w, 'warning');
  return r.value;
}

const boolValue = (v: string): boolean | undefined =>
  ['true', '1', 't', 'T', 'TRUE', 'True'].includes(v)
    ? true
    : ['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v)
      ? false
      : undefined;

function boolFlag(key: 'autoRemove' | 'privileged' | 'init'): Handler {
  return (p, v, report) => {
    const b = boolValue(v);
    if (b === undefined) report(t('"{0}" is not true or false.', v));
    else p[key] = b;
  };
}

const SUPPORTED: FlagDef[] = [
  { long: 'name', apply: (p, v) => void (p.containerName = v) },
  {
    long: 'gpus',
    apply: (p, v, r) => {
      const g = take(parseGpusFlag(v), r);
      if (!g) return;
      p.gpus = g.gpus;
      if (g.capabilities) p.gpuCapabilities = g.capabilities;
      else delete p.gpuCapabilities;
      if (g.driver !== undefined) p.gpuDriver = g.driver;
      if (g.options) p.gpuOptions = g.options;
    },
  },
  {
    long: 'shm-size',
    apply: (p, v, r) => {
      const s = take(parseRamSize(v), r);
      if (s) p.shmSize = s;
    },
  },
  {
    long: 'memory',
    short: 'm',
    apply: (p, v, r) => {
      const s = take(parseRamSize(v), r);
      if (s) p.memory = s;
    },
  },
  {
    long: 'cpus',
    apply: (p, v, r) => {
      const s = take(parseCpus(v), r);
      if (s) p.cpus = s;
    },
  },
  {
    long: 'ipc',
    apply: (p, v, r) => {
      const e = checkIpc(v);
      if (e) r(e);
      else p.ipc = v;
    },
  },
  {
    long: 'network',
    apply: (p, v, r) => {
      const e = checkNetwork(v);
      if (e) r(e);
      else p.network = v;
    },
  },
  {
    long: 'net',
    apply: (p, v, r) => {
      const e = checkNetwork(v);
      if (e) r(e);
      else p.network = v;
    },
  },
  {
    long: 'publish',
    short: 'p',
    apply: (p, v, r) => {
      const s = take(parsePortSpec(v), r);
      if (s) p.ports.push(s);
    },
  },
  {
    long: 'volume',
    short: 'v',
    apply: (p, v, r) => {
      const s = take(parseVolumeSpec(v), r);
      if (s) p.volumes.push(s);
    },
  },
  {
    long: 'mount',
    apply: (p, v, r) => {
      const f = take(parseMountCsv(v), r);
      if (!f) return;
      const known = [
        'type',
        'source',
        'src',
        'target',
        'destination',
        'dst',
        'readonly',
        'ro',
        'bind-propagation',
        'volume-nocopy',
        'tmpfs-size',
        'tmpfs-mode',
        'consistency',
      ];
      const unknown = Object.keys(f).filter((k) => !known.includes(k));
      if (unknown.length)
        return r(
          t(
            'the mount options {0} are not supported; use type, source, target, readonly, bind-propagation, volume-nocopy, tmpfs-size, tmpfs-mode.',
            unknown.join(', '),
          ),
        );
      const m = take(parseMount(f), r);
      if (m) p.mounts.push(m);
    },
  },
  {
    long: 'env',
    short: 'e',
    apply: (p, v, r) => {
      const eq = v.indexOf('=');
      if (v === '' || eq === 0) return r(t('"{0}" is not NAME=value or NAME.', v));
      if (eq < 0) p.env[v] = null;
      else p.env[v.slice(0, eq)] = v.slice(eq + 1);
    },
  },
  { long: 'env-file', apply: (p, v) => void p.envFile.push(v) },
  {
    long: 'user',
    short: 'u',
    apply: (p, v, r) => {
      if (/^\$\(id -u\):\$\(id -g\)$/.test(v) || /^\$\{env:UID\}:\$\{env:GID\}$/.test(v)) {
        p.user = 'host';
        return;
      }
      const e = checkUser(v);
      if (e) r(e);
      else p.user = v;
    },
  },
  {
    long: 'workdir',
    short: 'w',
    apply: (p, v, r) => {
      if (!v.startsWith('/') && !v.startsWith('${'))
        return r(t('the working directory "{0}" must be an absolute path.', v));
      p.workdir = v;
    },
  },
  { long: 'entrypoint', apply: (p, v) => void (p.entrypoint = [v]) },
  { long: 'rm', bool: true, apply: boolFlag('autoRemove') },
  { long: 'privileged', bool: true, apply: boolFlag('privileged') },
  { long: 'init', bool: true, apply: boolFlag('init') },
  {
    long: 'restart',
    apply: (p, v, r) => {
      const s = take(parseRestart(v), r);
      if (s) p.restart = s;
    },
  },
  {
    long: 'label',
    short: 'l',
    apply: (p, v) => {
      const eq = v.indexOf('=');
      p.labels[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1);
    },
  },
  {
    long: 'ulimit',
    apply: (p, v, r) => {
      const u = take(parseUlimit(v), r);
      if (!u) return;
      const i = p.ulimits.findIndex((x) => x.name === u.name);
      if (i >= 0) p.ulimits[i] = u;
      else p.ulimits.push(u);
    },
  },
  { long: 'cap-add', apply: (p, v) => void p.capAdd.push(v) },
  { long: 'cap-drop', apply: (p, v) => void p.capDrop.push(v) },
  {
    long: 'security-opt',
    apply: (p, v, r) => {
      const e = checkSecurityOpt(v);
      if (e) r(e);
      else p.securityOpt.push(v);
    },
  },
  {
    long: 'device',
    apply: (p, v, r) => {
      const d = take(parseDevice(v), r);
      if (d) p.devices.push(d);
    },
  },
  { long: 'hostname', short: 'h', apply: (p, v) => void (p.hostname = v) },
  {
    long: 'add-host',
    apply: (p, v, r) => {
      const h = take(parseExtraHost(v), r);
      if (h) p.extraHosts.push(h);
    },
  },
  { long: 'runtime', apply: (p, v) => void (p.runtime = v) },
];

const TABLE = new Map<string, FlagDef>();
const SHORT = new Map<string, FlagDef>();
for (const d of SUPPORTED) {
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

/** Every flag name import knows, for the parity test: typed, long tail, client-only. */
export function importableFlags(): { typed: string[]; tail: string[]; clientOnly: string[] } {
  return {
    typed: SUPPORTED.map((d) => d.long),
    tail: Object.keys(TAIL),
    clientOnly: Object.keys(CLIENT_ONLY),
  };
}

function run(p: Profile, d: FlagDef, name: string, value: string, report: FlagReport): void {
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
 */
export function applyRunArgs(
  p: Profile,
  args: string[],
  report: FlagReport,
  _opts: { positional: boolean } = { positional: true },
): string[] {
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
      run(p, d, `--${long}`, value, report);
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
            run(p, d, `-${c}`, a.slice(j + 2), report);
            j = a.length;
          } else {
            run(p, d, `-${c}`, 'true', report);
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
        run(p, d, `-${c}`, value, report);
        j = a.length;
      }
      i++;
      continue;
    }
    return args.slice(i);
  }
  return [];
}
