/**
 * devcontainer.json → a launch profile (issue 29 item 6): `image`, `runArgs`, `mounts`, `containerEnv`,
 * `remoteEnv`, `containerUser` / `remoteUser`, `workspaceFolder` / `workspaceMount`, `forwardPorts` /
 * `appPort` and `hostRequirements.gpu`. The docker flags go through the `docker run` importer, so every flag
 * means what it means there; what a profile cannot hold (features, lifecycle commands, a Dockerfile build) is
 * a problem that names it. Never throws.
 */
import { t } from '../l10n';
import { importDockerRun } from './dockerRun';
import type { Problem, Profile } from './profileTypes';

/** JSON with comments and trailing commas (devcontainer.json is JSONC) → a value, or the parse error. */
export function parseJsonc(text: string): { value?: unknown; error?: string } {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      out += text.slice(start, ++i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return { value: JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Dev Containers' variables → ours (`${localEnv:X}` → `${env:X}`, `${localWorkspaceFolder}` → `${workspaceFolder}`). */
function fromDevcontainerVariables(s: string, containerWorkspace: string | undefined): string {
  return s.replace(/\$\{([^}:]+)(?::([^}]*))?\}/g, (m, name: string, arg?: string) => {
    if ((name === 'localEnv' || name === 'env') && arg === 'HOME') return '${userHome}';
    if ((name === 'localEnv' || name === 'env') && arg) return `\${env:${arg.split(':')[0]}}`;
    if (name === 'localWorkspaceFolder') return '${workspaceFolder}';
    if (name === 'localWorkspaceFolderBasename') return '${workspaceFolderBasename}';
    if (name === 'containerWorkspaceFolder' && containerWorkspace) return containerWorkspace;
    if (name === 'containerWorkspaceFolderBasename' && containerWorkspace)
      return containerWorkspace.split('/').filter(Boolean).pop() ?? '';
    return m;
  });
}

const str = (v: unknown): v is string => typeof v === 'string';

/** A `mounts` entry (string or object) as a `--mount` value. */
function mountArg(m: unknown): string | undefined {
  if (str(m)) return m;
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as { source?: unknown; target?: unknown; type?: unknown };
  if (!str(o.target)) return undefined;
  const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    `type=${str(o.type) ? o.type : 'bind'}`,
    ...(str(o.source) ? [csv(`source=${o.source}`)] : []),
    csv(`target=${o.target}`),
  ].join(',');
}

/** The text of a devcontainer.json → a profile and the problems found. */
export function importDevcontainer(
  text: string,
  fallbackName = 'devcontainer',
): { profile?: Profile; problems: Problem[] } {
  const problems: Problem[] = [];
  const parsed = parseJsonc(text);
  if (
    parsed.error !== undefined ||
    typeof parsed.value !== 'object' ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  )
    return {
      problems: [
        {
          severity: 'error',
          message: t(
            'This is not a devcontainer.json: {0}. Fix the file (it must be one JSON object), then import it again.',
            parsed.error ?? t('not an object'),
          ),
        },
      ],
    };
  const dc = parsed.value as Record<string, unknown>;
  const note = (field: string, message: string, severity: Problem['severity'] = 'warning') =>
    problems.push({ field, message, severity });
  if (!str(dc.image)) {
    note(
      'image',
      dc.build !== undefined || dc.dockerFile !== undefined
        ? t(
            'this devcontainer.json builds its image from a Dockerfile: build it first (Images → Build Image), then set "image" in the profile.',
          )
        : dc.dockerComposeFile !== undefined
          ? t('a Compose-based devcontainer.json names no single image; set "image" in the profile.')
          : t('"image" is missing; a launch profile needs an image.'),
      'error',
    );
  }
  // Dev Containers mounts the workspace at /workspaces/<folder name> unless workspaceMount says otherwise.
  const defaultWorkspace = '/workspaces/${workspaceFolderBasename}';
  const containerWorkspace = str(dc.workspaceFolder) ? dc.workspaceFolder : defaultWorkspace;
  const v = (s: string) => fromDevcontainerVariables(s, containerWorkspace);
  const args: string[] = ['run'];
  if (Array.isArray(dc.runArgs)) for (const a of dc.runArgs) if (str(a)) args.push(v(a));
  const gpu = (dc.hostRequirements as { gpu?: unknown } | undefined)?.gpu;
  const hasGpuFlag = args.some((a) => a === '--gpus' || a.startsWith('--gpus='));
  if (gpu !== undefined && gpu !== false && !hasGpuFlag) {
    args.push('--gpus', 'all');
    if (gpu === 'optional')
      note(
        'gpus',
        t('hostRequirements.gpu is "optional"; the profile asks for all GPUs (remove "gpus" to run without).'),
      );
    else if (typeof gpu === 'object')
      note(
        'gpus',
        t(
          'hostRequirements.gpu sets cores/memory; the profile asks for all GPUs (use gpus: { free: N, minFreeMemory } to pick).',
        ),
      );
  }
  if (Array.isArray(dc.mounts))
    for (const m of dc.mounts) {
      const arg = mountArg(m);
      if (arg) args.push('--mount', v(arg));
      else note('mounts', t('a mount entry without a target was left out.'));
    }
  if (str(dc.workspaceMount)) args.push('--mount', v(dc.workspaceMount));
  else args.push('-v', `\${workspaceFolder}:${defaultWorkspace}`);
  args.push('-w', v(containerWorkspace));
  for (const key of ['containerEnv', 'remoteEnv'] as const) {
    const env = dc[key];
    if (typeof env === 'object' && env !== null)
      for (const [k, val] of Object.entries(env)) if (str(val)) args.push('-e', `${k}=${v(val)}`);
  }
  if (str(dc.containerUser)) args.push('--user', dc.containerUser);
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v]);
  const ports = [...list(dc.forwardPorts), ...list(dc.appPort)];
  for (const p of ports)
    if (typeof p === 'number' || (str(p) && /^\d+$/.test(p))) args.push('-p', `${p}:${p}`);
    else if (str(p) && /^\d+:\d+$/.test(p)) args.push('-p', p);
    else note('forwardPorts', t('{0} is not a port of this machine; left out.', String(p)));
  args.push(str(dc.image) ? dc.image : '<image>');
  const imported = importDockerRun(args);
  problems.push(...imported.problems.filter((p) => !(!str(dc.image) && p.field === 'image')));
  const profile: Profile = {
    ...imported.profile,
    name: str(dc.name) && dc.name.trim() ? dc.name.trim() : fallbackName,
  };
  if (!str(dc.image)) profile.image = undefined;
  if (str(dc.remoteUser)) profile.execUser = dc.remoteUser;
  for (const key of [
    'features',
    'postCreateCommand',
    'postStartCommand',
    'postAttachCommand',
    'onCreateCommand',
    'updateContentCommand',
    'initializeCommand',
    'customizations',
  ])
    if (dc[key] !== undefined) note(key, t('"{0}" has no launch-profile equivalent and was not imported.', key));
  return { profile, problems };
}
