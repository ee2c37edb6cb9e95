/**
 * The long tail of `docker create` flags: one table from which import (runArgs), validation (settings
 * `extraFlags`), launch (create options), the `docker run` export and the settings schema are driven.
 * Settings form: `"extraFlags": { "pids-limit": 100, "read-only": true, "sysctl": ["net.core.somaxconn=1024"] }`.
 * Client-only flags (they change what the docker CLI does, not the container) are accepted and explained.
 */
import type { ContainerCreateOptions } from '../docker/engineContract';
import { t } from '../l10n';
import { parsePortSpec, parseRamSize } from './fieldsSizePort';

export type ExtraValue = string | number | boolean | string[];
export type ExtraFlags = Record<string, ExtraValue>;

type Kind = 'string' | 'int' | 'bool' | 'list' | 'size' | 'duration';
type Options = ContainerCreateOptions & {
  HostConfig: NonNullable<ContainerCreateOptions['HostConfig']>;
};
interface Tail {
  kind: Kind;
  short?: string;
  /** Sets the Engine API field(s); returns an error message for a value the API cannot take. */
  apply: (o: Options, v: ExtraValue) => string | void;
}

const hc = (o: Options) => o.HostConfig as Record<string, unknown>;
const cfg = (o: Options) => o as unknown as Record<string, unknown>;
const arr = (v: ExtraValue): string[] => (Array.isArray(v) ? v : [String(v)]);
const num = (v: ExtraValue) => Number(v);
const bytes = (v: ExtraValue) => (String(v) === '-1' ? -1 : (parseRamSize(String(v)).value?.bytes ?? 0));
const kv = (v: ExtraValue): Record<string, string> =>
  Object.fromEntries(arr(v).map((s) => [s.split('=')[0], s.slice(s.indexOf('=') + 1)]));

/** Go durations ("30s", "1m30s", "500ms") → nanoseconds. */
export function durationNs(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return Math.round(total);
}

function health(o: Options): Record<string, unknown> {
  const c = cfg(o);
  return (c.Healthcheck ??= {}) as Record<string, unknown>;
}
const ipam = (o: Options) => (endpoint(o).IPAMConfig ??= {}) as Record<string, unknown>;
function endpoint(o: Options): Record<string, unknown> {
  const net = o.HostConfig.NetworkMode || 'default';
  const nc = (cfg(o).NetworkingConfig ??= {}) as { EndpointsConfig?: Record<string, Record<string, unknown>> };
  return ((nc.EndpointsConfig ??= {})[net] ??= {});
}
const rates = (key: string, size: boolean) => (o: Options, v: ExtraValue) => {
  const out: { Path: string; Rate: number }[] = [];
  for (const s of arr(v)) {
    const i = s.lastIndexOf(':');
    const rate = size ? parseRamSize(s.slice(i + 1)).value?.bytes : Number(s.slice(i + 1));
    if (i <= 0 || rate === undefined || !Number.isInteger(rate)) return t('"{0}" is not path:rate.', s);
    out.push({ Path: s.slice(0, i), Rate: rate });
  }
  hc(o)[key] = out;
};

