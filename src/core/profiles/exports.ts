/**
 * Portable, secret-safe exports of a profile: a `docker run` line, Compose YAML and (devcontainerExport.ts) devcontainer.json that can
 * be shared or committed. Variables stay variables (`${HF_TOKEN}`, `-e HF_TOKEN`, `${localEnv:HF_TOKEN}`),
 * paths stay relative to the workspace or `~`, and no secret value is ever written: a literal value of a
 * secret-looking variable is left out and taken from the environment instead (with a note).
 */
import { t } from '../l10n';
import { toComposeYaml } from './compose';
import { composeLeftOut } from './composeExtra';
import { toDockerRunArgs } from './dockerRun';
import { csvSafe, withHome } from './exportPaths';
import { isOnlyVariables, isSecretName, isSecretValue, maskArgv } from '../secrets';
import { quoteShellArg } from './shell';
import type { Problem, Profile } from './profileTypes';

/**
 * Whether `NAME=value` holds a secret: the one detector of `core/secrets.ts`, by name (KAGGLE_KEY, DB_PWD,
 * SLACK_WEBHOOK_URL, REDIS_URL…) and by the value's shape (hf_…, sk-…, a URL with a password). Only a value
 * that is entirely variable references (`${env:HF_TOKEN}`) is safe: `postgres://app:pw@${env:DBHOST}/x` is not.
 */
export function looksSecret(name: string, value: string): boolean {
  if (isOnlyVariables(value)) return false;
  return isSecretName(name) || isSecretValue(value.replace(/\$\{[^}]*\}/g, ''));
}

/** Where the exports and saved profiles may write `~` for the home folder of the machine the profile came from. */
export interface ExportOptions {
  /** The home folder (os.homedir()); host paths under it are written `~/…`. */
  userHome?: string;
}

export interface ExportResult {
  text: string;
  /** What the export could not express or left out on purpose (never holds a secret value). */
  notes: Problem[];
}

/**
 * The profile with no secret value left in it: a literal env value that looks secret (by name or by shape)
 * becomes `secretEnv(name)` and is noted, a secret-looking label is left out and noted. Values that are our
 * variables (`${env:X}`) are not secrets and stay.
 */
function withoutSecrets(
  p: Profile,
  secretEnv: (name: string) => string | null,
  notes: Problem[],
): Pick<Profile, 'env' | 'labels' | 'entrypoint' | 'command'> {
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(p.env)) {
    if (v !== null && looksSecret(k, v)) {
      env[k] = secretEnv(k);
      notes.push({
        profile: p.name,
        field: `env.${k}`,
        severity: 'warning',
        message: t(
          'the value of {0} looks like a secret and was left out; it is taken from the environment of whoever runs it.',
          k,
        ),
      });
    } else env[k] = v;
  }
  const labels = { ...p.labels };
  for (const [k, v] of Object.entries(labels))
    if (looksSecret(k, v)) {
      delete labels[k];
      notes.push({
        profile: p.name,
        field: `labels.${k}`,
        severity: 'warning',
        message: t('the label {0} looks like a secret and was left out.', k),
      });
    }
  return { env, labels, ...withoutArgvSecrets(p, notes) };
}

/**
 * The entrypoint and command with each secret (`--hf_token hf_…`, `--db-pass=…`, mysql's `-p…`, a token in a
 * `sh -c` script) replaced by `${env:NAME}`, taken from the environment where it runs (noted, by name only).
 */
function withoutArgvSecrets(p: Profile, notes: Problem[]): Pick<Profile, 'entrypoint' | 'command'> {
  const entrypoint = p.entrypoint ?? [];
  const command = p.command ?? [];
  const { args, names } = maskArgv([...entrypoint, ...command], (name) => `\${env:${name}}`);
  if (!names.length) return {};
  notes.push({
    profile: p.name,
    field: p.command?.length ? 'command' : 'entrypoint',
    severity: 'warning',
    message: t(
      'the command line holds secrets; they were replaced by variables taken from the environment of whoever runs it: {0}.',
      names.join(', '),
    ),
  });
  return {
    ...(p.entrypoint && { entrypoint: args.slice(0, entrypoint.length) }),
    ...(p.command && { command: args.slice(entrypoint.length) }),
  };
}

/**
 * The profile as it should travel: `NAME: ${env:NAME}` becomes pass-through (`null`), a literal secret is
 * replaced by pass-through too (noted), and `gpus: { free: N }` becomes a count (noted: other tools cannot
 * pick free GPUs).
 */
