/** Profile → a Docker Compose file with one service (the `yaml` package). */
import { Document, Scalar } from 'yaml';
import { resolveContainerName } from './createOptions';
import type { Profile, ProfileContext } from './types';
import { expandTilde, resolveVariables, type ResolveIssue } from './variables';

/** Compose service name: lower case letters, digits, `-` and `_`. */
export function composeServiceName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
  return s || 'dev';
}

/**
 * Compose YAML for the profile. With `ctx` variables are resolved; without it they become Compose
 * interpolations (`${userHome}` → `${HOME}`, `${env:X}` → `${X}`). Literal `$` is escaped as `$$`.
 */
export function toComposeYaml(p: Profile, ctx?: ProfileContext): string {
  const issues: ResolveIssue[] = [];
  const compose = (s: string): string => {
    if (ctx) return resolveVariables(s, ctx, p.name, issues).replace(/\$/g, '$$$$');
    // Split on our variables; escape the literal text between them.
    let out = '';
    let last = 0;
    for (const m of s.matchAll(/\$\{([^}]*)\}/g)) {
      out += s.slice(last, m.index).replace(/\$/g, '$$$$');
      const v = m[1];
      out +=
        v === 'userHome'
          ? '${HOME}'
          : v === 'user'
            ? '${USER}'
            : v === 'profile'
              ? p.name.replace(/\$/g, '$$$$')
              : v === 'workspaceFolder'
                ? '.'
                : v === 'workspaceFolderBasename'
                  ? '${WORKSPACE_FOLDER_BASENAME}'
                  : v.startsWith('env:')
                    ? '${' + v.slice(4) + '}'
                    : m[0].replace(/\$/g, '$$$$');
      last = (m.index ?? 0) + m[0].length;
    }
    return out + s.slice(last).replace(/\$/g, '$$$$');
  };
  const path = (s: string) => {
    const r = compose(s);
    return ctx ? expandTilde(r, ctx.userHome) : r;
  };
  const svc: Record<string, unknown> = {};
  if (p.image) svc.image = compose(p.image);
  if (ctx) svc.container_name = resolveContainerName(p, ctx).name;
  else if (p.containerName) svc.container_name = compose(p.containerName);
  if (p.entrypoint) svc.entrypoint = p.entrypoint.map(compose);
  if (p.command) svc.command = p.command.map(compose);
  svc.stdin_open = true;
  svc.tty = true;
  if (p.shmSize) svc.shm_size = p.shmSize.text;
  if (p.ipc) svc.ipc = p.ipc;
  if (p.network) svc.network_mode = p.network;
  if (p.ports.length) svc.ports = p.ports.map((x) => Object.assign(new Scalar(x.text), { type: Scalar.QUOTE_DOUBLE }));
  const volumes: unknown[] = [];
  for (const v of p.volumes) {
    if (v.kind === 'anonymous') volumes.push(compose(v.target));
    else
      volumes.push(
        [
          v.kind === 'bind' ? path(v.source ?? '') : compose(v.source ?? ''),
          compose(v.target),
          ...(v.mode ? [v.mode] : []),
        ].join(':'),
      );
  }
  for (const m of p.mounts) {
    const e: Record<string, unknown> = { type: m.type };
    if (m.source !== undefined) e.source = m.type === 'bind' ? path(m.source) : compose(m.source);
    e.target = compose(m.target);
    if (m.readOnly) e.read_only = true;
    if (m.consistency) e.consistency = m.consistency;
    if (m.bindPropagation) e.bind = { propagation: m.bindPropagation };
    if (m.volumeNoCopy !== undefined) e.volume = { nocopy: m.volumeNoCopy };
    if (m.tmpfsSize || m.tmpfsMode !== undefined)
      e.tmpfs = {
        ...(m.tmpfsSize ? { size: m.tmpfsSize.bytes } : {}),
        ...(m.tmpfsMode !== undefined ? { mode: m.tmpfsMode } : {}),
      };
    volumes.push(e);
  }
  if (volumes.length) svc.volumes = volumes;
  if (p.envFile.length) svc.env_file = p.envFile.map(path);
  if (Object.keys(p.env).length) {
    const env: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(p.env)) env[k] = v === null ? null : compose(v);
    svc.environment = env;
  }
  if (p.user)
    svc.user = p.user === 'host' ? (ctx ? `${ctx.uid}:${ctx.gid}` : '${UID:-1000}:${GID:-1000}') : compose(p.user);
  if (p.workdir) svc.working_dir = compose(p.workdir);
  if (p.restart)
    svc.restart =
      p.restart.name === 'on-failure' && p.restart.maximumRetryCount > 0
        ? `on-failure:${p.restart.maximumRetryCount}`
        : p.restart.name;
  if (Object.keys(p.labels).length)
    svc.labels = Object.fromEntries(Object.entries(p.labels).map(([k, v]) => [k, compose(v)]));
  if (p.ulimits.length)
    svc.ulimits = Object.fromEntries(
      p.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }]),
    );
  if (p.privileged) svc.privileged = true;
  if (p.init !== undefined) svc.init = p.init;
  if (p.capAdd.length) svc.cap_add = [...p.capAdd];
  if (p.capDrop.length) svc.cap_drop = [...p.capDrop];
  if (p.securityOpt.length) svc.security_opt = [...p.securityOpt];
  if (p.devices.length)
    svc.devices = p.devices.map((d) => `${path(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`);
  if (p.hostname) svc.hostname = compose(p.hostname);
  if (p.extraHosts.length) svc.extra_hosts = [...p.extraHosts];
  if (p.cpus) svc.cpus = Number(p.cpus.text);
  if (p.memory) svc.mem_limit = p.memory.text;
  if (p.runtime) svc.runtime = p.runtime;
  if (p.gpus !== 'none') {
    const caps = ['gpu', ...(p.gpuCapabilities ?? []).filter((c) => c !== 'gpu')];
    const dev: Record<string, unknown> = { driver: p.gpuDriver || 'nvidia' };
    if ('all' in p.gpus) dev.count = 'all';
    else if ('count' in p.gpus) dev.count = p.gpus.count;
    else if ('free' in p.gpus) dev.count = p.gpus.free.count;
    else dev.device_ids = [...p.gpus.devices];
    dev.capabilities = caps;
    if (p.gpuOptions && Object.keys(p.gpuOptions).length) dev.options = { ...p.gpuOptions };
    svc.deploy = { resources: { reservations: { devices: [dev] } } };
  }
  const doc = new Document({ services: { [composeServiceName(p.name)]: svc } });
  const header = p.autoRemove ? '# autoRemove (--rm) has no Compose equivalent; use `docker compose run --rm`.\n' : '';
  return header + doc.toString({ lineWidth: 0 });
}
