/** Field descriptors: sizes and limits (shm, memory, CPUs, ulimits), IPC, network, ports, runtime. */
import type * as Yaml from 'yaml';
import { t } from '../l10n';
import { checkIpc, checkNetwork, parseUlimit, ulimitFrom } from './fields';
import { parseCpus, parsePortSpec, parseRamSize } from './fieldsSizePort';
import { takeFlag, type FieldDescriptor, type FieldFlag } from './fieldTypes';
import { describe, list, record, shorten, str, take, type Report } from './parseValues';
import { P, pat, sizePattern, ULIMIT_VALUE, ULIMITS } from './schemaParts';
import { nlsText } from './schemaNls';
import type { Profile, UlimitSpec } from './profileTypes';
import { sizeText } from './fromContainerTail';

/** Docker's /dev/shm size when none is asked for. */
const DEFAULT_SHM = 64 * 1024 * 1024;

export function upsertUlimit(p: Profile, u: UlimitSpec): void {
  const i = p.ulimits.findIndex((x) => x.name === u.name);
  if (i >= 0) p.ulimits[i] = u;
  else p.ulimits.push(u);
}

/** shmSize and memory: a size in bytes with the text as written. */
function sizeField(
  key: 'shmSize' | 'memory',
  flag: FieldFlag['long'],
  short: string | undefined,
  composeKey: string,
  schema: Record<string, unknown>,
): FieldDescriptor {
  const hostKey = key === 'shmSize' ? 'ShmSize' : 'Memory';
  return {
    schema,
    parse(p, v, report) {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('{0} must be a size such as "16g" or a number of bytes, not {1}.', key, describe(v)));
      const r = take(key, parseRamSize(v), report);
      if (r) p[key] = r;
    },
    flags: [
      {
        long: flag,
        short,
        apply: (p, v, r) => {
          const s = takeFlag(parseRamSize(v), r);
          if (s) p[key] = s;
        },
      },
    ],
    create: (p, body) => void (p[key] && (body.hostConfig[hostKey] = p[key].bytes)),
    inspect(p, x) {
      const b = x.hc[hostKey];
      if (key === 'memory' ? b : typeof b === 'number' && b > 0 && b !== DEFAULT_SHM) p[key] = sizeText(b as number);
    },
    run: (p) => (p[key] ? [`--${flag}`, p[key].text] : []),
    compose: (p, svc) => void (p[key] && (svc[composeKey] = p[key].text)),
    settings: (p) => p[key]?.text,
  };
}

/** ipc and network: a checked word; inspect leaves out the daemon's defaults (`unset`). */
function modeField(
  key: 'ipc' | 'network',
  check: (s: string) => string | undefined,
  composeKey: string,
  unset: string[],
): Omit<FieldDescriptor, 'schema'> {
  const hostKey = key === 'ipc' ? 'IpcMode' : 'NetworkMode';
  const apply: FieldFlag['apply'] = (p, v, r) => {
    const e = check(v);
    if (e) r(e);
    else p[key] = v;
  };
  return {
    parse(p: Profile, v: unknown, report: Report) {
      const s = str(key, v, report);
      if (s === undefined) return;
      const e = check(s);
      if (e) return report(key, e);
      p[key] = s;
    },
    flags:
      key === 'ipc'
        ? [{ long: 'ipc', apply }]
        : [
            { long: 'network', apply },
            { long: 'net', apply },
          ],
    create: (p, body) => void (p[key] && (body.hostConfig[hostKey] = p[key])),
    inspect(p, x) {
      const m = x.hc[hostKey];
      if (m && !unset.includes(m)) p[key] = m;
    },
    run: (p: Profile) => (p[key] ? [`--${key}`, p[key]] : []),
    compose: (p: Profile, svc: Record<string, unknown>) => void (p[key] && (svc[composeKey] = p[key])),
    settings: (p: Profile) => p[key],
  };
}