export function portableProfile(p: Profile, opts: ExportOptions = {}): { profile: Profile; notes: Problem[] } {
  const notes: Problem[] = [];
  const passThrough = {
    ...p,
    env: Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, v === `\${env:${k}}` ? null : v])),
  };
  const safe = withoutSecrets(passThrough, () => null, notes);
  let gpus = p.gpus;
  if (gpus !== 'none' && 'free' in gpus) {
    notes.push({
      profile: p.name,
      field: 'gpus',
      severity: 'warning',
      message:
        gpus.free.count === 1
          ? t('"1 free GPU" cannot be expressed here; it was written as a count of 1 (the first GPU, used or not).')
          : t(
              '"{0} free GPUs" cannot be expressed here; it was written as a count of {0} (the first {0} GPUs, used or not).',
              gpus.free.count,
            ),
    });
    gpus = { count: gpus.free.count };
  }
  return { profile: { ...p, ...safe, ...withHome(p, opts.userHome), gpus }, notes };
}

/**
 * A profile read back from a container, as it may be saved to settings (Save as Launch Profile): a literal
 * secret env value becomes `${env:NAME}` (taken from the environment at launch), a secret label is left out.
 */
export function savableProfile(p: Profile, opts: ExportOptions = {}): { profile: Profile; notes: Problem[] } {
  const notes: Problem[] = [];
  const safe = withoutSecrets(p, (k) => `\${env:${k}}`, notes);
  return { profile: { ...p, ...safe, ...withHome(p, opts.userHome) }, notes };
}

// ---------------------------------------------------------------- docker run (POSIX shell)

const OPEN = '\u0002';
const CLOSE = '\u0003';

/** Our variables as shell expansions, marked so quoting keeps them live. */
function shellVariable(name: string, profileName: string): string {
  const mark = (s: string) => `${OPEN}${s}${CLOSE}`;
  if (name.startsWith('env:')) return mark(`\${${name.slice(4)}}`);
  switch (name) {
    case 'userHome':
      return mark('${HOME}');
    case 'user':
      return mark('${USER}');
    case 'workspaceFolder':
      return mark('${PWD}');
    case 'workspaceFolderBasename':
      return mark('${PWD##*/}');
    case 'profile':
      return profileName;
    case 'host-user':
      return mark('$(id -u):$(id -g)');
  }
  return `\${${name}}`;
}

/** Marks the leading `~` of a host-side path (toDockerRunArgs' `home`): only there may the shell expand it. */
const HOME = '\u0004';

/** One argv element for a POSIX shell, with marked expansions left live inside double quotes. */
function quoteLive(arg: string): string {
  if (!arg.includes(OPEN)) return quoteShellArg(arg);
  let out = '';
  for (const part of arg.split(new RegExp(`(${OPEN}[^${CLOSE}]*${CLOSE})`))) {
    if (part.startsWith(OPEN)) out += part.slice(1, -1);
    else out += part.replace(/[\\"$`]/g, (c) => `\\${c}`);
  }
  return `"${out}"`;
}

/**
 * One argv element of the portable line. A host path's leading `~` (marked) stays bare, so the shell that
 * runs the line expands it; a marked `~` inside a word (`--mount …,source=~/x`) becomes a live `${HOME}`;
 * every other `~` is quoted (a container-side `ls ~/data` must not become the host's home).
 */
function quotePortable(arg: string): string {
  if (arg === HOME) return '~';
  if (arg.startsWith(`${HOME}/`)) {
    const rest = arg.slice(2).replaceAll(HOME, `${OPEN}\${HOME}${CLOSE}`);
    return rest === '' ? '~/' : `~/${quoteLive(rest)}`;
  }
  return quoteLive(arg.replaceAll(HOME, `${OPEN}\${HOME}${CLOSE}`));
}

/** `docker run …` to paste on any machine: variables and `~` expanded by the shell that runs it. */
export function toPortableDockerRun(p: Profile, opts: ExportOptions = {}): ExportResult {
  const portable = portableProfile(p, opts);
  const notes = portable.notes;
  const profile = { ...portable.profile, ...csvSafe(portable.profile, notes, false) };
  const argv = toDockerRunArgs(profile, { portable: (v) => shellVariable(v, p.name), home: HOME });
  return { text: ['docker', ...argv].map(quotePortable).join(' '), notes };
}

// ---------------------------------------------------------------- Compose

/** Compose YAML with Compose interpolation (`${HF_TOKEN}`), paths relative to the file (`.`) or `~`. */
export function toPortableCompose(p: Profile, opts: ExportOptions = {}): ExportResult {
  const { profile, notes } = portableProfile(p, opts);
  for (const flag of composeLeftOut(profile.extra))
    notes.push({
      profile: p.name,
      field: `extraFlags.${flag}`,
      severity: 'warning',
      message: t('--{0} has no Compose key; it was left out (the docker run export keeps it).', flag),
    });
  return { text: toComposeYaml(profile), notes };
}

/**
 * The one line an export (or a save) shows: what was done, then each note as `field — message`. It names the
 * keys that were replaced and never a value, and it is written so that the secret redaction every message goes
 * through leaves it whole (`env.HF_TOKEN: …` would read as a YAML pair and be masked itself).
 */
export function exportNotice(done: string | undefined, notes: readonly Problem[]): string {
  return [done, ...notes.map((n) => (n.field ? `${n.field} — ${n.message}` : n.message))].filter(Boolean).join(' ');
}
