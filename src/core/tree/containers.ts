import type { ContainerState, ContainerSummary } from '../docker/types';
import { gpuSummary } from '../gpu/request';
import { english, formatAge, shortId, type Translate } from './format';
import { ownership } from '../ownership';
import { escapeMarkdown as escapeMd, markdownCode as code } from '../markdown';

/** How the container list is filtered: only the current user's containers, or everybody's. */
export type ContainerFilter = 'mine' | 'all';

/** A codicon id and an optional theme colour id. */
export interface IconSpec {
  id: string;
  color?: string;
}

/** Everything a TreeItem needs, computed without VS Code. */
export interface ItemModel {
  id: string;
  label: string;
  description: string;
  /** Markdown; absent where the view builds it lazily on hover (resolveTreeItem). */
  tooltip?: string;
  icon: IconSpec;
  contextValue: string;
}

const ACTIVE: ReadonlySet<ContainerState> = new Set(['running', 'restarting', 'paused']);

/** Mine = labelled with the current user as owner, or (unlabelled only) named exactly `${user}-…`. */
export function isMine(c: ContainerSummary, user: string): boolean {
  return ownership(c, user) !== 'others';
}

/** `runningContainer;mine;gpu` — the first segment drives the menus' `when` regexes in package.json. */
export function containerContextValue(c: ContainerSummary, user: string): string {
  const flags = [`${c.state === 'unknown' ? 'exited' : c.state}Container`];
  if (isMine(c, user)) flags.push('mine');
  if (c.gpu) flags.push('gpu');
  return flags.join(';');
}

/** Running (and restarting/paused) first, then the rest; by name within each group. */
export function sortContainers(list: readonly ContainerSummary[]): ContainerSummary[] {
  return [...list].sort((a, b) => {
    const ga = ACTIVE.has(a.state) ? 0 : 1;
    const gb = ACTIVE.has(b.state) ? 0 : 1;
    return ga - gb || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

export function filterContainers(
  list: readonly ContainerSummary[],
  filter: ContainerFilter,
  user: string,
): ContainerSummary[] {
  return filter === 'mine' ? list.filter((c) => isMine(c, user)) : [...list];
}

export function containerIcon(c: ContainerSummary): IconSpec {
  switch (c.state) {
    case 'running':
      return { id: 'vm-running', color: 'charts.green' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'restarting':
      return { id: 'sync', color: 'charts.yellow' };
    case 'removing':
      return { id: 'trash', color: 'disabledForeground' };
    case 'dead':
      return { id: 'error', color: 'charts.red' };
    case 'exited':
      return /\((?!0\))\d+\)/.test(c.status)
        ? { id: 'vm-outline', color: 'charts.red' }
        : { id: 'vm-outline', color: 'disabledForeground' };
    default:
      return { id: 'vm-outline', color: 'disabledForeground' };
  }
}

/** The row itself: cheap, built for every container on every refresh. */
export function containerItem(c: ContainerSummary, ctx: { user: string; now?: number; t?: Translate }): ItemModel {
  return {
    id: c.id,
    label: c.name,
    description: [c.image, c.status || c.state, gpuSummary(c.gpu)].filter(Boolean).join(' · '),
    icon: containerIcon(c),
    contextValue: containerContextValue(c, ctx.user),
  };
}

/** The hover text (markdown), built only when the user hovers a row. */
export function containerTooltip(c: ContainerSummary, ctx: { now: number; t?: Translate }): string {
  const t = ctx.t ?? english;
  const lines = [
    `**${escapeMd(c.name)}** \`${shortId(c.id)}\``,
    '',
    `${t('Image')}: ${code(c.image)}`,
    `${t('Status')}: ${escapeMd(c.status || c.state)}`,
  ];
  if (c.gpu) lines.push(`${t('GPUs')}: ${escapeMd(gpuSummary(c.gpu).replace(/^GPU /, ''))}`);
  if (c.ports.length > 0) {
    const ports = c.ports.map((p) =>
      p.hostPort
        ? `${p.hostIp && p.hostIp !== '0.0.0.0' ? `${p.hostIp}:` : ''}${p.hostPort}→${p.containerPort}/${p.protocol}`
        : `${p.containerPort}/${p.protocol}`,
    );
    lines.push(`${t('Ports')}: ${[...new Set(ports)].map((p) => `\`${p}\``).join(', ')}`);
  }
  if (c.mounts.length > 0) {
    lines.push(`${t('Mounts')}:`);
    for (const m of c.mounts.slice(0, 10)) {
      lines.push(`- ${code(m.source || m.name || m.type)} → ${code(m.destination)}${m.readOnly ? ' (ro)' : ''}`);
    }
    if (c.mounts.length > 10) lines.push(`- … ${c.mounts.length - 10}`);
  }
  lines.push(`${t('Created')}: ${formatAge(c.created, ctx.now, t)}`);
  if (c.owner) lines.push(`${t('Owner')}: ${escapeMd(c.owner)}`);
  return lines.join('  \n');
}
