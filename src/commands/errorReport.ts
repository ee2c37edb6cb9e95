import * as vscode from 'vscode';
import { isEngineError } from '../core/docker';
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
