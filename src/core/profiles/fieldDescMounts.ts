/** Field descriptors: volumes, structured mounts and devices. */
import { t } from '../l10n';
import { addDevice, parseDevice } from './fields';
import { parseMount, parseMountCsv, parseVolumeSpec } from './fieldsMount';
import { takeFlag, type FieldDescriptor } from './fieldTypes';
import { describe, list, record, shorten, str, take, vars } from './parseValues';
import { mountSchema, P, pat } from './schemaParts';
import { nlsText } from './schemaNls';
import type { MountSpec } from './profileTypes';

/**
 * One `key=value` field of a `--mount` string as the docker CLI reads it (Go's encoding/csv): a field holding a
 * comma, a quote or a line break is quoted whole with its quotes doubled, so `target=/data,source=/etc` stays one
 * target. (A carriage return cannot survive: csv drops it before a line break; `mountCsvProblem` refuses it.)
 */
export const csvMountField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvField = csvMountField;

/** Why a mount cannot be written as a `--mount` string (a carriage return in a path), or undefined. */
export function mountCsvProblem(...paths: Array<string | undefined>): string | undefined {
  const bad = paths.find((x) => x?.includes('\r'));
  return bad === undefined
    ? undefined
    : t(
        'the path "{0}" holds a carriage return, which a --mount string cannot carry; rename the path.',
        JSON.stringify(bad),
      );
}

export function mountCsv(m: MountSpec, source = m.source, target = m.target): string {
  const f = [`type=${m.type}`];
  if (source !== undefined) f.push(`source=${source}`);
  f.push(`target=${target}`);
  if (m.readOnly !== undefined) f.push(m.readOnly ? 'readonly' : 'readonly=false');
  if (m.bindPropagation) f.push(`bind-propagation=${m.bindPropagation}`);
  if (m.volumeNoCopy !== undefined) f.push(`volume-nocopy=${m.volumeNoCopy}`);
  if (m.tmpfsSize) f.push(`tmpfs-size=${m.tmpfsSize.text}`);
  if (m.tmpfsMode !== undefined) f.push(`tmpfs-mode=${m.tmpfsMode.toString(8)}`);
  if (m.consistency) f.push(`consistency=${m.consistency}`);
  return f.map(csvField).join(',');
}

