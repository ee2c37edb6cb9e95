/**
 * The GPUs view's rows, what matters first: `GPU 1 · 39/80 GiB · 97% · alice/bert (+1 process)`. The model
 * is shown once for the host (the view's description), not on every row; containers holding `all` GPUs are
 * listed once, in their own row; stopped holders are folded under one child and never make a GPU busy;
 * processes outside containers are shown as such, with their user.
 */
import type { GpuHolder, GpuProcess, GpuRow, MigRow } from '../gpu/gpuModel';
import { idleHeldGpuMs, idleHolderMs, type UseView } from '../gpu/history';
import type { ItemModel } from './containerRows';
import { english, formatGiB as gib, type Translate } from './format';
import { deviceIndex, shortGpuId } from '../gpu/request';
import { statusNow } from './status';
import { escapeMarkdown as md, markdownCode as code } from '../markdown';
import { holderLease, holderName, idleText, migItem, useLines } from './gpuTexts';

export type GpuNode =
  | { kind: 'all'; holders: GpuHolder[] }
  | { kind: 'gpu'; row: GpuRow; model?: string }
  | { kind: 'holder'; row?: GpuRow; holder: GpuHolder; memoryMiB?: number }
  | { kind: 'stopped'; row?: GpuRow; holders: GpuHolder[] }
  | { kind: 'process'; row: GpuRow; process: GpuProcess }
  | { kind: 'mig'; row: GpuRow; mig: MigRow };

function spansAll(h: GpuHolder): boolean {
  return h.how === 'all' || h.container.gpu?.kind === 'all';
}

/** The one model of this host (`NVIDIA H100 80GB HBM3 × 8`), or undefined when the GPUs differ. */
export function hostModel(rows: GpuRow[]): string | undefined {
  const names = new Set(rows.map((r) => r.gpu.name));
  if (rows.length === 0 || names.size !== 1) return undefined;
  return `${rows[0].gpu.name} × ${rows.length}`;
}

/**
 * Top-level nodes: one row for the containers holding all GPUs (when any), then one per GPU — with `idleFirst`,
 * GPUs whose holders have left them idle past the window come first, longest idle first.
 */
export function gpuRootNodes(rows: GpuRow[], use?: UseView, idleFirst = false): GpuNode[] {
  const byId = new Map<string, GpuHolder>();
  for (const r of rows)
    for (const h of r.holders) if (spansAll(h) && !byId.has(h.container.id)) byId.set(h.container.id, h);
  const nodes: GpuNode[] = [];
  if (byId.size > 0)
    nodes.push({
      kind: 'all',
      holders: [...byId.values()].sort(
        (a, b) => Number(b.active) - Number(a.active) || a.container.name.localeCompare(b.container.name),
      ),
    });
  const mixed = hostModel(rows) === undefined;
  if (idleFirst && use) {
    const idle = new Map(rows.map((r) => [r, idleHeldGpuMs(r, use) ?? -1]));
    rows = [...rows].sort((a, b) => idle.get(b)! - idle.get(a)! || a.gpu.index - b.gpu.index);
  }
  for (const row of rows) nodes.push(mixed ? { kind: 'gpu', row, model: row.gpu.name } : { kind: 'gpu', row });
  return nodes;
}

function foreignProcesses(row: GpuRow): GpuProcess[] {
  const held = new Set(row.holders.filter((h) => h.active && !spansAll(h)).map((h) => h.container.id));
  return row.processes.filter((p) => !p.containerId || !held.has(p.containerId));
}

export function gpuChildren(node: GpuNode): GpuNode[] {
  if (node.kind === 'all') {
    const stopped = node.holders.filter((h) => !h.active);
    const out: GpuNode[] = node.holders.filter((h) => h.active).map((holder) => ({ kind: 'holder', holder }));
    if (stopped.length > 0) out.push({ kind: 'stopped', holders: stopped });
    return out;
  }
  if (node.kind === 'stopped') return node.holders.map((holder) => ({ kind: 'holder', row: node.row, holder }));
  if (node.kind === 'mig')
    return node.mig.holders
      .filter((h) => h.active)
      .map((holder) => ({
        kind: 'holder',
        row: node.row,
        holder,
        memoryMiB: node.row.memoryByContainer[holder.container.id],
      }));
  if (node.kind !== 'gpu') return [];
  const row = node.row;
  // MIG mode: each MIG device is a child, with the containers that asked for it under it.
  const onMig = new Set((row.mig ?? []).flatMap((m) => m.holders.filter((h) => h.active).map((h) => h.container.id)));
  const own = row.holders.filter((h) => !spansAll(h));
  const out: GpuNode[] = (row.mig ?? []).map((mig) => ({ kind: 'mig', row, mig }));
  own
    .filter((h) => h.active && !onMig.has(h.container.id))
    .forEach((holder) =>
      out.push({ kind: 'holder', row, holder, memoryMiB: row.memoryByContainer[holder.container.id] }),
    );
  for (const process of foreignProcesses(row)) out.push({ kind: 'process', row, process });
  const stopped = own.filter((h) => !h.active);
  if (stopped.length > 0) out.push({ kind: 'stopped', row, holders: stopped });
  return out;
}

