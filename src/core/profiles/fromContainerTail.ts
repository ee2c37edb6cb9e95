/** The long tail of a container's inspect back to `extraFlags` (defaults omitted). Pure; never throws. */
import type { ExtraFlags } from './extraFlags';
import type {
  ConfigJson,
  ContainerInspectJson,
  HealthcheckJson,
  HostConfigJson,
  ImageInspectJson,
} from './inspectJson';
import type { ByteSize } from './profileTypes';

/** Bytes as the shortest exact docker size: 17179869184 → "16g". */
export function sizeText(bytes: number): ByteSize {
  for (const [u, m] of [
    ['t', 1024 ** 4],
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const)
    if (bytes >= m && bytes % m === 0) return { bytes, text: `${bytes / m}${u}` };
  return { bytes, text: String(bytes) };
}

/** [flag, where, key, kind]: scalars and lists the Engine API keeps as they were given. */
const SIMPLE: Array<[string, 'H' | 'C', string, 'int' | 'string' | 'bool' | 'size' | 'list']> = [
  ['blkio-weight', 'H', 'BlkioWeight', 'int'],
  ['cgroup-parent', 'H', 'CgroupParent', 'string'],
  ['cpu-period', 'H', 'CpuPeriod', 'int'],
  ['cpu-quota', 'H', 'CpuQuota', 'int'],
  ['cpu-rt-period', 'H', 'CpuRealtimePeriod', 'int'],
  ['cpu-rt-runtime', 'H', 'CpuRealtimeRuntime', 'int'],
  ['cpu-shares', 'H', 'CpuShares', 'int'],
  ['cpuset-cpus', 'H', 'CpusetCpus', 'string'],
  ['cpuset-mems', 'H', 'CpusetMems', 'string'],
  ['device-cgroup-rule', 'H', 'DeviceCgroupRules', 'list'],
  ['dns', 'H', 'Dns', 'list'],
  ['dns-option', 'H', 'DnsOptions', 'list'],
  ['dns-search', 'H', 'DnsSearch', 'list'],
  ['domainname', 'C', 'Domainname', 'string'],
  ['group-add', 'H', 'GroupAdd', 'list'],
  ['isolation', 'H', 'Isolation', 'string'],
  ['kernel-memory', 'H', 'KernelMemory', 'size'],
  ['mac-address', 'C', 'MacAddress', 'string'],
  ['memory-reservation', 'H', 'MemoryReservation', 'size'],
  ['oom-kill-disable', 'H', 'OomKillDisable', 'bool'],
  ['oom-score-adj', 'H', 'OomScoreAdj', 'int'],
  ['pid', 'H', 'PidMode', 'string'],
  ['publish-all', 'H', 'PublishAllPorts', 'bool'],
  ['read-only', 'H', 'ReadonlyRootfs', 'bool'],
  ['stop-signal', 'C', 'StopSignal', 'string'],
  ['stop-timeout', 'C', 'StopTimeout', 'int'],
  ['userns', 'H', 'UsernsMode', 'string'],
  ['uts', 'H', 'UTSMode', 'string'],
  ['volume-driver', 'H', 'VolumeDriver', 'string'],
  ['volumes-from', 'H', 'VolumesFrom', 'list'],
];

const seconds = (ns: number) => `${ns / 1e9}s`;
const pairs = (o: unknown, sep = '='): string[] =>
  o && typeof o === 'object' ? Object.entries(o as Record<string, string>).map(([k, v]) => `${k}${sep}${v}`) : [];

/** What the engine does by default where inspect cannot tell (the cgroup version decides the cgroupns default). */
export interface EngineDefaults {
  /** `GET /info`'s CgroupVersion: "1" (cgroupns host by default) or "2" (private). */
  cgroupVersion?: string;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** `[{ Path, Rate }]` → `["/dev/sda:1m"]` (bytes as a size for bps, a plain count for iops and weights). */
const rates = (v: unknown, key: 'Rate' | 'Weight', size: boolean): string[] =>
  Array.isArray(v)
    ? (v as unknown[])
        .filter(
          (x): x is Record<string, unknown> =>
            !!x && typeof x === 'object' && typeof (x as Record<string, unknown>).Path === 'string',
        )
        .map((x) => `${String(x.Path)}:${size ? sizeText(Number(x[key])).text : Number(x[key])}`)
    : [];

export function extraFromInspect(
  c: ContainerInspectJson,
  image?: ImageInspectJson,
  engine: EngineDefaults = {},
): ExtraFlags {
  const hc: HostConfigJson = c?.HostConfig ?? {};
  const cfg: ConfigJson = c?.Config ?? {};
  const out: ExtraFlags = {};
  for (const [flag, where, key, kind] of SIMPLE) {
    const v = (where === 'H' ? hc : cfg)[key];
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (kind === 'list') {
      if (Array.isArray(v) && v.length) out[flag] = v.map(String);
    } else if (kind === 'size') out[flag] = sizeText(Number(v)).text;
    else if (kind === 'bool') out[flag] = v === true;
    else if (kind === 'int') {
      if (key === 'StopTimeout' && v === 10) continue;
      out[flag] = Number(v);
    } else if (!(key === 'PidMode' || key === 'UTSMode' || key === 'UsernsMode') || v !== '')
      out[flag] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (hc.MemorySwap && hc.MemorySwap !== (hc.Memory ?? NaN) * 2 && hc.MemorySwap !== 0)
    out['memory-swap'] = hc.MemorySwap === -1 ? '-1' : sizeText(hc.MemorySwap).text;
  if (typeof hc.MemorySwappiness === 'number' && hc.MemorySwappiness >= 0)
    out['memory-swappiness'] = hc.MemorySwappiness;
  if (typeof hc.PidsLimit === 'number' && hc.PidsLimit > 0) out['pids-limit'] = hc.PidsLimit;
  // The default depends on the engine; unknown, the mode is written (it is never wrong, only longer).
  const cgroupnsDefault = { '1': 'host', '2': 'private' }[engine.cgroupVersion ?? ''];
  if (hc.CgroupnsMode && hc.CgroupnsMode !== cgroupnsDefault) out.cgroupns = hc.CgroupnsMode;
  for (const [flag, key, field, size] of [
    ['blkio-weight-device', 'BlkioWeightDevice', 'Weight', false],
    ['device-read-bps', 'BlkioDeviceReadBps', 'Rate', true],
    ['device-write-bps', 'BlkioDeviceWriteBps', 'Rate', true],
    ['device-read-iops', 'BlkioDeviceReadIOps', 'Rate', false],
    ['device-write-iops', 'BlkioDeviceWriteIOps', 'Rate', false],
  ] as const) {
    const r = rates(hc[key], field, size);
    if (r.length) out[flag] = r;
  }
  // Links: "/target:/<this container>/alias" → "target:alias".
  const links = list(hc.Links).map((l) => {
    const [target, alias] = l.split(':');
    const name = target.replace(/^\//, '');
    const a = alias?.slice(alias.lastIndexOf('/') + 1);
    return a && a !== name ? `${name}:${a}` : name;
  });
  if (links.length) out.link = links;
  // The endpoint of a user-defined network: static IPs and aliases (the engine adds the short id as an alias).
  const endpoint = hc.NetworkMode ? c?.NetworkSettings?.Networks?.[hc.NetworkMode] : undefined;
  if (endpoint && typeof endpoint === 'object') {
    const ipam = endpoint.IPAMConfig ?? {};
    if (ipam.IPv4Address) out.ip = ipam.IPv4Address;
    if (ipam.IPv6Address) out.ip6 = ipam.IPv6Address;
    const lla = list(ipam.LinkLocalIPs);
    if (lla.length) out['link-local-ip'] = lla;
    const id = String(c?.Id ?? '').slice(0, 12);
    const aliases = list(endpoint.Aliases).filter((a) => a !== id || !id);
    if (aliases.length) out['network-alias'] = aliases;
  }
  const sysctl = pairs(hc.Sysctls);
  if (sysctl.length) out.sysctl = sysctl;
  const storage = pairs(hc.StorageOpt);
  if (storage.length) out['storage-opt'] = storage;
  const tmpfs = Object.entries(hc.Tmpfs ?? {}).map(([k, v]) => (v ? `${k}:${v}` : k));
  if (tmpfs.length) out.tmpfs = tmpfs;
  const log: NonNullable<HostConfigJson['LogConfig']> = hc.LogConfig ?? {};
  if (log.Type && log.Type !== 'json-file') out['log-driver'] = log.Type;
  const logOpt = pairs(log.Config);
  if (logOpt.length) out['log-opt'] = logOpt;
  const hcheck: HealthcheckJson | undefined = cfg.Healthcheck;
  const imageCheck: HealthcheckJson | undefined = image?.Config?.Healthcheck;
  if (hcheck && JSON.stringify(hcheck) !== JSON.stringify(imageCheck)) {
    const test = hcheck.Test ?? [];
    if (test[0] === 'NONE') out['no-healthcheck'] = true;
    else if (test[0] === 'CMD-SHELL') out['health-cmd'] = test[1];
    if (hcheck.Interval) out['health-interval'] = seconds(hcheck.Interval);
    if (hcheck.Timeout) out['health-timeout'] = seconds(hcheck.Timeout);
    if (hcheck.StartPeriod) out['health-start-period'] = seconds(hcheck.StartPeriod);
    if (hcheck.StartInterval) out['health-start-interval'] = seconds(hcheck.StartInterval);
    if (hcheck.Retries) out['health-retries'] = hcheck.Retries;
  }
  // Exposed ports that no -p publishes and the image does not expose: --expose.
  const published = new Set(Object.keys(hc.PortBindings ?? {}));
  const fromImage = new Set(Object.keys(image?.Config?.ExposedPorts ?? {}));
  const expose = Object.keys(cfg.ExposedPorts ?? {}).filter((p) => !published.has(p) && !fromImage.has(p));
  if (expose.length) out.expose = expose.map((p) => (p.endsWith('/tcp') ? p.slice(0, -4) : p));
  return out;
}
