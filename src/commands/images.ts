import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { toEngineError } from '../core/docker';
import { shortId } from '../core/tree/format';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './index';
import { imageTarget } from './pick';

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

export const imageCommands: CommandTable = {
  [Commands.removeImage]: async (s, node) => {
    const row = await imageTarget(s, node, t('Remove which image?'));
    const name = row.tag ?? shortId(row.image.id);
    const users = s.refresh.containers.all().filter((c) => c.imageId === row.image.id);
    const remove = t('Remove');
    const detail =
      row.tag && row.image.tags.length > 1
        ? t(
            'Only the tag {0} is removed; the image keeps its other tags ({1}).',
            row.tag,
            row.image.tags.filter((x) => x !== row.tag).join(', '),
          )
        : t(
            'The image is deleted from this machine. If no registry is reachable, it can only come back from a saved file.',
          );
    const answer = await s.ui.ask(
      'confirmRemoveImage',
      'warning',
      users.length > 0
        ? t('Remove image {0}? {1} container(s) use it: {2}.', name, users.length, users.map((c) => c.name).join(', '))
        : t('Remove image {0}?', name),
      { modal: true, detail },
      remove,
    );
    if (answer !== remove) throw new Cancelled();
    await vscode.window.withProgress({ location: { viewId: Views.images } }, () =>
      s.engines.engine.removeImage(row.tag ?? row.image.id),
    );
    await s.refresh.refreshImages();
  },

  [Commands.copyImageName]: async (s, node) => {
    const row = await imageTarget(s, node, t('Copy the name of which image?'));
    await vscode.env.clipboard.writeText(row.tag ?? row.image.id);
  },
};
