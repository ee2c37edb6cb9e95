/** Profile → dockerode `ContainerCreateOptions`, with variables resolved. */
import type { ContainerCreateOptions, HostConfig, MountConfig } from '../docker';
import { t } from '../l10n';
import { CREATED_BY_LABEL, OWNER_LABEL, PROFILE_LABEL } from '../docker/labels';
import { applyExtraFlags } from './extraFlags';
import { checkContainerName, normalizeCaps, parseEnvFile } from './fields';
import { printable, shorten } from './parseValues';
import { resolveSecurityOpt } from './seccompFile';
import type { Problem, Profile, ProfileContext } from './profileTypes';
import { resolveHostPath, resolveVariables, type ResolveIssue } from './variables';

export const DEFAULT_CONTAINER_NAME_TEMPLATE = '${user}-${profile}';

/**
 * A container name from the profile's `containerName` (or `template`). Characters Docker refuses that are
 * written in the name or template are an error (never launched under another name); characters a variable's
 * value brings (a user name with a space, a profile name in Chinese) are replaced to fit docker's
 * `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, with a warning naming the name it becomes.
 */
export function resolveContainerName(
  p: Pick<Profile, 'name' | 'containerName'>,
  ctx: ProfileContext,
  template: string = DEFAULT_CONTAINER_NAME_TEMPLATE,
): { name: string; problems: Problem[] } {
  const issues: ResolveIssue[] = [];
  const explicit = p.containerName !== undefined;
  const field = explicit ? 'containerName' : 'gpuContainers.containerNameTemplate';
  const tpl = p.containerName ?? template;
  const problems: Problem[] = [];
  const refused = checkContainerName(field, tpl);
  if (refused) problems.push({ profile: p.name, field, severity: 'error', message: refused });
  const resolved = resolveVariables(tpl, ctx, p.name, issues);
  // Transliterate what can be (é → e); what cannot (训练) is dropped, never turned into a run of dashes.
  let name = resolved
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/^\/+/, '')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '');
  if (name.length === 0) name = 'gpu-container';
  else if (name.length === 1) name += '-container';
  problems.push(...issues.map((i) => ({ profile: p.name, field, ...i })));
  if (!refused && name !== resolved.replace(/^\//, '')) {
    problems.push({
      profile: p.name,
      field,
      severity: 'warning',
      message: /^[a-zA-Z0-9][a-zA-Z0-9_.-]?$/.test(resolved.replace(/^\//, ''))
        ? t(
            'the container name "{0}" is too short for Docker (2 or more characters); it is created as "{1}".',
            shorten(resolved),
            name,
          )
        : t(
            'the container name "{0}" has characters Docker refuses (it allows only letters, digits, "_", "." and "-"); it is created as "{1}". Set "containerName" to choose the name yourself.',
            shorten(resolved),
            name,
          ),
    });
  }
  return { name, problems };
}

export interface CreateOptionsResult {
  name: string;
  options: ContainerCreateOptions;
  problems: Problem[];
}

/**
 * The Engine API create body for a profile, as `docker create -it <profile flags>` would send it:
 * an interactive dev box (Tty + OpenStdin, nothing attached), our ownership labels added.
 */
export function toCreateOptions(
  p: Profile,
  ctx: ProfileContext,
  opts: { containerNameTemplate?: string; labels?: Record<string, string>; forKubernetes?: boolean } = {},
): CreateOptionsResult {
  const problems: Problem[] = [];
  const push = (field: string, issues: ResolveIssue[]) => {
    for (const i of issues.splice(0)) problems.push({ profile: p.name, field, ...i });
  };
  const issues: ResolveIssue[] = [];
  const r = (field: string, s: string) => {
    const v = resolveVariables(s, ctx, p.name, issues);
    push(field, issues);
    return v;
  };
  const host = (field: string, s: string) => {
    const v = resolveHostPath(s, ctx, p.name, issues);
    push(field, issues);
    return v;
  };

  const named = resolveContainerName(p, ctx, opts.containerNameTemplate ?? DEFAULT_CONTAINER_NAME_TEMPLATE);
  problems.push(...named.problems);

  if (!p.image) {
    problems.push({
      profile: p.name,
      field: 'image',
      severity: 'error',
      message: 'the profile has no image; set "image" or choose one when launching.',
    });
  }

  /** The `KEY=value` lines of env or label files, as the docker CLI reads them (its kvfile syntax). */
  const kvFiles = (field: 'envFile' | 'labelFile', files: string[], lookup: (n: string) => string | undefined) => {
    const lines: string[] = [];
    for (const f of files) {
      const file = host(field, f);
      const content = ctx.readFile?.(file);
      if (content === undefined) {
        problems.push({
          profile: p.name,
          field,
          severity: 'error',
          message:
            field === 'envFile'
              ? t('the env file {0} could not be read; check the path.', file)
              : t('the label file {0} could not be read; check the path.', file),
        });
        continue;
      }
      // A binary file (a program, an archive) read as text: name it, never echo its bytes.
      if (/[\u0000\ufffd]/.test(content) || (content.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0) > 2) {
        problems.push({
          profile: p.name,
          field,
          severity: 'error',
          message:
            field === 'envFile'
              ? t(
                  '{0} is not a text env file (it holds binary data); point envFile at a file of KEY=value lines.',
                  printable(file),
                )
              : t(
                  '{0} is not a text label file (it holds binary data); point labelFile at a file of KEY=value lines.',
                  printable(file),
                ),
        });
        continue;
      }
      const parsed = parseEnvFile(content, lookup);
      if (parsed.error !== undefined)
        problems.push({ profile: p.name, field, severity: 'error', message: `${printable(file)}: ${parsed.error}` });
      else lines.push(...parsed.value);
    }
    return lines;
  };

  // Environment: env files first, then env (docker's order); `null` takes the host value like `-e NAME`.
  const env: string[] = kvFiles('envFile', p.envFile, (n) => ctx.env[n]);
  for (const [k, v] of Object.entries(p.env)) {
    if (v === null) {
      const hv = ctx.env[k];
      env.push(hv === undefined ? k : `${k}=${hv}`);
    } else env.push(`${k}=${r(`env.${k}`, v)}`);
  }

  const exposed: Record<string, object> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const spec of p.ports) {
    for (const b of spec.bindings) {
      exposed[b.containerPort] = {};
      (portBindings[b.containerPort] ??= []).push({ HostIp: b.hostIp, HostPort: b.hostPort });
    }
  }

  const binds: string[] = [];
  const volumes: Record<string, object> = {};
  p.volumes.forEach((v, i) => {
    const f = `volumes[${i}]`;
    const target = r(f, v.target);
    if (v.kind === 'anonymous') {
      volumes[target] = {};
      return;
    }
    // A claim is a Kubernetes object: the pod mapping (core/kube/podSpec.ts) takes it from the profile.
    if (v.pvc) {
      if (!opts.forKubernetes)
        problems.push({
          profile: p.name,
          field: f,
          severity: 'error',
          message: t(
            '{0} names a Kubernetes PersistentVolumeClaim, which only a Kubernetes host has; launch this profile there, or write {1} for a Docker volume.',
            v.text,
            `${v.source}:${v.target}`,
          ),
        });
      return;
    }
    const source = v.kind === 'bind' ? host(f, v.source ?? '') : r(f, v.source ?? '');
    binds.push([source, target, ...(v.mode ? [v.mode] : [])].join(':'));
  });

  const mounts = p.mounts.map((m, i) => {
    const f = `mounts[${i}]`;
    // dockerode's MountSettings marks optional API fields as required; build the API shape and cast once.
    const out: {
      Type: string;
      Target: string;
      Source?: string;
      ReadOnly?: boolean;
      Consistency?: string;
      BindOptions?: { Propagation: string };
      VolumeOptions?: { NoCopy: boolean; DriverConfig: object };
      TmpfsOptions?: { SizeBytes?: number; Mode?: number };
    } = { Type: m.type, Target: r(f, m.target) };
    if (m.source !== undefined) out.Source = m.type === 'bind' ? host(f, m.source) : r(f, m.source);
    if (m.readOnly) out.ReadOnly = true;
    if (m.consistency) out.Consistency = m.consistency;
    if (m.bindPropagation) out.BindOptions = { Propagation: m.bindPropagation };
    // The docker CLI sends an empty DriverConfig with any volume option; so does the profile, to inspect alike.
    if (m.volumeNoCopy !== undefined) out.VolumeOptions = { NoCopy: m.volumeNoCopy, DriverConfig: {} };
    if (m.tmpfsSize || m.tmpfsMode !== undefined) {
      const t: { SizeBytes?: number; Mode?: number } = {};
      if (m.tmpfsSize) t.SizeBytes = m.tmpfsSize.bytes;
      if (m.tmpfsMode !== undefined) t.Mode = m.tmpfsMode;
      out.TmpfsOptions = t;
    }
    return out;
  });

  const securityOpt = resolveSecurityOpt(p, ctx, host, problems);

  // Labels: label files first (a bare KEY line is dropped, as the docker CLI does), then labels.
  const labels: Record<string, string> = {};
  for (const l of kvFiles('labelFile', p.labelFile, () => undefined)) {
    const eq = l.indexOf('=');
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  for (const [k, v] of Object.entries(p.labels)) labels[k] = r(`labels.${k}`, v);
  Object.assign(labels, opts.labels ?? {});
  labels[OWNER_LABEL] = ctx.user;
  labels[PROFILE_LABEL] = p.name;
  labels[CREATED_BY_LABEL] = 'gpu-containers';

  const hostConfig: HostConfig = {};
  if (binds.length) hostConfig.Binds = binds;
  if (mounts.length) hostConfig.Mounts = mounts as unknown as MountConfig;
  if (Object.keys(portBindings).length) hostConfig.PortBindings = portBindings;
  if (p.shmSize) hostConfig.ShmSize = p.shmSize.bytes;
  if (p.ipc) hostConfig.IpcMode = p.ipc;
  if (p.network) hostConfig.NetworkMode = p.network;
  if (p.gpus !== 'none') {
    hostConfig.DeviceRequests = [
      {
        Driver: p.gpuDriver ?? '',
        Count: 'all' in p.gpus ? -1 : 'count' in p.gpus ? p.gpus.count : 0,
        DeviceIDs: 'devices' in p.gpus ? [...p.gpus.devices] : (null as unknown as string[]),
        Capabilities: [[...(p.gpuCapabilities ?? []), 'gpu']],
        Options: { ...(p.gpuOptions ?? {}) },
      },
    ];
  }
  if (p.autoRemove) hostConfig.AutoRemove = true;
  // Like the docker CLI, always send a policy ("no" by default).
  hostConfig.RestartPolicy = p.restart
    ? { Name: p.restart.name, MaximumRetryCount: p.restart.maximumRetryCount }
    : { Name: 'no', MaximumRetryCount: 0 };
  if (p.ulimits.length) hostConfig.Ulimits = p.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
  if (p.privileged) hostConfig.Privileged = true;
  if (p.init !== undefined) hostConfig.Init = p.init;
  if (p.capAdd.length) hostConfig.CapAdd = normalizeCaps(p.capAdd);
  if (p.capDrop.length) hostConfig.CapDrop = normalizeCaps(p.capDrop);
  if (securityOpt.length) hostConfig.SecurityOpt = securityOpt;
  const paths = p.devices.filter((d) => !d.cdi);
  if (paths.length) {
    hostConfig.Devices = paths.map((d) => ({
      PathOnHost: host(`devices[${p.devices.indexOf(d)}]`, d.pathOnHost),
      PathInContainer: d.pathInContainer,
      CgroupPermissions: d.cgroupPermissions,
    }));
  }
  // CDI names go as the docker CLI 25+ sends them: one request for the "cdi" driver. An engine without CDI
  // (Docker < 25, or CDI not enabled) creates the container but refuses to start it, so say it before.
  const cdi = p.devices.filter((d) => d.cdi);
  if (cdi.length) {
    hostConfig.DeviceRequests = [
      ...(hostConfig.DeviceRequests ?? []),
      { Driver: 'cdi', DeviceIDs: cdi.map((d) => d.pathOnHost) },
    ];
    for (const d of cdi)
      problems.push({
        profile: p.name,
        field: `devices[${p.devices.indexOf(d)}]`,
        severity: 'warning',
        message: t(
          '{0} is a CDI device name: Docker passes it on only from version 25 with CDI enabled ("features": {"cdi": true} in /etc/docker/daemon.json); an older engine creates the container but refuses to start it (could not select device driver "cdi"). There, use the device\'s /dev path.',
          shorten(d.pathOnHost),
        ),
      });
  }
  if (p.extraHosts.length) hostConfig.ExtraHosts = [...p.extraHosts];
  if (p.cpus) hostConfig.NanoCpus = p.cpus.nanoCpus;
  if (p.memory) hostConfig.Memory = p.memory.bytes;
  if (p.runtime) hostConfig.Runtime = p.runtime;

  const options: ContainerCreateOptions = {
    name: named.name,
    Image: p.image ? r('image', p.image) : '',
    Tty: true,
    OpenStdin: true,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    StdinOnce: false,
    Labels: labels,
    HostConfig: hostConfig,
  };
  if (env.length) options.Env = env;
  if (p.command) options.Cmd = p.command.map((c) => r('command', c));
  if (p.entrypoint) options.Entrypoint = p.entrypoint.map((c) => r('entrypoint', c));
  if (p.workdir) options.WorkingDir = r('workdir', p.workdir);
  if (p.user) options.User = p.user === 'host' ? `${ctx.uid}:${ctx.gid}` : r('user', p.user);
  if (p.hostname) options.Hostname = r('hostname', p.hostname);
  if (Object.keys(exposed).length) options.ExposedPorts = exposed;
  if (Object.keys(volumes).length) options.Volumes = volumes;
  for (const e of applyExtraFlags(options, p.extra))
    problems.push({ profile: p.name, field: 'extraFlags', severity: 'error', message: e });
  return { name: named.name, options, problems };
}
