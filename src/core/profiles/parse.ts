/**
 * Settings (`gpuContainers.profiles`) → profiles + problems. Never throws.
 * An entry that is not an object or has no usable name is dropped; a bad optional field is reported and skipped.
 */
import { t } from '../l10n';
import { shellSplit } from './shellSplit';
import {
  checkGpuDevice,
  checkImage,
  checkIpc,
  checkNetwork,
  checkSecurityOpt,
  checkUser,
  parseCpus,
  parseDevice,
  parseExtraHost,
  parseGpusFlag,
  parseMount,
  parsePortSpec,
  parseRamSize,
  parseRestart,
  parseUlimit,
  parseVolumeSpec,
  ulimitFrom,
  type Parsed,
} from './fields';
import { applyRunArgs } from './runArgs';
import { emptyProfile, type Problem, type Profile, type ProfileSource } from './types';
import { unknownVariableMessage, unknownVariables } from './variables';

export const PROFILE_KEYS = [
  'name',
  'image',
  'containerName',
  'gpus',
  'gpuCapabilities',
  'shmSize',
  'ipc',
  'network',
  'ports',
  'volumes',
  'mounts',
  'env',
  'envFile',
  'user',
  'execUser',
  'workdir',
  'entrypoint',
  'command',
  'autoRemove',
  'restart',
  'labels',
  'ulimits',
  'privileged',
  'init',
  'capAdd',
  'capDrop',
  'securityOpt',
  'devices',
  'hostname',
  'extraHosts',
  'cpus',
  'memory',
  'runtime',
  'runArgs',
  'description',
] as const;

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

/** A value for a message: short, so a pasted blob (or a secret) is never echoed whole. */
export function shorten(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const describe = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? t('a list')
      : typeof v === 'object'
        ? t('an object')
        : shorten(JSON.stringify(v) ?? String(v));

/** Reports unknown variables in a string value; returns it unchanged. */
function vars(field: string, s: string, report: Report): string {
  const bad = unknownVariables(s);
  if (bad.length) report(field, unknownVariableMessage(bad));
  return s;
}

function take<T>(field: string, r: Parsed<T>, report: Report): T | undefined {
  if (r.error !== undefined) {
    report(field, r.error);
    return undefined;
  }
  for (const w of r.warnings ?? []) report(field, w, 'warning');
  return r.value;
}

function str(field: string, v: unknown, report: Report, opts: { allowEmpty?: boolean } = {}): string | undefined {
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

function list(field: string, v: unknown, report: Report, allowScalar = true): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (allowScalar && (typeof v === 'string' || typeof v === 'number')) return [v];
  report(field, t('{0} must be a list, not {1}.', field, describe(v)));
  return undefined;
}

function bool(field: string, v: unknown, report: Report): boolean | undefined {
  if (typeof v === 'boolean') return v;
  report(field, t('{0} must be true or false, not {1}.', field, describe(v)));
  return undefined;
}

function stringList(field: string, v: unknown, report: Report): string[] | undefined {
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
    (v as string[]).forEach((a) => vars(field, a, report));
    return [...(v as string[])];
  }
  report(field, t('{0} must be a string or a list of strings, not {1}.', field, describe(v)));
  return undefined;
}

