import * as vscode from 'vscode';
import { setViewProperty } from '../viewState';
import { untrustedMarkdown } from '../ui';
import { Commands, ContextKeys, StateKeys, Views } from '../constants';
import type { ContainerSummary } from '../core/docker';
import type { GpuInfo } from '../core/gpu/smi';
import {
  containerCount,
  groupContainers,
  groupKey,
  GROUP_BYS,
  isContainerGroup,
  matchesText,
  type ContainerGroup,
  type GroupBy,
} from '../core/tree/arrange';
import {
  containerDescription,
  containerItem,
  containerTooltip,
  filterContainers,
  ContainerOrder,
  type ContainerFilter,
  type ContainerItemContext,
  type TransientState,
} from '../core/tree/containerRows';
import { StatusClock } from '../core/tree/status';
import { containersViewTexts, sshProblemText } from '../core/tree/viewTexts';
import { TransientRows, VisibleTicker } from './liveRows';
import type { RefreshManager } from './refresh';
import { toTreeItem } from './treeItem';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hostsService';
import { hostTreeItem } from '../hostsTree';
import { idOnHost } from '../core/hosts';
import { markOnce } from '../core/perfMarks';
import { ChangeGate } from '../core/tree/changeGate';
import { isMoreRow, PAGE_SIZE, Pages, type MoreRow } from '../core/tree/paging';
import { systemClock } from '../core/tree/refreshPolicy';
import { isQueuedRow, type GpuQueue, type QueuedRow } from '../gpuQueue';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

export { toTreeItem };

/**
 * A row of the Containers view: a container, a grouping row (state, profile/project, owner), a host, or the
 * "Show more" row that ends a level longer than a page.
 */
export type ContainerNode = ContainerSummary | ContainerGroup | HostNode | MoreRows | QueuedRow;
export type MoreRows = MoreRow<ContainerGroup | HostNode>;

/** How often the visible rows' relative times are checked; a row is re-rendered only when its text changed. */
const TICK_MS = 10_000;

