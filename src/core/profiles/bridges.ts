/**
 * Bridges to the cluster world (issue 29 item 6): a profile exported as a Slurm `srun` line for the pyxis
 * plugin, a SkyPilot task YAML and a dstack dev-environment. Same rules as the other exports (exports.ts):
 * secret values never written (pass-through by name instead), variables stay variables, and whatever the
 * target cannot express is named in a note — never silently dropped.
 */
import type * as Yaml from 'yaml';
import { t } from '../l10n';
import { portableProfile, type ExportResult } from './exports';
import { quoteShellArg } from './shell';
import type { Problem, Profile } from './profileTypes';

type Note = (field: string, message: string) => void;

/**
 * The profile as it travels (exports.ts), keeping the GPU request as asked: a scheduler picks free GPUs
 * itself, so `{ free: N }` needs no "written as a count" note here. A leading `~` of a host path becomes
 * `${userHome}` so every target can write it its own way.
 */
function travelling(p: Profile): { profile: Profile; notes: Problem[] } {
  const { profile, notes } = portableProfile(p);
  const home = (s: string | undefined) => (s === '~' || s?.startsWith('~/') ? `\${userHome}${s.slice(1)}` : s);
  return {
    profile: {
      ...profile,
      gpus: p.gpus,
      volumes: profile.volumes.map((v) => ({ ...v, source: v.kind === 'bind' ? home(v.source) : v.source })),
      mounts: profile.mounts.map((m) => ({ ...m, source: m.type === 'bind' ? home(m.source) : m.source })),
    },
    notes: notes.filter((n) => n.field !== 'gpus'),
  };
}

function notesFor(p: Profile, notes: Problem[]): Note {
  return (field, message) => notes.push({ profile: p.name, field, severity: 'warning', message });
}

/** The GPU count a scheduler should allocate, or why there is none to give. */
function gpuCount(p: Profile, note: Note, target: string): number | undefined {
  const g = p.gpus;
  if (g === 'none') return undefined;
  if ('count' in g) return g.count;
  if ('free' in g) return g.free.count;
  if ('all' in g) {
    note('gpus', t('"all GPUs" has no meaning on {0}, which allocates GPUs by count; set the count you need.', target));
    return undefined;
  }
  note(
    'gpus',
    t(
      'GPU ids ({0}) cannot be chosen on {1}: its scheduler picks the GPUs. Written as a count of {2}.',
      g.devices.join(','),
      target,
      g.devices.length,
    ),
  );
  return g.devices.length;
}

/** The GPU model asked for (`gpus: { free: N, model }`), if any. */
function gpuModel(p: Profile): string | undefined {
  return p.gpus !== 'none' && 'free' in p.gpus ? p.gpus.free.model : undefined;
}

/** `${env:X}` → `$X`-style for a shell, `${workspaceFolder}` → `$PWD`, `${userHome}` → `$HOME`. */
function shellWord(s: string, profileName: string): { text: string; live: boolean } {
  let live = false;
  const text = s.replace(/\$\{([^}]*)\}/g, (m, v: string) => {
    live = true;
    if (v.startsWith('env:')) return `\${${v.slice(4)}}`;
    if (v === 'userHome') return '${HOME}';
    if (v === 'user') return '${USER}';
    if (v === 'workspaceFolder') return '${PWD}';
    if (v === 'workspaceFolderBasename') return '${PWD##*/}';
    if (v === 'profile') return profileName;
    live = false;
    return m;
  });
  return { text, live };
}

/** One shell word: literal text single-quoted, our variables left live inside double quotes. */
function quoteWord(s: string, profileName: string): string {
  if (!shellWord(s, profileName).live) return quoteShellArg(s);
  // Only our substitutions are live: escape everything else the double quotes would expand.
  let out = '';
  for (const piece of s.split(/(\$\{[^}]*\})/)) {
    if (/^\$\{[^}]*\}$/.test(piece)) out += shellWord(piece, profileName).text;
    else out += piece.replace(/[\\"$`]/g, (c) => `\\${c}`);
  }
  return `"${out}"`;
}

/** pyxis names registry images `registry#path:tag` (enroot's URI form); Docker Hub names stay as they are. */
export function pyxisImage(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return image;
  const first = image.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? `${first}#${image.slice(slash + 1)}` : image;
}

