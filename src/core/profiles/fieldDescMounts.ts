/** Field descriptors: volumes and structured mounts. */
import { t } from '../l10n';
import { parseMount, parseMountCsv, parseVolumeSpec } from './fieldsMount';
import { takeFlag, type FieldDescriptor } from './fieldTypes';
import { describe, list, record, shorten, str, take, vars } from './parseValues';
import { mountSchema, P } from './schemaParts';
import { nlsText } from './schemaNls';
import type { MountSpec } from './profileTypes';
import type { MountConfig } from '../docker/engineContract';
import { sizeText } from './fromContainerTail';
import { strings } from './inspectJson';

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
    create(p, body, x) {
      const binds: string[] = [];
      const volumes: Record<string, object> = {};
      p.volumes.forEach((v, i) => {
        const f = `volumes[${i}]`;
        const target = x.r(f, v.target);
        if (v.kind === 'anonymous') {
          volumes[target] = {};
          return;
        }
        // A claim is a Kubernetes object: the pod mapping (core/kube/podSpec.ts) takes it from the profile.
        if (v.pvc) {
          if (!x.forKubernetes)
            x.problem(
              f,
              'error',
              t(
                '{0} names a Kubernetes PersistentVolumeClaim, which only a Kubernetes host has; launch this profile there, or write {1} for a Docker volume.',
                v.text,
                `${v.source}:${v.target}`,
              ),
            );
          return;
        }
        const source = v.kind === 'bind' ? x.host(f, v.source ?? '') : x.r(f, v.source ?? '');
        binds.push([source, target, ...(v.mode ? [v.mode] : [])].join(':'));
      });
      if (binds.length) body.hostConfig.Binds = binds;
      if (Object.keys(volumes).length) body.options.Volumes = volumes;
    },
    // Binds, and the anonymous volumes the image does not declare and no bind or mount covers.
    inspect(p, x) {
      for (const b of strings(x.hc.Binds)) {
        const r = parseVolumeSpec(b);
        if (r.value) p.volumes.push(r.value);
      }
      const imageVolumes = new Set(Object.keys(x.img.Volumes ?? {}));
      const bound = new Set([...p.volumes.map((v) => v.target), ...(x.hc.Mounts ?? []).map((m) => m.Target)]);
      for (const target of Object.keys(x.cfg.Volumes ?? {}))
        if (!imageVolumes.has(target) && !bound.has(target)) {
          const r = parseVolumeSpec(target);
          if (r.value) p.volumes.push(r.value);
        }
    },
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
    create(p, body, x) {
      if (!p.mounts.length) return;
      const mounts = p.mounts.map((m, i) => {
        const f = `mounts[${i}]`;
        // dockerode's MountSettings marks optional API fields as required; build the API shape and cast once.
        const out: {
          Type: string;
          Target: string;
          Source?: string;
          ReadOnly?: boolean;
          Consistency?: string;
          BindOptions?: { Propagation: string };
          VolumeOptions?: { NoCopy: boolean; DriverConfig: object };
          TmpfsOptions?: { SizeBytes?: number; Mode?: number };
        } = { Type: m.type, Target: x.r(f, m.target) };
        if (m.source !== undefined) out.Source = m.type === 'bind' ? x.host(f, m.source) : x.r(f, m.source);
        if (m.readOnly) out.ReadOnly = true;
        if (m.consistency) out.Consistency = m.consistency;
        if (m.bindPropagation) out.BindOptions = { Propagation: m.bindPropagation };
        // The docker CLI sends an empty DriverConfig with any volume option; so does the profile, to inspect alike.
        if (m.volumeNoCopy !== undefined) out.VolumeOptions = { NoCopy: m.volumeNoCopy, DriverConfig: {} };
        if (m.tmpfsSize || m.tmpfsMode !== undefined) {
          const tmpfs: { SizeBytes?: number; Mode?: number } = {};
          if (m.tmpfsSize) tmpfs.SizeBytes = m.tmpfsSize.bytes;
          if (m.tmpfsMode !== undefined) tmpfs.Mode = m.tmpfsMode;
          out.TmpfsOptions = tmpfs;
        }
        return out;
      });
      body.hostConfig.Mounts = mounts as unknown as MountConfig;
    },
    inspect(p, x) {
      for (const m of x.hc.Mounts ?? []) {
        const r = parseMount({
          type: m.Type,
          source: m.Source || undefined,
          target: m.Target,
          readOnly: m.ReadOnly || undefined,
          bindPropagation: m.BindOptions?.Propagation,
          volumeNoCopy: m.VolumeOptions?.NoCopy,
          tmpfsSize: m.TmpfsOptions?.SizeBytes ? sizeText(m.TmpfsOptions.SizeBytes).text : undefined,
          tmpfsMode: m.TmpfsOptions?.Mode ? m.TmpfsOptions.Mode.toString(8) : undefined,
        });
        if (r.value) p.mounts.push(r.value);
      }
    },
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
} satisfies Record<string, FieldDescriptor>;
