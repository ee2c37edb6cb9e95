/** Engine API JSON → our types, for images, engine info/version and events (containers: mapping.ts). */
import { dockerEventChange } from './eventChange';
import { isoMs, num, obj, optStr, str, strArray, strRecord } from './jsonFields';
import type { EngineEvent, EngineInfo, EngineVersion, ImageDetails, ImageSummary } from './engineTypes';

function cleanTags(v: unknown): string[] {
  return strArray(v).filter((t) => t !== '<none>:<none>');
}
function cleanDigests(v: unknown): string[] {
  return strArray(v).filter((d) => d !== '<none>@<none>');
}

/** One item of `GET /images/json`. */
export function toImageSummary(json: unknown): ImageSummary {
  const o = obj(json);
  const tags = cleanTags(o.RepoTags);
  return {
    id: str(o.Id),
    tags,
    digests: cleanDigests(o.RepoDigests),
    size: num(o.Size),
    created: num(o.Created) * 1000,
    dangling: tags.length === 0,
    labels: strRecord(o.Labels),
  };
}

/** `GET /images/{name}/json`. */
export function toImageDetails(json: unknown): ImageDetails {
  const o = obj(json);
  const config = obj(o.Config);
  const tags = cleanTags(o.RepoTags);
  return {
    id: str(o.Id),
    tags,
    digests: cleanDigests(o.RepoDigests),
    size: num(o.Size),
    created: isoMs(o.Created) ?? 0,
    dangling: tags.length === 0,
    labels: strRecord(config.Labels),
    env: strArray(config.Env),
    user: str(config.User),
    workingDir: str(config.WorkingDir),
    cmd: strArray(config.Cmd),
    entrypoint: strArray(config.Entrypoint),
    raw: json,
  };
}

/** `GET /info`. */
export function toEngineInfo(json: unknown): EngineInfo {
  const o = obj(json);
  const runtimes = Object.keys(obj(o.Runtimes));
  return {
    serverVersion: str(o.ServerVersion),
    operatingSystem: str(o.OperatingSystem),
    ncpu: num(o.NCPU),
    memTotal: num(o.MemTotal),
    containers: num(o.Containers),
    containersRunning: num(o.ContainersRunning),
    images: num(o.Images),
    runtimes,
    defaultRuntime: str(o.DefaultRuntime),
    hasNvidiaRuntime: runtimes.includes('nvidia'),
    ...(typeof o.CgroupVersion === 'string' && o.CgroupVersion ? { cgroupVersion: o.CgroupVersion } : {}),
  };
}

/** `GET /version`. */
export function toEngineVersion(json: unknown): EngineVersion {
  const o = obj(json);
  const v: EngineVersion = {
    version: str(o.Version),
    apiVersion: str(o.ApiVersion),
    os: str(o.Os),
    arch: str(o.Arch),
  };
  const min = optStr(o.MinAPIVersion);
  if (min) v.minApiVersion = min;
  if (Array.isArray(o.Components)) {
    const names = o.Components.map((c) => optStr(obj(c).Name)).filter((n): n is string => !!n);
    if (names.length) v.components = names;
  }
  return v;
}

/**
 * One message of `GET /events`. Undefined when it is not an event (no type/action).
 * `timeNano` is kept as a decimal string; pass `timeNanoText` (from `parseEventLine`) to keep all
 * 19 digits, which a JSON number cannot hold.
 */
export function toEngineEvent(json: unknown, timeNanoText?: string): EngineEvent | undefined {
  const o = obj(json);
  const type = str(o.Type) || str(o.type);
  const action = str(o.Action) || str(o.status);
  if (!type || !action) return undefined;
  const actor = obj(o.Actor);
  let timeNano: string;
  if (timeNanoText && /^\d+$/.test(timeNanoText)) timeNano = timeNanoText;
  else if (typeof o.timeNano === 'string' && /^\d+$/.test(o.timeNano)) timeNano = o.timeNano;
  else if (typeof o.timeNano === 'number' && Number.isFinite(o.timeNano) && o.timeNano >= 0) {
    timeNano = BigInt(Math.round(o.timeNano)).toString();
  } else if (typeof o.time === 'number' && Number.isFinite(o.time) && o.time >= 0) {
    timeNano = (BigInt(Math.floor(o.time)) * 1_000_000_000n).toString();
  } else timeNano = '0';
  return {
    type,
    action,
    change: dockerEventChange(type, action),
    id: str(actor.ID) || str(o.id),
    attributes: strRecord(actor.Attributes),
    timeNano,
  };
}

/** Parses one line of the events stream, keeping `timeNano` exact. Undefined for blank/garbled lines. */
export function parseEventLine(line: string): EngineEvent | undefined {
  const text = line.trim();
  if (!text) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const exact = /"timeNano"\s*:\s*(\d+)/.exec(text)?.[1];
  return toEngineEvent(json, exact);
}
