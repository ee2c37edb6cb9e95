import * as vscode from 'vscode';
import { fleetSummary, hostItem } from '../core/hosts';
import type { Host } from './host';
import type { HostsService } from './hostsService';
import { toTreeItem } from '../tree/treeItem';

/**
 * The TreeItem of a host node (several hosts): name, "5 of 8 GPUs free" or "unreachable: <reason>" with
 * Retry inline, `extra` what the view adds for a reachable host ("3 running"). Expanded unless unreachable.
 */
export function hostTreeItem(hosts: HostsService, host: Host, extra?: string): vscode.TreeItem {
  const status = hosts.status(host);
  const model = hostItem(status, {
    local: host.resolved.local,
    address: host.resolved.endpoint.host,
    extra,
    capabilities: host.engines.engine.capabilities,
  });
  return toTreeItem(
    model,
    status.state.kind === 'unreachable'
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.Expanded,
  );
}

/** "GPU 11/24 free · 3 hosts" over every host, with one line per host for the tooltip. */
export function fleetText(hosts: HostsService): { text: string; tooltip: string } {
  const s = fleetSummary(hosts.list.map((h) => hosts.status(h)));
  return { text: s.text, tooltip: s.tooltip };
}