/** Flags mapped to the Engine API (the rest of `docker create --help` is typed profile fields or client-only). */
export const TAIL: Record<string, Tail> = {
  'blkio-weight': { kind: 'int', apply: (o, v) => void (hc(o).BlkioWeight = num(v)) },
  'blkio-weight-device': {
    kind: 'list',
    apply: (o, v) => {
      hc(o).BlkioWeightDevice = arr(v).map((s) => ({
        Path: s.slice(0, s.lastIndexOf(':')),
        Weight: Number(s.slice(s.lastIndexOf(':') + 1)),
      }));
    },
  },
  'cgroup-parent': { kind: 'string', apply: (o, v) => void (hc(o).CgroupParent = String(v)) },
  cgroupns: { kind: 'string', apply: (o, v) => void (hc(o).CgroupnsMode = String(v)) },
  'cpu-period': { kind: 'int', apply: (o, v) => void (hc(o).CpuPeriod = num(v)) },
  'cpu-quota': { kind: 'int', apply: (o, v) => void (hc(o).CpuQuota = num(v)) },
  'cpu-rt-period': { kind: 'int', apply: (o, v) => void (hc(o).CpuRealtimePeriod = num(v)) },
  'cpu-rt-runtime': { kind: 'int', apply: (o, v) => void (hc(o).CpuRealtimeRuntime = num(v)) },
  'cpu-shares': { kind: 'int', short: 'c', apply: (o, v) => void (hc(o).CpuShares = num(v)) },
  'cpuset-cpus': { kind: 'string', apply: (o, v) => void (hc(o).CpusetCpus = String(v)) },
  'cpuset-mems': { kind: 'string', apply: (o, v) => void (hc(o).CpusetMems = String(v)) },
  'device-cgroup-rule': { kind: 'list', apply: (o, v) => void (hc(o).DeviceCgroupRules = arr(v)) },
  'device-read-bps': { kind: 'list', apply: rates('BlkioDeviceReadBps', true) },
  'device-read-iops': { kind: 'list', apply: rates('BlkioDeviceReadIOps', false) },
  'device-write-bps': { kind: 'list', apply: rates('BlkioDeviceWriteBps', true) },
  'device-write-iops': { kind: 'list', apply: rates('BlkioDeviceWriteIOps', false) },
  dns: { kind: 'list', apply: (o, v) => void (hc(o).Dns = arr(v)) },
  'dns-option': { kind: 'list', apply: (o, v) => void (hc(o).DnsOptions = arr(v)) },
  'dns-search': { kind: 'list', apply: (o, v) => void (hc(o).DnsSearch = arr(v)) },
  domainname: { kind: 'string', apply: (o, v) => void (cfg(o).Domainname = String(v)) },
  expose: {
    kind: 'list',
    apply: (o, v) => {
      const exposed = (cfg(o).ExposedPorts ??= {}) as Record<string, object>;
      for (const s of arr(v)) {
        const r = parsePortSpec(s);
        if (!r.value) return r.error;
        for (const b of r.value.bindings) exposed[b.containerPort] = {};
      }
    },
  },
  'group-add': { kind: 'list', apply: (o, v) => void (hc(o).GroupAdd = arr(v)) },
  'health-cmd': { kind: 'string', apply: (o, v) => void (health(o).Test = ['CMD-SHELL', String(v)]) },
  'health-interval': { kind: 'duration', apply: (o, v) => void (health(o).Interval = durationNs(String(v))) },
  'health-retries': { kind: 'int', apply: (o, v) => void (health(o).Retries = num(v)) },
  'health-start-period': { kind: 'duration', apply: (o, v) => void (health(o).StartPeriod = durationNs(String(v))) },
  'health-start-interval': {
    kind: 'duration',
    apply: (o, v) => void (health(o).StartInterval = durationNs(String(v))),
  },
  'health-timeout': { kind: 'duration', apply: (o, v) => void (health(o).Timeout = durationNs(String(v))) },
  'no-healthcheck': { kind: 'bool', apply: (o, v) => void (v === true && (health(o).Test = ['NONE'])) },
  ip: {
    kind: 'string',
    apply: (o, v) => void (ipam(o).IPv4Address = String(v)),
  },
  ip6: {
    kind: 'string',
    apply: (o, v) => void (ipam(o).IPv6Address = String(v)),
  },
  'link-local-ip': {
    kind: 'list',
    apply: (o, v) => void (ipam(o).LinkLocalIPs = arr(v)),
  },
  'network-alias': { kind: 'list', apply: (o, v) => void (endpoint(o).Aliases = arr(v)) },
  'mac-address': { kind: 'string', apply: (o, v) => void (cfg(o).MacAddress = String(v)) },
  isolation: { kind: 'string', apply: (o, v) => void (hc(o).Isolation = String(v)) },
  'kernel-memory': { kind: 'size', apply: (o, v) => void (hc(o).KernelMemory = bytes(v)) },
  link: { kind: 'list', apply: (o, v) => void (hc(o).Links = arr(v).map((l) => (l.includes(':') ? l : `${l}:${l}`))) },
  'log-driver': {
    kind: 'string',
    apply: (o, v) => void (hc(o).LogConfig = { ...(hc(o).LogConfig as object), Type: String(v) }),
  },
  'log-opt': {
    kind: 'list',
    apply: (o, v) => void (hc(o).LogConfig = { Type: '', ...(hc(o).LogConfig as object), Config: kv(v) }),
  },
  'memory-reservation': { kind: 'size', apply: (o, v) => void (hc(o).MemoryReservation = bytes(v)) },
  'memory-swap': { kind: 'size', apply: (o, v) => void (hc(o).MemorySwap = bytes(v)) },
  'memory-swappiness': { kind: 'int', apply: (o, v) => void (hc(o).MemorySwappiness = num(v)) },
  'oom-kill-disable': { kind: 'bool', apply: (o, v) => void (hc(o).OomKillDisable = v === true) },
  'oom-score-adj': { kind: 'int', apply: (o, v) => void (hc(o).OomScoreAdj = num(v)) },
  pid: { kind: 'string', apply: (o, v) => void (hc(o).PidMode = String(v)) },
  // Not in the body: the `platform` query parameter of POST /containers/create (API 1.41); dockerode sends
  // the create options' `platform` there (see engineContract.ts).
  platform: { kind: 'string', apply: (o, v) => void (o.platform = String(v)) },
  'pids-limit': { kind: 'int', apply: (o, v) => void (hc(o).PidsLimit = num(v)) },
  'publish-all': { kind: 'bool', short: 'P', apply: (o, v) => void (hc(o).PublishAllPorts = v === true) },
  'read-only': { kind: 'bool', apply: (o, v) => void (hc(o).ReadonlyRootfs = v === true) },
  'stop-signal': { kind: 'string', apply: (o, v) => void (cfg(o).StopSignal = String(v)) },
  'stop-timeout': { kind: 'int', apply: (o, v) => void (cfg(o).StopTimeout = num(v)) },
  'storage-opt': { kind: 'list', apply: (o, v) => void (hc(o).StorageOpt = kv(v)) },
  sysctl: { kind: 'list', apply: (o, v) => void (hc(o).Sysctls = kv(v)) },
  tmpfs: {
    kind: 'list',
    apply: (o, v) => {
      hc(o).Tmpfs = Object.fromEntries(
        arr(v).map((s) => (s.includes(':') ? [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)] : [s, ''])),
      );
    },
  },
  userns: { kind: 'string', apply: (o, v) => void (hc(o).UsernsMode = String(v)) },
  uts: { kind: 'string', apply: (o, v) => void (hc(o).UTSMode = String(v)) },
  'volume-driver': { kind: 'string', apply: (o, v) => void (hc(o).VolumeDriver = String(v)) },
  'volumes-from': { kind: 'list', apply: (o, v) => void (hc(o).VolumesFrom = arr(v)) },
  annotation: { kind: 'list', apply: (o, v) => void (hc(o).Annotations = kv(v)) },
  'cpu-count': { kind: 'int', apply: (o, v) => void (hc(o).CpuCount = num(v)) },
  'cpu-percent': { kind: 'int', apply: (o, v) => void (hc(o).CpuPercent = num(v)) },
  'io-maxbandwidth': { kind: 'size', apply: (o, v) => void (hc(o).IOMaximumBandwidth = bytes(v)) },
  'io-maxiops': { kind: 'int', apply: (o, v) => void (hc(o).IOMaximumIOps = num(v)) },
};

