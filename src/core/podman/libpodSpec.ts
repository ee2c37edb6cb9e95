/**
 * A Docker create body → Podman's libpod SpecGenerator, for the containers the compat API cannot make:
 * GPU containers. Podman's compat API accepts `HostConfig.DeviceRequests` (`--gpus`) and drops it — the
 * container starts without GPUs, no error — so on Podman every GPU request becomes CDI device names
 * (`nvidia.com/gpu=all`, `=0`, `=GPU-<uuid>`) in libpod's `devices`. Pure; what it cannot translate is
 * named, never dropped.
 */
import type { ContainerCreateOptions } from '../docker/engineContract';

type DeviceRequest = NonNullable<NonNullable<ContainerCreateOptions['HostConfig']>['DeviceRequests']>[number];

/** The CDI kind a GPU request of this driver names ('' and 'nvidia' are NVIDIA's). */
export function cdiKindOf(driver: string | undefined): string {
  return !driver || driver === 'nvidia' ? 'nvidia.com/gpu' : driver.includes('/') ? driver : `${driver}.com/gpu`;
}

function isGpuRequest(r: DeviceRequest): boolean {
  return (r.Capabilities ?? []).some((set) => set.includes('gpu'));
}

/**
 * CDI device names for GPU requests: all (Count -1) → `<kind>=all`; ids (what the picker chose for
 * `{ free: N }` lands here too) → one name each; a count N → the first N GPUs, as Docker's `--gpus N` picks.
 */
export function cdiDevicesFor(requests: readonly DeviceRequest[] | undefined): string[] {
  const out: string[] = [];
  for (const r of requests ?? []) {
    if (!isGpuRequest(r)) continue;
    const kind = cdiKindOf(r.Driver);
    if (Array.isArray(r.DeviceIDs) && r.DeviceIDs.length > 0) out.push(...r.DeviceIDs.map((id) => `${kind}=${id}`));
    else if (r.Count === -1) out.push(`${kind}=all`);
    else if (typeof r.Count === 'number' && r.Count > 0) for (let i = 0; i < r.Count; i++) out.push(`${kind}=${i}`);
  }
  return [...new Set(out)];
}

/** True when the body asks for GPUs: such a container is made through libpod on Podman. */
export function wantsGpus(options: ContainerCreateOptions): boolean {
  return cdiDevicesFor(options.HostConfig?.DeviceRequests).length > 0;
}

export type LibpodSpec = Record<string, unknown>;

