/**
 * Field parsers that follow Docker's own parsing (docker CLI, go-units, go-connections/nat).
 * Each returns a value or an error message in plain English; none throws.
 */
import { isIP } from 'node:net';
import { t } from '../l10n';
import type {
  ByteSize,
  DeviceSpec,
  GpuSelection,
  MountSpec,
  PortBinding,
  PortSpec,
  RestartPolicy,
  UlimitSpec,
  VolumeSpec,
} from './types';

export type Parsed<T> = { value: T; warnings?: string[]; error?: undefined } | { error: string; value?: undefined };

const ok = <T>(value: T, warnings?: string[]): Parsed<T> =>
  warnings && warnings.length ? { value, warnings } : { value };
const fail = <T>(error: string): Parsed<T> => ({ error });

// ---------------------------------------------------------------- sizes (go-units RAMInBytes)

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes from a human size exactly as go-units `RAMInBytes` computes them: a decimal number, an optional
 * space, then an optional unit b/k/m/g/t/p (case-insensitive, binary multiples) with an optional `b` or `ib`.
 * `16g` = `16G` = `16gb` = `16GiB` = 17179869184; `1.5g` = 1610612736 (fractions truncated).
 */
export function parseRamSize(input: string | number): Parsed<ByteSize> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0 || !Number.isInteger(input)) {
      return fail(t('{0} is not a valid size; use a whole number of bytes or a string such as "16g".', input));
    }
    return ok({ bytes: input, text: String(input) });
  }
  const text = input;
  const bad = (why: string) =>
    fail<ByteSize>(
      t(
        '"{0}" is not a valid size ({1}); write a number with an optional unit b, k, m, g, t or p, e.g. "16g" or "512m".',
        text,
        why,
      ),
    );
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return bad(t('it has no digits'));
  let num: string;
  let sfx: string;
  if (text[sep] !== ' ') {
    num = text.slice(0, sep + 1);
    sfx = text.slice(sep + 1);
  } else {
    num = text.slice(0, sep);
    sfx = text.slice(sep + 1);
  }
  // strconv.ParseFloat syntax (decimal only), no leading/trailing spaces
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) return bad(t('the number part is not a number'));
  let size = Number(num);
  if (!Number.isFinite(size)) return bad(t('the number is out of range'));
  if (size < 0) return bad(t('it is negative'));
  if (sfx.length > 0) {
    if (sfx.length > 3) return bad(t('unknown unit "{0}"', sfx));
    const s = sfx.toLowerCase();
    if (s[0] === 'b') {
      if (s.length > 1) return bad(t('unknown unit "{0}"', sfx));
    } else {
      const mul = BINARY[s[0]];
      if (!mul) return bad(t('unknown unit "{0}"', sfx));
      if (s.length === 2 && s[1] !== 'b') return bad(t('unknown unit "{0}"', sfx));
      if (s.length === 3 && s.slice(1) !== 'ib') return bad(t('unknown unit "{0}"', sfx));
      size *= mul;
    }
  }
  const bytes = Math.trunc(size);
  if (!Number.isSafeInteger(bytes)) return bad(t('it is too large'));
  return ok({ bytes, text });
}

/** `--cpus`: a decimal number of CPUs → NanoCpus, like the docker CLI (at most 9 decimals). */
export function parseCpus(input: string | number): Parsed<{ nanoCpus: number; text: string }> {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
    return fail(t('"{0}" is not a number of CPUs; write a decimal number such as 2 or 1.5.', text));
  }
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > 9)
    return fail(t('"{0}" is too precise for cpus; use at most 9 decimals.', text));
  const nano = Number(m[1] || '0') * 1e9 + Number((frac + '000000000').slice(0, 9));
  if (!Number.isSafeInteger(nano)) return fail(t('"{0}" is too large for cpus.', text));
  return ok({ nanoCpus: nano, text });
}

// ---------------------------------------------------------------- ports (go-connections/nat)