/** Aliases the CLI accepts for a flag of the table. */
export const TAIL_ALIASES: Record<string, string> = { 'dns-opt': 'dns-option', 'net-alias': 'network-alias' };

/**
 * Flags that change what the docker CLI does, not the container: accepted on import, not stored, explained.
 * `-i`/`-t` are always on (launch opens a terminal), `-d` is how launch runs.
 */
export const CLIENT_ONLY: Record<string, { short?: string; bool?: boolean; why: () => string }> = {
  attach: { short: 'a', why: () => t('launch attaches a terminal itself') },
  cidfile: { why: () => t('the extension shows the container id in the tree') },
  detach: { short: 'd', bool: true, why: () => t('launch always runs the container detached and attaches a terminal') },
  'detach-keys': { why: () => t('a docker CLI key setting, not part of the container') },
  'disable-content-trust': { bool: true, why: () => t('a docker CLI setting for pulls') },
  help: { bool: true, why: () => t('prints help') },
  interactive: { short: 'i', bool: true, why: () => t('always on: launch opens a terminal') },
  tty: { short: 't', bool: true, why: () => t('always on: launch opens a terminal') },
  'sig-proxy': { bool: true, why: () => t('a docker CLI setting for attached runs') },
  quiet: { short: 'q', bool: true, why: () => t('a docker CLI output setting') },
  pull: { why: () => t('the extension checks for the image before launching and offers Pull or Load') },
  'use-api-socket': {
    bool: true,
    why: () =>
      t(
        'not applied: it would hand your registry credentials to the container; mount the socket in "volumes" if you mean it',
      ),
  },
};

