/** devcontainer.json export of a profile: secret-safe and portable like the other exports (exports.ts). */
import { t } from '../l10n';
import { toDockerRunArgs } from './dockerRun';
import { csvSafe } from './exportPaths';
import { gpusFlagValue } from './fieldDescImage';
import { csvMountField, mountCsv } from './fieldDescMounts';
import { portableProfile, type ExportOptions, type ExportResult } from './exports';
import type { Profile } from './profileTypes';

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
export function toDevcontainerJson(p: Profile, opts: ExportOptions = {}): ExportResult {
  const portable = portableProfile(p, opts);
  const notes = portable.notes;
  const profile = { ...portable.profile, ...csvSafe(portable.profile, notes, true) };
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
      labelFile: [],
      workdir: undefined,
      containerName: undefined,
      autoRemove: false,
    },
    {
      portable: (name) =>
        name === 'host-user' ? '${localEnv:UID}:${localEnv:GID}' : devcontainerVariable(name, p.name),
      home: '${localEnv:HOME}',
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
    // Each field quoted as the docker CLI's csv reads it: `/tmp:/data,source=/etc` stays one target.
    if (vol.kind === 'anonymous') mounts.push(['type=volume', `target=${v(vol.target)}`].map(csvMountField).join(','));
    else
      mounts.push(
        [
          `source=${vol.kind === 'bind' ? hostPath(vol.source ?? '') : v(vol.source ?? '')}`,
          `target=${v(vol.target)}`,
          `type=${vol.kind}`,
          ...(vol.readOnly ? ['readonly'] : []),
        ]
          .map(csvMountField)
          .join(','),
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
  if (profile.envFile.length || profile.labelFile.length)
    out.runArgs = [
      ...((out.runArgs as string[] | undefined) ?? []),
      ...profile.envFile.flatMap((f) => ['--env-file', hostPath(f)]),
      ...profile.labelFile.flatMap((f) => ['--label-file', hostPath(f)]),
    ];
  return { text: JSON.stringify(out, null, 2) + '\n', notes };
}
