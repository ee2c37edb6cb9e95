import * as vscode from 'vscode';
import { Commands } from '../constants';
import { toEngineError } from '../core/docker';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

/** An AbortSignal that follows a VS Code cancellation token. */
export function signalOf(token: vscode.CancellationToken): AbortSignal {
  const ctrl = new AbortController();
  if (token.isCancellationRequested) ctrl.abort();
  token.onCancellationRequested(() => ctrl.abort());
  return ctrl.signal;
}

/** Pull with the per-layer progress rolled into one percentage; cancellable; offline → suggests Load from File. */
export async function pullWithProgress(
  s: Services,
  ref: string,
  outer?: { progress: vscode.Progress<{ message?: string; increment?: number }>; token: vscode.CancellationToken },
): Promise<void> {
  const run = async (
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    tok: vscode.CancellationToken,
  ): Promise<void> => {
    let last = 0;
    try {
      await s.engines.engine.pullImage(
        ref,
        (p) => {
          const pct = Math.max(last, Math.min(100, Math.round(p.percent)));
          progress.report({ message: `${pct}% ${p.status}`, increment: pct - last });
          last = pct;
        },
        { signal: signalOf(tok), timeoutMs: 24 * 3600_000 },
      );
    } catch (err) {
      const e = toEngineError(err, { image: ref });
      if (e.kind === 'cancelled') throw new Cancelled();
      const load = t('Load from File…');
      const a = await s.ui.ask(
        'pullFailed',
        'error',
        t('Could not pull {0}: {1}', ref, e.message),
        {
          detail: t(
            'If this server has no internet access, save the image on a machine that has (docker save), copy the file here, and use Load Image from File.',
          ),
        },
        load,
      );
      if (a === load) await vscode.commands.executeCommand(Commands.loadImage);
      throw new Cancelled();
    }
  };
  if (outer) await run(outer.progress, outer.token);
  else
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('Pulling {0}', ref), cancellable: true },
      run,
    );
  await s.refresh.refreshImages();
  await s.imagesTree.revealTag(ref).catch(() => undefined);
}

/** A cancellable notification whose token becomes an AbortSignal; a cancel ends the command quietly. */
export async function withCancellable<T>(
  title: string,
  work: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (p, token) => work(p, signalOf(token)),
    );
  } catch (err) {
    if (toEngineError(err).kind === 'cancelled') throw new Cancelled();
    throw err;
  }
}