function parseUint16(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

function parsePortRange(s: string): [number, number] | string {
  if (s === '') return 'empty port';
  if (!s.includes('-')) {
    const n = parseUint16(s);
    return n === undefined ? t('"{0}" is not a port number (0-65535)', s) : [n, n];
  }
  const parts = s.split('-');
  const a = parseUint16(parts[0]);
  const b = parseUint16(parts[1]);
  if (a === undefined || b === undefined) return t('"{0}" is not a port range such as 8000-8010', s);
  if (b < a) return t('the range "{0}" ends before it starts', s);
  return [a, b];
}

/** A `-p` spec exactly as docker parses it: `[ip:][hostPort:]containerPort[/proto]`, ranges, `[::1]:80:80`. */
export function parsePortSpec(input: string | number): Parsed<PortSpec> {
  const text = String(input);
  const bad = (why: string) =>
    fail<PortSpec>(
      t(
        '"{0}" is not a valid port mapping: {1}. Use [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. "8888:8888" or "127.0.0.1:8888:8888".',
        text,
        why,
      ),
    );
  if (text.includes('=')) return bad(t('the long key=value syntax is not supported'));
  const parts = text.split(':');
  const n = parts.length;
  let ip = '';
  let hostPort = '';
  let containerPart = parts[n - 1];
  if (n === 2) hostPort = parts[0];
  else if (n === 3) [ip, hostPort] = [parts[0], parts[1]];
  else if (n > 3) [ip, hostPort] = [parts.slice(0, n - 2).join(':'), parts[n - 2]];
  // SplitProtoPort
  let proto = '';
  if (containerPart !== '') {
    const pp = containerPart.split('/');
    if (pp[0] === '') containerPart = '';
    else if (pp.length === 1) proto = 'tcp';
    else {
      proto = pp[1] === '' ? 'tcp' : pp[1];
      containerPart = pp[0];
    }
  }
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) return bad(t('invalid IP address {0}', ip));
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && isIP(ip) === 0) return bad(t('invalid IP address {0}', ip));
  if (containerPart === '') return bad(t('no container port'));
  const cr = parsePortRange(containerPart);
  if (typeof cr === 'string') return bad(cr);
  let hr: [number, number] = [0, 0];
  if (hostPort !== '') {
    const r = parsePortRange(hostPort);
    if (typeof r === 'string') return bad(r);
    hr = r;
  }
  if (hostPort !== '' && cr[1] - cr[0] !== hr[1] - hr[0] && cr[1] !== cr[0]) {
    return bad(t('the container range {0} and host range {1} differ in size', containerPart, hostPort));
  }
  const lproto = proto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(lproto)) return bad(t('unknown protocol "{0}"', proto));
  const bindings: PortBinding[] = [];
  for (let i = 0; i <= cr[1] - cr[0]; i++) {
    let hp = hostPort === '' ? '' : String(hr[0] + i);
    if (cr[0] === cr[1] && hr[0] !== hr[1]) hp = `${hp}-${hr[1]}`;
    bindings.push({ containerPort: `${cr[0] + i}/${lproto}`, hostIp: ip, hostPort: hp });
  }
  return ok({ text, bindings });
}

// ---------------------------------------------------------------- volumes (-v)

