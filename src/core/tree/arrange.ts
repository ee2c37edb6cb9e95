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

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
/** ASCII case folding: container and image names are ASCII (Docker's rules); other text by code point. */
const fold = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Natural order: `ux-many-1, ux-many-2, ux-many-10, ux-many-100`; case-insensitive, ties broken by code points.
 * By hand rather than an `Intl.Collator({ numeric: true })`: creating one loads ICU's collation data, ~10 ms
 * (40 ms under the profiler) on the way to the first rows (issue 17), for names that are ASCII anyway.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Two runs of digits compare as numbers: leading zeros skipped, then the longer is larger.
      let ia = i;
      while (ia < a.length - 1 && a.charCodeAt(ia) === 48 && isDigit(a.charCodeAt(ia + 1))) ia++;
      let jb = j;
      while (jb < b.length - 1 && b.charCodeAt(jb) === 48 && isDigit(b.charCodeAt(jb + 1))) jb++;
      let ea = ia;
      while (ea < a.length && isDigit(a.charCodeAt(ea))) ea++;
      let eb = jb;
      while (eb < b.length && isDigit(b.charCodeAt(eb))) eb++;
      if (ea - ia !== eb - jb) return ea - ia < eb - jb ? -1 : 1;
      for (let k = 0; k < ea - ia; k++) {
        const d = a.charCodeAt(ia + k) - b.charCodeAt(jb + k);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      i = ea;
      j = eb;
      continue;
    }
    const fa = fold(ca);
    const fb = fold(cb);
    if (fa !== fb) return fa < fb ? -1 : 1;
    i++;
    j++;
  }
  const left = a.length - i - (b.length - j);
  if (left !== 0) return left < 0 ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
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
