import * as vscode from 'vscode';
import { untrustedMarkdown } from '../ui';
import { Commands } from '../constants';
import type { ContainerSummary } from '../core/docker';
import type { GpuInfo } from '../core/gpu/smi';
import { containerCount, isContainerGroup, type ContainerGroup } from '../core/tree/arrange';
import {
  containerDescription,
  containerItem,
  containerTooltip,
  type ContainerItemContext,
} from '../core/tree/containerRows';
import { StatusClock } from '../core/tree/status';
import { capabilityFlags } from '../core/docker/capabilities';
import type { TransientRows } from './liveRows';
import { toTreeItem } from './treeItem';
import { isHostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hosts/hostsService';
import { hostTreeItem } from '../hosts/hostsTree';
import { idOnHost } from '../core/hosts';
import { isMoreRow, PAGE_SIZE } from '../core/tree/paging';
import { isQueuedRow, type GpuQueue, type QueuedRow } from '../gpuQueue';
import type { ContainerFilters } from './containerFilters';
import type { ContainerNode, MoreRows } from './views';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

/** What the rows are rendered with: the Containers view's state, read when a row is built. */
export interface ContainerItemsContext {
  readonly user: string;
  readonly filters: ContainerFilters;
  readonly transient: TransientRows;
  hosts(): HostsService | undefined;
  queue(): GpuQueue | undefined;
  /** A grouping row's id (with several hosts, prefixed with its host's name). */
  groupId(g: ContainerGroup): string;
}

/**
 * The TreeItems of the Containers view: a container's row (built again only when its text changed), its
 * tooltip on hover, and the group, host, queued-launch and "Show more" rows.
 */
export class ContainerItems {
  readonly clock = new StatusClock();
  /** The element last handed to VS Code per id, and the description it was rendered with. */
  private readonly shown = new Map<string, { c: ContainerSummary; description: string }>();
  /** The TreeItem last built per container object, and the text it was built with. */
  private readonly items = new WeakMap<ContainerSummary, { key: string; item: vscode.TreeItem }>();

  constructor(private readonly ctx: ContainerItemsContext) {}

  /** A render from the top: no row counts as shown. */
  restart(): void {
    this.shown.clear();
  }

  /** The rows shown whose description is no longer what they were rendered with. */
  stale(): ContainerSummary[] {
    return [...this.shown.values()].filter((r) => this.description(r.c) !== r.description).map((r) => r.c);
  }

  private description(c: ContainerSummary): string {
    return containerDescription(c, this.itemContext(c));
  }

  private itemContext(c: ContainerSummary): ContainerItemContext {
    return {
      user: this.ctx.user,
      t,
      status: this.clock.text(c, t),
      showOwner: this.ctx.filters.filter === 'all',
      transient: this.ctx.transient.get(c.id),
      gpuMemoryMiB: this.gpuMemoryMiB(c),
      gpus: this.gpusOf(c),
      capabilities: (this.ctx.hosts()?.find(c) ?? this.ctx.hosts()?.primary)?.engines.engine.capabilities,
    };
  }

  /** The GPUs of a GPU container's host, from its snapshot as last read (device ids → indexes). */
  private gpusOf(c: ContainerSummary): GpuInfo[] | undefined {
    if (c.gpu?.kind !== 'devices') return undefined;
    const host = this.ctx.hosts()?.find(c) ?? this.ctx.hosts()?.primary;
    return host?.gpus.rows().map((r) => r.gpu);
  }

  /**
   * A container's status now, as its row says it ("Up 12 minutes"), for dialogs and picks: computed from its
   * timestamps when asked, never Docker's status string as cached when it was listed or inspected.
   */
  statusOf(c: ContainerSummary): string {
    return this.clock.text(c, t);
  }

  /** GPU memory of a container's processes, from its host's GPU snapshot as last read (no engine call). */
  private gpuMemoryMiB(c: ContainerSummary): number | undefined {
    const host = this.ctx.hosts()?.find(c) ?? this.ctx.hosts()?.primary;
    return host?.gpus.gpuMemoryMiB(c.id);
  }

  item(node: ContainerNode): vscode.TreeItem {
    if (isQueuedRow(node)) return this.queuedItem(node);
    const all = this.ctx.hosts();
    const hosts = all?.multiple ? all : undefined;
    if (isHostNode(node)) {
      const host = all!.of(node);
      return hostTreeItem(all!, host, t('{0} running', host.refresh.containers.all().filter(isRunning).length));
    }
    // Ids are unique per engine only: with several hosts they are prefixed with the host's name.
    const onHost = (id: string) => (hosts ? idOnHost(hosts.of(node).name, id) : id);
    if (isMoreRow(node)) return moreItem(node);
    if (isContainerGroup(node)) {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = this.ctx.groupId(node);
      item.description = containerCount(node.containers.length, t);
      item.contextValue = 'containerGroup';
      return item;
    }
    // The row of an unchanged container (same store object, same text) is handed back as it was built.
    const ctx = this.itemContext(node);
    const description = containerDescription(node, ctx);
    this.shown.set(node.id, { c: node, description });
    const key = `${hosts ? 'h' : ''}${ctx.capabilities ? capabilityFlags(ctx.capabilities).join() : ''}${description}`;
    const cached = this.items.get(node);
    if (cached?.key === key) {
      cached.item.tooltip = undefined; // built again on the next hover (resolveTreeItem), never stale
      return cached.item;
    }
    const model = containerItem(node, ctx);
    const item = toTreeItem({ ...model, id: onHost(model.id) });
    this.items.set(node, { key, item });
    return item;
  }

  /** `queued: bert — waiting for 2 free GPUs on any host`, with Cancel. */
  private queuedItem(node: QueuedRow): vscode.TreeItem {
    const q = node.queuedLaunch;
    const item = new vscode.TreeItem(this.ctx.queue()!.text(q), vscode.TreeItemCollapsibleState.None);
    item.id = `queued:${q.id}`;
    item.iconPath = new vscode.ThemeIcon('watch');
    item.tooltip = t(
      'Launches {0} on the first host where the GPUs are free (checked on every GPU refresh).',
      q.profile,
    );
    item.contextValue = 'queuedLaunch';
    return item;
  }

  resolve(item: vscode.TreeItem, node: ContainerNode): vscode.TreeItem {
    if (isContainerGroup(node) || isHostNode(node) || isMoreRow(node) || isQueuedRow(node)) return item;
    item.tooltip = untrustedMarkdown(
      containerTooltip(node, {
        now: Date.now(),
        t,
        status: this.clock.text(node, t),
        gpuMemoryMiB: this.gpuMemoryMiB(node),
        gpus: this.gpusOf(node),
      }),
    );
    return item;
  }
}

/** "Show 200 more…": the next page of its level; the filter is the way to a container far down the list. */
function moreItem(row: MoreRows): vscode.TreeItem {
  const label = t('Show {0} more…', Math.min(PAGE_SIZE, row.total - row.shown));
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `more:${row.key}`;
  item.description = t('{0} of {1} shown', row.shown, row.total);
  // Read out as what it says (VS Code would read the tooltip).
  item.accessibilityInformation = { label: `${label}, ${item.description}`, role: 'treeitem' };
  item.tooltip = t('Or filter the view (Filter Containers) to find a container by name, image or label.');
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'moreContainers';
  item.command = { command: Commands.showMoreContainers, title: t('Show More Containers'), arguments: [row] };
  return item;
}

export function isRunning(c: ContainerSummary): boolean {
  return c.state === 'running';
}
