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

export class ContainersTree implements vscode.TreeDataProvider<ContainerSummary>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ContainerSummary | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ContainerSummary>;
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

  visible(): ContainerSummary[] {
    return sortContainers(filterContainers(this.refresh.containers.all(), this.filterValue, this.user));
  }

  getChildren(element?: ContainerSummary): ContainerSummary[] {
    return element ? [] : this.visible();
  }

  getTreeItem(c: ContainerSummary): vscode.TreeItem {
    return toTreeItem(containerItem(c, { user: this.user, t }));
  }

  /** Tooltips are built on hover only: a refresh of 1,000 rows does not build 1,000 of them. */
  resolveTreeItem(item: vscode.TreeItem, c: ContainerSummary): vscode.TreeItem {
    item.tooltip = untrustedMarkdown(containerTooltip(c, { now: Date.now(), t }));
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  /** Reveal a container's row by id (after a launch), once the tree has it. */
  async reveal(id: string): Promise<boolean> {
    const c = this.refresh.containers.get(id);
    if (!c) return false;
    if (this.filterValue === 'mine' && !this.visible().some((x) => x.id === id)) await this.setFilter('all');
    await this.view.reveal(c, { select: true, focus: false });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export class ImagesTree implements vscode.TreeDataProvider<ImageRow>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ImageRow | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ImageRow>;
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

  rows(): ImageRow[] {
    return imageRows(this.refresh.images.all(), this.untagged);
  }

  getChildren(element?: ImageRow): ImageRow[] {
    return element ? [] : this.rows();
  }

  getTreeItem(row: ImageRow): vscode.TreeItem {
    return toTreeItem(imageItem(row, { now: Date.now(), t }));
  }

  resolveTreeItem(item: vscode.TreeItem, row: ImageRow): vscode.TreeItem {
    item.tooltip = untrustedMarkdown(imageTooltip(row, { now: Date.now(), t }));
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  async revealTag(tag: string): Promise<void> {
    const row = this.rows().find((r) => r.tag === tag || r.tag === `${tag}:latest`);
    if (row) await this.view.reveal(row, { select: true, focus: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