function mem(used?: number, total?: number): string {
  if (used === undefined && total === undefined) return '';
  return `${used === undefined ? '?' : gib(used)}/${total === undefined ? '?' : gib(total)} GiB`;
}

function processName(p: GpuProcess, t: Translate): string {
  if (p.containerName) return p.containerName;
  return p.user ? t('{0} (PID {1})', p.user, p.pid) : t('PID {0}', p.pid);
}

/** Who uses a GPU, first: `alice/bert (+1 process)`, `bob (PID 4400)`; empty when free. */
export function gpuUsers(row: GpuRow, t: Translate = english): string {
  const active = row.holders.filter((h) => h.active);
  const own = active.filter((h) => !spansAll(h));
  const first = own[0] ?? active[0];
  const foreign = foreignProcesses(row);
  let head: string;
  let moreProcesses = foreign.length;
  if (first) head = spansAll(first) ? t('{0} (all GPUs)', holderName(first)) : holderName(first);
  else if (foreign.length > 0) {
    head = processName(foreign[0], t);
    moreProcesses--;
  } else if (row.processes.length > 0) head = processName(row.processes[0], t);
  else return '';
  const extra: string[] = [];
  const moreContainers = first ? active.length - 1 : 0;
  if (moreContainers === 1) extra.push(t('+1 container'));
  else if (moreContainers > 1) extra.push(t('+{0} containers', moreContainers));
  if (moreProcesses === 1) extra.push(t('+1 process'));
  else if (moreProcesses > 1) extra.push(t('+{0} processes', moreProcesses));
  return extra.length > 0 ? `${head} (${extra.join(', ')})` : head;
}

/**
 * `use`: GPU use over time (core/gpu/history.ts); `extensions`: the user's own lease extensions (container id →
 * ms; see core/gpu/lease.ts), shown instead of the label's time on their own containers.
 *
 * A GPU, MIG or all-GPUs row that has children gets another id (`…:held`) than the same row without: VS Code keeps
 * a row it knows by its id folded when it turns from a leaf into an expandable row (it applies
 * `Expanded` only to a row it has not seen), so a GPU that gains its first holder would come folded.
 */
export function gpuNodeItem(
  node: GpuNode,
  t: Translate = english,
  now = Date.now(),
  use?: UseView,
  extensions: Readonly<Record<string, number>> = {},
): ItemModel {
  const item = gpuNodeItemOf(node, t, now, use, extensions);
  return (node.kind === 'gpu' || node.kind === 'mig' || node.kind === 'all') && gpuChildren(node).length > 0
    ? { ...item, id: `${item.id}:held` }
    : item;
}

function gpuNodeItemOf(
  node: GpuNode,
  t: Translate,
  now: number,
  use: UseView | undefined,
  extensions: Readonly<Record<string, number>>,
): ItemModel {
  switch (node.kind) {
    case 'all':
      return {
        id: 'gpu:all',
        label: t('All GPUs'),
        description: node.holders
          .filter((h) => h.active)
          .map(holderName)
          .join(', '),
        tooltip: t('Containers that asked for all GPUs (`--gpus all`)'),
        icon: { id: 'layers' },
        contextValue: 'gpuAll',
      };
    case 'gpu':
      return gpuItem(node.row, node.model, t, now, use);
    case 'mig':
      return migItem(node.row, node.mig, t);
    case 'stopped':
      return {
        id: `gpu:${node.row?.gpu.uuid ?? 'all'}:stopped`,
        label: node.holders.length === 1 ? t('1 stopped container') : t('{0} stopped containers', node.holders.length),
        description: t('take the GPU again when started'),
        tooltip: node.holders.map((h) => md(holderName(h))).join('  \n'),
        icon: { id: 'debug-stop', color: 'disabledForeground' },
        contextValue: 'gpuStopped',
      };
    case 'holder':
      return holderItem(node, t, now, use, extensions);
    case 'process':
      return processItem(node.row, node.process, t);
  }
}