const ulimitText = (u: UlimitSpec) => `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}:${u.hard}`}`;
const ulimitObject = (p: Profile) =>
  Object.fromEntries(p.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }]));

export const RESOURCE_FIELDS = {
  shmSize: sizeField('shmSize', 'shm-size', undefined, 'shm_size', {
    type: ['string', 'integer'],
    ...sizePattern(),
    examples: ['16g', '8gb', '512m'],
    description: nlsText(
      P + 'shmSize',
      'Size of /dev/shm, e.g. "16g" (units b, k, m, g, t, p; Docker\'s default is 64m, too small for PyTorch DataLoader workers).',
    ),
  }),
  memory: sizeField('memory', 'memory', 'm', 'mem_limit', {
    type: ['string', 'integer'],
    ...sizePattern(),
    examples: ['64g'],
    description: nlsText(P + 'memory', 'Memory limit, e.g. "64g" (docker --memory).'),
  }),
  ipc: {
    schema: {
      type: 'string',
      ...pat(
        '^(host|private|shareable|none|container:.+)$',
        'ipc',
        'Use host, private, shareable, none or container:<name>.',
      ),
      examples: ['host', 'private', 'shareable'],
      description: nlsText(P + 'ipc', 'IPC namespace: host, private, shareable, none or container:<name>.'),
    },
    // The daemon's default IPC mode is private (since Docker 20.10); anything else was asked for.
    ...modeField('ipc', checkIpc, 'ipc', ['private', '']),
  },
  network: {
    schema: {
      type: 'string',
      examples: ['host', 'bridge', 'none'],
      description: nlsText(P + 'network', 'Network: host, bridge, none, container:<name> or a network name.'),
    },
    ...modeField('network', checkNetwork, 'network_mode', ['default', 'bridge', '']),
  },
  ports: {
    schema: {
      type: 'array',
      items: {
        type: ['string', 'integer'],
        ...pat(
          '^(\\[[0-9a-fA-F:.]+\\]:|[0-9.]+:)?(\\d+(-\\d+)?)?:?\\d+(-\\d+)?(/(tcp|udp|sctp))?$',
          'ports',
          'Write [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. "8888:8888" or "127.0.0.1:8000:8000".',
        ),
        examples: ['8888:8888', '127.0.0.1:8000:8000', '8000-8010:8000-8010/udp'],
      },
      description: nlsText(
        P + 'ports',
        'Published ports in docker -p syntax: [ip:][hostPort:]containerPort[/protocol].',
      ),
    },
    parse(p, v, report, key) {
      const l = list(key, v, report);
      l?.forEach((x, i) => {
        if (typeof x !== 'string' && typeof x !== 'number')
          return report(`ports[${i}]`, t('a port must be a string such as "8888:8888", not {0}.', describe(x)));
        const r = take(`ports[${i}]`, parsePortSpec(x), report);
        if (r) p.ports.push(r);
      });
    },
    flags: [
      {
        long: 'publish',
        short: 'p',
        apply: (p, v, r) => {
          const s = takeFlag(parsePortSpec(v), r);
          if (s) p.ports.push(s);
        },
      },
    ],
    create(p, body) {
      const exposed: Record<string, object> = {};
      const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
      for (const spec of p.ports) {
        for (const b of spec.bindings) {
          exposed[b.containerPort] = {};
          (portBindings[b.containerPort] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort });
        }
      }
      if (Object.keys(portBindings).length) body.hostConfig.PortBindings = portBindings;
      if (Object.keys(exposed).length) body.options.ExposedPorts = exposed;
    },
    inspect(p, x) {
      for (const [port, bindings] of Object.entries(x.hc.PortBindings ?? {})) {
        const [num, proto] = port.split('/');
        const suffix = proto && proto !== 'tcp' ? `/${proto}` : '';
        for (const b of bindings ?? [{}]) {
          const ip = b?.HostIp ? (b.HostIp.includes(':') ? `[${b.HostIp}]:` : `${b.HostIp}:`) : '';
          const text = b?.HostPort
            ? `${ip}${b.HostPort}:${num}${suffix}`
            : ip
              ? `${ip}:${num}${suffix}`
              : `${num}${suffix}`;
          const r = parsePortSpec(text);
          if (r.value) p.ports.push(r.value);
        }
      }
    },
    run: (p) => p.ports.flatMap((x) => ['-p', x.text]),
    compose(p, svc) {
      if (!p.ports.length) return;
      // Required here: yaml loads with the Compose export, not when settings are parsed (activation, issue 17).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load esbuild still bundles.
      const { Scalar } = require('yaml') as typeof Yaml;
      svc.ports = p.ports.map((x) => Object.assign(new Scalar(x.text), { type: Scalar.QUOTE_DOUBLE }));
    },
    settings: (p) => p.ports.map((x) => x.text),
  },
  ulimits: {
    schema: {
      anyOf: [
        { type: 'object', propertyNames: { enum: ULIMITS }, additionalProperties: ULIMIT_VALUE },
        {
          type: 'array',
          items: {
            type: 'string',
            ...pat(
              `^(${ULIMITS.join('|')})=-?\\d+(:-?\\d+)?$`,
              'ulimits',
              'Write name=soft[:hard] with a known ulimit name, e.g. memlock=-1 or nofile=1024:65536.',
            ),
          },
        },
      ],
      examples: [{ memlock: -1, stack: 67108864 }],
      description: nlsText(
        P + 'ulimits',
        'ulimits: { "memlock": -1, "stack": 67108864, "nofile": { "soft": 1024, "hard": 65536 } } (-1 = unlimited).',
      ),
    },
    parse(p, v, report, key) {
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
    },
    flags: [
      {
        long: 'ulimit',
        apply: (p, v, r) => {
          const u = takeFlag(parseUlimit(v), r);
          if (u) upsertUlimit(p, u);
        },
      },
    ],
    create(p, body) {
      if (p.ulimits.length)
        body.hostConfig.Ulimits = p.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
    },
    inspect(p, x) {
      for (const u of x.hc.Ulimits ?? []) p.ulimits.push({ name: u.Name, soft: u.Soft, hard: u.Hard });
    },
    run: (p) => p.ulimits.flatMap((u) => ['--ulimit', ulimitText(u)]),
    compose: (p, svc) => void (p.ulimits.length && (svc.ulimits = ulimitObject(p))),
    settings: ulimitObject,
  },
  cpus: {
    schema: {
      type: ['number', 'string'],
      ...pat('^\\d*\\.?\\d*$', 'cpus', 'Write a number of CPUs such as 2 or 1.5.'),
      examples: [8, '1.5'],
      description: nlsText(P + 'cpus', 'CPU limit in CPUs, e.g. 8 or 1.5 (docker --cpus).'),
    },
    parse(p, v, report, key) {
      if (typeof v !== 'string' && typeof v !== 'number')
        return report(key, t('cpus must be a number such as 4 or 1.5, not {0}.', describe(v)));
      const r = take(key, parseCpus(v), report);
      if (r) p.cpus = r;
    },
    flags: [
      {
        long: 'cpus',
        apply: (p, v, r) => {
          const s = takeFlag(parseCpus(v), r);
          if (s) p.cpus = s;
        },
      },
    ],
    create: (p, body) => void (p.cpus && (body.hostConfig.NanoCpus = p.cpus.nanoCpus)),
    inspect(p, x) {
      if (x.hc.NanoCpus) p.cpus = { nanoCpus: x.hc.NanoCpus, text: String(x.hc.NanoCpus / 1e9) };
    },
    run: (p) => (p.cpus ? ['--cpus', p.cpus.text] : []),
    compose: (p, svc) => void (p.cpus && (svc.cpus = Number(p.cpus.text))),
    settings: (p) => p.cpus?.text,
  },
  runtime: {
    schema: {
      type: 'string',
      examples: ['nvidia', 'runc'],
      description: nlsText(P + 'runtime', 'OCI runtime, e.g. nvidia (docker --runtime).'),
    },
    parse(p, v, report, key) {
      const s = str(key, v, report);
      if (s === undefined) return;
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(s))
        return report(key, t('runtime "{0}" is not a runtime name such as nvidia or runc.', shorten(s)));
      p.runtime = s;
    },
    flags: [{ long: 'runtime', apply: (p, v) => void (p.runtime = v) }],
    create: (p, body) => void (p.runtime && (body.hostConfig.Runtime = p.runtime)),
    inspect(p, x) {
      if (x.hc.Runtime && !['runc', ''].includes(x.hc.Runtime)) p.runtime = x.hc.Runtime;
    },
    run: (p) => (p.runtime ? ['--runtime', p.runtime] : []),
    compose: (p, svc) => void (p.runtime && (svc.runtime = p.runtime)),
    settings: (p) => p.runtime,
  },
} satisfies Record<string, FieldDescriptor>;
