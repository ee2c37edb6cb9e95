/**
 * A launch decided in core: a profile, its image and the workspace context → the create body, the name, the
 * "N free GPUs" request, the notes said (not asked), and every error that blocks it. The glue
 * (commands/launchCommands.ts) then asks what only the host can answer (conflicts, paths, the image, GPUs,
 * /dev/shm) and executes the plan.
 */
import type { ContainerCreateOptions } from './docker';
import { idleLabels } from './gpu/idlePolicy';
import { t } from './l10n';
import { toCreateOptions } from './profiles/createOptions';
import type { FreeGpuRequest, Problem, Profile, ProfileContext } from './profiles/profileTypes';

export interface LaunchPlan {
  profile: Profile;
  image: string;
  /** The container's name (the profile's template resolved). */
  name: string;
  /** The create body: the profile's fields, the idle policy's labels. */
  options: ContainerCreateOptions;
  /** `gpus: { free: N }`: GPUs picked at create time, from a fresh reading. */
  free?: FreeGpuRequest;
  /** What the launch changes or depends on (a name with a variable's characters replaced, a CDI device). */
  notes: string[];
}

/** A profile that cannot be launched as it is: every error-level problem in one sentence. */
export class LaunchBlocked extends Error {}

/** Problems said at launch without asking: they change what the launch is named or depends on. */
const NOTE_FIELDS = /^(containerName|gpuContainers\.containerNameTemplate|devices\[)/;

export function planLaunch(
  profile: Profile,
  image: string,
  ctx: ProfileContext,
  o: { containerNameTemplate?: string } = {},
): LaunchPlan {
  const built = toCreateOptions({ ...profile, image }, ctx, { containerNameTemplate: o.containerNameTemplate });
  const errors = built.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0)
    throw new LaunchBlocked(t('Profile {0} cannot be launched: {1}', profile.name, errors.map(problemText).join(' ')));
  const notes = built.problems
    .filter((p) => p.severity === 'warning' && NOTE_FIELDS.test(p.field ?? ''))
    .map((p) => `${p.field}: ${p.message}`);
  // The idle policy goes with the container (the profile may change or go): applied by its owner's IdleWatch.
  const options = profile.idle
    ? { ...built.options, Labels: { ...built.options.Labels, ...idleLabels(profile.idle) } }
    : built.options;
  const free = profile.gpus !== 'none' && 'free' in profile.gpus ? profile.gpus.free : undefined;
  return { profile, image, name: built.name, options, ...(free ? { free } : {}), notes };
}

function problemText(p: Problem): string {
  return `${p.field ? `${p.field}: ` : ''}${p.message}`;
}
