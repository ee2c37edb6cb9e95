import * as vscode from 'vscode';
import { Commands } from '../constants';
import { toEngineError } from '../core/docker';
import { pullFailureMessage, type EngineErrorLike } from '../core/errorPresentation';
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

/** How the host a command runs on is named in a sentence: its row's name, or "This machine" for the one local engine. */
function hostLabel(s: Services): string {
  const host = s.hosts.scopedHost(s) ?? s.hosts.primary;
  return !s.hosts.multiple && host.name === 'local' ? t('This machine') : host.name;
}

/** One line and the fix as a button; shown once the progress toast is gone (never under it). */
function reportPullFailure(s: Services, ref: string, e: EngineErrorLike): void {
  const load = t('Load from File…');
  void s.ui.ask('pullFailed', 'error', pullFailureMessage(e, ref, hostLabel(s)), {}, load).then(async (a) => {
    if (a === load) await vscode.commands.executeCommand(Commands.loadImage);
  });
}

/**
 * Pull with the per-layer progress rolled into one percentage; cancellable. A failure closes the progress
 * first, then says why in one line with Load from File… (offline servers) as the button.
 */
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
    await s.engines.engine.pullImage(
      ref,
      (p) => {
        const pct = Math.max(last, Math.min(100, Math.round(p.percent)));
        progress.report({ message: `${pct}% ${p.status}`, increment: pct - last });
        last = pct;
      },
      { signal: signalOf(tok), timeoutMs: 24 * 3600_000 },
    );
  };
  try {
    if (outer) await run(outer.progress, outer.token);
    else
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('Pulling {0}', ref), cancellable: true },
        run,
      );
  } catch (err) {
    const e = toEngineError(err, { image: ref });
    if (e.kind === 'cancelled') throw new Cancelled();
    // The engine's own words (the resolver error) go to the log; the message says it in one sentence.
    s.logger.error(`pull ${ref} on ${hostLabel(s)} failed: ${e.engineMessage ?? e.message}`, err);
    reportPullFailure(s, ref, e);
    throw new Cancelled();
  }
  await s.refresh.refreshImages();
  await s.imagesTree.revealTag(ref, s.refresh).catch(() => undefined);
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
