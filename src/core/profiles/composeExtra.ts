/**
 * The long tail (`extraFlags`) ↔ Compose service keys: one table, read both ways (export writes the keys,
 * `extraFromCompose` reads them back). Flags Compose has no key for are listed by `composeLeftOut` so the
 * export can say so (by flag name only: a value may be a secret, e.g. a log-opt token).
 */
import type { ExtraFlags, ExtraValue } from './extraFlags';

interface ComposeKey {
  /** Where the value lives in the service, e.g. ['healthcheck', 'interval']. */
  path: string[];
  to?: (v: ExtraValue) => unknown;
  from?: (x: unknown) => ExtraValue | undefined;
}

const arr = (v: ExtraValue): string[] => (Array.isArray(v) ? v : [String(v)]);
const key = (...path: string[]): ComposeKey => ({ path });
/** `["a=1", "b=2"]` ↔ `{ a: "1", b: "2" }` */
const map = (...path: string[]): ComposeKey => ({
  path,
  to: (v) =>
    Object.fromEntries(arr(v).map((s) => [s.split('=')[0], s.includes('=') ? s.slice(s.indexOf('=') + 1) : ''])),
  from: (x) =>
    x && typeof x === 'object'
      ? Object.entries(x as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`)
      : undefined,
});
/** `["/dev/sda:1mb"]` ↔ `[{ path: "/dev/sda", rate: "1mb" }]` (blkio_config). */
const rates = (name: string, field = 'rate'): ComposeKey => ({
  path: ['blkio_config', name],
  to: (v) =>
    arr(v).map((s) => {
      const i = s.lastIndexOf(':');
      const r = s.slice(i + 1);
      return { path: s.slice(0, i), [field]: /^\d+$/.test(r) ? Number(r) : r };
    }),
  from: (x) =>
    Array.isArray(x) ? x.map((e: Record<string, unknown>) => `${String(e.path)}:${String(e[field])}`) : undefined,
});
const sizeKey = (name: string): ComposeKey => ({
  path: [name],
  to: (v) => (String(v) === '-1' ? -1 : v),
  from: (x) => String(x),
});

export const COMPOSE_TAIL: Record<string, ComposeKey> = {
  'blkio-weight': key('blkio_config', 'weight'),
  'blkio-weight-device': rates('weight_device', 'weight'),
  'device-read-bps': rates('device_read_bps'),
  'device-read-iops': rates('device_read_iops'),
  'device-write-bps': rates('device_write_bps'),
  'device-write-iops': rates('device_write_iops'),
  'cgroup-parent': key('cgroup_parent'),
  cgroupns: key('cgroup'),
  'cpu-period': key('cpu_period'),
  'cpu-quota': key('cpu_quota'),
  'cpu-rt-period': key('cpu_rt_period'),
  'cpu-rt-runtime': key('cpu_rt_runtime'),
  'cpu-shares': key('cpu_shares'),
  'cpu-count': key('cpu_count'),
  'cpu-percent': key('cpu_percent'),
  'cpuset-cpus': key('cpuset'),
  'device-cgroup-rule': key('device_cgroup_rules'),
  dns: key('dns'),
  'dns-option': key('dns_opt'),
  'dns-search': key('dns_search'),
  domainname: key('domainname'),
  expose: key('expose'),
  'group-add': key('group_add'),
  'health-cmd': {
    path: ['healthcheck', 'test'],
    to: (v) => ['CMD-SHELL', String(v)],
    from: (x) => (Array.isArray(x) && x[0] === 'CMD-SHELL' ? String(x[1]) : undefined),
  },
  'health-interval': key('healthcheck', 'interval'),
  'health-retries': key('healthcheck', 'retries'),
  'health-start-period': key('healthcheck', 'start_period'),
  'health-start-interval': key('healthcheck', 'start_interval'),
  'health-timeout': key('healthcheck', 'timeout'),
  'no-healthcheck': key('healthcheck', 'disable'),
  isolation: key('isolation'),
  link: key('links'),
  'log-driver': key('logging', 'driver'),
  'log-opt': map('logging', 'options'),
  'mac-address': key('mac_address'),
  'memory-reservation': sizeKey('mem_reservation'),
  'memory-swap': sizeKey('memswap_limit'),
  'memory-swappiness': key('mem_swappiness'),
  'oom-kill-disable': key('oom_kill_disable'),
  'oom-score-adj': key('oom_score_adj'),
  pid: key('pid'),
  'pids-limit': key('pids_limit'),
  platform: key('platform'),
  'read-only': key('read_only'),
  'stop-signal': key('stop_signal'),
  'stop-timeout': {
    path: ['stop_grace_period'],
    to: (v) => `${String(v)}s`,
    from: (x) => (typeof x === 'string' && /^\d+s$/.test(x) ? Number(x.slice(0, -1)) : undefined),
  },
  'storage-opt': map('storage_opt'),
  sysctl: map('sysctls'),
  tmpfs: key('tmpfs'),
  userns: key('userns_mode'),
  uts: key('uts'),
  'volumes-from': key('volumes_from'),
  annotation: map('annotations'),
};

/** Writes the flags Compose can express into the service; returns the names of those it cannot. */
export function composeExtra(extra: ExtraFlags | undefined, svc: Record<string, unknown>): string[] {
  const leftOut: string[] = [];
  for (const [flag, v] of Object.entries(extra ?? {})) {
    const k = COMPOSE_TAIL[flag];
    if (!k) {
      leftOut.push(flag);
      continue;
    }
    let at = svc;
    for (const p of k.path.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[k.path[k.path.length - 1]] = k.to ? k.to(v) : Array.isArray(v) ? [...v] : v;
  }
  return leftOut;
}

/** The flags Compose has no key for, among a profile's extraFlags. */
export function composeLeftOut(extra: ExtraFlags | undefined): string[] {
  return Object.keys(extra ?? {}).filter((f) => !(f in COMPOSE_TAIL));
}

/** A Compose service's keys back to extraFlags (the inverse of `composeExtra`). */
export function extraFromCompose(svc: Record<string, unknown>): ExtraFlags {
  const out: ExtraFlags = {};
  for (const [flag, k] of Object.entries(COMPOSE_TAIL)) {
    let at: unknown = svc;
    for (const p of k.path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[p] : undefined;
    if (at === undefined) continue;
    const v = k.from ? k.from(at) : (at as ExtraValue);
    if (v !== undefined) out[flag] = v;
  }
  return out;
}
