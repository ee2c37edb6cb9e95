/**
 * Field parsers that follow Docker's own parsing: restart, ulimits, devices, hosts, security, env files,
 * and small checks. Sizes/ports are in fieldsSizePort.ts, volumes/mounts in fieldsMount.ts, --gpus in
 * fieldsGpus.ts.
 * Each returns a value or a localized message; none throws.
 */
import { isIP } from 'node:net';
import { t } from '../l10n';
import { fail, ok, type Parsed } from './fieldsSizePort';
import { codePoint, shorten } from './parseValues';
import type { DeviceSpec, Profile, RestartPolicy, UlimitSpec } from './profileTypes';
import { checkGpuDevice } from './fieldsGpus';

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
  // The kernel reads a limit as unsigned: -5 is 2^64-5, which runc fails to set ("error setting rlimit type 7").
  const negative = [soft, hard].find((n) => n < -1);
  if (negative !== undefined)
    return fail(
      t(
        'the ulimit {0} has {1}; limits are whole numbers, 0 or more (or -1 for unlimited), soft ≤ hard.',
        name,
        negative,
      ),
    );
  // nofile can never be unlimited: Linux refuses a value above fs.nr_open (1048576 by default).
  if (name === 'nofile' && (soft === -1 || hard === -1))
    return fail(
      t('the ulimit nofile cannot be unlimited (-1): Linux caps it at fs.nr_open; use a number such as 1048576.'),
    );
  if (hard !== -1 && (soft === -1 || soft > hard))
    return fail(t('the ulimit {0} has a soft limit {1} above its hard limit {2}.', name, soft, hard));
  return ok({ name, soft, hard });
}

const DEVICE_MODE = /^[rwm]{1,3}$/;
function validDeviceMode(m: string): boolean {
  if (!DEVICE_MODE.test(m)) return false;
  return new Set(m).size === m.length;
}

/** A fully qualified CDI device name, `vendor/class=name` (the CDI spec's parser.IsQualifiedName). */
export const CDI_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*\/[a-zA-Z0-9][a-zA-Z0-9_-]*=[a-zA-Z0-9][a-zA-Z0-9_.:-]*$/;

/** `--device` as the docker CLI reads it on Linux: `host[:container][:rwm]`, or a CDI name (`nvidia.com/gpu=all`). */
export function parseDevice(text: string): Parsed<DeviceSpec> {
  if (CDI_NAME.test(text)) return ok({ pathOnHost: text, pathInContainer: text, cgroupPermissions: 'rwm', cdi: true });
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
    return fail(
      t(
        'the device "{0}" must be an absolute path such as /dev/fuse, or a CDI device name such as nvidia.com/gpu=all.',
        shorten(src),
      ),
    );
  if (dst !== '' && !dst.startsWith('/'))
    return fail(t('the container path "{0}" of the device must be absolute.', dst));
  if (!validDeviceMode(perms))
    return fail(t('"{0}" in "{1}" is not a device permission; use a combination of r, w and m.', perms, text));
  return ok({ pathOnHost: src, pathInContainer: dst || src, cgroupPermissions: perms });
}

/**
 * Adds a device to the profile. A CDI `nvidia.com/gpu=…` that says exactly what `gpus` can say (all, an index,
 * a UUID, a MIG id) becomes the GPU request instead, so the claim label, the preflight and the GPUs view see it;
 * anything else stays a CDI device.
 */
export function addDevice(p: Profile, d: DeviceSpec): void {
  const gpu = d.cdi ? /^nvidia\.com\/gpu=(.+)$/.exec(d.pathOnHost)?.[1] : undefined;
  if (gpu === 'all' && (p.gpus === 'none' || 'all' in p.gpus)) {
    p.gpus = { all: true };
    return;
  }
  if (gpu !== undefined && gpu !== 'all' && !checkGpuDevice(gpu) && (p.gpus === 'none' || 'devices' in p.gpus)) {
    const ids = p.gpus === 'none' ? [] : p.gpus.devices;
    p.gpus = { devices: ids.includes(gpu) ? ids : [...ids, gpu] };
    return;
  }
  p.devices.push(d);
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
    if (/\s/.test(key)) return fail(t('line {0}: the variable "{1}" contains whitespace.', n + 1, shorten(key)));
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

/**
 * A container name or name template as written (variables unresolved): the characters Docker refuses, a first
 * character it refuses, or (without variables) a name shorter than 2 characters. Characters that only a
 * variable's value brings are replaced at launch (see resolveContainerName), and said so.
 */
export function checkContainerName(field: string, text: string): string | undefined {
  const literal = text.replace(/^\//, '').replace(/\$\{[^}]*\}/g, '');
  const bad = [...new Set(literal.replace(/[a-zA-Z0-9_.-]/g, ''))];
  if (bad.length)
    return t(
      '{0} "{1}" holds {2}, which Docker refuses in a container name: it allows only [a-zA-Z0-9][a-zA-Z0-9_.-] (letters, digits, "_", "." and "-"). Remove or replace them; the container is never created under a changed name.',
      field,
      shorten(text),
      bad.map((c) => (/^[\x21-\x7e]$/.test(c) ? `"${c}"` : codePoint(c))).join(', '),
    );
  const first = text.replace(/^\//, '')[0];
  if (first !== undefined && first !== '$' && !/[a-zA-Z0-9]/.test(first))
    return t(
      '{0} "{1}" starts with "{2}"; a Docker container name starts with a letter or a digit ([a-zA-Z0-9][a-zA-Z0-9_.-]).',
      field,
      shorten(text),
      first,
    );
  if (!text.includes('${') && text.replace(/^\//, '').length < 2)
    return t(
      '{0} "{1}" is too short: Docker needs 2 or more characters in a container name, e.g. "{1}-1".',
      field,
      shorten(text),
    );
  return undefined;
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