/** Settings `gpus`: "all", "none", a count, a list of indices/UUIDs, or docker's --gpus text ("device=0,2", "count=2"). */
export function gpusValue(v: unknown, report: Report, p: Profile): void {
  const field = 'gpus';
  const set = (devices: string[]) => {
    devices.forEach((d, i) => {
      const e = checkGpuDevice(d);
      if (e) report(`gpus[${i}]`, e, 'warning');
    });
    if (devices.length === 0) p.gpus = 'none';
    else p.gpus = { devices };
  };
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < -1)
      return report(field, t('gpus {0} is not a count; use a whole number, "all" or "none".', v));
    p.gpus = v === -1 ? { all: true } : v === 0 ? 'none' : { count: v };
    return;
  }
  if (Array.isArray(v)) {
    const ids: string[] = [];
    for (const [i, d] of v.entries()) {
      if (typeof d === 'number' && Number.isInteger(d) && d >= 0) ids.push(String(d));
      else if (typeof d === 'string' && d.trim() !== '') ids.push(d.trim());
      else
        return report(
          `gpus[${i}]`,
          t('{0} is not a GPU index or UUID; list indices such as 0 or UUIDs such as "GPU-…".', describe(d)),
        );
    }
    if (new Set(ids).size !== ids.length) report(field, t('gpus lists the same GPU twice.'), 'warning');
    return set(ids);
  }
  const free = record(v);
  if (free) return freeGpus(free, report, p);
  if (typeof v !== 'string')
    return report(
      field,
      t('gpus must be "all", "none", a count, a list of GPU indices or {"free": N}, not {0}.', describe(v)),
    );
  let text = v.trim();
  if (text === 'none' || text === '') {
    p.gpus = 'none';
    return;
  }
  if (/^'.*'$/.test(text)) text = text.slice(1, -1);
  const dev = /^"?device=([^="]*)"?$/.exec(text);
  if (dev)
    return set(
      dev[1]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  const r = take(field, parseGpusFlag(text), report);
  if (!r) return;
  p.gpus = r.gpus;
  if (r.capabilities) p.gpuCapabilities = r.capabilities;
  if (r.driver !== undefined) p.gpuDriver = r.driver;
  if (r.options) p.gpuOptions = r.options;
}

/** `{ "free": 2, "minFreeMemory": "40g", "model": "H100" }`: N GPUs nobody is using, picked at launch. */
function freeGpus(o: Record<string, unknown>, report: Report, p: Profile): void {
  for (const k of Object.keys(o))
    if (!['free', 'minFreeMemory', 'model'].includes(k))
      report(`gpus.${shorten(k)}`, t('unknown field "{0}"; known: free, minFreeMemory, model.', shorten(k)), 'warning');
  const count = o.free;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    return report(
      'gpus.free',
      t('gpus.free must be how many free GPUs to take (a whole number, 1 or more), not {0}.', describe(count)),
    );
  const free: { count: number; minFreeMemoryMiB?: number; model?: string } = { count };
  if (o.minFreeMemory !== undefined) {
    const m = o.minFreeMemory;
    const size = typeof m === 'string' || typeof m === 'number' ? parseRamSize(m) : undefined;
    if (!size || size.error !== undefined || size.value.bytes <= 0)
      return report('gpus.minFreeMemory', t('gpus.minFreeMemory must be a size such as "40g", not {0}.', describe(m)));
    free.minFreeMemoryMiB = Math.floor(size.value.bytes / 1024 ** 2);
  }
  if (o.model !== undefined) {
    if (typeof o.model !== 'string' || o.model.trim() === '')
      return report(
        'gpus.model',
        t('gpus.model must be part of a GPU name such as "H100", not {0}.', describe(o.model)),
      );
    free.model = o.model.trim();
  }
  p.gpus = { free };
}

function record(v: unknown): Record<string, unknown> | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return undefined;
}

