import { OWNER_LABEL, PROFILE_LABEL } from '../docker/labels';
import type { ContainerState, ContainerSummary } from '../docker/engineTypes';
import { english, type Translate } from './format';

/** How the Containers view groups its rows (remembered per workspace). */
export type GroupBy = 'none' | 'state' | 'project' | 'owner';
export const GROUP_BYS: readonly GroupBy[] = ['none', 'state', 'project', 'owner'];

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';

/** A grouping row of the Containers view; its children are containers. */
export interface ContainerGroup {
  readonly kind: 'group';
  readonly groupBy: GroupBy;
  /** Stable across refreshes (the tree item id is derived from it). */
  readonly key: string;
  readonly label: string;
  readonly containers: ContainerSummary[];
}

const ACTIVE: ReadonlySet<ContainerState> = new Set(['running', 'restarting', 'paused']);
export const isActive = (c: ContainerSummary): boolean => ACTIVE.has(c.state);

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order: `ux-many-1, ux-many-2, ux-many-10, ux-many-100`; case-insensitive, ties broken by code points. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Does a container match the view's text filter? Case-insensitive substring of the name, the image, or
 * any label written `key=value`; several words must all match (in any of those).
 */
export function matchesText(c: ContainerSummary, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [c.name, c.image, ...Object.entries(c.labels).map(([k, v]) => `${k}=${v}`)].map((s) => s.toLowerCase());
  return words.every((w) => hay.some((h) => h.includes(w)));
}

/** The key of the group a container falls in; '' is the "none" group (no profile/project, no owner). */
export function groupKey(c: ContainerSummary, by: GroupBy): string {
  switch (by) {
    case 'state':
      return isActive(c) ? 'running' : 'stopped';
    case 'project': {
      const profile = c.labels[PROFILE_LABEL];
      if (profile) return `profile:${profile}`;
      const compose = c.labels[COMPOSE_PROJECT_LABEL];
      return compose ? `compose:${compose}` : '';
    }
    case 'owner':
      return c.owner ?? c.labels[OWNER_LABEL] ?? '';
    default:
      return '';
  }
}

/** The label of a group row: "Running", "Profile bert", "Compose project web", "tom (you)", "No owner label". */
export function groupLabel(by: GroupBy, key: string, ctx: { user: string; t?: Translate }): string {
  const t = ctx.t ?? english;
  switch (by) {
    case 'state':
      return key === 'running' ? t('Running') : t('Stopped');
    case 'project':
      if (key.startsWith('profile:')) return t('Profile {0}', key.slice('profile:'.length));
      if (key.startsWith('compose:')) return t('Compose project {0}', key.slice('compose:'.length));
      return t('No profile or compose project');
    case 'owner':
      if (!key) return t('No owner label');
      return key === ctx.user ? t('{0} (you)', key) : key;
    default:
      return key;
  }
}

/**
 * Splits an already sorted list into groups. Order: Running before Stopped; otherwise the current user's
 * group first, named groups in natural order, the "none" group last. Empty groups are not shown.
 */
export function groupContainers(
  sorted: readonly ContainerSummary[],
  by: GroupBy,
  ctx: { user: string; t?: Translate },
): ContainerGroup[] {
  const byKey = new Map<string, ContainerSummary[]>();
  for (const c of sorted) {
    const key = groupKey(c, by);
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(c);
  }
  const rank = (key: string): number => {
    if (by === 'state') return key === 'running' ? 0 : 1;
    if (key === '') return 2;
    return by === 'owner' && key === ctx.user ? 0 : 1;
  };
  return [...byKey.keys()]
    .sort((a, b) => rank(a) - rank(b) || naturalCompare(a, b))
    .map((key) => ({
      kind: 'group' as const,
      groupBy: by,
      key,
      label: groupLabel(by, key, ctx),
      containers: byKey.get(key) ?? [],
    }));
}

export function isContainerGroup(x: unknown): x is ContainerGroup {
  return typeof x === 'object' && x !== null && (x as ContainerGroup).kind === 'group';
}

/** "1 container", "12 containers" — the description of a group row. */
export function containerCount(n: number, t: Translate = english): string {
  return n === 1 ? t('1 container') : t('{0} containers', n);
}