export class ContainersTree implements vscode.TreeDataProvider<ContainerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ContainerNode | ContainerNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ContainerNode>;
  private filterValue: ContainerFilter;
  private groupByValue: GroupBy;
  private text = '';
  private groups: ContainerGroup[] = [];
  /** How many rows of each level are handed to VS Code (a page, more after "Show more" or a reveal). */
  private readonly pages = new Pages();
  private readonly clock = new StatusClock();
  /** The element last handed to VS Code per id, and the description it was rendered with. */
  private readonly shown = new Map<string, { c: ContainerSummary; description: string }>();
  private refused = 0;
  private readonly transient = new TransientRows();
  /** Re-renders only the rows whose relative time changed, while the view is visible. */
  private readonly ticker = new VisibleTicker(() => this.rerenderChanged(), TICK_MS);
  /** Containers of other people the user agreed to attach into (asked once per container). */
  readonly attachConfirmed = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Several hosts: each is a top-level node over its own containers (attachHosts). */
  private hosts: HostsService | undefined;
  /** Every change of this view (rows, message) on the leading edge of VS Code's 200 ms debounce. */
  private readonly gate = new ChangeGate<ContainerNode>({
    clock: systemClock,
    now: () => performance.now(),
    flush: (all, elements) => this.flushChanges(all, elements),
  });

  constructor(
    private readonly refresh: RefreshManager,
    private readonly memento: vscode.Memento,
    private readonly user: string,
  ) {
    this.filterValue = memento.get<ContainerFilter>(StateKeys.filter) === 'mine' ? 'mine' : 'all';
    const group = memento.get<GroupBy>(StateKeys.groupBy);
    this.groupByValue = group && GROUP_BYS.includes(group) ? group : 'none';
    void this.refresh.contextKeys.set(ContextKeys.filter, this.filterValue);
    void this.refresh.contextKeys.set(ContextKeys.textFilter, false);
    this.view = vscode.window.createTreeView(Views.containers, {
      treeDataProvider: this,
      showCollapseAll: false,
      canSelectMany: true,
    });
    this.disposables.push(
      this.view,
      this.emitter,
      refresh.onDidChangeContainers(() => this.changed()),
      this.view.onDidChangeVisibility((e) => {
        refresh.setVisible(Views.containers, e.visible);
        this.ticker.setVisible(e.visible);
      }),
    );
    refresh.setVisible(Views.containers, this.view.visible);
    this.ticker.setVisible(this.view.visible);
    this.gate.request([]);
  }

  get filter(): ContainerFilter {
    return this.filterValue;
  }
  get groupBy(): GroupBy {
    return this.groupByValue;
  }
  get textFilter(): string {
    return this.text;
  }

  async setFilter(filter: ContainerFilter): Promise<void> {
    this.filterValue = filter;
    this.pages.reset();
    await this.memento.update(StateKeys.filter, filter);
    await this.refresh.contextKeys.set(ContextKeys.filter, filter);
    this.changed();
  }

  /** Grouping is remembered per workspace. */
  async setGroupBy(by: GroupBy): Promise<void> {
    this.groupByValue = by;
    this.pages.reset();
    await this.memento.update(StateKeys.groupBy, by);
    this.changed();
  }

  /** The view's text filter (name, image, label); '' clears it. */
  async setTextFilter(text: string): Promise<void> {
    this.text = text.trim();
    this.pages.reset();
    await this.refresh.contextKeys.set(ContextKeys.textFilter, this.text !== '');
    this.changed();
  }

  /** How many workspace launch profiles Restricted Mode refuses (0 when trusted or none). */
  setRefusedProfiles(count: number): void {
    if (count === this.refused) return;
    this.refused = count;
    void this.refresh.contextKeys.set(ContextKeys.profilesRefused, count > 0);
    this.gate.request([]);
  }

  /**
   * Shows "Stopping…"/"Restarting…" on these rows while a command runs. Cleared by the returned function,
   * when the row leaves the running states (stopping), or when the container is gone.
   */
  markTransient(ids: readonly string[], state: TransientState): () => void {
    return this.transient.mark(ids, state, () => this.changed());
  }

  transientState(id: string): TransientState | undefined {
    return this.transient.get(id);
  }

  private changed(): void {
    this.gate.request();
  }

  /** The next page of the level a "Show more" row ends. */
  showMore(row: MoreRows): void {
    this.pages.showMore(row.key);
    if (row.parent) this.gate.request([row.parent]);
    else this.gate.request();
  }

  /** One batch of changes: the rows first (they are what the user waits for), then the message. */
  private flushChanges(all: boolean, elements: ContainerNode[]): boolean {
    let emitted = false;
    if (all) {
      // A mark may be on any host's row (Restart on a second host's container).
      this.transient.prune((id) => this.findContainer(id));
      this.emitter.fire(undefined);
      emitted = true;
    } else if (elements.length > 0) {
      this.emitter.fire(elements);
      emitted = true;
    }
    return this.updateMessage() || emitted;
  }

  private hasAny: boolean | undefined;

  /** Every host's refresh (the first host's alone with one host). */
  private refreshes(): RefreshManager[] {
    return this.hosts?.multiple ? this.hosts.list.map((h) => h.refresh) : [this.refresh];
  }

  private findContainer(id: string): ContainerSummary | undefined {
    for (const r of this.refreshes()) {
      const c = r.containers.get(id);
      if (c) return c;
    }
    return undefined;
  }

  /** True when it assigned the message (a change VS Code debounces like a data change). */
  private updateMessage(): boolean {
    // With several hosts the header counts every host's containers (as the status bar does).
    const refreshes = this.refreshes();
    const total = refreshes.reduce((n, r) => n + r.containers.size, 0);
    if (this.hasAny !== total > 0) {
      this.hasAny = total > 0;
      void this.refresh.contextKeys.set(ContextKeys.hasContainers, this.hasAny);
    }
    const stale = this.refresh.staleSince;
    const { message, description } = containersViewTexts({
      total,
      shown: refreshes.reduce((n, r) => n + this.visible(r).length, 0),
      running: refreshes.reduce((n, r) => n + r.containers.all().filter(isRunning).length, 0),
      filter: this.filterValue,
      text: this.text,
      refused: this.refused,
      staleSince: stale === undefined ? undefined : new Date(stale).toLocaleTimeString(),
      host: this.refresh.endpointHost,
      problem: sshProblemText(this.refresh.state, this.refresh.lastError),
      t,
    });
    setViewProperty(this.view, 'description', description);
    return setViewProperty(this.view, 'message', message);
  }

  /** The TreeItem last built per container object, and the text it was built with. */
  private readonly items = new WeakMap<ContainerSummary, { key: string; item: vscode.TreeItem }>();
  /** Per host: the sorted rows, kept between changes (one event re-sorts in ~n comparisons) and memoized. */
  private readonly orders = new WeakMap<RefreshManager, ContainerOrder>();

  /**
   * The containers shown (mine/all, then the text filter), in order; `refresh`: a host's (the first by
   * default). The same array until the store or the filters change: callers must not modify it.
   */
  visible(refresh: RefreshManager = this.refresh): readonly ContainerSummary[] {
    let order = this.orders.get(refresh);
    if (!order) this.orders.set(refresh, (order = new ContainerOrder()));
    const key = `${refresh.containers.revision}\u0000${this.filterValue}\u0000${this.text}`;
    if (order.has(key)) return order.sort([], key);
    const list = filterContainers(refresh.containers.all(), this.filterValue, this.user);
    return order.sort(this.text ? list.filter((c) => matchesText(c, this.text)) : list, key);
  }

  /** Queued launches: rows at the top of the view (gpuQueue.ts). */
  private queue: GpuQueue | undefined;
  private queuedRows: QueuedRow[] = [];

  attachQueue(queue: GpuQueue): void {
    this.queue = queue;
    this.queuedRows = queue.rows();
    this.disposables.push(
      queue.onDidChange(() => {
        this.queuedRows = queue.rows();
        this.changed();
      }),
    );
  }

  attachHosts(hosts: HostsService): void {
    this.hosts = hosts;
    this.disposables.push(
      hosts.onDidChange(() => this.changed()),
      hosts.followView(Views.containers, this.view),
      // The first host's GPU rows (the other hosts' changes come through hosts.onDidChange): re-render only the
      // rows whose text changed (GPU memory).
      hosts.primary.gpus.onDidChangeRows(() => this.rerenderChanged()),
    );
  }

  getChildren(element?: ContainerNode): ContainerNode[] {
    const hosts = this.hosts;
    if (isHostNode(element)) return hosts ? this.roots(hosts.of(element).refresh, false, element) : [];
    if (element) return isContainerGroup(element) ? this.paged(this.groupId(element), element, element.containers) : [];
    if (!hosts?.multiple) {
      const rows = this.roots(this.refresh, true);
      if (rows.length > 0) markOnce('rootRows');
      return this.queuedRows.length > 0 ? [...this.queuedRows, ...rows] : rows;
    }
    this.clock.retain(new Set(hosts.list.flatMap((h) => h.refresh.containers.all().map((c) => c.id))));
    this.shown.clear();
    this.groups = [];
    return [...this.queuedRows, ...hosts.list.map((h) => h.node)];
  }

  /** The top rows of one host (`node`: its row, with several hosts): its containers, or its groups. */
  private roots(refresh: RefreshManager, alone: boolean, node?: HostNode): ContainerNode[] {
    // Not copied: paged() and groupContainers() hand VS Code arrays of their own.
    const list = this.visible(refresh);
    const host = this.hosts?.list.find((h) => h.refresh === refresh);
    if (host) this.hosts!.mark(host, list);
    if (alone) {
      this.clock.retain(new Set(refresh.containers.all().map((c) => c.id)));
      this.shown.clear();
      this.groups = [];
    }
    if (this.groupByValue === 'none') return this.paged(node ? this.hostId(node) : '', node, list);
    const groups = groupContainers(list, this.groupByValue, { user: this.user, t });
    if (host) this.hosts!.mark(host, groups);
    this.groups.push(...groups);
    return groups;
  }

  /** One page of a level's rows, then its "Show more" row if some are left out. */
  private paged(
    key: string,
    parent: ContainerGroup | HostNode | undefined,
    rows: readonly ContainerSummary[],
  ): ContainerNode[] {
    const { rows: shown, more } = this.pages.page<ContainerNode, ContainerGroup | HostNode>(key, parent, rows);
    if (!more) return shown;
    const host = parent ? this.hosts?.find(parent) : undefined;
    if (host) this.hosts!.mark(host, [more]);
    shown.push(more);
    return shown;
  }

  private hostId(node: HostNode): string {
    return `host:${node.name}`;
  }

  /** A grouping row's id (with several hosts, prefixed with its host's name). */
  private groupId(g: ContainerGroup): string {
    const id = `group:${g.groupBy}:${g.key}`;
    return this.hosts?.multiple ? idOnHost(this.hosts.of(g).name, id) : id;
  }

  private description(c: ContainerSummary): string {
    return containerDescription(c, this.itemContext(c));
  }

  private itemContext(c: ContainerSummary): ContainerItemContext {
    return {
      user: this.user,
      t,
      status: this.clock.text(c, t),
      showOwner: this.filterValue === 'all',
      transient: this.transient.get(c.id),
      gpuMemoryMiB: this.gpuMemoryMiB(c),
      gpus: this.gpusOf(c),
    };
  }

  /** The GPUs of a GPU container's host, from its snapshot as last read (device ids → indexes). */
  private gpusOf(c: ContainerSummary): GpuInfo[] | undefined {
    if (c.gpu?.kind !== 'devices') return undefined;
    const host = this.hosts?.find(c) ?? this.hosts?.primary;
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
    const host = this.hosts?.find(c) ?? this.hosts?.primary;
    return host?.gpus.gpuMemoryMiB(c.id);
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    if (isQueuedRow(node)) return this.queuedItem(node);
    const hosts = this.hosts?.multiple ? this.hosts : undefined;
    if (isHostNode(node)) {
      const host = this.hosts!.of(node);
      return hostTreeItem(this.hosts!, host, t('{0} running', host.refresh.containers.all().filter(isRunning).length));
    }
    // Ids are unique per engine only: with several hosts they are prefixed with the host's name.
    const onHost = (id: string) => (hosts ? idOnHost(hosts.of(node).name, id) : id);
    if (isMoreRow(node)) return moreItem(node);
    if (isContainerGroup(node)) {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = this.groupId(node);
      item.description = containerCount(node.containers.length, t);
      item.contextValue = 'containerGroup';
      return item;
    }
    // The row of an unchanged container (same store object, same text) is handed back as it was built.
    const ctx = this.itemContext(node);
    const description = containerDescription(node, ctx);
    this.shown.set(node.id, { c: node, description });
    const key = `${hosts ? 'h' : ''}${description}`;
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

  /** Tooltips are built on hover only: a refresh of 1,000 rows does not build 1,000 of them. */
  /** `queued: bert — waiting for 2 free GPUs on any host`, with Cancel. */
  private queuedItem(node: QueuedRow): vscode.TreeItem {
    const q = node.queuedLaunch;
    const item = new vscode.TreeItem(this.queue!.text(q), vscode.TreeItemCollapsibleState.None);
    item.id = `queued:${q.id}`;
    item.iconPath = new vscode.ThemeIcon('watch');
    item.tooltip = t(
      'Launches {0} on the first host where the GPUs are free (checked on every GPU refresh).',
      q.profile,
    );
    item.contextValue = 'queuedLaunch';
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: ContainerNode): vscode.TreeItem {
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

  getParent(node: ContainerNode): ContainerNode | undefined {
    if (isHostNode(node) || isQueuedRow(node)) return undefined;
    if (isMoreRow(node)) return node.parent;
    const host = this.hosts?.multiple ? this.hosts.of(node).node : undefined;
    if (isContainerGroup(node) || this.groupByValue === 'none') return host;
    const key = groupKey(node, this.groupByValue);
    return this.groups.find((g) => g.key === key && (!host || this.hosts!.of(g).node === host));
  }

  /** Re-renders the rows shown whose description is no longer what they were rendered with. */
  private rerenderChanged(): void {
    const stale = [...this.shown.values()].filter((r) => this.description(r.c) !== r.description).map((r) => r.c);
    if (stale.length > 0) this.gate.request(stale);
  }

  /** Reveal a container's row by id (after a launch), once the tree has it; `refresh`: its host's. */
  async reveal(id: string, refresh: RefreshManager = this.refresh): Promise<boolean> {
    if (!refresh.containers.get(id)) return false;
    if (this.filterValue === 'mine' && !this.visible(refresh).some((x) => x.id === id)) await this.setFilter('all');
    if (this.text && !this.visible(refresh).some((x) => x.id === id)) await this.setTextFilter('');
    this.getChildren();
    const host = this.hosts?.multiple ? this.hosts.list.find((h) => h.refresh === refresh) : undefined;
    if (host) this.getChildren(host.node);
    const c = this.visible(refresh).find((x) => x.id === id);
    if (c && host) this.hosts!.mark(host, [c]);
    if (!c) return false;
    // Past the pages shown: show up to its page (a full refresh, so VS Code has the row to reveal).
    if (this.includeInPages(c, refresh, host?.node)) this.gate.request();
    this.gate.flushNow();
    await this.view.reveal(c, { select: true, focus: false });
    return true;
  }

  private includeInPages(c: ContainerSummary, refresh: RefreshManager, node: HostNode | undefined): boolean {
    if (this.groupByValue === 'none')
      return this.pages.include(node ? this.hostId(node) : '', this.visible(refresh).indexOf(c));
    const group = this.getParent(c);
    return isContainerGroup(group) && this.pages.include(this.groupId(group), group.containers.indexOf(c));
  }

  dispose(): void {
    this.gate.dispose();
    this.ticker.dispose();
    for (const d of this.disposables) d.dispose();
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

function isRunning(c: ContainerSummary): boolean {
  return c.state === 'running';
}

export { ImagesTree } from './imagesView';
