import type { Translate } from './format';

export interface ContainersViewInput {
  /** Containers on the engine, all of them. */
  total: number;
  /** Rows shown after the mine/all and text filters. */
  shown: number;
  running: number;
  filter: 'mine' | 'all';
  /** The view's text filter ('' when none). */
  text: string;
  /** Workspace launch profiles refused in Restricted Mode. */
  refused: number;
  /** Set while the rows are stale (the engine stopped answering): when, as the user reads a time (e.g. 14:03:07). */
  staleSince?: string;
  /** The engine's address, named in the stale message. */
  host?: string;
  /** Why an ssh:// engine cannot be reached, with its fix (`sshProblemText`); first in the message. */
  problem?: string;
  t: Translate;
}

/**
 * The view's sentence for an engine failure that is an ssh one (sshErrors.ts), with its fix; undefined for
 * any other, which the view's welcome texts say (they know only the engine state, not the ssh host).
 */
export function sshProblemText(
  state: string,
  error: { ssh?: string; message: string; fix: string } | undefined,
): string | undefined {
  if (state === 'ok' || !error?.ssh) return undefined;
  return `${error.message} ${error.fix}`;
}

/** The Containers view's message and description (pure: the view assigns them only when they change). */
export function containersViewTexts(i: ContainersViewInput): { message?: string; description?: string } {
  const filterMessage = i.text
    ? i.total === 1
      ? i.t('Filter "{0}": {1} of 1 container.', i.text, i.shown)
      : i.t('Filter "{0}": {1} of {2} containers.', i.text, i.shown, i.total)
    : i.filter === 'mine' && i.total > i.shown
      ? i.t('Showing your containers ({0} of {1}).', i.shown, i.total)
      : undefined;
  const refusedMessage =
    i.refused > 0
      ? i.t('Launch profiles from this folder are not used: the folder is not trusted (Restricted Mode).')
      : undefined;
  // With an ssh problem first (no answer over ssh), the rows are stale because of the link, not Docker.
  const staleMessage =
    i.staleSince === undefined
      ? undefined
      : i.problem
        ? i.t('These rows are from {0} and may be out of date; they update when the host answers again.', i.staleSince)
        : i.t(
            'Docker at {0} is not answering (since {1}): these rows may be out of date. They update when it answers again.',
            i.host ?? '',
            i.staleSince,
          );
  const message = [i.problem, staleMessage, refusedMessage, filterMessage].filter(Boolean).join(' ') || undefined;
  const parts = [
    ...(i.staleSince !== undefined ? [i.t('not answering: rows may be stale')] : []),
    ...(i.total > 0 ? [i.t('{0} running', i.running)] : []),
    ...(i.total > 0 && i.text ? [i.t('filter: {0}', i.text)] : []),
  ];
  const description = parts.length > 0 ? parts.join(' · ') : undefined;
  return { message, description };
}
