/**
 * A container back to a profile ("how was this started?"): the Engine API's inspect JSON, minus what the
 * image and Docker supply by default, as a Profile. `docker run` lines and launch profiles are then written
 * by the usual exporters. Pure: the caller passes the container's and (when it has it) the image's inspect.
 */
import {
  CREATED_BY_LABEL,
  GPU_REQUEST_LABEL,
  GPU_UUIDS_LABEL,
  IDLE_POLICY_LABEL,
  OWNER_LABEL,
  PROFILE_LABEL,
} from '../docker/labels';
import { idlePolicyOf } from '../gpu/idlePolicy';
import { parseMount, parseVolumeSpec } from './fieldsMount';
import { parsePortSpec } from './fieldsSizePort';
import { nameFromImage } from './imageName';
import { extraFromInspect, sizeText, type EngineDefaults } from './fromContainerTail';
import type { ConfigJson, ContainerInspectJson, HostConfigJson, ImageInspectJson } from './inspectJson';
import { emptyProfile, type Profile, type RestartPolicy } from './profileTypes';

const OUR_LABELS = new Set([
  CREATED_BY_LABEL,
  OWNER_LABEL,
  PROFILE_LABEL,
  GPU_REQUEST_LABEL,
  GPU_UUIDS_LABEL,
  IDLE_POLICY_LABEL,
]);
const DEFAULT_SHM = 64 * 1024 * 1024;
const GPU_CAPS = new Set(['gpu', 'compute', 'utility', 'graphics', 'video', 'display', 'compat32']);

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Container inspect (+ its image's inspect, and what the engine defaults to) → profile. Never throws; unknown
 * shapes are skipped.
 */
export function profileFromInspect(
  c: ContainerInspectJson,
  image?: ImageInspectJson,
  engine?: EngineDefaults,
): Profile {
  const cfg: ConfigJson = c?.Config ?? {};
  const hc: HostConfigJson = c?.HostConfig ?? {};
  const img: ConfigJson = image?.Config ?? {};
  const name = String(c?.Name ?? '').replace(/^\//, '');
  const p = emptyProfile(name || nameFromImage(cfg.Image));
  if (typeof cfg.Image === 'string') p.image = cfg.Image;
  if (name) p.containerName = name;

  for (const r of hc.DeviceRequests ?? []) {
    const caps = list((r.Capabilities ?? [])[0]);
    if (r.Driver !== 'nvidia' && !caps.some((x) => GPU_CAPS.has(x))) continue;
    const ids = list(r.DeviceIDs);
    p.gpus = ids.length ? { devices: ids } : r.Count === -1 ? { all: true } : { count: Number(r.Count) || 1 };
    // The docker CLI always adds "gpu" to the capabilities it is given.
    const extra = caps.filter((x) => x !== 'gpu');
    if (extra.length) p.gpuCapabilities = extra;
    if (r.Driver && r.Driver !== 'nvidia') p.gpuDriver = r.Driver;
    if (r.Options && Object.keys(r.Options).length) p.gpuOptions = { ...r.Options };
  }
  if (typeof hc.ShmSize === 'number' && hc.ShmSize > 0 && hc.ShmSize !== DEFAULT_SHM) p.shmSize = sizeText(hc.ShmSize);
  // The daemon's default IPC mode is private (since Docker 20.10); anything else was asked for.
  if (hc.IpcMode && !['private', ''].includes(hc.IpcMode)) p.ipc = hc.IpcMode;
  if (hc.NetworkMode && !['default', 'bridge', ''].includes(hc.NetworkMode)) p.network = hc.NetworkMode;

  for (const [port, bindings] of Object.entries(hc.PortBindings ?? {})) {
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

  for (const b of list(hc.Binds)) {
    const r = parseVolumeSpec(b);
    if (r.value) p.volumes.push(r.value);
  }
  const imageVolumes = new Set(Object.keys(img.Volumes ?? {}));
  const bound = new Set([...p.volumes.map((v) => v.target), ...(hc.Mounts ?? []).map((m) => m.Target)]);
  for (const target of Object.keys(cfg.Volumes ?? {}))
    if (!imageVolumes.has(target) && !bound.has(target)) {
      const r = parseVolumeSpec(target);
      if (r.value) p.volumes.push(r.value);
    }
  for (const m of hc.Mounts ?? []) {
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

  const imageEnv = new Set(list(img.Env));
  for (const e of list(cfg.Env)) {
    if (imageEnv.has(e)) continue;
    const eq = e.indexOf('=');
    if (eq > 0) p.env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  if (cfg.User && cfg.User !== (img.User ?? '')) p.user = cfg.User;
  if (cfg.WorkingDir && cfg.WorkingDir !== (img.WorkingDir ?? '')) p.workdir = cfg.WorkingDir;
  const ep = list(cfg.Entrypoint);
  const epChanged = !same(ep, list(img.Entrypoint));
  if (epChanged) p.entrypoint = ep.length ? ep : [''];
  const cmd = list(cfg.Cmd);
  if (epChanged ? cmd.length > 0 : !same(cmd, list(img.Cmd))) p.command = cmd;

  p.autoRemove = hc.AutoRemove === true;
  const rp: NonNullable<HostConfigJson['RestartPolicy']> = hc.RestartPolicy ?? {};
  // The engine only reports the policy names it accepts.
  const restartName = rp.Name as RestartPolicy['name'] | '' | undefined;
  if (restartName && restartName !== 'no')
    p.restart = { name: restartName, maximumRetryCount: Number(rp.MaximumRetryCount) || 0 };
  const imageLabels: Record<string, string> = img.Labels ?? {};
  for (const [k, v] of Object.entries(cfg.Labels ?? {}))
    if (!OUR_LABELS.has(k) && imageLabels[k] !== v && !k.startsWith('com.docker.compose.')) p.labels[k] = v;
  // The idle policy's label comes back as the profile's `idle` field.
  const idle = idlePolicyOf(cfg.Labels ?? {});
  if (idle) p.idle = idle;
  for (const u of hc.Ulimits ?? []) p.ulimits.push({ name: u.Name, soft: u.Soft, hard: u.Hard });
  p.privileged = hc.Privileged === true;
  if (typeof hc.Init === 'boolean') p.init = hc.Init;
  p.capAdd = list(hc.CapAdd);
  p.capDrop = list(hc.CapDrop);
  p.securityOpt = list(hc.SecurityOpt).filter((s) => !(p.privileged && s.startsWith('label=disable')));
  for (const d of hc.Devices ?? [])
    p.devices.push({
      pathOnHost: d.PathOnHost,
      pathInContainer: d.PathInContainer || d.PathOnHost,
      cgroupPermissions: d.CgroupPermissions || 'rwm',
    });
  const id = String(c?.Id ?? '');
  if (cfg.Hostname && cfg.Hostname !== id.slice(0, 12) && p.network !== 'host') p.hostname = cfg.Hostname;
  p.extraHosts = list(hc.ExtraHosts).map((h) => h.replace('=', ':'));
  if (hc.NanoCpus) p.cpus = { nanoCpus: hc.NanoCpus, text: String(hc.NanoCpus / 1e9) };
  if (hc.Memory) p.memory = sizeText(hc.Memory);
  if (hc.Runtime && !['runc', ''].includes(hc.Runtime)) p.runtime = hc.Runtime;
  const extra = extraFromInspect(c, image, engine);
  if (Object.keys(extra).length) p.extra = extra;
  return p;
}
