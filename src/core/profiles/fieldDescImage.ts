/** Field descriptors: name, description, image, container name and GPUs. */
import { holdText } from '../gpu/lease';
import { t } from '../l10n';
import { resolveContainerName } from './containerName';
import { checkContainerName, checkImage } from './fields';
import { parseGpusFlag } from './fieldsGpus';
import { takeFlag, type FieldDescriptor } from './fieldTypes';
import { strings } from './inspectJson';
import { gpusValue } from './parseGpus';
import { GPU_CAPABILITIES, shorten, str, stringList } from './parseValues';
import { P, pat, sizePattern } from './schemaParts';
import { nlsText } from './schemaNls';
import type { Profile } from './profileTypes';

/** `gpus.hold` as the schema checks it while typing (core/gpu/lease.ts `parseHold` is the real check). */
const HOLD_PATTERN = '^\\s*(\\d+(\\.\\d+)?[mhdMHD])+\\s*$';

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The `--gpus` value for a profile, or undefined for none. */
export function gpusFlagValue(p: Profile): string | undefined {
  if (p.gpus === 'none') return undefined;
  const fields: string[] = [];
  if ('all' in p.gpus) fields.push('all');
  else if ('count' in p.gpus) fields.push(String(p.gpus.count));
  else if ('free' in p.gpus) fields.push(String(p.gpus.free.count));
  else fields.push(`device=${p.gpus.devices.join(',')}`);
  if (p.gpuDriver !== undefined) fields.push(`driver=${p.gpuDriver}`);
  if (p.gpuCapabilities?.length) fields.push(`capabilities=${p.gpuCapabilities.join(',')}`);
  if (p.gpuOptions)
    fields.push(
      `options=${Object.entries(p.gpuOptions)
        .map(([k, v]) => csvField(`${k}=${v}`))
        .join(',')}`,
    );
  return fields.map(csvField).join(',');
}

/** `{ free: { count, minFreeMemoryMiB, model } }` → the settings form `{ "free": 2, "minFreeMemory": "40g", "model": "H100" }`. */
function freeGpusSettings(f: {
  count: number;
  minFreeMemoryMiB?: number;
  model?: string;
  mig?: string;
  holdMs?: number;
}): Record<string, unknown> {
  const out: Record<string, unknown> = { free: f.count };
  if (f.minFreeMemoryMiB !== undefined)
    out.minFreeMemory = f.minFreeMemoryMiB % 1024 === 0 ? `${f.minFreeMemoryMiB / 1024}g` : `${f.minFreeMemoryMiB}m`;
  if (f.model !== undefined) out.model = f.model;
  if (f.mig !== undefined) out.mig = f.mig;
  if (f.holdMs !== undefined) out.hold = holdText(f.holdMs);
  return out;
}

const gpusSchema = {
  anyOf: [
    { type: 'string', examples: ['all', 'none', 'device=0,2', 'count=2'] },
    { type: 'integer', minimum: 0 },
    { type: 'array', items: { type: ['integer', 'string'] }, uniqueItems: true },
    {
      type: 'object',
      required: ['free'],
      additionalProperties: false,
      properties: {
        free: {
          type: 'integer',
          minimum: 1,
          description: nlsText(P + 'gpus.free', 'How many GPUs that nobody is using to take, picked when launching.'),
        },
        minFreeMemory: {
          type: ['string', 'integer'],
          ...sizePattern(),
          examples: ['40g'],
          description: nlsText(P + 'gpus.minFreeMemory', 'Only GPUs with at least this much free memory, e.g. "40g".'),
        },
        mig: {
          type: 'string',
          ...pat(
            '^\\d+g\\.\\d+gb(\\+[a-z]+)?$',
            'mig',
            'Write a MIG profile as nvidia-smi -L lists it, such as 1g.10gb or 3g.40gb.',
          ),
          examples: ['1g.10gb', '3g.40gb'],
          description: nlsText(
            P + 'gpus.mig',
            'Take free MIG devices of this profile (as nvidia-smi -L lists them, e.g. "1g.10gb") instead of whole GPUs.',
          ),
        },
        model: {
          type: 'string',
          examples: ['H100', 'A100*80GB'],
          description: nlsText(
            P + 'gpus.model',
            'Only GPUs whose name contains this (case-insensitive; * matches anything).',
          ),
        },
        hold: {
          type: 'string',
          ...pat(HOLD_PATTERN, 'hold', 'Write a duration: a number with m, h or d, e.g. "8h", "90m" or "1h30m".'),
          examples: ['8h', '90m', '1d'],
          description: nlsText(
            P + 'gpus.hold',
            'How long the launch holds its GPUs, e.g. "8h": everyone\'s GPUs view shows until when, and you are told 15 minutes before it ends (Extend / Stop). Nothing is stopped when it ends.',
          ),
        },
      },
    },
  ],
  default: 'all',
  description: nlsText(
    P + 'gpus',
    'GPUs: "all", a count (2), a list of indices or UUIDs ([0, 2] or ["GPU-…"]), free GPUs ({ "free": 2, "minFreeMemory": "40g", "model": "H100" }), "none", or docker\'s --gpus text ("device=0,2").',
  ),
};