const MOUNT_KEYS = [
  'type',
  'source',
  'target',
  'readOnly',
  'bindPropagation',
  'volumeNoCopy',
  'tmpfsSize',
  'tmpfsMode',
  'consistency',
];
const MOUNT_CSV_KEYS = [
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

export const MOUNT_FIELDS = {
  volumes: {
    schema: {
      type: 'array',
      items: {
        type: 'string',
        examples: ['${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface', '/data:/data:ro'],
      },
      description: nlsText(
        P + 'volumes',
        'Volumes in docker -v syntax: host-path:container-path[:ro], volume-name:container-path or a container path. Variables and ~ allowed.',
      ),
    },
    parse(p, v, report, key) {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const s = str(`volumes[${i}]`, x, report);
        if (s === undefined) return;
        const r = take(`volumes[${i}]`, parseVolumeSpec(s), report);
        if (r) p.volumes.push(r);
      });
    },
    flags: [
      {
        long: 'volume',
        short: 'v',
        apply: (p, v, r) => {
          const s = takeFlag(parseVolumeSpec(v), r);
          if (s) p.volumes.push(s);
        },
      },
    ],
    run: (p, x) =>
      p.volumes.flatMap((v) => {
        if (!x.ctx && !x.portable) return ['-v', v.text];
        if (v.kind === 'anonymous') return ['-v', x.r(v.target)];
        const source = v.kind === 'bind' ? x.host(v.source ?? '') : x.r(v.source ?? '');
        return ['-v', [source, x.r(v.target), ...(v.mode ? [v.mode] : [])].join(':')];
      }),
    compose(p, svc, x) {
      const volumes = p.volumes.map((v) =>
        v.kind === 'anonymous'
          ? x.compose(v.target)
          : [
              v.kind === 'bind' ? x.path(v.source ?? '') : x.compose(v.source ?? ''),
              x.compose(v.target),
              ...(v.mode ? [v.mode] : []),
            ].join(':'),
      );
      if (volumes.length) svc.volumes = volumes;
    },
    settings: (p) => p.volumes.map((v) => v.text),
  },
  mounts: {
    schema: {
      type: 'array',
      items: mountSchema,
      description: nlsText(P + 'mounts', 'Structured mounts (docker --mount).'),
    },
    parse(p, v, report, key) {
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
          if (!MOUNT_KEYS.includes(k)) {
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
        for (const k of ['source', 'target']) if (typeof o[k] === 'string') vars(`mounts[${i}].${k}`, o[k], report);
        const r = take(`mounts[${i}]`, parseMount(o), report);
        if (r) p.mounts.push(r);
      });
    },
    flags: [
      {
        long: 'mount',
        apply: (p, v, r) => {
          const f = takeFlag(parseMountCsv(v), r);
          if (!f) return;
          const unknown = Object.keys(f).filter((k) => !MOUNT_CSV_KEYS.includes(k));
          if (unknown.length)
            return r(
              t(
                'the mount options {0} are not supported; use type, source, target, readonly, bind-propagation, volume-nocopy, tmpfs-size, tmpfs-mode.',
                unknown.join(', '),
              ),
            );
          const m = takeFlag(parseMount(f), r);
          if (m) p.mounts.push(m);
        },
      },
    ],
    run: (p, x) =>
      p.mounts.flatMap((m) => {
        const source = m.source === undefined ? undefined : m.type === 'bind' ? x.host(m.source) : x.r(m.source);
        return ['--mount', mountCsv(m, source, x.r(m.target))];
      }),
    compose(p, svc, x) {
      if (!p.mounts.length) return;
      const volumes = (svc.volumes ??= []) as unknown[];
      for (const m of p.mounts) {
        const e: Record<string, unknown> = { type: m.type };
        if (m.source !== undefined) e.source = m.type === 'bind' ? x.path(m.source) : x.compose(m.source);
        e.target = x.compose(m.target);
        if (m.readOnly) e.read_only = true;
        if (m.consistency) e.consistency = m.consistency;
        if (m.bindPropagation) e.bind = { propagation: m.bindPropagation };
        if (m.volumeNoCopy !== undefined) e.volume = { nocopy: m.volumeNoCopy };
        if (m.tmpfsSize || m.tmpfsMode !== undefined)
          e.tmpfs = {
            ...(m.tmpfsSize ? { size: m.tmpfsSize.bytes } : {}),
            ...(m.tmpfsMode !== undefined ? { mode: m.tmpfsMode } : {}),
          };
        volumes.push(e);
      }
    },
    settings: (p) =>
      p.mounts.map((m) => {
        const o: Record<string, unknown> = { type: m.type };
        if (m.source !== undefined) o.source = m.source;
        o.target = m.target;
        if (m.readOnly) o.readOnly = true;
        if (m.bindPropagation) o.bindPropagation = m.bindPropagation;
        if (m.volumeNoCopy) o.volumeNoCopy = true;
        if (m.tmpfsSize) o.tmpfsSize = m.tmpfsSize.text;
        if (m.tmpfsMode !== undefined) o.tmpfsMode = m.tmpfsMode.toString(8);
        return o;
      }),
  },
  devices: {
    schema: {
      type: 'array',
      items: {
        anyOf: [
          {
            type: 'string',
            ...pat(
              '^(/|\\$\\{|[a-zA-Z0-9][a-zA-Z0-9._-]*/[a-zA-Z0-9][a-zA-Z0-9_-]*=[a-zA-Z0-9])',
              'device',
              'Write an absolute path such as /dev/fuse, or a CDI device name such as nvidia.com/gpu=all.',
            ),
            examples: ['/dev/fuse', '/dev/infiniband/uverbs0', 'nvidia.com/gpu=all'],
          },
          {
            type: 'object',
            required: ['pathOnHost'],
            additionalProperties: false,
            properties: {
              pathOnHost: { type: 'string' },
              pathInContainer: { type: 'string' },
              cgroupPermissions: {
                type: 'string',
                ...pat('^[rwm]{1,3}$', 'cgroupPermissions', 'Use a combination of r, w and m.'),
              },
            },
          },
        ],
      },
      description: nlsText(
        P + 'devices',
        'Host devices: "/dev/host[:/dev/container][:rwm]", or CDI device names such as "nvidia.com/gpu=all".',
      ),
    },
    parse(p, v, report, key) {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        const f = `devices[${i}]`;
        if (typeof x === 'string') {
          vars(f, x, report);
          const r = take(f, parseDevice(x), report);
          if (r) addDevice(p, r);
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
    },
    flags: [
      {
        long: 'device',
        apply: (p, v, r) => {
          const d = takeFlag(parseDevice(v), r);
          if (d) addDevice(p, d);
        },
      },
    ],
    run: (p, x) =>
      p.devices.flatMap((d) => [
        '--device',
        d.cdi
          ? d.pathOnHost
          : d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm'
            ? x.host(d.pathOnHost)
            : `${x.host(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`,
      ]),
    compose(p, svc, x) {
      if (p.devices.length)
        svc.devices = p.devices.map((d) =>
          d.cdi ? d.pathOnHost : `${x.path(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`,
        );
    },
    settings: (p) =>
      p.devices.map((d) =>
        d.cdi || (d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm')
          ? d.pathOnHost
          : { pathOnHost: d.pathOnHost, pathInContainer: d.pathInContainer, cgroupPermissions: d.cgroupPermissions },
      ),
  },
} satisfies Record<string, FieldDescriptor>;