/** Applies one settings field to `p`. */
export function applySettingsField(p: Profile, key: string, v: unknown, report: Report): void {
  switch (key) {
    case 'name':
    case 'description':
      return;
    case 'image': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = checkImage(s);
      if (e) return report(key, e);
      p.image = s;
      return;
    }
    case 'containerName': {
      const s = str(key, v, report);
      if (s !== undefined) p.containerName = s;
      return;
    }
    case 'gpus':
      return gpusValue(v, report, p);
    case 'gpuCapabilities': {
      const l = stringList(key, v, report);
      if (!l) return;
      l.forEach((c, i) => {
        if (!GPU_CAPABILITIES.includes(c))
          report(
            `${key}[${i}]`,
            t('"{0}" is not a known GPU capability ({1}).', shorten(c), GPU_CAPABILITIES.join(', ')),
            'warning',
          );
      });
      p.gpuCapabilities = l;
      return;
    }
    case 'shmSize':
    case 'memory': {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('{0} must be a size such as "16g" or a number of bytes, not {1}.', key, describe(v)));
      const r = take(key, parseRamSize(v), report);
      if (r) p[key] = r;
      return;
    }
    case 'cpus': {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('cpus must be a number such as 4 or 1.5, not {0}.', describe(v)));
      const r = take(key, parseCpus(v), report);
      if (r) p.cpus = r;
      return;
    }
    case 'ipc':
    case 'network': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = key === 'ipc' ? checkIpc(s) : checkNetwork(s);
      if (e) return report(key, e);
      p[key] = s;
      return;
    }
    case 'ports': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        if (typeof x !== 'string' && typeof x !== 'number')
          return report(`ports[${i}]`, t('a port must be a string such as "8888:8888", not {0}.', describe(x)));
        const r = take(`ports[${i}]`, parsePortSpec(x), report);
        if (r) p.ports.push(r);
      });
      return;
    }
    case 'volumes': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const s = str(`volumes[${i}]`, x, report);
        if (s === undefined) return;
        const r = take(`volumes[${i}]`, parseVolumeSpec(s), report);
        if (r) p.volumes.push(r);
      });
      return;
    }
    case 'mounts': {
      const l = list(key, v, report, false);
      l?.forEach((x, i) => {
        const o = record(x);
        if (!o)
          return report(
            `mounts[${i}]`,
            t(
              'a mount must be an object such as {"type": "bind", "source": "/data", "target": "/data"}, not {0}.',
              describe(x),
            ),
          );
        for (const k of Object.keys(o)) {
          if (
            ![
              'type',
              'source',
              'target',
              'readOnly',
              'bindPropagation',
              'volumeNoCopy',
              'tmpfsSize',
              'tmpfsMode',
              'consistency',
            ].includes(k)
          ) {
            report(
              `mounts[${i}].${k}`,
              t(
                'unknown mount field "{0}"; known: type, source, target, readOnly, bindPropagation, volumeNoCopy, tmpfsSize, tmpfsMode, consistency.',
                shorten(k),
              ),
              'warning',
            );
          }
        }
        for (const k of ['source', 'target'])
          if (typeof o[k] === 'string') vars(`mounts[${i}].${k}`, o[k] as string, report);
        const r = take(`mounts[${i}]`, parseMount(o), report);
        if (r) p.mounts.push(r);
      });
      return;
    }
    case 'env': {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string' || x === '' || x.startsWith('='))
            return report(`env[${i}]`, t('an env entry must be "NAME=value" or "NAME", not {0}.', describe(x)));
          const eq = x.indexOf('=');
          const k = eq < 0 ? x : x.slice(0, eq);
          if (!ENV_NAME.test(k))
            return report(
              `env[${i}]`,
              t(
                '"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.',
                shorten(k),
              ),
            );
          if (eq < 0) p.env[x] = null;
          else p.env[x.slice(0, eq)] = vars(`env[${i}]`, x.slice(eq + 1), report);
        });
        return;
      }
      const o = record(v);
      if (!o) return report(key, t('env must be an object of NAME: value pairs, not {0}.', describe(v)));
      for (const [k, x] of Object.entries(o)) {
        if (!ENV_NAME.test(k)) {
          report(
            `env.${shorten(k)}`,
            t(
              '"{0}" is not an environment variable name; use letters, digits and "_", not starting with a digit.',
              shorten(k),
            ),
          );
          continue;
        }
        if (x === null) p.env[k] = null;
        else if (typeof x === 'string') p.env[k] = vars(`env.${k}`, x, report);
        else if (typeof x === 'number' || typeof x === 'boolean') p.env[k] = String(x);
        else
          report(
            `env.${k}`,
            t('the value of {0} must be a string (or null to take it from your environment), not {1}.', k, describe(x)),
          );
      }
      return;
    }
    case 'envFile': {
      const l = stringList(key, v, report);
      if (l) p.envFile.push(...l);
      return;
    }
    case 'user':
    case 'execUser': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = s.includes('${') ? undefined : checkUser(s);
      if (e) return report(key, e);
      p[key] = s;
      return;
    }
    case 'workdir': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!s.startsWith('/') && !s.startsWith('${'))
        return report(
          key,
          t('workdir "{0}" must be an absolute path inside the container, e.g. /workspace.', shorten(s)),
        );
      p.workdir = s;
      return;
    }
    case 'entrypoint':
    case 'command': {
      if (key === 'entrypoint' && v === '') {
        p.entrypoint = [''];
        return;
      }
      const c = commandValue(key, v, report);
      if (c) p[key] = c;
      return;
    }
    case 'autoRemove':
    case 'privileged':
    case 'init': {
      const b = bool(key, v, report);
      if (b !== undefined) p[key] = b;
      return;
    }
    case 'restart': {
      const s = str(key, v, report);
      if (s === undefined) return;
      const r = take(key, parseRestart(s), report);
      if (r) p.restart = r;
      return;
    }
    case 'labels': {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string' || x === '')
            return report(`labels[${i}]`, t('a label must be "key=value", not {0}.', describe(x)));
          const eq = x.indexOf('=');
          p.labels[eq < 0 ? x : x.slice(0, eq)] = eq < 0 ? '' : vars(`labels[${i}]`, x.slice(eq + 1), report);
        });
        return;
      }
      const o = record(v);
      if (!o) return report(key, t('labels must be an object of key: value pairs, not {0}.', describe(v)));
      for (const [k, x] of Object.entries(o)) {
        if (k.trim() === '' || /[\s=]/.test(k)) {
          report(
            `labels.${shorten(k)}`,
            t('"{0}" is not a label key; use a name such as org.example.team.', shorten(k)),
          );
          continue;
        }
        if (typeof x === 'string') p.labels[k] = vars(`labels.${k}`, x, report);
        else if (typeof x === 'number' || typeof x === 'boolean') p.labels[k] = String(x);
        else report(`labels.${k}`, t('the label {0} must have a string value, not {1}.', k, describe(x)));
      }
      return;
    }
    case 'ulimits': {
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          if (typeof x !== 'string')
            return report(`ulimits[${i}]`, t('a ulimit must be "name=soft[:hard]", not {0}.', describe(x)));
          const r = take(`ulimits[${i}]`, parseUlimit(x), report);
          if (r) upsertUlimit(p, r);
        });
        return;
      }
      const o = record(v);
      if (!o)
        return report(
          key,
          t(
            'ulimits must be an object such as {"memlock": -1, "nofile": {"soft": 1024, "hard": 65536}}, not {0}.',
            describe(v),
          ),
        );
      for (const [k, x] of Object.entries(o)) {
        const r = take(
          `ulimits.${k}`,
          ulimitFrom(k, x as string | number | { soft?: unknown; hard?: unknown }),
          report,
        );
        if (r) upsertUlimit(p, r);
      }
      return;
    }
    case 'capAdd':
    case 'capDrop':
    case 'securityOpt': {
      const l = stringList(key, v, report);
      if (!l) return;
      for (const [i, s] of l.entries()) {
        if (key === 'securityOpt') {
          const e = checkSecurityOpt(s);
          if (e) {
            report(`${key}[${i}]`, e);
            continue;
          }
        } else if (!/^(CAP_)?[A-Za-z_]+$/.test(s.trim())) {
          report(`${key}[${i}]`, t('"{0}" is not a capability name such as SYS_ADMIN or ALL.', shorten(s)));
          continue;
        }
        p[key].push(s);
      }
      return;
    }
    case 'devices': {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const f = `devices[${i}]`;
        if (typeof x === 'string') {
          vars(f, x, report);
          const r = take(f, parseDevice(x), report);
          if (r) p.devices.push(r);
          return;
        }
        const o = record(x);
        if (!o || typeof o.pathOnHost !== 'string')
          return report(
            f,
            t('a device must be "/dev/x[:/dev/y][:rwm]" or {"pathOnHost": "/dev/x"}, not {0}.', describe(x)),
          );
        const text = [
          o.pathOnHost,
          typeof o.pathInContainer === 'string' ? o.pathInContainer : o.pathOnHost,
          typeof o.cgroupPermissions === 'string' ? o.cgroupPermissions : 'rwm',
        ].join(':');
        const r = take(f, parseDevice(text), report);
        if (r) p.devices.push(r);
      });
      return;
    }
    case 'hostname': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(s) && !s.includes('${'))
        return report(key, t('hostname "{0}" may only hold letters, digits, dots and dashes.', shorten(s)));
      p.hostname = s;
      return;
    }
    case 'extraHosts': {
      if (!Array.isArray(v) && v && typeof v === 'object') {
        for (const [h, ip] of Object.entries(v as Record<string, unknown>)) {
          const r = take(`extraHosts.${h}`, parseExtraHost(`${h}:${String(ip)}`), report);
          if (r) p.extraHosts.push(r);
        }
        return;
      }
      const l = stringList(key, v, report);
      l?.forEach((s, i) => {
        const r = take(`extraHosts[${i}]`, parseExtraHost(s), report);
        if (r) p.extraHosts.push(r);
      });
      return;
    }
    case 'runtime': {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s))
        return report(key, t('runtime "{0}" is not a runtime name such as nvidia or runc.', shorten(s)));
      p.runtime = s;
      return;
    }
    case 'runArgs': {
      const l = list(key, v, report, true);
      if (!l) return;
      let args: string[] = [];
      if (typeof v === 'string') {
        const r = shellSplit(v);
        if (r.error)
          // The value is not echoed: runArgs may carry `-e TOKEN=…`.
          return report(key, t('runArgs could not be split: {0}. Write it as a list of strings.', r.error));
        args = r.args;
      } else {
        for (const [i, x] of l.entries()) {
          if (typeof x !== 'string')
            return report(`runArgs[${i}]`, t('runArgs must hold strings, not {0}.', describe(x)));
          args.push(x);
        }
      }
      const rest = applyRunArgs(p, args, (flag, message, severity) => report(`runArgs (${flag})`, message, severity), {
        positional: false,
      });
      if (rest.length)
        report(
          key,
          t(
            'runArgs holds docker run flags only; "{0}" is not a flag. Put the image in "image" and the command in "command".',
            shorten(rest.join(' ')),
          ),
        );
      return;
    }
  }
}

