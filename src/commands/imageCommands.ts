import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { shortId } from '../core/tree/format';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';
import { imageTarget } from './pick';

const t = vscode.l10n.t;

export const imageCommands = {
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
        ? users.length === 1
          ? t('Remove image {0}? The container {1} uses it.', name, users[0].name)
          : t('Remove image {0}? {1} containers use it: {2}.', name, users.length, users.map((c) => c.name).join(', '))
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
} satisfies CommandTable;
