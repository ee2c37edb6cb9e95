import * as vscode from 'vscode';
import { untrustedMarkdown } from '../ui';
import { ContextKeys, StateKeys, Views } from '../constants';
import { imageItem, imageRowCount, imageRows, imageTooltip, type ImageRow } from '../core/tree/imageRows';
import type { RefreshManager } from './refresh';
import { toTreeItem } from './treeItem';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hosts/hostsService';
import { hostTreeItem } from '../hosts/hostsTree';
import { idOnHost } from '../core/hosts';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

export class ImagesTree implements vscode.TreeDataProvider<ImageRow | HostNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ImageRow | HostNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<ImageRow | HostNode>;
  /** Several hosts: each is a top-level node over its own images (attachHosts). */
  private hosts: HostsService | undefined;
  private untagged: boolean;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly refresh: RefreshManager,
    private readonly memento: vscode.Memento,
  ) {
    this.untagged = memento.get<boolean>(StateKeys.showUntagged) === true;
    void this.refresh.contextKeys.set(ContextKeys.showUntagged, this.untagged);
    this.view = vscode.window.createTreeView(Views.images, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      this.emitter,
      refresh.onDidChangeImages(() => {
        void this.refresh.contextKeys.set(ContextKeys.hasImages, refresh.images.all().length > 0);
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

  /** The image rows of one host (the first host's by default); with several hosts, remembered as that host's. */
  rows(refresh: RefreshManager): ImageRow[] {
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
    if (isHostNode(element)) return hosts ? this.rows(hosts.of(element).refresh) : [];
    if (element) return [];
    return hosts?.multiple ? hosts.list.map((h) => h.node) : this.rows(this.refresh);
  }

  getTreeItem(row: ImageRow | HostNode): vscode.TreeItem {
    const hosts = this.hosts;
    if (isHostNode(row)) {
      const host = hosts!.of(row);
      // What is shown under it: one row per tag, untagged images only when shown.
      return hostTreeItem(hosts!, host, imageRowCount(imageRows(host.refresh.images.all(), this.untagged), t));
    }
    const host = hosts?.multiple ? hosts.of(row) : hosts?.primary;
    const model = imageItem(row, { now: Date.now(), t, capabilities: host?.engines.engine.capabilities });
    // The same image has the same id on every host: prefixed with the host's name when there are several.
    return toTreeItem(hosts?.multiple && host ? { ...model, id: idOnHost(host.name, model.id) } : model);
  }

  resolveTreeItem(item: vscode.TreeItem, row: ImageRow | HostNode): vscode.TreeItem {
    if (isHostNode(row)) return item;
    item.tooltip = untrustedMarkdown(imageTooltip(row, { now: Date.now(), t }));
    return item;
  }

  getParent(row: ImageRow | HostNode): HostNode | undefined {
    return this.hosts?.multiple && !isHostNode(row) ? this.hosts.of(row).node : undefined;
  }

  async revealTag(tag: string, refresh: RefreshManager): Promise<void> {
    const row = this.rows(refresh).find((r) => r.tag === tag || r.tag === `${tag}:latest`);
    if (row) await this.view.reveal(row, { select: true, focus: false });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
