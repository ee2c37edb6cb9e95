/**
 * Engine API JSON → our own small types. Every field is validated: a missing or odd field falls back
 * to an empty value, never a crash.
 */
import { gpuRequestFrom } from '../gpu/request';
import { bool, isoMs, isoOrUndefined, num, obj, optStr, str, strArray, strRecord } from './jsonFields';
import { OWNER_LABEL } from './labels';
import type { ContainerDetails, ContainerState, ContainerSummary, MountInfo, PortMapping } from './engineTypes';

const STATES: ReadonlySet<string> = new Set([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);

export function toContainerState(v: unknown): ContainerState {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return STATES.has(s) ? (s as ContainerState) : 'unknown';
}

function stripSlash(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function toMounts(v: unknown): MountInfo[] {
  if (!Array.isArray(v)) return [];
  return v.map((m) => {
    const o = obj(m);
    const mount: MountInfo = {
      type: str(o.Type),
      source: str(o.Source),
      destination: str(o.Destination),
      readOnly: o.RW === false,
    };
    const name = optStr(o.Name);
    if (name) mount.name = name;
    return mount;
  });
}

function listPorts(v: unknown): PortMapping[] {
  if (!Array.isArray(v)) return [];
  const out: PortMapping[] = [];
  for (const p of v) {
    const o = obj(p);
    const containerPort = num(o.PrivatePort, NaN);
    if (!Number.isFinite(containerPort)) continue;
    const m: PortMapping = { containerPort, protocol: str(o.Type, 'tcp') || 'tcp' };
    const hostIp = optStr(o.IP);
    if (hostIp) m.hostIp = hostIp;
    const hostPort = num(o.PublicPort, NaN);
    if (Number.isFinite(hostPort)) m.hostPort = hostPort;
    out.push(m);
  }
  return out;
}

/** NetworkSettings.Ports: {"80/tcp": [{HostIp, HostPort}] | null}. */
function inspectPorts(v: unknown): PortMapping[] {
  const out: PortMapping[] = [];
  for (const [key, bindings] of Object.entries(obj(v))) {
    const [portText, protocol = 'tcp'] = key.split('/');
    const containerPort = num(portText, NaN);
    if (!Number.isFinite(containerPort)) continue;
    if (!Array.isArray(bindings) || bindings.length === 0) {
      out.push({ containerPort, protocol });
      continue;
    }
    for (const b of bindings) {
      const o = obj(b);
      const m: PortMapping = { containerPort, protocol };
      const hostIp = optStr(o.HostIp);
      if (hostIp) m.hostIp = hostIp;
      const hostPort = num(o.HostPort, NaN);
      if (Number.isFinite(hostPort)) m.hostPort = hostPort;
      out.push(m);
    }
  }
  return out;
}

/** One item of `GET /containers/json`. `gpu` stays undefined: the list has no DeviceRequests. */
export function toContainerSummary(json: unknown): ContainerSummary {
  const o = obj(json);
  const names = strArray(o.Names);
  const labels = strRecord(o.Labels);
  const summary: ContainerSummary = {
    id: str(o.Id),
    name: stripSlash(names[0] ?? ''),
    image: str(o.Image),
    imageId: str(o.ImageID),
    command: str(o.Command),
    state: toContainerState(o.State),
    status: tidyStatus(str(o.Status)),
    created: num(o.Created) * 1000,
    ports: listPorts(o.Ports),
    mounts: toMounts(o.Mounts),
    labels,
  };
  if (labels[OWNER_LABEL]) summary.owner = labels[OWNER_LABEL];
  return summary;
}

/**
 * Docker's "Up 3 minutes" / "Exited (0) 2 hours ago", as `docker ps` words it, built from inspect
 * state. Without `now` the durations are left out.
 */
export function containerStatusText(state: unknown, now?: number): string {
  const s = obj(state);
  const status = toContainerState(s.Status);
  const started = isoMs(s.StartedAt);
  const finished = isoMs(s.FinishedAt);
  const ago = (t: number | undefined): string =>
    now !== undefined && t !== undefined ? ` ${humanDuration(now - t)}` : '';
  switch (status) {
    case 'running': {
      const paused = bool(s.Paused) ? ' (Paused)' : '';
      const health = optStr(obj(s.Health).Status);
      const h = health ? ` (${health})` : '';
      return `Up${ago(started)}${paused}${h}`;
    }
    case 'paused':
      return `Up${ago(started)} (Paused)`;
    case 'restarting':
      return `Restarting (${num(s.ExitCode)})${ago(finished)}${now !== undefined && finished ? ' ago' : ''}`;
    case 'exited':
      return `Exited (${num(s.ExitCode)})${ago(finished)}${now !== undefined && finished ? ' ago' : ''}`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return '';
  }
}

/**
 * Docker capitalises its phrases mid-sentence ("Up Less than a second", "Exited (0) About a minute ago"):
 * the status we show reads "Up less than a second". Other words are left as Docker wrote them.
 */
export function tidyStatus(status: string): string {
  return status.replace(
    /(^Up |\) )(Less than a second|About a minute|About an hour)\b/,
    (_m, lead: string, phrase: string) => lead + phrase.toLowerCase(),
  );
}

/** Go's units.HumanDuration, as `docker ps` uses it, in lower case (it follows "Up" or an exit code). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 1) return 'less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'about a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours === 1) return 'about an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

function joinCommand(path: unknown, args: unknown): string {
  return [str(path), ...strArray(args)].filter((s) => s !== '').join(' ');
}

/** `GET /containers/{id}/json`. `now` (ms) lets the status read like `docker ps` ("Up 3 minutes"). */
export function toContainerDetails(json: unknown, now?: number): ContainerDetails {
  const o = obj(json);
  const config = obj(o.Config);
  const host = obj(o.HostConfig);
  const state = obj(o.State);
  const labels = strRecord(config.Labels);
  const env = strArray(config.Env);
  const details: ContainerDetails = {
    id: str(o.Id),
    name: stripSlash(str(o.Name)),
    image: str(config.Image) || str(o.Image),
    imageId: str(o.Image),
    command: joinCommand(o.Path, o.Args),
    state: toContainerState(state.Status),
    status: containerStatusText(state, now),
    created: isoMs(o.Created) ?? 0,
    ports: inspectPorts(obj(o.NetworkSettings).Ports),
    mounts: toMounts(o.Mounts),
    labels,
    config: {
      user: str(config.User),
      workingDir: str(config.WorkingDir),
      env,
      cmd: strArray(config.Cmd),
      entrypoint: strArray(config.Entrypoint),
      tty: bool(config.Tty),
      hostname: str(config.Hostname),
    },
    autoRemove: bool(host.AutoRemove),
    restartPolicy: str(obj(host.RestartPolicy).Name),
    shmSize: num(host.ShmSize),
    ipcMode: str(host.IpcMode),
    networkMode: str(host.NetworkMode),
    raw: json,
  };
  if (labels[OWNER_LABEL]) details.owner = labels[OWNER_LABEL];
  const gpu = gpuRequestFrom(host.DeviceRequests, env, typeof host.Runtime === 'string' ? host.Runtime : undefined);
  if (gpu) details.gpu = gpu;
  if (typeof state.ExitCode === 'number' && details.state !== 'running' && details.state !== 'created') {
    details.exitCode = state.ExitCode;
  }
  const startedAt = isoOrUndefined(state.StartedAt);
  if (startedAt) details.startedAt = startedAt;
  const finishedAt = isoOrUndefined(state.FinishedAt);
  if (finishedAt) details.finishedAt = finishedAt;
  // The neutral moment the state began (exact here), and the health check's state.
  const since =
    details.state === 'running' || details.state === 'paused'
      ? isoMs(state.StartedAt)
      : details.state === 'exited' || details.state === 'restarting'
        ? isoMs(state.FinishedAt)
        : undefined;
  if (since !== undefined && since > 0) details.since = since;
  const health = optStr(obj(state.Health).Status);
  if (health === 'healthy' || health === 'unhealthy' || health === 'starting') details.health = health;
  return details;
}