export function upsertUlimit(p: Profile, u: { name: string; soft: number; hard: number }): void {
  const i = p.ulimits.findIndex((x) => x.name === u.name);
  if (i >= 0) p.ulimits[i] = u;
  else p.ulimits.push(u);
}

/** Cross-field checks shared by settings and import. */
export function checkProfile(p: Profile, report: Report): void {
  if (p.autoRemove && p.restart && p.restart.name !== 'no') {
    report(
      'restart',
      t(
        'autoRemove (--rm) and the restart policy "{0}" conflict; remove one of them (the restart policy was dropped).',
        p.restart.name,
      ),
    );
    delete p.restart;
  }
  if (p.gpus === 'none' && (p.gpuCapabilities?.length || p.gpuDriver)) {
    report(
      'gpuCapabilities',
      t('gpuCapabilities is set but gpus is not; set gpus (e.g. "all") or remove gpuCapabilities.'),
      'warning',
    );
  }
  if (p.network === 'host' && p.ports.length) {
    report(
      'ports',
      t('ports are ignored with network "host" (the container uses the host\'s ports directly); remove them.'),
      'warning',
    );
  }
  if (p.network === 'host' && p.hostname) {
    report('hostname', t('hostname cannot be set with network "host"; remove one of them (hostname was dropped).'));
    delete p.hostname;
  }
  const hostPorts = new Map<string, string>();
  p.ports.forEach((spec, i) => {
    for (const b of spec.bindings) {
      if (!b.hostPort || b.hostPort.includes('$')) continue;
      const key = `${b.hostIp || '0.0.0.0'}:${b.hostPort}/${b.containerPort.split('/')[1] ?? 'tcp'}`;
      const other = hostPorts.get(key);
      if (other !== undefined && other !== `ports[${i}]`)
        return report(
          `ports[${i}]`,
          t(
            'host port {0} is published twice (also by {1}); docker cannot bind it twice. Use another host port.',
            b.hostPort,
            other,
          ),
        );
      hostPorts.set(key, `ports[${i}]`);
    }
  });
  const targets = new Map<string, string>();
  const addTarget = (target: string, f: string) => {
    if (targets.has(target))
      report(
        f,
        t(
          '{0} is mounted twice (also by {1}); docker refuses duplicate mount points. Remove one.',
          target,
          targets.get(target) ?? '',
        ),
      );
    else targets.set(target, f);
  };
  p.volumes.forEach((v, i) => addTarget(v.target, `volumes[${i}]`));
  p.mounts.forEach((m, i) => addTarget(m.target, `mounts[${i}]`));
}

