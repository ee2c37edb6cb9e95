/** The `docker run` round trip: import a pasted command line, export a profile as argv. */
import { t } from '../l10n';
import { checkImage } from './fields';
import { checkProfile } from './parse';
import { extraFlagArgs } from './extraFlags';
import { resolveContainerName } from './createOptions';
import { applyRunArgs } from './runArgs';
import { tokenizeShellLine } from './shell';
import { emptyProfile, type MountSpec, type Problem, type Profile, type ProfileContext } from './types';
import { resolveHostPath, resolveVariables, type ResolveIssue } from './variables';

/** A profile name from an image: `nvcr.io/nvidia/pytorch:24.05-py3` → `pytorch`. */
export function nameFromImage(image: string | undefined): string {
  if (!image) return 'imported';
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  const repo = last.split(':')[0];
  return repo || 'imported';
}

/** Leading words before the flags: `sudo`, `docker`, `container`, `run`/`create`. */
function stripPrefix(args: string[], problems: Problem[]): string[] {
  let i = 0;
  if (args[i] === 'sudo') {
    i++;
    while (i < args.length && args[i].startsWith('-')) i++;
  }
  const cmd = args[i];
  if (cmd !== undefined && /(^|\/)(docker|nvidia-docker|podman)$/.test(cmd)) {
    if (cmd.endsWith('nvidia-docker')) {
      problems.push({
        field: 'runtime',
        severity: 'warning',
        message: t('nvidia-docker was taken as docker with --runtime=nvidia; prefer docker run --gpus.'),
      });
    }
    i++;
    if (args[i] === 'container') i++;
    if (args[i] === 'run' || args[i] === 'create') i++;
    else {
      problems.push({
        severity: 'error',
        message: t('expected "docker run …", found "docker {0}"; paste a docker run command.', args[i] ?? ''),
      });
      return [];
    }
  } else if (cmd === 'run' || cmd === 'create') i++;
  return args.slice(i);
}

