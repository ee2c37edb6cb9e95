import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import { isEngineError } from '../core/docker';
import type { Services } from '../services';
import { containerCommands } from './containers';
import { imageCommands } from './images';
import { imageWorkflowCommands } from './imageWorkflow';
import { launchCommands } from './launch';
import { profileCommands } from './profiles';
import { gpuCommands } from './gpuCommands';
import { Cancelled } from './cancel';

export { Cancelled };

export type Handler = (s: Services, ...args: unknown[]) => unknown;
export type CommandTable = Partial<Record<CommandId, Handler>>;

const t = vscode.l10n.t;

function isCancellation(err: unknown): boolean {
  return (
    err instanceof Cancelled ||
    err instanceof vscode.CancellationError ||
    (isEngineError(err) && err.kind === 'cancelled')
  );
}

/** The one error wrapper: cancellation is quiet; anything else is logged with its stack and shown as one line. */
export async function runCommand(s: Services, id: string, fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    if (isCancellation(err)) return undefined;
    s.logger.error(`${id} failed:`, err);
    const message = isEngineError(err)
      ? `${err.message} ${err.fix}`.trim()
      : err instanceof Error
        ? err.message
        : String(err);
    const showLogs = t('Show Logs');
    void s.ui.ask('commandError', 'error', message, {}, showLogs).then((choice) => {
      if (choice === showLogs) s.output.show(true);
    });
    return undefined;
  }
}

/** The command table: every command id the extension contributes, each with its handler. */
export function commandTable(): Record<CommandId, Handler> {
  const general: CommandTable = {
    [Commands.refresh]: async (s) => {
      await Promise.all([s.refresh.refreshAll(), s.gpus.refresh()]);
    },
    [Commands.retry]: async (s) => {
      await s.refresh.refreshAll();
    },
    [Commands.showOutput]: (s) => s.output.show(),
    [Commands.filterMine]: (s) => s.containersTree.setFilter('mine'),
    [Commands.filterAll]: (s) => s.containersTree.setFilter('all'),
    [Commands.showUntagged]: (s) => s.imagesTree.setShowUntagged(true),
    [Commands.hideUntagged]: (s) => s.imagesTree.setShowUntagged(false),
  };
  return {
    ...general,
    ...containerCommands,
    ...imageCommands,
    ...imageWorkflowCommands,
    ...launchCommands,
    ...profileCommands,
    ...gpuCommands,
  } as Record<CommandId, Handler>;
}

export function registerCommands(s: Services): vscode.Disposable[] {
  return Object.entries(commandTable()).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      // Each command acts on its node's host (services scoped to it); see HostsService.dispatch.
      runCommand(s, id, () => s.hosts.dispatch(s, id, args, (scoped, a) => handler(scoped, ...a))),
    ),
  );
}