const none = (): void => undefined;

/** The capabilities that mark a device request as one for GPUs (whatever its driver). */
const GPU_CAPS = new Set(['gpu', 'compute', 'utility', 'graphics', 'video', 'display', 'compat32']);

export const IMAGE_FIELDS = {
  name: {
    schema: {
      type: 'string',
      minLength: 1,
      description: nlsText(
        P + 'name',
        'Profile name (required, unique). Shown in pickers and put in the gpu-containers.profile label.',
      ),
    },
    parse: none,
  },
  description: {
    schema: {
      type: 'string',
      description: nlsText(P + 'item.description', 'Free text shown next to the profile.'),
    },
    parse: none,
  },
  host: {
    schema: {
      type: 'string',
      examples: ['gpubox'],
      description: nlsText(
        P + 'host',
        'Launch this profile on the host of this name (from gpuContainers.hosts) instead of asking where.',
      ),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s !== undefined) p.host = s;
    },
    settings: (p) => p.host,
  },
  image: {
    schema: {
      type: 'string',
      examples: ['nvcr.io/nvidia/pytorch:24.05-py3', 'vllm/vllm-openai:latest'],
      description: nlsText(P + 'image', 'Image to run. Leave out to be asked when launching.'),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = checkImage(s);
      if (e) return report(key, e);
      p.image = s;
    },
    create(p, body, x) {
      if (!p.image) x.problem('image', 'error', 'the profile has no image; set "image" or choose one when launching.');
      body.options.Image = p.image ? x.r('image', p.image) : '';
    },
    inspect: (p, x) => void (typeof x.cfg.Image === 'string' && (p.image = x.cfg.Image)),
    compose: (p, svc, x) => void (p.image && (svc.image = x.compose(p.image))),
    settings: (p) => p.image,
  },
  containerName: {
    schema: {
      type: 'string',
      examples: ['${user}-${profile}'],
      description: nlsText(
        P + 'containerName',
        'Container name template; defaults to the gpuContainers.containerNameTemplate setting. Variables allowed.',
      ),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = checkContainerName(key, s);
      if (e) return report(key, e);
      p.containerName = s;
    },
    flags: [
      {
        long: 'name',
        apply: (p, v, r) => {
          const e = checkContainerName('--name', v);
          if (e) return r(e);
          p.containerName = v;
        },
      },
    ],
    // The create body's name is resolved by createOptions.ts (it has a default template when this is unset).
    inspect(p, x) {
      const name = String(x.c?.Name ?? '').replace(/^\//, '');
      if (name) p.containerName = name;
    },
    run: (p, x) =>
      x.ctx
        ? ['--name', resolveContainerName(p, x.ctx).name]
        : p.containerName !== undefined
          ? ['--name', x.sub(p.containerName)]
          : [],
    compose(p, svc, x) {
      if (x.ctx) svc.container_name = resolveContainerName(p, x.ctx).name;
      else if (p.containerName) svc.container_name = x.compose(p.containerName);
    },
    settings: (p) => p.containerName,
  },
  gpus: {
    schema: gpusSchema,
    parse: (p, v, report) => gpusValue(v, report, p),
    flags: [
      {
        long: 'gpus',
        apply: (p, v, r) => {
          const g = takeFlag(parseGpusFlag(v), r);
          if (!g) return;
          p.gpus = g.gpus;
          if (g.capabilities) p.gpuCapabilities = g.capabilities;
          else delete p.gpuCapabilities;
          if (g.driver !== undefined) p.gpuDriver = g.driver;
          if (g.options) p.gpuOptions = g.options;
        },
      },
    ],
    // One request as `--gpus` sends it, gpuCapabilities (with "gpu" added), gpuDriver and gpuOptions in it.
    create(p, body) {
      if (p.gpus === 'none') return;
      body.hostConfig.DeviceRequests = [
        {
          Driver: p.gpuDriver ?? '',
          Count: 'all' in p.gpus ? -1 : 'count' in p.gpus ? p.gpus.count : 0,
          DeviceIDs: 'devices' in p.gpus ? [...p.gpus.devices] : (null as unknown as string[]),
          Capabilities: [[...(p.gpuCapabilities ?? []), 'gpu']],
          Options: { ...(p.gpuOptions ?? {}) },
        },
      ];
    },
    inspect(p, x) {
      for (const r of x.hc.DeviceRequests ?? []) {
        const caps = strings((r.Capabilities ?? [])[0]);
        if (r.Driver !== 'nvidia' && !caps.some((k) => GPU_CAPS.has(k))) continue;
        const ids = strings(r.DeviceIDs);
        p.gpus = ids.length ? { devices: ids } : r.Count === -1 ? { all: true } : { count: Number(r.Count) || 1 };
        // The docker CLI always adds "gpu" to the capabilities it is given.
        const extra = caps.filter((k) => k !== 'gpu');
        if (extra.length) p.gpuCapabilities = extra;
        if (r.Driver && r.Driver !== 'nvidia') p.gpuDriver = r.Driver;
        if (r.Options && Object.keys(r.Options).length) p.gpuOptions = { ...r.Options };
      }
    },
    run(p) {
      const g = gpusFlagValue(p);
      return g === undefined ? [] : ['--gpus', g];
    },
    compose(p, svc) {
      if (p.gpus === 'none') return;
      const caps = ['gpu', ...(p.gpuCapabilities ?? []).filter((c) => c !== 'gpu')];
      const dev: Record<string, unknown> = { driver: p.gpuDriver || 'nvidia' };
      if ('all' in p.gpus) dev.count = 'all';
      else if ('count' in p.gpus) dev.count = p.gpus.count;
      else if ('free' in p.gpus) dev.count = p.gpus.free.count;
      else dev.device_ids = [...p.gpus.devices];
      dev.capabilities = caps;
      if (p.gpuOptions && Object.keys(p.gpuOptions).length) dev.options = { ...p.gpuOptions };
      svc.deploy = { resources: { reservations: { devices: [dev] } } };
    },
    settings(p) {
      const g = p.gpus;
      if (g === 'none') return undefined;
      return 'all' in g ? 'all' : 'count' in g ? g.count : 'free' in g ? freeGpusSettings(g.free) : [...g.devices];
    },
  },
  gpuCapabilities: {
    schema: {
      type: 'array',
      items: { type: 'string', enum: GPU_CAPABILITIES },
      uniqueItems: true,
      description: nlsText(
        P + 'gpuCapabilities',
        'Driver capabilities for the GPU request (docker always adds "gpu"), e.g. ["compute", "utility"].',
      ),
    },
    parse(p, v, report, key) {
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
    },
    settings: (p) => p.gpuCapabilities,
  },
} satisfies Record<string, FieldDescriptor>;
