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
  t: Translate;
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
  const message = [refusedMessage, filterMessage].filter(Boolean).join(' ') || undefined;
  const description =
    i.total > 0 ? i.t('{0} running', i.running) + (i.text ? ` · ${i.t('filter: {0}', i.text)}` : '') : undefined;
  return { message, description };
}