export interface ParseOptions {
  source?: ProfileSource;
}

/** Settings array → profiles and problems. Never throws. */
export function parseProfiles(raw: unknown, opts: ParseOptions = {}): { profiles: Profile[]; problems: Problem[] } {
  const profiles: Profile[] = [];
  const problems: Problem[] = [];
  try {
    if (raw === undefined || raw === null) return { profiles, problems };
    if (!Array.isArray(raw)) {
      problems.push({
        field: 'gpuContainers.profiles',
        severity: 'error',
        message: t('gpuContainers.profiles must be a list of profiles, not {0}.', describe(raw)),
      });
      return { profiles, problems };
    }
    const names = new Set<string>();
    raw.forEach((item, index) => {
      const where = t('profile #{0}', index + 1);
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({
          field: `profiles[${index}]`,
          severity: 'error',
          message: t('{0} must be an object with at least a "name", not {1}; it was skipped.', where, describe(item)),
        });
        return;
      }
      const o = item as Record<string, unknown>;
      const name = typeof o.name === 'string' ? o.name.trim() : '';
      if (!name) {
        problems.push({
          field: `profiles[${index}].name`,
          severity: 'error',
          message: t('{0} has no name; add "name": "…" (it was skipped).', where),
        });
        return;
      }
      if (names.has(name)) {
        problems.push({
          profile: name,
          field: 'name',
          severity: 'error',
          message: t('two profiles are named "{0}"; rename one (the later one was skipped).', name),
        });
        return;
      }
      names.add(name);
      const errors: Problem[] = [];
      const report: Report = (field, message, severity = 'error') => {
        const problem: Problem = { profile: name, field, message, severity };
        problems.push(problem);
        if (severity === 'error') errors.push(problem);
      };
      if (!/^[\x20-\x7e]*$/.test(name) && typeof o.containerName !== 'string')
        report(
          'name',
          t(
            'the profile name "{0}" has characters a container name cannot hold; add "containerName" (letters, digits, "_", "." and "-") or the container is named after the ASCII part only.',
            name,
          ),
          'warning',
        );
      const p = emptyProfile(name);
      if (opts.source) p.source = opts.source;
      for (const k of Object.keys(o)) {
        if (!(PROFILE_KEYS as readonly string[]).includes(k)) {
          const s = suggestKey(k, PROFILE_KEYS);
          const key = shorten(k);
          report(
            key,
            s ? t('unknown field "{0}"; did you mean "{1}"?', key, s) : t('unknown field "{0}"; it was ignored.', key),
            'warning',
          );
        }
      }
      // Known fields in a fixed order (gpus before gpuCapabilities, runArgs last: its flags refine the fields above).
      for (const k of PROFILE_KEYS) {
        const v = o[k];
        if (k === 'runArgs' || v === undefined) continue;
        if (k === 'gpuCapabilities' && typeof o.gpus === 'string' && /capabilities=/.test(o.gpus)) {
          report(k, 'capabilities are given both in gpus and gpuCapabilities; gpuCapabilities wins.', 'warning');
        }
        applySettingsField(p, k, v, report);
      }
      if (o.runArgs !== undefined) applySettingsField(p, 'runArgs', o.runArgs, report);
      checkProfile(p, report);
      // Error-level problems block the launch: a profile never runs with some of its fields dropped.
      if (errors.length) p.errors = errors;
      profiles.push(p);
    });
  } catch (e) {
    problems.push({
      severity: 'error',
      message: t('internal error while reading profiles: {0}', (e as Error).message),
    });
  }
  return { profiles, problems };
}
