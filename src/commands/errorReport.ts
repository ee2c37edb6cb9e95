import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isEngineError } from '../core/docker';
import { presentEngineError, type FixAction } from '../core/errorPresentation';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

function isCancellation(err: unknown): boolean {
  return (
    err instanceof Cancelled ||
    err instanceof vscode.CancellationError ||
    (isEngineError(err) && err.kind === 'cancelled')
  );
}

function actionLabel(a: FixAction): string {
  switch (a) {
    case 'loadFromFile':
      return t('Load from File…');
    case 'retry':
      return t('Retry');
    case 'openHostSetting':
      return t('Open Setting');
    case 'refresh':
      return t('Refresh');
    case 'openLog':
      return t('Open GPU Containers Log');
  }
}

async function runAction(s: Services, a: FixAction): Promise<void> {
  switch (a) {
    case 'loadFromFile':
      await vscode.commands.executeCommand(Commands.loadImage);
      return;
    case 'retry':
      await vscode.commands.executeCommand(Commands.retry);
      return;
    case 'openHostSetting':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'gpuContainers.host');
      return;
    case 'refresh':
      await vscode.commands.executeCommand(Commands.refresh);
      return;
    case 'openLog':
      s.output.show(true);
      return;
  }
}

/** An error as one line plus the fix as buttons (always ending with Open GPU Containers Log). */
export function showError(s: Services, err: unknown): void {
  const presented = isEngineError(err)
    ? presentEngineError({
        kind: err.kind,
        message: err.message,
        fix: err.fix,
        engineMessage: err.engineMessage,
        image: err.image,
        statusCode: err.statusCode,
      })
    : { message: err instanceof Error ? err.message : String(err), actions: ['openLog'] as FixAction[] };
  const actions = presented.actions.includes('openLog')
    ? presented.actions
    : [...presented.actions, 'openLog' as const];
  const labels = actions.map(actionLabel);
  void s.ui.ask('commandError', 'error', presented.message, {}, ...labels).then(async (choice) => {
    const i = choice === undefined ? -1 : labels.indexOf(choice);
    if (i >= 0) await runAction(s, actions[i]);
  });
}

/** The one error wrapper: cancellation is quiet; anything else is logged with its stack and shown as one line. */
export async function runCommand(s: Services, id: string, fn: () => unknown): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    if (isCancellation(err)) return undefined;
    s.logger.error(`${id} failed:`, err);
    showError(s, err);
    return undefined;
  }
}
