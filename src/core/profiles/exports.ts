/**
 * Portable, secret-safe exports of a profile: a `docker run` line, Compose YAML and devcontainer.json that can
 * be shared or committed. Variables stay variables (`${HF_TOKEN}`, `-e HF_TOKEN`, `${localEnv:HF_TOKEN}`),
 * paths stay relative to the workspace or `~`, and no secret value is ever written: a literal value of a
 * secret-looking variable is left out and taken from the environment instead (with a note).
 */
import { t } from '../l10n';
import { isSecretName, isSecretValue } from '../secrets';
import { toComposeYaml } from './compose';
import { composeLeftOut } from './composeExtra';
import { gpusFlagValue, mountCsv, toDockerRunArgs } from './dockerRun';
import { isHostPathArg, quoteShellArg } from './shell';
import type { Problem, Profile } from './profileTypes';

/** Values that look like secrets whatever their name, even short ones: tokens by prefix, URLs with a password. */
const SECRET_PREFIX = /^(hf_|ghp_|gho_|ghs_|github_pat_|glpat-|sk-|xox[abposr]-|AKIA|ASIA)|:\/\/[^/\s:@]+:[^/\s@]+@/;

/**
 * Whether an env entry must not be written into an export: the one name detector of core/secrets.ts (the
 * logger, messages and inspect use it too) or a secret-shaped value.
 */
export function looksSecret(name: string, value: string): boolean {
  return isSecretName(name) || isSecretValue(value) || SECRET_PREFIX.test(value);
}

export interface ExportResult {
  text: string;
  /** What the export could not express or left out on purpose (never holds a secret value). */
  notes: Problem[];
}

/**
 * The profile as it should travel: `NAME: ${env:NAME}` becomes pass-through (`null`), a literal secret is
 * replaced by pass-through too (noted), and `gpus: { free: N }` becomes a count (noted: other tools cannot
 * pick free GPUs).
 */