/** Splits on ':' outside `${…}`, so `${env:HOME}/x:/y` has two parts. */
export function splitColons(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      cur += '${';
      i++;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

const VOLUME_MODES = new Set([
  'rw',
  'ro',
  'z',
  'Z',
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'nocopy',
  'consistent',
  'cached',
  'delegated',
  'default',
]);
const PROPAGATION = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Is this (unresolved) source a host path rather than a volume name? */
export function isHostPathSource(source: string): boolean {
  return (
    source.startsWith('/') ||
    source.startsWith('.') ||
    source === '~' ||
    source.startsWith('~/') ||
    source.startsWith('${')
  );
}

/** A `-v` spec: `[source:]target[:mode]` with docker's mode options. */
export function parseVolumeSpec(input: string): Parsed<VolumeSpec> {
  const text = input;
  const bad = (why: string) =>
    fail<VolumeSpec>(
      t(
        '"{0}" is not a valid volume: {1}. Use host-path:container-path[:ro], volume-name:container-path or a container path alone.',
        text,
        why,
      ),
    );
  if (typeof text !== 'string' || text === '') return bad(t('it is empty'));
  const parts = splitColons(text);
  if (parts.some((p) => p === '')) return bad(t('it has an empty part between colons'));
  // "/data/a:b:/c" splits as ["/data/a", "b", "/c"]: the colon belongs to the host path, which -v cannot express.
  const absAt = parts.findIndex((p, i) => i > 0 && (p.startsWith('/') || p.startsWith('${')));
  if (absAt > 1 && isHostPathSource(parts[0]))
    return fail(
      t(
        'the host path "{0}" holds a colon, which -v cannot express; use "mounts" with {"type": "bind", "source": "{0}", "target": "{1}"} instead.',
        parts.slice(0, absAt).join(':'),
        parts[absAt],
      ),
    );
  if (parts.length > 3) return bad(t('it has too many colons'));
  const warnings: string[] = [];
  const checkTarget = (t: string): string | undefined =>
    t.startsWith('/') || t.startsWith('${') ? undefined : `the container path "${t}" must be absolute`;
  if (parts.length === 1) {
    const e = checkTarget(parts[0]);
    if (e) return bad(e);
    return ok({ text, kind: 'anonymous', target: parts[0], readOnly: false });
  }
  const [source, target, mode] = parts;
  const e = checkTarget(target);
  if (e) return bad(e);
  let readOnly = false;
  if (mode !== undefined) {
    const opts = mode.split(',');
    let rw = 0;
    let prop = 0;
    let label = 0;
    for (const o of opts) {
      if (!VOLUME_MODES.has(o))
        return bad(
          t('unknown option "{0}" (known: ro, rw, z, Z, shared, rshared, slave, rslave, private, rprivate, nocopy)', o),
        );
      if (o === 'ro' || o === 'rw') rw++;
      if (o === 'ro') readOnly = true;
      if (PROPAGATION.has(o)) prop++;
      if (o === 'z' || o === 'Z') label++;
    }
    if (rw > 1 || prop > 1 || label > 1) return bad(t('it repeats or contradicts an option'));
  }
  const kind: VolumeSpec['kind'] = isHostPathSource(source) ? 'bind' : 'volume';
  if (kind === 'volume') {
    if (!VOLUME_NAME.test(source)) {
      return bad(t('"{0}" is neither an absolute host path nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)', source));
    }
    if (mode && mode.split(',').some((o) => PROPAGATION.has(o)))
      warnings.push(t('propagation options only apply to bind mounts, not the volume "{0}".', source));
  } else if (mode && mode.split(',').includes('nocopy')) {
    return bad(t('nocopy only applies to named volumes'));
  }
  return ok({ text, kind, source, target, mode, readOnly }, warnings);
}

// ---------------------------------------------------------------- --mount

const MOUNT_TYPES = ['bind', 'volume', 'tmpfs'] as const;

function parseBoolText(v: string): boolean | undefined {
  if (['true', '1', 't', 'T', 'TRUE', 'True'].includes(v)) return true;
  if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/** Parses a `--mount` csv such as `type=bind,source=/data,target=/data,readonly`. */
export function parseMountCsv(text: string): Parsed<Partial<Record<string, string>>> {
  const out: Record<string, string> = {};
  for (const field of splitCsv(text)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const val = eq < 0 ? undefined : field.slice(eq + 1);
    if (key === '') return fail(t('"{0}" has an empty field.', text));
    if (val === undefined) {
      if (key === 'readonly' || key === 'ro' || key === 'volume-nocopy') {
        out[key] = 'true';
        continue;
      }
      return fail(t('"{0}" in the mount "{1}" needs a value (key=value).', field, text));
    }
    out[key] = val;
  }
  return ok(out);
}

/** Validates a structured mount (settings object, or the fields of a `--mount` csv). */
export function parseMount(raw: Record<string, unknown>): Parsed<MountSpec> {
  const warnings: string[] = [];
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const type = (str('type') ?? 'volume') as MountSpec['type'];
  if (!MOUNT_TYPES.includes(type))
    return fail(t('mount type "{0}" is not supported; use bind, volume or tmpfs.', String(raw.type)));
  const target = str('target') ?? str('destination') ?? str('dst');
  if (!target) return fail(t('the mount needs a target (the path inside the container).'));
  if (!target.startsWith('/') && !target.startsWith('${'))
    return fail(t('the mount target "{0}" must be an absolute path.', target));
  const source = str('source') ?? str('src');
  const m: MountSpec = { type, target };
  if (source !== undefined && source !== '') m.source = source;
  if (type === 'bind' && !m.source) return fail(t('a bind mount needs a source (the host path).'));
  if (type === 'tmpfs' && m.source) return fail(t('a tmpfs mount takes no source.'));
  const boolField = (k: string): boolean | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && parseBoolText(v) !== undefined) return parseBoolText(v);
    warnings.push(t('{0} should be true or false; "{1}" was ignored.', k, String(v)));
    return undefined;
  };
  const ro = boolField('readOnly') ?? boolField('readonly') ?? boolField('ro');
  if (ro !== undefined) m.readOnly = ro;
  const prop = str('bindPropagation') ?? str('bind-propagation');
  if (prop !== undefined) {
    if (!PROPAGATION.has(prop))
      return fail(t('bind propagation "{0}" is not one of private, rprivate, shared, rshared, slave, rslave.', prop));
    if (type !== 'bind') return fail(t('bind propagation only applies to bind mounts.'));
    m.bindPropagation = prop as MountSpec['bindPropagation'];
  }
  const nocopy = boolField('volumeNoCopy') ?? boolField('volume-nocopy');
  if (nocopy !== undefined) {
    if (type !== 'volume') return fail(t('volume-nocopy only applies to volume mounts.'));
    m.volumeNoCopy = nocopy;
  }
  const size = raw.tmpfsSize ?? raw['tmpfs-size'];
  if (size !== undefined) {
    if (type !== 'tmpfs') return fail(t('tmpfs size only applies to tmpfs mounts.'));
    const s =
      typeof size === 'string' || typeof size === 'number'
        ? parseRamSize(size)
        : fail<ByteSize>(t('tmpfsSize must be a size such as "1g".'));
    if (s.error !== undefined) return fail(s.error);
    m.tmpfsSize = s.value;
  }
  const mode = raw.tmpfsMode ?? raw['tmpfs-mode'];
  if (mode !== undefined) {
    if (type !== 'tmpfs') return fail(t('tmpfs mode only applies to tmpfs mounts.'));
    const octal = String(mode);
    if (!/^[0-7]{1,4}$/.test(octal))
      return fail(t('tmpfs mode "{0}" must be octal permission bits such as 1777.', octal));
    m.tmpfsMode = parseInt(octal, 8);
  }
  const consistency = str('consistency');
  if (consistency !== undefined) {
    if (!['default', 'consistent', 'cached', 'delegated'].includes(consistency))
      return fail(t('consistency "{0}" is not one of default, consistent, cached, delegated.', consistency));
    m.consistency = consistency as MountSpec['consistency'];
  }
  return ok(m, warnings);
}

