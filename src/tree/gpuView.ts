import * as vscode from 'vscode';
import { ContextKeys, Views } from '../constants';
import { gpuChildren, gpuNodeItem, gpuRootNodes, hostModel, type GpuNode } from '../core/tree/gpuRows';
import { isHostNode, type HostNode } from '../core/hosts/hostNode';
import type { HostsService } from '../hosts/hostsService';
import { fleetText, hostTreeItem } from '../hosts/hostsTree';
import { toTreeItem } from './treeItem';
import { setViewProperty } from '../viewState';

const t = vscode.l10n.t;

/**
 * The GPUs view: a tree provider over every host's GPUs (each host's `HostGpus`, the first's as any other's).
 * One host: its GPU rows at the top level, its state in the view's message and description; several hosts:
 * a node per host. It reads nothing itself — each host polls while this view is visible.
 */
export class GpuView implements vscode.TreeDataProvider<GpuNode | HostNode>, vscode.Disposable {
  private idleFirst = false;
  private readonly emitter = new vscode.EventEmitter<GpuNode | HostNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<GpuNode | HostNode>;
  private hosts: HostsService | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.view = vscode.window.createTreeView(Views.gpus, { treeDataProvider: this });
    this.subs.push(this.view, this.emitter);
  }

  /** The hosts to render; their changes (GPU rows included) redraw the view. */
  attachHosts(hosts: HostsService): void {
    this.hosts = hosts;
    this.subs.push(hosts.onDidChange(() => this.render()));
    this.render();
  }

  /** The user's own lease extensions (LeaseWatch), shown on their holder rows. */
  leaseExtensions: () => Readonly<Record<string, number>> = () => ({});

  private render(): void {
    const hosts = this.hosts;
    if (!hosts) return;
    const gpus = hosts.primary.gpus;
    const rows = gpus.rows();
    const u = gpus.current.unavailable;
    // Several hosts: each host node says its own state; the description is the fleet's.
    const multi = hosts.multiple;
    setViewProperty(this.view, 'message', u && !multi ? `${u.message} ${u.fix}` : undefined);
    const free = rows.filter((r) => r.free).length;
    setViewProperty(
      this.view,
      'description',
      multi
        ? fleetText(hosts).text || undefined
        : rows.length > 0
          ? [hostModel(rows), t('{0} of {1} free', free, rows.length)].filter(Boolean).join(' · ')
          : undefined,
    );
    this.emitter.fire(undefined);
  }

  /** "Show Idle Holders First" / "Show GPUs in Index Order" (the view's title bar). */
  setIdleFirst(on: boolean): void {
    this.idleFirst = on;
    void vscode.commands.executeCommand('setContext', ContextKeys.gpusIdleFirst, on);
    this.emitter.fire(undefined);
  }

  getChildren(node?: GpuNode | HostNode): Array<GpuNode | HostNode> {
    const hosts = this.hosts;
    if (!hosts) return [];
    if (!node) {
      if (hosts.multiple) return hosts.list.map((h) => h.node);
      const g = hosts.primary.gpus;
      return gpuRootNodes(g.rows(), g.use(), this.idleFirst);
    }
    if (isHostNode(node)) {
      const host = hosts.find(node);
      return host ? hosts.mark(host, gpuRootNodes(host.gpus.rows(), host.gpus.use(), this.idleFirst)) : [];
    }
    return hosts.multiple ? hosts.mark(hosts.of(node), gpuChildren(node)) : gpuChildren(node);
  }

  getTreeItem(node: GpuNode | HostNode): vscode.TreeItem {
    const hosts = this.hosts!;
    if (isHostNode(node)) {
      const host = hosts.of(node);
      const rows = host.gpus.rows();
      const u = rows.length === 0 ? host.gpus.current.unavailable : undefined;
      // Each host says its GPU model ("NVIDIA H100 80GB HBM3 × 8"), as the view's header does for one host.
      return hostTreeItem(hosts, host, u?.message ?? hostModel(rows));
    }
    const kids = gpuChildren(node).length > 0;
    const state = !kids
      ? vscode.TreeItemCollapsibleState.None
      : node.kind === 'stopped'
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.Expanded;
    // Each host's rows read that host's use history.
    const use = hosts.of(node).gpus.use();
    return toTreeItem(gpuNodeItem(node, t, Date.now(), use, this.leaseExtensions()), state);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
