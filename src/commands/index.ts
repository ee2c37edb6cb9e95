import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import type { CommandTable, Handler } from './commandTypes';
import { containerCommands } from './containerCommands';
import { imageCommands } from './imageCommands';
import { imageWorkflowCommands } from './imageWorkflow';
import { launchCommands } from './launchCommands';
import { profileCommands } from './profiles';
import { gpuCommands } from './gpuCommands';
import { treeViewCommands } from './treeView';

export { Cancelled } from './cancel';
export type { CommandTable, Handler } from './commandTypes';
export { runCommand } from './errorReport';

const generalCommands = {
  [Commands.refresh]: async (s) => {
    await Promise.all([s.refresh.refreshAll(), s.gpus.refresh()]);
  },
  [Commands.retry]: async (s) => {
    await s.refresh.refreshAll();
  },
  [Commands.showOutput]: (s) => s.output.show(),
  // Restricted Mode: the Containers view's title button opens VS Code's own Workspace Trust editor.
  [Commands.manageTrust]: async () => {
    await vscode.commands.executeCommand('workbench.trust.manage');
  },
  [Commands.filterMine]: (s) => s.containersTree.setFilter('mine'),
  [Commands.filterAll]: (s) => s.containersTree.setFilter('all'),
  [Commands.showUntagged]: (s) => s.imagesTree.setShowUntagged(true),
  [Commands.hideUntagged]: (s) => s.imagesTree.setShowUntagged(false),
} satisfies CommandTable;

/** `a` and `b` joined; a command id in both is a compile error (the type of `b` becomes impossible). */
function join<A extends CommandTable, B extends CommandTable>(
  a: A,
  b: B & ([keyof A & keyof B] extends [never] ? unknown : { duplicateCommand: keyof A & keyof B }),
): A & B {
  return { ...a, ...b };
}

/** Every command id of `Commands` (and so of package.json, by a unit test) with exactly one handler. */
type Complete<T> =
  T extends Record<CommandId, Handler>
    ? [Exclude<keyof T, CommandId>] extends [never]
      ? T
      : { unknownCommand: Exclude<keyof T, CommandId> }
    : { missingCommand: Exclude<CommandId, keyof T> };

function complete<T>(table: T & Complete<T>): Record<CommandId, Handler> {
  return table as Record<CommandId, Handler>;
}

/** The command table: every command id the extension contributes, each with its handler. */
export function commandTable(): Record<CommandId, Handler> {
  return complete(
    join(
      join(
        join(
          join(
            join(join(join(generalCommands, containerCommands), imageCommands), imageWorkflowCommands),
            launchCommands,
          ),
          profileCommands,
        ),
        gpuCommands,
      ),
      treeViewCommands,
    ),
  );
}
