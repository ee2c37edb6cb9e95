import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import type { CommandTable, Handler } from './commandTypes';
import { containerCommands } from './containerCommands';
import { imageCommands } from './imageCommands';
import { imageWorkflowCommands } from './imageWorkflow';
import { launchCommands } from './launchCommands';
import { bridgeCommands } from './profileBridges';
import { profileCommands } from './profiles';
import { gpuCommands } from './gpuCommands';
import { treeViewCommands } from './treeView';
import { isNoSuchContainer, vanishedError, vanishedRow } from '../core/vanished';
import { isContainer } from './pick';

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

/**
 * A container that vanished under a command (removed by someone else): the failure names it by its row's
 * name (the clicked rows, else the listed container the engine's message names), and its row is refreshed
 * away. Every other failure passes through unchanged.
 */
function namingVanished(handler: Handler): Handler {
  return async (s, ...args) => {
    try {
      return await handler(s, ...args);
    } catch (err) {
      if (!isNoSuchContainer(err)) throw err;
      const [node, nodes] = args;
      const rows = Array.isArray(nodes) && nodes.length > 1 ? nodes.filter(isContainer) : [node].filter(isContainer);
      const row = vanishedRow(err, rows) ?? vanishedRow(err, s.refresh.containers.all(), false);
      if (!row) throw err;
      await s.refresh.refreshContainer(row.id).catch(() => undefined);
      throw vanishedError(err, row.name);
    }
  };
}

/** The command table: every command id the extension contributes, each with its handler. */
export function commandTable(): Record<CommandId, Handler> {
  const table = completeTable();
  for (const id of Object.keys(table) as CommandId[]) table[id] = namingVanished(table[id]);
  return table;
}

function completeTable(): Record<CommandId, Handler> {
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
      join(treeViewCommands, bridgeCommands),
    ),
  );
}