/** Go encoding/csv, one record: fields split on ',', double quotes group and `""` escapes a quote. */
export function splitCsv(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cur += c;
      i++;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
      continue;
    }
    if (c === ',') {
      out.push(cur);
      cur = '';
      fieldStart = true;
      i++;
      continue;
    }
    cur += c;
    fieldStart = false;
    i++;
  }
  out.push(cur);
  return out;
}

// ---------------------------------------------------------------- --gpus

export interface GpuRequestParts {
  gpus: GpuSelection;
  capabilities?: string[];
  driver?: string;
  options?: Record<string, string>;
}

/** `--gpus` exactly as the docker CLI reads it (csv: all | N | count=N | device=… | capabilities=… | driver=… | options=…). */
export function parseGpusFlag(text: string): Parsed<GpuRequestParts> {
  const bad = (why: string) =>
    fail<GpuRequestParts>(
      t(
        '"{0}" is not a valid GPU request: {1}. Use all, a count, or \'"device=0,2"\' (quoted so the comma stays inside).',
        text,
        why,
      ),
    );
  const fields = splitCsv(text);
  const seen = new Set<string>();
  let count: number | undefined;
  let devices: string[] | undefined;
  const out: Omit<GpuRequestParts, 'gpus'> = {};
  const warnings: string[] = [];
  const parseCount = (s: string): number | undefined =>
    s === 'all' ? -1 : /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (seen.has(key)) return bad(t('"{0}" is given twice', key));
    seen.add(key);
    if (eq < 0) {
      if (seen.has('count') || (devices && /^\d+$/.test(key))) {
        // docker reads `device=0,2` (unquoted) as device 0 plus a count of 2: almost never what was meant.
        if (devices && /^\d+$/.test(key)) {
          warnings.push(
            t(
              'docker reads "{0}" as device {1} plus a count; assuming you meant devices {2}. Quote it as \'"device=…"\' to be exact.',
              text,
              devices.join(','),
              [...devices, key].join(','),
            ),
          );
          devices.push(key);
          continue;
        }
        return bad(t('the count is given twice'));
      }
      seen.add('count');
      const c = parseCount(key);
      if (c === undefined) return bad(t('"{0}" is not a count (an integer or all)', key));
      count = c;
      continue;
    }
    switch (key) {
      case 'driver':
        out.driver = val;
        break;
      case 'count': {
        const c = parseCount(val);
        if (c === undefined) return bad(t('count "{0}" is not an integer or all', val));
        count = c;
        break;
      }
      case 'device':
        devices = val.split(',');
        break;
      case 'capabilities':
        out.capabilities = val.split(',');
        break;
      case 'options': {
        const opts: Record<string, string> = {};
        for (const kv of splitCsv(val)) {
          const i = kv.indexOf('=');
          opts[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
        }
        out.options = opts;
        break;
      }
      default:
        return bad(t('unknown key "{0}"', key));
    }
  }
  if (count !== undefined && devices) return bad(t('give either a count or device IDs, not both'));
  let gpus: GpuSelection;
  if (devices) {
    if (devices.some((d) => d.trim() === '')) return bad(t('a device ID is empty'));
    gpus = { devices };
  } else if (count === undefined) gpus = { count: 1 };
  else if (count === -1) gpus = { all: true };
  else if (count > 0) gpus = { count };
  else return bad(t('the count must be at least 1 (use "none" for no GPUs)'));
  return ok({ gpus, ...out }, warnings);
}

