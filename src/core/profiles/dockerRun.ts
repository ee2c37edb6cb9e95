/** The `docker run` round trip: import a pasted command line, export a profile as argv (each field's descriptor). */
import { t } from '../l10n';
import { checkImage } from './fields';
import { checkProfile } from './parse';
import { FIELDS, type RunExport } from './fieldTable';
import { nameFromImage } from './imageName';
import { applyRunArgs } from './runArgs';
import { tokenizeShellLine } from './shell';
import { emptyProfile, type Problem, type Profile, type ProfileContext } from './profileTypes';
import { resolveHostPath, resolveVariables, type ResolveIssue } from './variables';

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

/**
 * A profile as `docker run` argv (after `docker`): `['run', '-it', …flags, image, …command]`.
 * Without `ctx` variables stay as written; with it they are resolved (and `user: host` becomes uid:gid).
 * `portable` writes each variable for the target; `home`, the leading `~` of a host-side path (only those:
 * a `~` in a container-side argument is the container's business).
 */
export function toDockerRunArgs(
  p: Profile,
  opts: { ctx?: ProfileContext; portable?: (variable: string) => string; home?: string } = {},
): string[] {
  const ctx = opts.ctx;
  const portable = opts.portable;
  const issues: ResolveIssue[] = [];
  const sub = (s: string) => (portable ? s.replace(/\$\{([^}]*)\}/g, (_m, v: string) => portable(v)) : s);
  const home = (s: string) =>
    opts.home !== undefined && (s === '~' || s.startsWith('~/')) ? opts.home + s.slice(1) : s;
  const r = (s: string) => (ctx ? resolveVariables(s, ctx, p.name, issues) : sub(s));
  const host = (s: string) => (ctx ? resolveHostPath(s, ctx, p.name, issues) : home(sub(s)));
  const x: RunExport = { ctx, portable, sub, r, host, tail: [] };
  const a: string[] = ['run', '-it', ...FIELDS.flatMap((f) => f.run?.(p, x) ?? [])];
  a.push(p.image ? r(p.image) : '<image>');
  a.push(...x.tail);
  return a;
}

export { nameFromImage } from './imageName';
export { gpusFlagValue } from './fieldDescImage';
export { mountCsv } from './fieldDescMounts';