function gpuItem(row: GpuRow, model: string | undefined, t: Translate, now: number, use?: UseView): ItemModel {
  const g = row.gpu;
  const mig = g.migMode === 'Enabled';
  const users = gpuUsers(row, t);
  const idle = use && idleHeldGpuMs(row, use);
  const parts = [
    row.free ? t('free') : '',
    mem(g.memoryUsedMiB, g.memoryTotalMiB),
    g.utilizationPct === undefined ? '' : `${g.utilizationPct}%`,
    mig ? t('MIG') : '',
    users,
    idle === undefined ? '' : idleText(idle, t),
    model ?? '',
  ].filter(Boolean);
  const tip = [
    `**GPU ${g.index}: ${md(g.name)}**`,
    '',
    `UUID: \`${g.uuid.replace(/`/g, '')}\``,
    g.pciBusId ? `PCI: \`${g.pciBusId.replace(/`/g, '')}\`` : '',
    `${t('Memory')}: ${g.memoryUsedMiB ?? '?'} / ${g.memoryTotalMiB ?? '?'} MiB`,
    g.utilizationPct === undefined ? '' : `${t('Utilization')}: ${g.utilizationPct}%`,
    g.temperatureC === undefined ? '' : `${t('Temperature')}: ${g.temperatureC}°C`,
    g.driverVersion ? `${t('Driver')}: ${md(g.driverVersion)}` : '',
    mig
      ? `${t('MIG devices')}: ${(g.migDevices ?? []).map((d) => `${md(d.profile)} (${md(d.uuid)})`).join(', ') || '?'}`
      : '',
    ...(use ? useLines(use.history.gpuStats(g.uuid), now, t) : []),
    row.free ? t('Free: no running container holds it and no process uses it.') : '',
  ].filter(Boolean);
  return {
    id: `gpu:${g.uuid}`,
    label: `GPU ${g.index}`,
    description: parts.join(' · '),
    tooltip: tip.join('  \n'),
    icon: row.free ? { id: 'pass', color: 'charts.green' } : { id: 'circle-large-filled', color: 'charts.orange' },
    contextValue: row.free ? 'gpu;free' : 'gpu;busy',
  };
}

function holderItem(
  node: Extract<GpuNode, { kind: 'holder' }>,
  t: Translate,
  now: number,
  use: UseView | undefined,
  extensions: Readonly<Record<string, number>>,
): ItemModel {
  const { holder } = node;
  const c = holder.container;
  const idle = use && holder.active ? idleHolderMs(c.id, use) : undefined;
  const lease = holder.active ? holderLease(holder, now, t, extensions) : '';
  const how =
    holder.how === 'all'
      ? t('all GPUs')
      : holder.how === 'count'
        ? t('by count')
        : holder.how === 'env'
          ? 'NVIDIA_VISIBLE_DEVICES'
          : t('device {0}', deviceIndexes(holder, node.row));
  const claimed = holder.active && c.state === 'created';
  return {
    id: `gpu:${node.row?.gpu.uuid ?? 'all'}:${holder.active ? 'c' : 's'}:${c.id}`,
    label: holderName(holder),
    description: [
      how,
      claimed ? t('claimed, starting') : holder.active ? statusNow(c, now, t) : t('stopped'),
      node.memoryMiB === undefined ? '' : `${gib(node.memoryMiB)} GiB`,
      idle === undefined ? '' : idleText(idle, t),
      lease,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: [
      `**${md(c.name)}** (${md(c.image)})`,
      ...(use && holder.active ? useLines(use.history.containerStats(c.id), now, t) : []),
      `${t('Status')}: ${md(statusNow(c, now, t))}`,
      c.owner
        ? `${t('Owner')}: ${md(c.owner)}`
        : holder.runBy
          ? `${t('Owner')}: ${md(holder.runBy)} (${t('runs its GPU processes; no owner label')})`
          : '',
      holder.deviceIds?.length ? `${t('Asked for')}: ${holder.deviceIds.map(code).join(', ')}` : '',
      lease ? md(lease) : '',
    ]
      .filter(Boolean)
      .join('  \n'),
    icon: holder.active
      ? idle !== undefined
        ? { id: 'watch', color: 'charts.yellow' }
        : { id: 'vm-running', color: 'charts.green' }
      : { id: 'vm-outline', color: 'disabledForeground' },
    contextValue: 'gpuHolder',
  };
}

/** The device ids a holder asked for on this GPU, as the host numbers them (`3`, MIG `3:1`), never raw UUIDs. */
function deviceIndexes(holder: GpuHolder, row: GpuRow | undefined): string {
  const gpus = row ? [row.gpu] : [];
  return [...new Set((holder.deviceIds ?? []).map((id) => deviceIndex(id, gpus) ?? shortGpuId(id)))].join(',');
}

function processItem(row: GpuRow, p: GpuProcess, t: Translate): ItemModel {
  return {
    id: `gpu:${row.gpu.uuid}:p:${p.pid}`,
    label: processName(p, t),
    description: [
      p.containerName ? `PID ${p.pid}` : t('not in a container'),
      p.usedMemoryMiB === undefined ? '' : `${gib(p.usedMemoryMiB)} GiB`,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: t('Compute process {0} on GPU {1}', p.pid, row.gpu.index),
    icon: { id: 'pulse' },
    contextValue: 'gpuProcess',
  };
}
