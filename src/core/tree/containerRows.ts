import type { ContainerState, ContainerSummary } from '../docker/engineTypes';
import { capabilityFlags, type EngineCapabilities } from '../docker/capabilities';
import { gpuDetail, gpuSummary } from '../gpu/request';
import type { GpuInfo } from '../gpu/smi';
import { naturalCompare } from './arrange';
import { english, formatAge, formatGiB, shortId, type Translate } from './format';
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
export function containerContextValue(c: ContainerSummary, user: string, caps?: EngineCapabilities): string {
  const flags = [`${c.state === 'unknown' ? 'exited' : c.state}Container`];
  if (isMine(c, user)) flags.push('mine');
  if (c.gpu) flags.push('gpu');
  // What its host can do (`can-commit`, `can-restartInPlace`…): Commit and Restart hide on a pod's row.
  if (caps) flags.push(...capabilityFlags(caps));
  return flags.join(';');
}

/** Running (and restarting/paused) first, then the rest; by name in natural order (`x-2` before `x-10`). */
export function sortContainers(list: readonly ContainerSummary[]): ContainerSummary[] {
  return [...list].sort((a, b) => {
    const ga = ACTIVE.has(a.state) ? 0 : 1;
    const gb = ACTIVE.has(b.state) ? 0 : 1;
    return ga - gb || naturalCompare(a.name, b.name) || naturalCompare(a.id, b.id);
  });
}

/**
 * sortContainers for a list that changes a little at a time (one event, one row): the last result's order
 * is the input, so the sort (TimSort) does about one comparison per row instead of n·log n collator calls.
 * The result is memoized on `key` (the store's revision and the view's filters).
 */
export class ContainerOrder {
  private key: string | undefined;
  private last: ContainerSummary[] = [];
  private rank = new Map<string, number>();

  /** Whether `key` is the memoized one (then `sort` ignores its list). */
  has(key: string): boolean {
    return key === this.key;
  }

  sort(list: readonly ContainerSummary[], key: string): ContainerSummary[] {
    if (key === this.key) return this.last;
    const slots: Array<ContainerSummary | undefined> = new Array<ContainerSummary | undefined>(this.last.length);
    const fresh: ContainerSummary[] = [];
    for (const c of list) {
      const r = this.rank.get(c.id);
      if (r === undefined || slots[r] !== undefined) fresh.push(c);
      else slots[r] = c;
    }
    const input: ContainerSummary[] = [];
    for (const c of slots) if (c !== undefined) input.push(c);
    for (const c of fresh) input.push(c);
    this.last = sortContainers(input);
    this.rank = new Map(this.last.map((c, i) => [c.id, i]));
    this.key = key;
    return this.last;
  }
}

/**
 * Attach into somebody else's container asks first, once per container: true when the container is not
 * the user's and the user has not said yes for it yet in this session.
 */
export function needsOwnerConfirmation(c: ContainerSummary, user: string, confirmed: ReadonlySet<string>): boolean {
  return !isMine(c, user) && !confirmed.has(c.id);
}

/** A short-lived state shown on the row while a command runs (cleared on the next change of the row). */
export type TransientState = 'stopping' | 'restarting' | 'starting' | 'removing';

function transientText(state: TransientState, t: Translate): string {
  switch (state) {
    case 'stopping':
      return t('Stopping…');
    case 'restarting':
      return t('Restarting…');
    case 'starting':
      return t('Starting…');
    case 'removing':
      return t('Removing…');
  }
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

export interface ContainerItemContext {
  user: string;
  now?: number;
  t?: Translate;
  /** The status text computed at render time (StatusClock); Docker's string when absent. */
  status?: string;
  /** Name the owner on rows labelled with somebody else's name ("all" mode). */
  showOwner?: boolean;
  /** The GPUs of the container's host, from its snapshot (device ids shown as their indexes); none yet: []. */
  gpus?: readonly GpuInfo[];
  transient?: TransientState;
  /**
   * GPU memory its processes use (MiB, summed over its GPUs), from the GPU snapshot already read; undefined
   * when the snapshot is not known or the container has no GPU process.
   */
  gpuMemoryMiB?: number;
  /** What the container's host can do: its flags go on the row's contextValue (menus hide what it cannot). */
  capabilities?: EngineCapabilities;
}

/** The GPU memory worth showing: only for a running (or paused) container, from a known snapshot. */
function shownGpuMemory(c: ContainerSummary, mib: number | undefined): number | undefined {
  return mib !== undefined && mib > 0 && ACTIVE.has(c.state) ? mib : undefined;
}

/**
 * The row's description: image · status · GPUs, with the owner first on a row somebody else's label names.
 * A container without an owner label says nothing about owners: on a single-user engine (the usual case)
 * none has one, and "no owner label" on every row would push the status out of a sidebar.
 */
export function containerDescription(c: ContainerSummary, ctx: ContainerItemContext): string {
  const t = ctx.t ?? english;
  const status = ctx.transient ? transientText(ctx.transient, t) : ctx.status || c.status || c.state;
  const owner = ctx.showOwner && c.owner && c.owner !== ctx.user ? t('owner {0}', c.owner) : undefined;
  const mib = shownGpuMemory(c, ctx.gpuMemoryMiB);
  const memory = mib === undefined ? undefined : t('{0} GiB GPU', formatGiB(mib));
  return [owner, c.image, status, gpuSummary(c.gpu, ctx.gpus), memory].filter(Boolean).join(' · ');
}

/** The row itself: cheap, built for every container on every refresh. */
export function containerItem(c: ContainerSummary, ctx: ContainerItemContext): ItemModel {
  return {
    id: c.id,
    label: c.name,
    description: containerDescription(c, ctx),
    icon: ctx.transient ? { id: 'loading~spin' } : containerIcon(c),
    contextValue: containerContextValue(c, ctx.user, ctx.capabilities),
  };
}

/** The hover text (markdown), built only when the user hovers a row. */
export function containerTooltip(
  c: ContainerSummary,
  ctx: { now: number; t?: Translate; status?: string; gpuMemoryMiB?: number; gpus?: readonly GpuInfo[] },
): string {
  const t = ctx.t ?? english;
  const lines = [
    `**${escapeMd(c.name)}** \`${shortId(c.id)}\``,
    '',
    `${t('Image')}: ${code(c.image)}`,
    `${t('Status')}: ${escapeMd(ctx.status || c.status || c.state)}`,
  ];
  if (c.gpu) lines.push(`${t('GPUs')}: ${gpuDetail(c.gpu, ctx.gpus, code)}`);
  const mib = shownGpuMemory(c, ctx.gpuMemoryMiB);
  if (mib !== undefined)
    lines.push(t('GPU memory: {0} GiB ({1} MiB, the sum of its processes)', formatGiB(mib), Math.round(mib)));
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
    // A blank line ends the list: without it the lines below are indented as part of the last item.
    lines.push('');
  }
  lines.push(`${t('Created')}: ${formatAge(c.created, ctx.now, t)}`);
  if (c.owner) lines.push(`${t('Owner')}: ${escapeMd(c.owner)}`);
  return lines.join('  \n');
}
