import * as vscode from 'vscode';
import { ContextKeys, StateKeys, Views } from '../constants';
import type { ContainerSummary } from '../core/docker';
import {
  containerItem,
  containerTooltip,
  filterContainers,
  sortContainers,
  type ContainerFilter,
  type ItemModel,
} from '../core/tree/containers';
import { imageItem, imageRows, imageTooltip, type ImageRow } from '../core/tree/images';
import { setViewProperty } from '../viewState';
import type { RefreshManager } from './refresh';
import { untrustedMarkdown } from '../ui';
import { isHostNode, type HostNode, type HostsService } from '../hostsService';
import { hostTreeItem } from '../hostsTree';
import { idOnHost } from '../core/hosts';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

/** A TreeItem from the core's pure item model (shared by the three views). */
export function toTreeItem(m: ItemModel, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
  const item = new vscode.TreeItem(m.label, collapsible);
  item.id = m.id;
  item.description = m.description;
  if (m.tooltip !== undefined) item.tooltip = untrustedMarkdown(m.tooltip);
  item.iconPath = new vscode.ThemeIcon(m.icon.id, m.icon.color ? new vscode.ThemeColor(m.icon.color) : undefined);
  item.contextValue = m.contextValue;
  return item;
}

export class ContainersTree implements vscode.TreeDataProvider<ContainerSummary | HostNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ContainerSummary | HostNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ContainerSummary | HostNode>;
  /** Several hosts: each is a top-level node over its own containers (see attachHosts). */
  private hosts: HostsService | undefined;
  private filterValue: ContainerFilter;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly refresh: RefreshManager,
    private readonly memento: vscode.Memento,
    private readonly user: string,
  ) {
    this.filterValue = memento.get<ContainerFilter>(StateKeys.filter) === 'mine' ? 'mine' : 'all';
    void refresh.contextKeys.set(ContextKeys.filter, this.filterValue);
    this.view = vscode.window.createTreeView(Views.containers, { treeDataProvider: this, showCollapseAll: false });
    this.disposables.push(
      this.view,
      this.emitter,
      refresh.onDidChangeContainers(() => this.changed()),
      this.view.onDidChangeVisibility((e) => refresh.setVisible(Views.containers, e.visible)),
    );
    refresh.setVisible(Views.containers, this.view.visible);
    this.updateMessage();
  }

  get filter(): ContainerFilter {
    return this.filterValue;
  }

  async setFilter(filter: ContainerFilter): Promise<void> {
    this.filterValue = filter;
    await this.memento.update(StateKeys.filter, filter);
    await this.refresh.contextKeys.set(ContextKeys.filter, filter);
    this.changed();
  }

  private changed(): void {
    this.updateMessage();
    this.emitter.fire(undefined);
  }

  /** Every view property and context key goes through a helper that skips unchanged values (issue 17). */
  private updateMessage(): void {
    const total = this.refresh.containers.size;
    void this.refresh.contextKeys.set(ContextKeys.hasContainers, total > 0);
    const shown = this.filterValue === 'mine' ? this.visible().length : total;
    setViewProperty(
      this.view,
      'message',
      this.filterValue === 'mine' && total > shown
        ? t('Showing your containers ({0} of {1}).', shown, total)
        : undefined,
    );
    const running = this.refresh.containers.all().filter((c) => c.state === 'running').length;
    setViewProperty(this.view, 'description', total > 0 ? t('{0} running', running) : undefined);
  }

  /** The containers shown for one host (the first host's by default). */
  visible(refresh: RefreshManager = this.refresh): ContainerSummary[] {
    return sortContainers(filterContainers(refresh.containers.all(), this.filterValue, this.user));
  }

  attachHosts(hosts: HostsService): void {
    this.hosts = hosts;
    this.disposables.push(
      hosts.onDidChange(() => this.changed()),
      hosts.followView(Views.containers, this.view),
    );
  }

  getChildren(element?: ContainerSummary | HostNode): Array<ContainerSummary | HostNode> {
    const hosts = this.hosts;
    if (hosts?.multiple) {
      if (!element) return hosts.list.map((h) => h.node);
      if (isHostNode(element)) {
        const host = hosts.of(element);
        return hosts.mark(host, this.visible(host.refresh));
      }
      return [];
    }
    return element ? [] : this.visible();
  }

  getTreeItem(c: ContainerSummary | HostNode): vscode.TreeItem {
    if (isHostNode(c)) {
      const host = this.hosts!.of(c);
      const running = host.refresh.containers.all().filter((x) => x.state === 'running').length;
      return hostTreeItem(this.hosts!, host, t('{0} running', running));
    }
    const item = toTreeItem(containerItem(c, { user: this.user, t }));
    if (this.hosts?.multiple) item.id = idOnHost(this.hosts.of(c).name, c.id);
    return item;
  }

  /** Tooltips are built on hover only: a refresh of 1,000 rows does not build 1,000 of them. */
  resolveTreeItem(item: vscode.TreeItem, c: ContainerSummary | HostNode): vscode.TreeItem {
    if (isHostNode(c)) return item;
    item.tooltip = untrustedMarkdown(containerTooltip(c, { now: Date.now(), t }));
    return item;
  }

  getParent(c: ContainerSummary | HostNode): HostNode | undefined {
    return this.hosts?.multiple && !isHostNode(c) ? this.hosts.of(c).node : undefined;
  }

  /** Reveal a container's row by id (after a launch), once the tree has it; `refresh`: its host's. */
  async reveal(id: string, refresh: RefreshManager = this.refresh): Promise<boolean> {
    const c = refresh.containers.get(id);
    if (!c) return false;
    if (this.filterValue === 'mine' && !this.visible(refresh).some((x) => x.id === id)) await this.setFilter('all');
    const host = this.hosts?.list.find((h) => h.refresh === refresh);
    if (host) this.hosts!.mark(host, [c]);
    await this.view.reveal(c, { select: true, focus: false });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export class ImagesTree implements vscode.TreeDataProvider<ImageRow | HostNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ImageRow | HostNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ImageRow | HostNode>;
  /** Several hosts: each is a top-level node over its own images (see attachHosts). */
  private hosts: HostsService | undefined;
  private untagged: boolean;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly refresh: RefreshManager,
    private readonly memento: vscode.Memento,
  ) {
    this.untagged = memento.get<boolean>(StateKeys.showUntagged) === true;
    void refresh.contextKeys.set(ContextKeys.showUntagged, this.untagged);
    this.view = vscode.window.createTreeView(Views.images, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.emitter,
      refresh.onDidChangeImages(() => {
        void refresh.contextKeys.set(ContextKeys.hasImages, refresh.images.all().length > 0);
        this.emitter.fire(undefined);
      }),
      this.view.onDidChangeVisibility((e) => refresh.setVisible(Views.images, e.visible)),
    );
    refresh.setVisible(Views.images, this.view.visible);
  }

  get showUntagged(): boolean {
    return this.untagged;
  }

  async setShowUntagged(show: boolean): Promise<void> {
    this.untagged = show;
    await this.memento.update(StateKeys.showUntagged, show);
    await this.refresh.contextKeys.set(ContextKeys.showUntagged, show);
    this.emitter.fire(undefined);
  }

  /** The image rows of one host (the first host's by default); several hosts: remembered as that host's. */
  rows(refresh: RefreshManager = this.refresh): ImageRow[] {
    const rows = imageRows(refresh.images.all(), this.untagged);
    const host = this.hosts?.list.find((h) => h.refresh === refresh);
    return host ? this.hosts!.mark(host, rows) : rows;
  }

  attachHosts(hosts: HostsService): void {
    this.hosts = hosts;
    this.disposables.push(
      hosts.onDidChange(() => this.emitter.fire(undefined)),
      hosts.followView(Views.images, this.view),
    );
  }

  getChildren(element?: ImageRow | HostNode): Array<ImageRow | HostNode> {
    const hosts = this.hosts;
    if (hosts?.multiple) {
      if (!element) return hosts.list.map((h) => h.node);
      return isHostNode(element) ? this.rows(hosts.of(element).refresh) : [];
    }
    return element ? [] : this.rows();
  }

  getTreeItem(row: ImageRow | HostNode): vscode.TreeItem {
    if (isHostNode(row)) {
      const host = this.hosts!.of(row);
      return hostTreeItem(this.hosts!, host, t('{0} images', host.refresh.images.all().length));
    }
    const item = toTreeItem(imageItem(row, { now: Date.now(), t }));
    // The same image has the same id on every host.
    if (this.hosts?.multiple && item.id) item.id = idOnHost(this.hosts.of(row).name, item.id);
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, row: ImageRow | HostNode): vscode.TreeItem {
    if (isHostNode(row)) return item;
    item.tooltip = untrustedMarkdown(imageTooltip(row, { now: Date.now(), t }));
    return item;
  }

  getParent(row: ImageRow | HostNode): HostNode | undefined {
    return this.hosts?.multiple && !isHostNode(row) ? this.hosts.of(row).node : undefined;
  }

  async revealTag(tag: string, refresh: RefreshManager = this.refresh): Promise<void> {
    const row = this.rows(refresh).find((r) => r.tag === tag || r.tag === `${tag}:latest`);
    if (row) await this.view.reveal(row, { select: true, focus: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