/** A pasted `docker run …` line (or its argv) → a profile and the problems found. Never throws. */
export function importDockerRun(line: string | string[]): { profile: Profile; problems: Problem[] } {
  const problems: Problem[] = [];
  const p = emptyProfile('imported');
  try {
    let args: string[];
    if (typeof line === 'string') {
      const t = tokenizeShellLine(line);
      t.issues.forEach((x) => problems.push({ ...x }));
      args = t.args;
    } else args = [...line];
    const isNvidiaDocker = args.some((a, i) => i < 3 && /(^|\/)nvidia-docker$/.test(a));
    args = stripPrefix(args, problems);
    if (isNvidiaDocker) p.runtime = 'nvidia';
    const rest = applyRunArgs(p, args, (flag, message, severity = 'error') =>
      problems.push({ field: flag, message, severity }),
    );
    const [image, ...command] = rest;
    if (image === undefined) {
      problems.push({
        field: 'image',
        severity: 'warning',
        message:
          'no image was found after the flags; set "image" in the profile (or you will be asked when launching).',
      });
    } else {
      const e = checkImage(image);
      if (e) problems.push({ field: 'image', severity: 'error', message: e });
      else p.image = image;
    }
    if (command.length) {
      p.command = command;
      command.forEach((c) => {
        if (/\$\(|`/.test(c)) {
          problems.push({
            field: 'command',
            severity: 'warning',
            message: t(
              '"{0}" holds a command substitution; it is kept as text and runs inside the container, not on your machine.',
              c,
            ),
          });
        }
      });
    }
    p.name = p.containerName && !p.containerName.includes('${') ? p.containerName : nameFromImage(p.image);
    const report = (field: string, message: string, severity: 'error' | 'warning' = 'error') =>
      problems.push({ field, message, severity });
    checkProfile(p, report);
  } catch (e) {
    problems.push({ severity: 'error', message: t('internal error while importing: {0}', (e as Error).message) });
  }
  for (const pr of problems) pr.profile = p.name;
  return { profile: p, problems };
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The `--gpus` value for a profile, or undefined for none. */
export function gpusFlagValue(p: Profile): string | undefined {
  if (p.gpus === 'none') return undefined;
  const fields: string[] = [];
  if ('all' in p.gpus) fields.push('all');
  else if ('count' in p.gpus) fields.push(String(p.gpus.count));
  else if ('free' in p.gpus) fields.push(String(p.gpus.free.count));
  else fields.push(`device=${p.gpus.devices.join(',')}`);
  if (p.gpuDriver !== undefined) fields.push(`driver=${p.gpuDriver}`);
  if (p.gpuCapabilities?.length) fields.push(`capabilities=${p.gpuCapabilities.join(',')}`);
  if (p.gpuOptions)
    fields.push(
      `options=${Object.entries(p.gpuOptions)
        .map(([k, v]) => csvField(`${k}=${v}`))
        .join(',')}`,
    );
  return fields.map(csvField).join(',');
}

export function mountCsv(m: MountSpec, source = m.source, target = m.target): string {
  const f = [`type=${m.type}`];
  if (source !== undefined) f.push(`source=${source}`);
  f.push(`target=${target}`);
  if (m.readOnly !== undefined) f.push(m.readOnly ? 'readonly' : 'readonly=false');
  if (m.bindPropagation) f.push(`bind-propagation=${m.bindPropagation}`);
  if (m.volumeNoCopy !== undefined) f.push(`volume-nocopy=${m.volumeNoCopy}`);
  if (m.tmpfsSize) f.push(`tmpfs-size=${m.tmpfsSize.text}`);
  if (m.tmpfsMode !== undefined) f.push(`tmpfs-mode=${m.tmpfsMode.toString(8)}`);
  if (m.consistency) f.push(`consistency=${m.consistency}`);
  return f.map(csvField).join(',');
}

/**
 * A profile as `docker run` argv (after `docker`): `['run', '-it', …flags, image, …command]`.
 * Without `ctx` variables stay as written; with it they are resolved (and `user: host` becomes uid:gid).
 */
export function toDockerRunArgs(
  p: Profile,
  opts: { ctx?: ProfileContext; portable?: (variable: string) => string } = {},
): string[] {
  const ctx = opts.ctx;
  const portable = opts.portable;
  const issues: ResolveIssue[] = [];
  const sub = (s: string) => (portable ? s.replace(/\$\{([^}]*)\}/g, (_m, v: string) => portable(v)) : s);
  const r = (s: string) => (ctx ? resolveVariables(s, ctx, p.name, issues) : sub(s));
  const host = (s: string) => (ctx ? resolveHostPath(s, ctx, p.name, issues) : sub(s));
  const a: string[] = ['run', '-it'];
  if (p.autoRemove) a.push('--rm');
  if (ctx) a.push('--name', resolveContainerName(p, ctx).name);
  else if (p.containerName !== undefined) a.push('--name', sub(p.containerName));
  const g = gpusFlagValue(p);
  if (g !== undefined) a.push('--gpus', g);
  if (p.runtime) a.push('--runtime', p.runtime);
  if (p.shmSize) a.push('--shm-size', p.shmSize.text);
  if (p.ipc) a.push('--ipc', p.ipc);
  if (p.network) a.push('--network', p.network);
  for (const port of p.ports) a.push('-p', port.text);
  for (const v of p.volumes) {
    if (!ctx && !portable) a.push('-v', v.text);
    else if (v.kind === 'anonymous') a.push('-v', r(v.target));
    else
      a.push(
        '-v',
        [v.kind === 'bind' ? host(v.source ?? '') : r(v.source ?? ''), r(v.target), ...(v.mode ? [v.mode] : [])].join(
          ':',
        ),
      );
  }
  for (const m of p.mounts)
    a.push(
      '--mount',
      mountCsv(m, m.source === undefined ? undefined : m.type === 'bind' ? host(m.source) : r(m.source), r(m.target)),
    );
  for (const f of p.envFile) a.push('--env-file', host(f));
  for (const [k, v] of Object.entries(p.env)) a.push('-e', v === null ? k : `${k}=${r(v)}`);
  if (p.user)
    a.push(
      '-u',
      p.user !== 'host' ? r(p.user) : ctx ? `${ctx.uid}:${ctx.gid}` : portable ? portable('host-user') : p.user,
    );
  if (p.workdir) a.push('-w', r(p.workdir));
  let command = p.command ? p.command.map(r) : [];
  if (p.entrypoint) {
    const [first, ...rest] = p.entrypoint.map(r);
    a.push('--entrypoint', first ?? '');
    command = [...rest, ...command];
  }
  if (p.restart)
    a.push(
      '--restart',
      p.restart.name === 'on-failure' && p.restart.maximumRetryCount > 0
        ? `on-failure:${p.restart.maximumRetryCount}`
        : p.restart.name,
    );
  for (const [k, v] of Object.entries(p.labels)) a.push('-l', `${k}=${r(v)}`);
  for (const u of p.ulimits) a.push('--ulimit', `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}:${u.hard}`}`);
  if (p.privileged) a.push('--privileged');
  if (p.init !== undefined) a.push(p.init ? '--init' : '--init=false');
  for (const c of p.capAdd) a.push('--cap-add', c);
  for (const c of p.capDrop) a.push('--cap-drop', c);
  for (const s of p.securityOpt) a.push('--security-opt', s);
  for (const d of p.devices) {
    a.push(
      '--device',
      d.pathInContainer === d.pathOnHost && d.cgroupPermissions === 'rwm'
        ? host(d.pathOnHost)
        : `${host(d.pathOnHost)}:${d.pathInContainer}:${d.cgroupPermissions}`,
    );
  }
  if (p.hostname) a.push('--hostname', r(p.hostname));
  for (const h of p.extraHosts) a.push('--add-host', h);
  if (p.cpus) a.push('--cpus', p.cpus.text);
  if (p.memory) a.push('--memory', p.memory.text);
  a.push(...extraFlagArgs(p.extra).map((x) => r(x)));
  a.push(p.image ? r(p.image) : '<image>');
  a.push(...command);
  return a;
}