// ---------------------------------------------------------------- restart, ulimits, devices, hosts, security

export function parseRestart(text: string): Parsed<RestartPolicy> {
  const bad = () =>
    fail<RestartPolicy>(
      t('"{0}" is not a restart policy; use no, always, unless-stopped or on-failure[:max-retries].', text),
    );
  const [name, retries, extra] = text.split(':');
  if (extra !== undefined) return bad();
  switch (name) {
    case 'no':
    case 'always':
    case 'unless-stopped':
      if (retries !== undefined)
        return fail(t('the restart policy "{0}" takes no retry count; only on-failure does.', name));
      return ok({ name, maximumRetryCount: 0 });
    case 'on-failure': {
      if (retries === undefined) return ok({ name, maximumRetryCount: 0 });
      if (!/^\d+$/.test(retries))
        return fail(t('"{0}" is not a retry count in "{1}"; use a whole number, e.g. on-failure:3.', retries, text));
      return ok({ name, maximumRetryCount: Number(retries) });
    }
    default:
      return bad();
  }
}

export const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

function parseInt64(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `name=soft[:hard]` as go-units ParseUlimit reads it. */
export function parseUlimit(text: string): Parsed<UlimitSpec> {
  const eq = text.indexOf('=');
  if (eq < 0)
    return fail(t('"{0}" is not a ulimit; write name=soft[:hard], e.g. memlock=-1 or nofile=1024:65536.', text));
  return ulimitFrom(text.slice(0, eq), text.slice(eq + 1));
}

export function ulimitFrom(
  name: string,
  value: string | number | { soft?: unknown; hard?: unknown },
): Parsed<UlimitSpec> {
  if (!ULIMIT_NAMES.includes(name))
    return fail(t('"{0}" is not a ulimit name; use one of {1}.', name, ULIMIT_NAMES.join(', ')));
  let soft: number | undefined;
  let hard: number | undefined;
  if (typeof value === 'number') {
    soft = hard = Number.isSafeInteger(value) ? value : undefined;
  } else if (typeof value === 'string') {
    const parts = value.split(':');
    if (parts.length > 2) return fail(t('"{0}" is not a ulimit value for {1}; write soft[:hard].', value, name));
    soft = parseInt64(parts[0]);
    hard = parts.length === 2 ? parseInt64(parts[1]) : soft;
  } else if (value && typeof value === 'object') {
    soft = typeof value.soft === 'number' && Number.isSafeInteger(value.soft) ? value.soft : undefined;
    hard =
      value.hard === undefined
        ? soft
        : typeof value.hard === 'number' && Number.isSafeInteger(value.hard)
          ? value.hard
          : undefined;
  }
  if (soft === undefined || hard === undefined)
    return fail(t('the ulimit {0} needs whole numbers (soft[:hard], -1 for unlimited).', name));
  if (hard !== -1 && soft > hard)
    return fail(t('the ulimit {0} has a soft limit {1} above its hard limit {2}.', name, soft, hard));
  return ok({ name, soft, hard });
}

const DEVICE_MODE = /^[rwm]{1,3}$/;
function validDeviceMode(m: string): boolean {
  if (!DEVICE_MODE.test(m)) return false;
  return new Set(m).size === m.length;
}

/** `--device` as the docker CLI reads it on Linux: `host[:container][:rwm]`. */
export function parseDevice(text: string): Parsed<DeviceSpec> {
  const arr = text.split(':');
  if (arr.length > 3) return fail(t('"{0}" is not a device; write /dev/host[:/dev/container][:rwm].', text));
  let perms = 'rwm';
  let dst = '';
  if (arr.length === 3) perms = arr[2];
  if (arr.length >= 2) {
    if (validDeviceMode(arr[1])) perms = arr[1];
    else dst = arr[1];
  }
  const src = arr[0];
  if (!src.startsWith('/') && !src.startsWith('${'))
    return fail(t('the device "{0}" must be an absolute path such as /dev/fuse.', src));
  if (dst !== '' && !dst.startsWith('/'))
    return fail(t('the container path "{0}" of the device must be absolute.', dst));
  if (!validDeviceMode(perms))
    return fail(t('"{0}" in "{1}" is not a device permission; use a combination of r, w and m.', perms, text));
  return ok({ pathOnHost: src, pathInContainer: dst || src, cgroupPermissions: perms });
}

/** `--add-host name:ip` or `name=ip` → `name:ip` (what the API takes). */
export function parseExtraHost(text: string): Parsed<string> {
  let i = text.indexOf('=');
  if (i < 0) i = text.indexOf(':');
  const k = i < 0 ? '' : text.slice(0, i);
  let v = i < 0 ? '' : text.slice(i + 1);
  if (i < 0 || k === '' || k.includes(':'))
    return fail(
      t(
        '"{0}" is not a host entry; write name:ip or name=ip, e.g. "db:10.0.0.5" or "host.docker.internal:host-gateway".',
        text,
      ),
    );
  if (v !== 'host-gateway') {
    if (v.length > 2 && v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
    if (isIP(v) === 0) return fail(t('"{0}" in "{1}" is not an IP address (or host-gateway).', v, text));
  }
  return ok(`${k}:${v}`);
}

/** `--security-opt` shape check (the CLI's parseSecurityOpts). */
export function checkSecurityOpt(text: string): string | undefined {
  let i = text.indexOf('=');
  const k0 = i < 0 ? text : text.slice(0, i);
  if (i < 0 && k0 !== 'no-new-privileges') i = text.indexOf(':');
  const k = i < 0 ? text : text.slice(0, i);
  const v = i < 0 ? '' : text.slice(i + 1);
  if ((i < 0 || v === '') && k !== 'no-new-privileges') {
    return t(
      '"{0}" is not a security option; write key=value, e.g. seccomp=unconfined, apparmor=unconfined, label=disable or no-new-privileges.',
      text,
    );
  }
  return undefined;
}

/** Capabilities the way the docker CLI sends them: upper case, `CAP_` prefix, sorted, `ALL` first. */
export function normalizeCaps(caps: string[]): string[] {
  const n = caps.map((c) => {
    const u = c.trim().toUpperCase();
    return u === 'ALL' || u.startsWith('CAP_') ? u : `CAP_${u}`;
  });
  n.sort();
  if (n.includes('ALL')) return ['ALL'];
  return n;
}

// ---------------------------------------------------------------- env files (docker CLI kvfile)

/** docker's `--env-file` syntax: `KEY=value` lines as-is, `KEY` alone taken from `lookup` (omitted if unset), `#` comments. */
export function parseEnvFile(content: string, lookup: (name: string) => string | undefined): Parsed<string[]> {
  const lines: string[] = [];
  const raw = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let n = 0; n < raw.length; n++) {
    const line = raw[n].replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') return fail(t('line {0} has no variable name.', n + 1));
    if (/\s/.test(key)) return fail(t('line {0}: the variable "{1}" contains whitespace.', n + 1, key));
    if (eq >= 0) lines.push(line);
    else {
      const v = lookup(key);
      if (v !== undefined) lines.push(`${key}=${v}`);
    }
  }
  return ok(lines);
}

// ---------------------------------------------------------------- misc checks

export const IPC_MODES = ['host', 'private', 'shareable', 'none'];

export function checkIpc(v: string): string | undefined {
  if (IPC_MODES.includes(v) || /^container:.+/.test(v)) return undefined;
  return t('"{0}" is not an IPC mode; use host, private, shareable, none or container:<name>.', v);
}

export function checkNetwork(v: string): string | undefined {
  if (
    ['host', 'bridge', 'none', 'default'].includes(v) ||
    /^container:.+/.test(v) ||
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v)
  )
    return undefined;
  return t('"{0}" is not a network; use host, bridge, none, container:<name> or a network name.', v);
}

/** Docker image reference (loose check of docker/distribution's grammar). */
export function checkImage(v: string): string | undefined {
  if (v.includes('${')) return undefined;
  const re =
    /^(?:(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;
  if (re.test(v)) return undefined;
  return t(
    '"{0}" is not a valid image reference; write [registry/]repository[:tag], in lower case, e.g. "nvcr.io/nvidia/pytorch:24.05-py3".',
    v,
  );
}

export function checkUser(v: string): string | undefined {
  if (v === 'host') return undefined;
  if (/^[^:\s]+(:[^:\s]+)?$/.test(v)) return undefined;
  return t('"{0}" is not a user; write "host" (your uid:gid), "1000:1000", a uid or a user name.', v);
}

export function checkGpuDevice(d: string): string | undefined {
  if (/^\d+$/.test(d) || /^(GPU|MIG)-[0-9a-zA-Z/-]+$/.test(d) || /^\d+:\d+$/.test(d) || d.includes('${'))
    return undefined;
  return t('"{0}" does not look like a GPU index or UUID (e.g. 0 or GPU-8a3c…).', d);
}
