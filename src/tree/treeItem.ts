import * as vscode from 'vscode';
import { untrustedMarkdown } from '../ui';
import type { ItemModel } from '../core/tree/containerRows';

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