/** A `srun` line for Slurm with the pyxis plugin (`--container-image`). */
export function toSlurmSrun(p: Profile): ExportResult {
  const { profile, notes } = travelling(p);
  const note = notesFor(p, notes);
  const target = 'Slurm';
  const argv: string[] = ['srun', `--job-name=${p.name}`];
  const n = gpuCount(profile, note, target);
  if (n !== undefined) argv.push(`--gpus=${gpuModel(profile) ? `${gpuModel(profile)}:` : ''}${n}`);
  if (profile.image) argv.push(`--container-image=${pyxisImage(profile.image)}`);
  const mounts: string[] = [];
  for (const v of profile.volumes) {
    if (v.kind !== 'bind' || !v.source) {
      note(`volumes`, t('{0}: only host folders can be mounted with pyxis; left out.', v.text));
      continue;
    }
    if (/[,:]/.test(v.source) || /[,:]/.test(v.target)) {
      note('volumes', t('{0}: a path with "," or ":" cannot be written in --container-mounts; left out.', v.text));
      continue;
    }
    mounts.push(`${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`);
  }
  for (const m of profile.mounts)
    if (m.type === 'bind' && m.source && !/[,:]/.test(m.source + m.target))
      mounts.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
    else note('mounts', t('a {0} mount at {1} has no pyxis form; left out.', m.type, m.target));
  if (mounts.length) argv.push(`--container-mounts=${mounts.join(',')}`);
  if (profile.workdir) argv.push(`--container-workdir=${profile.workdir}`);
  const passThrough = Object.entries(profile.env).filter(([, v]) => v === null);
  const literal = (Object.entries(profile.env).filter(([, v]) => v !== null) as Array<[string, string]>).filter(
    ([k, v]) => {
      if (!v.includes(',')) return true;
      note(`env.${k}`, t('{0}: Slurm --export cannot carry a value with ","; set it in the job environment.', k));
      return false;
    },
  );
  // Literal values reach the job's environment with --export; --container-env hands them (and pass-through
  // names) into the container over the image's own values.
  if (literal.length) argv.push(`--export=ALL,${literal.map(([k, v]) => `${k}=${v}`).join(',')}`);
  const names = [...passThrough.map(([k]) => k), ...literal.map(([k]) => k)];
  if (names.length) argv.push(`--container-env=${names.join(',')}`);
  if (profile.shmSize) note('shmSize', t('pyxis containers use the node’s own /dev/shm; shmSize was left out.'));
  if (profile.ports.length)
    note('ports', t('a Slurm job shares the node’s network: ports need no publishing and were left out.'));
  if (profile.user)
    note('user', t('pyxis runs as the submitting user (or root with --container-remap-root); user was left out.'));
  if (
    Object.keys(profile.extra ?? {}).length ||
    profile.ipc ||
    profile.network ||
    profile.privileged ||
    profile.capAdd.length
  )
    note(
      'extraFlags',
      t('docker-only options (ipc, network, capabilities, other flags) have no pyxis form; left out.'),
    );
  const command = [...(profile.entrypoint ?? []), ...(profile.command ?? [])];
  argv.push('--pty', ...(command.length ? command : ['bash']));
  const text = argv.map((a, i) => (i === 0 ? a : quoteWord(a, p.name))).join(' ');
  return { text, notes };
}

/** A YAML document with the `yaml` package (its own chunk, loaded on first use like the Compose export). */
function yamlText(value: unknown, header = ''): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load of a separate chunk.
  const { Document } = require('yaml') as typeof Yaml;
  return header + new Document(value).toString({ lineWidth: 0 });
}

/** `${env:X}` → `${X}` (SkyPilot and dstack both read `${X}` from the task's env). */
function envStyle(s: string, p: Profile): string {
  return s.replace(/\$\{([^}]*)\}/g, (m, v: string) =>
    v.startsWith('env:')
      ? `\${${v.slice(4)}}`
      : v === 'workspaceFolder'
        ? '.'
        : v === 'userHome'
          ? '~'
          : v === 'profile'
            ? p.name
            : m,
  );
}

function commandLine(p: Profile): string | undefined {
  const command = [...(p.entrypoint ?? []), ...(p.command ?? [])];
  return command.length ? command.map(quoteShellArg).join(' ') : undefined;
}

/** Ports as numbers where the container port is what matters to the target (both publish by number). */
function containerPorts(p: Profile): number[] {
  return [
    ...new Set(p.ports.flatMap((s) => s.bindings.map((b) => Number(b.containerPort.replace(/\/(tcp|udp)$/, ''))))),
  ].filter((n) => Number.isInteger(n) && n > 0);
}

