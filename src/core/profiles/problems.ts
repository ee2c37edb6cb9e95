/** What stops a profile from launching, and one line per problem for messages and logs. */
import { t } from '../l10n';
import type { Problem, Profile } from './profileTypes';

export type LaunchGate = { blocked: false } | { blocked: true; problems: Problem[]; message: string };

/** One line: `profile: field: message`. */
export function problemLine(p: Problem): string {
  return `${p.profile ? `${p.profile}: ` : ''}${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/**
 * A profile with error-level problems from settings never launches: its bad fields were skipped while reading,
 * so launching it would create a container that is not what the profile says (root instead of the user,
 * no mount, Docker's 64 MB /dev/shm). The launch flow shows `message` and offers to open the first field.
 */
export function launchGate(profile: Profile): LaunchGate {
  const problems = profile.errors ?? [];
  if (problems.length === 0) return { blocked: false };
  const lines = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`);
  return {
    blocked: true,
    problems,
    message:
      problems.length === 1
        ? t('Profile {0} cannot be launched until this is fixed: {1}', profile.name, lines[0])
        : t(
            'Profile {0} cannot be launched until these {1} problems are fixed: {2}',
            profile.name,
            problems.length,
            lines.join(' · '),
          ),
  };
}
