import * as vscode from 'vscode';
import { ContextKeys, Views } from '../constants';
import type { ContainerSummary } from '../core/docker';
import { groupContainers, groupKey, isContainerGroup, type ContainerGroup, type GroupBy } from '../core/tree/arrange';
import type { ContainerFilter, TransientState } from '../core/tree/containerRows';
import { TransientRows, VisibleTicker } from './liveRows';
import type { RefreshManager } from './refresh';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hosts/hostsService';
import { idOnHost } from '../core/hosts';
import { markOnce } from '../core/perfMarks';
import { ChangeGate } from '../core/tree/changeGate';
import { isMoreRow, Pages, type MoreRow } from '../core/tree/paging';
import { systemClock } from '../core/tree/refreshPolicy';
import { isQueuedRow, type GpuQueue, type QueuedRow } from '../gpuQueue';
import { ContainerFilters } from './containerFilters';
import { ContainerItems } from './containerItems';
import { ContainersHeader } from './containersHeader';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

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
  /** Mine/all, the grouping and the text filter, and the rows they leave (containerFilters.ts). */
  private readonly filters: ContainerFilters;
  /**
   * Each host's grouping rows, computed once per list of visible rows (the same array until the store or the
   * filters change): getChildren and getParent (a reveal) read the same objects, whichever runs first.
   */
  private readonly groupCache = new WeakMap<readonly ContainerSummary[], { by: GroupBy; groups: ContainerGroup[] }>();
  /** How many rows of each level are handed to VS Code (a page, more after "Show more" or a reveal). */
  private readonly pages = new Pages();
  private refused = 0;
  private readonly transient = new TransientRows();
  /** The rows' TreeItems (containerItems.ts). */
  private readonly rows: ContainerItems;
  /** The view's message and description (containersHeader.ts). */
  private readonly header: ContainersHeader;
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
    memento: vscode.Memento,
    private readonly user: string,
  ) {
    this.filters = new ContainerFilters(memento, refresh.contextKeys, user, () => this.pages.reset());
    this.rows = new ContainerItems({
      user,
      filters: this.filters,
      transient: this.transient,
      hosts: () => this.hosts,
      queue: () => this.queue,
      groupId: (g) => this.groupId(g),
    });
    this.view = vscode.window.createTreeView(Views.containers, {
      treeDataProvider: this,
      showCollapseAll: false,
      canSelectMany: true,
    });
    this.header = new ContainersHeader(this.view, refresh, this.filters);
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
    return this.filters.filter;
  }
  get groupBy(): GroupBy {
    return this.filters.groupBy;
  }
  get textFilter(): string {
    return this.filters.textFilter;
  }

  async setFilter(filter: ContainerFilter): Promise<void> {
    await this.filters.setFilter(filter);
    this.changed();
  }

  /** Grouping is remembered per workspace. */
  async setGroupBy(by: GroupBy): Promise<void> {
    await this.filters.setGroupBy(by);
    this.changed();
  }

  /** The view's text filter (name, image, label); '' clears it. */
  async setTextFilter(text: string): Promise<void> {
    await this.filters.setTextFilter(text);
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
    return this.header.update(this.refreshes(), this.refused) || emitted;
  }

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

  /**
   * The containers shown (mine/all, then the text filter), in order; `refresh`: a host's (the first by
   * default). The same array until the store or the filters change: callers must not modify it.
   */
  visible(refresh: RefreshManager): readonly ContainerSummary[] {
    return this.filters.visible(refresh);
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
    this.rows.restart();
    return [...this.queuedRows, ...hosts.list.map((h) => h.node)];
  }

  /** The top rows of one host (`node`: its row, with several hosts): its containers, or its groups. */
  private roots(refresh: RefreshManager, alone: boolean, node?: HostNode): ContainerNode[] {
    // Not copied: paged() and groupContainers() hand VS Code arrays of their own.
    const list = this.visible(refresh);
    const host = this.hosts?.list.find((h) => h.refresh === refresh);
    if (host) this.hosts!.mark(host, list);
    if (alone) this.rows.restart();
    if (this.filters.groupBy === 'none') return this.paged(node ? this.hostId(node) : '', node, list);
    return this.groupsOf(refresh);
  }

  /** A host's grouping rows (see groupCache); none when the view is not grouped. */
  private groupsOf(refresh: RefreshManager): ContainerGroup[] {
    const list = this.visible(refresh);
    const by = this.filters.groupBy;
    const hit = this.groupCache.get(list);
    if (hit && hit.by === by) return hit.groups;
    const groups = by === 'none' ? [] : groupContainers(list, by, { user: this.user, t });
    const host = this.hosts?.list.find((h) => h.refresh === refresh);
    if (host) this.hosts!.mark(host, groups);
    this.groupCache.set(list, { by, groups });
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

  /**
   * A container's status now, as its row says it ("Up 12 minutes"), for dialogs and picks: computed from its
   * timestamps when asked, never Docker's status string as cached when it was listed or inspected.
   */
  statusOf(c: ContainerSummary): string {
    return this.rows.statusOf(c);
  }

  getTreeItem(node: ContainerNode): vscode.TreeItem {
    return this.rows.item(node);
  }

  /** Tooltips are built on hover only: a refresh of 1,000 rows does not build 1,000 of them. */
  resolveTreeItem(item: vscode.TreeItem, node: ContainerNode): vscode.TreeItem {
    return this.rows.resolve(item, node);
  }

  getParent(node: ContainerNode): ContainerNode | undefined {
    if (isHostNode(node) || isQueuedRow(node)) return undefined;
    if (isMoreRow(node)) return node.parent;
    const host = this.hosts?.multiple ? this.hosts.of(node).node : undefined;
    if (isContainerGroup(node) || this.filters.groupBy === 'none') return host;
    const key = groupKey(node, this.filters.groupBy);
    const refresh = this.hosts?.multiple ? this.hosts.of(node).refresh : this.refresh;
    return this.groupsOf(refresh).find((g) => g.key === key);
  }

  /** Re-renders the rows shown whose description is no longer what they were rendered with. */
  private rerenderChanged(): void {
    const stale = this.rows.stale();
    if (stale.length > 0) this.gate.request(stale);
  }

  /** Reveal a container's row by id (after a launch), once the tree has it; `refresh`: its host's. */
  async reveal(id: string, refresh: RefreshManager): Promise<boolean> {
    if (!refresh.containers.get(id)) return false;
    if (this.filters.filter === 'mine' && !this.visible(refresh).some((x) => x.id === id)) await this.setFilter('all');
    if (this.filters.textFilter && !this.visible(refresh).some((x) => x.id === id)) await this.setTextFilter('');
    // Its parent (a grouping row) comes from the same groups the view was given (groupsOf): no getChildren here.
    const host = this.hosts?.multiple ? this.hosts.list.find((h) => h.refresh === refresh) : undefined;
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
    if (this.filters.groupBy === 'none')
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
