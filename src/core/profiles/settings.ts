import type { Profile } from './types';

/**
 * A profile back in the settings shape of `gpuContainers.profiles` (what parseProfiles reads): used to save
 * an imported `docker run` line or a guided new profile to settings. Only fields that say something are
 * written; sizes, ports and volumes keep the text the user wrote.
 */
export function toProfileSettings(p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  const set = (key: string, value: unknown): void => {
    if (value === undefined || value === false) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) return;
    out[key] = value;
  };
  set('image', p.image);
  set('containerName', p.containerName);
  if (p.gpus !== 'none') {
    const g = p.gpus;
    set('gpus', 'all' in g ? 'all' : 'count' in g ? g.count : 'free' in g ? freeGpusSettings(g.free) : [...g.devices]);
  }
  set('gpuCapabilities', p.gpuCapabilities);
  set('shmSize', p.shmSize?.text);
  set('ipc', p.ipc);
  set('network', p.network);
  set(
    'ports',
    p.ports.map((x) => x.text),
  );
  set(
    'volumes',
    p.volumes.map((v) => v.text),
  );
  set(
    'mounts',
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
  );
  set('env', { ...p.env });
  set('envFile', p.envFile);
  set('user', p.user);
  set('execUser', p.execUser);
  set('workdir', p.workdir);
  set('entrypoint', p.entrypoint ? [...p.entrypoint] : undefined);
  set('command', p.command ? [...p.command] : undefined);
  set('autoRemove', p.autoRemove);
  if (p.restart && p.restart.name !== 'no') {
    set(
      'restart',
      p.restart.name === 'on-failure' && p.restart.maximumRetryCount > 0
        ? `on-failure:${p.restart.maximumRetryCount}`
        : p.restart.name,
    );
  }
  set('labels', { ...p.labels });
  set(
    'ulimits',
    Object.fromEntries(p.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }])),
  );
  set('privileged', p.privileged);
  set('init', p.init);
  set('capAdd', p.capAdd);
  set('capDrop', p.capDrop);
  set('securityOpt', p.securityOpt);
  set(
    'devices',
    p.devices.map((d) =>
      d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm'
        ? d.pathOnHost
        : { pathOnHost: d.pathOnHost, pathInContainer: d.pathInContainer, cgroupPermissions: d.cgroupPermissions },
    ),
  );
  set('hostname', p.hostname);
  set('extraHosts', p.extraHosts);
  set('cpus', p.cpus?.text);
  set('memory', p.memory?.text);
  set('runtime', p.runtime);
  set('extraFlags', p.extra);
  return out;
}

/** `{ free: { count, minFreeMemoryMiB, model } }` → the settings form `{ "free": 2, "minFreeMemory": "40g", "model": "H100" }`. */
function freeGpusSettings(f: { count: number; minFreeMemoryMiB?: number; model?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { free: f.count };
  if (f.minFreeMemoryMiB !== undefined)
    out.minFreeMemory = f.minFreeMemoryMiB % 1024 === 0 ? `${f.minFreeMemoryMiB / 1024}g` : `${f.minFreeMemoryMiB}m`;
  if (f.model !== undefined) out.model = f.model;
  return out;
}