/** A SkyPilot task (`sky launch task.yaml`): the image as `docker:…`, accelerators, envs, file mounts. */
export function toSkyPilotYaml(p: Profile): ExportResult {
  const { profile, notes } = travelling(p);
  const note = notesFor(p, notes);
  const task: Record<string, unknown> = { name: p.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-') };
  const resources: Record<string, unknown> = {};
  if (profile.image) resources.image_id = `docker:${envStyle(profile.image, p)}`;
  const n = gpuCount(profile, note, 'SkyPilot');
  if (n !== undefined) {
    const model = gpuModel(profile);
    if (!model)
      note(
        'gpus',
        t('SkyPilot asks for GPUs by model: replace GPU_MODEL in accelerators with the one you need (e.g. H100).'),
      );
    resources.accelerators = `${model ?? 'GPU_MODEL'}:${n}`;
  }
  const ports = containerPorts(profile);
  if (ports.length) resources.ports = ports;
  if (Object.keys(resources).length) task.resources = resources;
  if (Object.keys(profile.env).length)
    task.envs = Object.fromEntries(
      Object.entries(profile.env).map(([k, v]) => [k, v === null ? null : envStyle(v, p)]),
    );
  const mounts: Record<string, string> = {};
  for (const v of profile.volumes)
    if (v.kind === 'bind' && v.source) {
      if (v.source === '${workspaceFolder}' || v.source === '.') task.workdir = '.';
      else mounts[envStyle(v.target, p)] = envStyle(v.source, p);
    } else note('volumes', t('{0}: only local folders can be file mounts on SkyPilot; left out.', v.text));
  if (Object.keys(mounts).length) {
    task.file_mounts = mounts;
    note('volumes', t('SkyPilot copies file mounts to the cluster: changes there do not reach your machine.'));
  }
  if (profile.workdir) note('workdir', t('SkyPilot runs in its own working folder; workdir was left out.'));
  if (profile.shmSize || profile.ipc || profile.user || Object.keys(profile.extra ?? {}).length)
    note('extraFlags', t('docker-only options (shmSize, ipc, user, other flags) have no SkyPilot form; left out.'));
  task.run = commandLine(profile) ?? 'sleep infinity';
  return { text: yamlText(task), notes };
}

/** dstack's byte sizes: `16GB`. */
function dstackSize(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  return Number.isInteger(gb) ? `${gb}GB` : `${Math.ceil(bytes / 1024 ** 2)}MB`;
}

/** A dstack dev environment (`dstack apply -f .dstack.yml`): image, GPUs, shm, env, ports, instance volumes. */
export function toDstackYaml(p: Profile): ExportResult {
  const { profile, notes } = travelling(p);
  const note = notesFor(p, notes);
  const conf: Record<string, unknown> = {
    type: 'dev-environment',
    name: p.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
    ide: 'vscode',
  };
  if (profile.image) conf.image = envStyle(profile.image, p);
  const env = Object.entries(profile.env).map(([k, v]) => (v === null ? k : `${k}=${envStyle(v, p)}`));
  if (env.length) conf.env = env;
  const resources: Record<string, unknown> = {};
  const n = gpuCount(profile, note, 'dstack');
  if (n !== undefined) {
    const g = profile.gpus !== 'none' && 'free' in profile.gpus ? profile.gpus.free : undefined;
    const mem = g?.minFreeMemoryMiB ? `${Math.ceil(g.minFreeMemoryMiB / 1024)}GB..` : undefined;
    resources.gpu = [g?.model, mem, String(n)].filter(Boolean).join(':');
  }
  if (profile.shmSize) resources.shm_size = dstackSize(profile.shmSize.bytes);
  if (Object.keys(resources).length) conf.resources = resources;
  const ports = containerPorts(profile);
  if (ports.length) conf.ports = ports;
  const volumes: string[] = [];
  for (const v of profile.volumes)
    if (v.kind === 'bind' && v.source && v.source !== '${workspaceFolder}' && v.source !== '.')
      volumes.push(`${envStyle(v.source, p)}:${envStyle(v.target, p)}`);
    else if (v.kind === 'volume' && v.source) volumes.push(`${v.source}:${envStyle(v.target, p)}`);
    else if (v.source === '${workspaceFolder}' || v.source === '.')
      note('volumes', t('dstack brings the repository itself; the workspace mount {0} was left out.', v.text));
  if (volumes.length) conf.volumes = volumes;
  const command = commandLine(profile);
  if (command) {
    conf.init = [command];
    note('command', t('a dev environment has no main command; it runs as an init command instead.'));
  }
  if (profile.user || profile.ipc || profile.workdir || Object.keys(profile.extra ?? {}).length)
    note('extraFlags', t('docker-only options (user, ipc, workdir, other flags) have no dstack form; left out.'));
  return { text: yamlText(conf), notes };
}
