/** `-v` volumes and `--mount` mounts as the docker CLI parses them. Each parser returns a value or a localized message. */
import { t } from '../l10n';
import { fail, ok, parseRamSize, type Parsed } from './fieldsSizePort';
import { describe } from './parseValues';
import type { ByteSize, MountSpec, VolumeSpec } from './profileTypes';

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
        'the host path "{0}" holds a colon, which -v cannot express; use "mounts" with {1} instead.',
        parts.slice(0, absAt).join(':'),
        JSON.stringify({ type: 'bind', source: parts.slice(0, absAt).join(':'), target: parts[absAt] }).replace(
          /([:,])"/g,
          '$1 "',
        ),
      ),
    );
  // A Kubernetes PersistentVolumeClaim by name: `pvc:NAME:/path[:ro]` (Kubernetes hosts only; Docker refuses it).
  if (parts[0] === 'pvc' && parts.length >= 3) {
    const [, claim, target, mode] = parts;
    if (parts.length > 4 || (mode !== undefined && mode !== 'ro' && mode !== 'rw'))
      return bad(t('a claim is written pvc:NAME:/container-path or pvc:NAME:/container-path:ro'));
    if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(claim))
      return bad(t('"{0}" is not a PersistentVolumeClaim name (lower-case letters, digits, - and .)', claim));
    const e = target.startsWith('/') || target.startsWith('${') ? undefined : target;
    if (e !== undefined) return bad(t('the container path "{0}" must be absolute', target));
    return ok({ text, kind: 'volume', source: claim, pvc: true, target, mode, readOnly: mode === 'ro' });
  }
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
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' ? raw[k] : undefined);
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
    const shown = typeof v === 'string' || typeof v === 'number' || Array.isArray(v) ? String(v) : describe(v);
    warnings.push(t('{0} should be true or false; "{1}" was ignored.', k, shown));
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
    // An object is named ("an object"), not "[object Object]".
    const octal =
      typeof mode === 'string' || typeof mode === 'number' || Array.isArray(mode) ? String(mode) : describe(mode);
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
