/** The `docker run` round trip: import a pasted command line, export a profile as argv (each field's descriptor). */
import { t } from '../l10n';
import { checkImage } from './fields';
import { shorten } from './parseValues';
import { checkProfile } from './parse';
import { FIELDS } from './fieldTable';
import type { RunExport } from './fieldTypes';
import { nameFromImage } from './imageName';
import { applyRunArgs } from './runArgs';
import { tokenizeShellLine } from './shell';
import { emptyProfile, type Problem, type Profile, type ProfileContext } from './profileTypes';
import { resolveHostPath, resolveVariables, type ResolveIssue } from './variables';

/** sudo's options that take a value (`-u alice`, `--user=alice`); the others are flags. */
const SUDO_VALUE_SHORT = new Set('CDghpRrTtUu');
const SUDO_VALUE_LONG = new Set([
  '--close-from',
  '--chdir',
  '--group',
  '--host',
  '--prompt',
  '--chroot',
  '--role',
  '--command-timeout',
  '--type',
  '--other-user',
  '--user',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Variables that choose the engine: the profile launches on the host chosen in GPU Containers instead. */
const ENGINE_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'CONTAINER_HOST', 'CONTAINER_CONNECTION'];

/** Skips `sudo [options] [VAR=…]…`, `env [options] [VAR=…]…` and leading `VAR=…` words; returns the next index. */
function skipLaunchers(args: string[], problems: Problem[]): number {
  let i = 0;
  const assignment = (a: string) => {
    const name = a.slice(0, a.indexOf('='));
    problems.push({
      field: name,
      severity: 'warning',
      message: ENGINE_VARIABLES.includes(name)
        ? t(
            '{0} before the command was ignored: the profile launches on the Docker host chosen in GPU Containers (the gpuContainers.host and gpuContainers.hosts settings, or the host picked at launch).',
            name,
          )
        : t(
            "{0}=… before the command sets the docker command's own environment, not the container's; it was ignored (use -e {0}=… for the container).",
            name,
          ),
    });
  };
  for (;;) {
    const a = args[i];
    if (a === undefined) return i;
    if (ASSIGNMENT.test(a)) {
      assignment(a);
      i++;
    } else if (a === 'sudo' || /\/sudo$/.test(a)) {
      i++;
      while (i < args.length && args[i].startsWith('-')) {
        const o = args[i++];
        if (o === '--') break;
        if (o.startsWith('--')) {
          if (!o.includes('=') && SUDO_VALUE_LONG.has(o)) i++;
        } else {
          // A cluster such as -Eu alice: the first option that takes a value takes the rest, or the next word.
          const k = [...o.slice(1)].findIndex((c) => SUDO_VALUE_SHORT.has(c));
          if (k >= 0 && k === o.length - 2) i++;
        }
      }
    } else if (a === 'env' || /\/env$/.test(a)) {
      i++;
      while (i < args.length && args[i].startsWith('-')) {
        const o = args[i++];
        if (o === '--') break;
        if (['-u', '--unset', '-C', '--chdir', '-S', '--split-string'].includes(o)) i++;
      }
    } else return i;
  }
}

/** Leading words before the flags: `sudo`, `env`, `VAR=…`, `docker`/`podman`, `container`, `run`/`create`. */
function stripPrefix(args: string[], problems: Problem[]): string[] {
  let i = skipLaunchers(args, problems);
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
        message: t('expected "docker run …", found "docker {0}"; paste a docker run command.', shorten(args[i] ?? '')),
      });
      return [];
    }
  } else if (cmd === 'run' || cmd === 'create') i++;
  return args.slice(i);
}

/**
 * Typographic quotes pasted from docs or a chat app, as the plain quotes the shell would have had: “ ” always,
 * ‘ ’ only as a pair around a word (a lone ’ is an apostrophe, as in it’s).
 */
function plainQuotes(line: string): string {
  return line.replace(/[\u201c\u201d\u201e\u201f]/g, '"').replace(/\u2018([^\u2018\u2019]*)\u2019(?=\s|$)/g, "'$1'");
}

/** A pasted `docker run …` line (or its argv) → a profile and the problems found. Never throws. */
export function importDockerRun(line: string | string[]): { profile: Profile; problems: Problem[] } {
  const problems: Problem[] = [];
  const p = emptyProfile('imported');
  try {
    let args: string[];
    if (typeof line === 'string') {
      const plain = plainQuotes(line);
      if (plain !== line)
        problems.push({
          field: 'docker run',
          severity: 'warning',
          message: t(
            'the docker run line had typographic quotes (“ ” ‘ ’, as docs and chat apps write them); they were read as plain quotes (" and \'). Check the values.',
          ),
        });
      const tk = tokenizeShellLine(plain);
      tk.issues.forEach((x) => problems.push({ ...x }));
      args = tk.args;
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
