import * as vscode from 'vscode';
import type { Config } from '../config';
import type { ContainersTree } from './views';

/**
 * Restricted Mode: when the workspace's launch profiles are refused, the Containers view says so (a
 * welcome line with "Manage Workspace Trust" while it is empty, the view message otherwise) instead of
 * staying silent until Launch is pressed.
 */
export function watchRefusedProfiles(
  config: Pick<Config, 'refusedProfiles' | 'onDidChange'>,
  tree: Pick<ContainersTree, 'setRefusedProfiles'>,
): vscode.Disposable {
  const update = (): void => tree.setRefusedProfiles(config.refusedProfiles().length);
  update();
  return vscode.Disposable.from(config.onDidChange(update), vscode.workspace.onDidGrantWorkspaceTrust(update));
}