export function portableProfile(p: Profile): { profile: Profile; notes: Problem[] } {
  const notes: Problem[] = [];
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(p.env)) {
    if (v === null || v === `\${env:${k}}`) env[k] = null;
    else if (!v.includes('${') && looksSecret(k, v)) {
      env[k] = null;
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
    if (looksSecret(k, v) && !v.includes('${')) {
      delete labels[k];
      notes.push({
        profile: p.name,
        field: `labels.${k}`,
        severity: 'warning',
        message: t('the label {0} looks like a secret and was left out.', k),
      });
    }
  let gpus = p.gpus;
  if (gpus !== 'none' && 'free' in gpus) {
    notes.push({
      profile: p.name,
      field: 'gpus',
      severity: 'warning',
      message: t(
        '"{0} free GPUs" cannot be expressed here; it was written as a count of {0} (the first {0} GPUs, used or not).',
        gpus.free.count,
      ),
    });
    gpus = { count: gpus.free.count };
  }
  return { profile: { ...p, env, labels, gpus }, notes };
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

/** One argv element for a POSIX shell, with marked expansions left live inside double quotes. */
function quotePortable(arg: string, home: boolean): string {
  if (!arg.includes(OPEN)) return quoteShellArg(arg, home);
  let prefix = '';
  if (home && arg.startsWith('~/')) [prefix, arg] = ['~/', arg.slice(2)];
  let out = '';
  for (const part of arg.split(new RegExp(`(${OPEN}[^${CLOSE}]*${CLOSE})`))) {
    if (part.startsWith(OPEN)) out += part.slice(1, -1);
    else out += part.replace(/[\\"$`]/g, (c) => `\\${c}`);
  }
  return `${prefix}"${out}"`;
}

/** `docker run …` to paste on any machine: variables and `~` expanded by the shell that runs it. */
export function toPortableDockerRun(p: Profile): ExportResult {
  const { profile, notes } = portableProfile(p);
  const split: { imageAt?: number } = {};
  const argv = ['docker', ...toDockerRunArgs(profile, { portable: (v) => shellVariable(v, p.name), split })];
  const imageAt = (split.imageAt ?? argv.length) + 1;
  return { text: argv.map((a, i) => quotePortable(a, isHostPathArg(argv, i, imageAt))).join(' '), notes };
}

// ---------------------------------------------------------------- Compose

/** Compose YAML with Compose interpolation (`${HF_TOKEN}`), paths relative to the file (`.`) or `~`. */
export function toPortableCompose(p: Profile): ExportResult {
  const { profile, notes } = portableProfile(p);
  for (const flag of composeLeftOut(profile.extra))
    notes.push({
      profile: p.name,
      field: `extraFlags.${flag}`,
      severity: 'warning',
      message: t('--{0} has no Compose key; it was left out (the docker run export keeps it).', flag),
    });
  return { text: toComposeYaml(profile), notes };
}

// ---------------------------------------------------------------- devcontainer.json

function devcontainerVariable(name: string, profileName: string): string {
  if (name.startsWith('env:')) return `\${localEnv:${name.slice(4)}}`;
  switch (name) {
    case 'userHome':
      return '${localEnv:HOME}';
    case 'user':
      return '${localEnv:USER}';
    case 'workspaceFolder':
      return '${localWorkspaceFolder}';
    case 'workspaceFolderBasename':
      return '${localWorkspaceFolderBasename}';
    case 'profile':
      return profileName;
  }
  return `\${${name}}`;
}

/** Flags that devcontainer.json has its own properties for (or that make no sense there). */
const DEVCONTAINER_OWN = new Set(['-v', '--mount', '-e', '-w', '--name', '--gpus', '-it', '--rm']);

/**
 * devcontainer.json: `image`, `runArgs` (the docker flags with no property of their own), `mounts`,
 * `containerEnv` (`${localEnv:NAME}` for pass-through), `workspaceFolder`, `hostRequirements.gpu`.
 */
export function toDevcontainerJson(p: Profile): ExportResult {
  const { profile, notes } = portableProfile(p);
  const v = (s: string) => s.replace(/\$\{([^}]*)\}/g, (_m, name: string) => devcontainerVariable(name, p.name));
  const home = (s: string) => (s === '~' || s.startsWith('~/') ? `\${localEnv:HOME}${s.slice(1)}` : v(s));
  const hostPath = (s: string) => (s.startsWith('./') ? `\${localWorkspaceFolder}${s.slice(1)}` : home(s));
  const out: Record<string, unknown> = { name: p.name };
  if (profile.image) out.image = v(profile.image);
  const argv = toDockerRunArgs(
    {
      ...profile,
      volumes: [],
      mounts: [],
      env: {},
      envFile: [],
      workdir: undefined,
      containerName: undefined,
      autoRemove: false,
    },
    {
      portable: (name) =>
        name === 'host-user' ? '${localEnv:UID}:${localEnv:GID}' : devcontainerVariable(name, p.name),
    },
  );
  // argv: run, -it, flags…, image, command…
  const image = argv.indexOf(profile.image ? v(profile.image) : '<image>', 2);
  const flags = argv.slice(2, image < 0 ? argv.length : image);
  const runArgs: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (DEVCONTAINER_OWN.has(flags[i])) {
      if (flags[i] !== '-it' && flags[i] !== '--rm') i++;
      continue;
    }
    runArgs.push(flags[i]);
  }
  const command = image < 0 ? [] : argv.slice(image + 1);
  const g = gpusFlagValue(profile);
  if (g !== undefined && g !== 'all') runArgs.unshift('--gpus', g);
  if (runArgs.length) out.runArgs = runArgs;
  const mounts: string[] = [];
  for (const vol of profile.volumes) {
    if (vol.kind === 'anonymous') mounts.push(`type=volume,target=${v(vol.target)}`);
    else
      mounts.push(
        [
          `source=${vol.kind === 'bind' ? hostPath(vol.source ?? '') : v(vol.source ?? '')}`,
          `target=${v(vol.target)}`,
          `type=${vol.kind}`,
          ...(vol.readOnly ? ['readonly'] : []),
        ].join(','),
      );
  }
  for (const m of profile.mounts)
    mounts.push(
      mountCsv(
        m,
        m.source === undefined ? undefined : m.type === 'bind' ? hostPath(m.source) : v(m.source),
        v(m.target),
      ),
    );
  if (mounts.length) out.mounts = mounts;
  if (Object.keys(profile.env).length)
    out.containerEnv = Object.fromEntries(
      Object.entries(profile.env).map(([k, x]) => [k, x === null ? `\${localEnv:${k}}` : v(x)]),
    );
  if (profile.workdir) out.workspaceFolder = v(profile.workdir);
  if (command.length) {
    notes.push({
      profile: p.name,
      field: 'command',
      severity: 'warning',
      message: t('devcontainer.json has no property for the command; it is in "postStartCommand" instead.'),
    });
    out.postStartCommand = command;
  }
  if (profile.gpus !== 'none') out.hostRequirements = { gpu: true };
  if (profile.envFile.length)
    out.runArgs = [
      ...((out.runArgs as string[] | undefined) ?? []),
      ...profile.envFile.flatMap((f) => ['--env-file', hostPath(f)]),
    ];
  return { text: JSON.stringify(out, null, 2) + '\n', notes };
}