interface Mount {
  destination: string;
  type: string;
  source?: string;
  options?: string[];
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function envMap(env: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

function ns(mode: string | undefined): { nsmode: string; value?: string } | undefined {
  if (!mode || mode === 'default' || mode === 'bridge') return undefined;
  if (mode === 'host' || mode === 'none' || mode === 'private' || mode === 'shareable') return { nsmode: mode };
  const m = /^container:(.+)$/.exec(mode);
  return m ? { nsmode: 'container', value: m[1] } : undefined;
}

const TOP_LEVEL = new Set([
  'name',
  'Image',
  'Cmd',
  'Entrypoint',
  'Env',
  'Labels',
  'WorkingDir',
  'User',
  'Hostname',
  'Tty',
  'OpenStdin',
  'AttachStdin',
  'AttachStdout',
  'AttachStderr',
  'StdinOnce',
  'ExposedPorts',
  'Volumes',
  'HostConfig',
]);

/**
 * The libpod create body for `options` with `devices` (CDI names) added, or the Docker keys it cannot
 * carry over (then nothing is created: a GPU container without one of its settings is not what was asked).
 */
export function toLibpodSpec(
  options: ContainerCreateOptions,
  devices: readonly string[],
): { spec: LibpodSpec } | { unsupported: string[] } {
  const o = options as Record<string, unknown>;
  const hc = (options.HostConfig ?? {}) as Record<string, unknown> & NonNullable<ContainerCreateOptions['HostConfig']>;
  const unsupported = Object.keys(o).filter((k) => !TOP_LEVEL.has(k) && !isEmpty(o[k]));
  const used = new Set<string>();
  const take = <T>(key: string): T | undefined => {
    used.add(key);
    return isEmpty(hc[key]) ? undefined : (hc[key] as T);
  };

  const spec: LibpodSpec = { image: options.Image, devices: devices.map((path) => ({ path })) };
  if (options.name) spec.name = options.name;
  if (options.Cmd) spec.command = Array.isArray(options.Cmd) ? options.Cmd : [options.Cmd];
  if (options.Entrypoint)
    spec.entrypoint = Array.isArray(options.Entrypoint) ? options.Entrypoint : [options.Entrypoint];
  if (options.Env?.length) spec.env = envMap(options.Env);
  if (options.Labels) spec.labels = options.Labels;
  if (options.WorkingDir) spec.work_dir = options.WorkingDir;
  if (options.User) spec.user = options.User;
  if (options.Hostname) spec.hostname = options.Hostname;
  if (options.Tty) spec.terminal = true;
  if (options.OpenStdin) spec.stdin = true;

  const mounts: Mount[] = [];
  const volumes: { Name: string; Dest: string; Options: string[] }[] = [];
  for (const dest of Object.keys(options.Volumes ?? {})) volumes.push({ Name: '', Dest: dest, Options: [] });
  for (const b of take<string[]>('Binds') ?? []) {
    const [source, dest, mode] = b.split(':');
    const opts = mode ? mode.split(',') : [];
    if (source.startsWith('/')) mounts.push({ destination: dest, type: 'bind', source, options: ['rbind', ...opts] });
    else volumes.push({ Name: source, Dest: dest, Options: opts });
  }
  for (const m of take<Record<string, unknown>[]>('Mounts') ?? []) {
    const target = String(m.Target);
    const ro = m.ReadOnly === true ? ['ro'] : [];
    if (m.Type === 'bind') {
      const prop = (m.BindOptions as { Propagation?: string } | undefined)?.Propagation;
      mounts.push({
        destination: target,
        type: 'bind',
        source: String(m.Source),
        options: ['rbind', ...ro, ...(prop ? [prop] : [])],
      });
    } else if (m.Type === 'volume')
      volumes.push({ Name: typeof m.Source === 'string' ? m.Source : '', Dest: target, Options: ro });
    else if (m.Type === 'tmpfs') {
      const tmpfs = (m.TmpfsOptions ?? {}) as { SizeBytes?: number; Mode?: number };
      const opts = [...ro];
      if (tmpfs.SizeBytes) opts.push(`size=${tmpfs.SizeBytes}`);
      if (tmpfs.Mode !== undefined) opts.push(`mode=${tmpfs.Mode.toString(8)}`);
      mounts.push({ destination: target, type: 'tmpfs', source: 'tmpfs', options: opts });
    } else unsupported.push(`HostConfig.Mounts[type=${String(m.Type)}]`);
  }
  if (mounts.length) spec.mounts = mounts;
  if (volumes.length) spec.volumes = volumes;

  const ports: Record<string, unknown>[] = [];
  type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  for (const [key, bindings] of Object.entries(take<PortBindings>('PortBindings') ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/');
    for (const b of bindings ?? []) {
      ports.push({
        container_port: Number(port),
        host_port: b.HostPort ? Number(b.HostPort) : 0,
        host_ip: b.HostIp ?? '',
        protocol,
      });
    }
  }
  if (ports.length) spec.portmappings = ports;
  const shm = take<number>('ShmSize');
  if (shm) spec.shm_size = shm;
  const ipc = ns(take<string>('IpcMode'));
  if (ipc) spec.ipcns = ipc;
  const network = take<string>('NetworkMode');
  const netns = ns(network);
  if (netns) spec.netns = netns;
  else if (network && network !== 'default' && network !== 'bridge') spec.networks = { [network]: {} };
  const userDevices = (
    take<{ PathOnHost: string; PathInContainer?: string; CgroupPermissions?: string }[]>('Devices') ?? []
  ).map((d) => ({ path: [d.PathOnHost, d.PathInContainer || d.PathOnHost, d.CgroupPermissions || 'rwm'].join(':') }));
  if (userDevices.length) spec.devices = [...(spec.devices as object[]), ...userDevices];
  take('DeviceRequests'); // the CDI names above
  if (take<boolean>('AutoRemove')) spec.remove = true;
  const restart = take<{ Name?: string; MaximumRetryCount?: number }>('RestartPolicy');
  if (restart?.Name && restart.Name !== 'no') {
    spec.restart_policy = restart.Name;
    if (restart.MaximumRetryCount) spec.restart_tries = restart.MaximumRetryCount;
  }
  const ulimits = take<{ Name: string; Soft: number; Hard: number }[]>('Ulimits');
  if (ulimits)
    spec.r_limits = ulimits.map((u) => ({ type: `RLIMIT_${u.Name.toUpperCase()}`, soft: u.Soft, hard: u.Hard }));
  if (take<boolean>('Privileged')) spec.privileged = true;
  if (take<boolean>('Init')) spec.init = true;
  const capAdd = take<string[]>('CapAdd');
  if (capAdd) spec.cap_add = capAdd;
  const capDrop = take<string[]>('CapDrop');
  if (capDrop) spec.cap_drop = capDrop;
  const hosts = take<string[]>('ExtraHosts');
  if (hosts) spec.hostadd = hosts;
  const limits: Record<string, unknown> = {};
  const memory = take<number>('Memory');
  if (memory) limits.memory = { limit: memory };
  const nano = take<number>('NanoCpus');
  if (nano) limits.cpu = { period: 100_000, quota: Math.round(nano / 10_000) };
  if (Object.keys(limits).length) spec.resource_limits = limits;
  const runtime = take<string>('Runtime');
  if (runtime) spec.oci_runtime = runtime;
  const groups = take<string[]>('GroupAdd');
  if (groups) spec.groups = groups;
  for (const opt of take<string[]>('SecurityOpt') ?? []) {
    if (opt === 'no-new-privileges' || opt === 'no-new-privileges:true') spec.no_new_privileges = true;
    else if (opt.startsWith('label=') || opt.startsWith('label:'))
      spec.selinux_opts = [...((spec.selinux_opts as string[]) ?? []), opt.slice(6)];
    else unsupported.push(`HostConfig.SecurityOpt ${opt}`);
  }
  for (const k of Object.keys(hc)) if (!used.has(k) && !isEmpty(hc[k])) unsupported.push(`HostConfig.${k}`);
  return unsupported.length ? { unsupported } : { spec };
}
