import * as vscode from 'vscode';
import { untrustedMarkdown } from '../ui';
import { ContextKeys, StateKeys, Views } from '../constants';
import { imageItem, imageRows, imageTooltip, type ImageRow } from '../core/tree/images';
import type { RefreshManager } from './refresh';
import { toTreeItem } from './treeItem';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

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