/** Checks a value against the flag's kind: the normalized value, or an error message. */
export function checkExtra(flag: string, v: unknown): { value: ExtraValue } | { error: string } {
  const d = TAIL[flag];
  if (!d) return { error: t('"{0}" is not a docker create flag that extraFlags can hold.', flag) };
  const bad = (hint: string) => ({
    error: t('extraFlags."{0}": {1} is not {2}.', flag, JSON.stringify(v) ?? String(v), hint),
  });
  switch (d.kind) {
    case 'bool':
      return typeof v === 'boolean' ? { value: v } : bad(t('true or false'));
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v))
        ? { value: Number(v) }
        : bad(t('a whole number'));
    case 'size':
      return (typeof v === 'string' || typeof v === 'number') &&
        (String(v) === '-1' || parseRamSize(typeof v === 'number' ? v : v).error === undefined)
        ? { value: String(v) }
        : bad(t('a size such as "1g"'));
    case 'duration':
      return typeof v === 'string' && durationNs(v) !== undefined
        ? { value: v }
        : bad(t('a duration such as "30s" or "1m30s"'));
    case 'list':
      if (typeof v === 'string') return { value: [v] };
      return Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? { value: [...v] }
        : bad(t('a list of strings'));
    default:
      return typeof v === 'string' && v !== '' ? { value: v } : bad(t('a string'));
  }
}

/** Applies a profile's extraFlags to create options; returns one message per value the API cannot take. */
export function applyExtraFlags(o: ContainerCreateOptions, extra: ExtraFlags | undefined): string[] {
  const errors: string[] = [];
  o.HostConfig ??= {};
  for (const [flag, v] of Object.entries(extra ?? {})) {
    const e = TAIL[flag]?.apply(o as Options, v);
    if (e) errors.push(`${flag}: ${e}`);
  }
  return errors;
}

/** extraFlags as `docker run` flags, in table order. */
export function extraFlagArgs(extra: ExtraFlags | undefined): string[] {
  const out: string[] = [];
  for (const [flag, v] of Object.entries(extra ?? {})) {
    if (typeof v === 'boolean') out.push(v ? `--${flag}` : `--${flag}=false`);
    else for (const x of arr(v)) out.push(`--${flag}`, String(x));
  }
  return out;
}

/** The settings schema of `extraFlags`: one typed property per flag. */
export function extraFlagsSchema(): Record<string, unknown> {
  const type: Record<Kind, object> = {
    bool: { type: 'boolean' },
    int: { type: ['integer', 'string'] },
    size: { type: ['string', 'integer'] },
    duration: { type: 'string', examples: ['30s', '1m30s'] },
    list: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    string: { type: 'string' },
  };
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(TAIL).map(([flag, d]) => [flag, { ...type[d.kind] }])),
  };
}
