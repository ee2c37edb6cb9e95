import * as vscode from 'vscode';
import { Commands } from '../constants';
import { GROUP_BYS, type GroupBy } from '../core/tree/arrange';
import { isMoreRow } from '../core/tree/paging';
import type { MoreRows } from '../tree/views';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';

const t = vscode.l10n.t;

function groupByLabel(by: GroupBy): string {
  switch (by) {
    case 'none':
      return t('No Grouping');
    case 'state':
      return t('Group by State (Running / Stopped)');
    case 'project':
      return t('Group by Profile or Compose Project');
    case 'owner':
      return t('Group by Owner');
  }
}

/** The Containers view's title commands: grouping and the text filter. */
export const treeViewCommands = {
  [Commands.groupContainers]: async (s, arg) => {
    if (typeof arg === 'string' && (GROUP_BYS as readonly string[]).includes(arg)) {
      await s.containersTree.setGroupBy(arg as GroupBy);
      return;
    }
    const current = s.containersTree.groupBy;
    const picked = await s.ui.pick(
      'groupContainers',
      GROUP_BYS.map((by) => ({ label: groupByLabel(by), description: by === current ? t('current') : '', by })),
      { placeHolder: t('Group the containers by…') },
    );
    if (!picked) throw new Cancelled();
    await s.containersTree.setGroupBy(picked.by);
  },

  [Commands.filterContainersText]: async (s, arg) => {
    const text =
      typeof arg === 'string'
        ? arg
        : await s.ui.input('filterContainersText', {
            value: s.containersTree.textFilter,
            prompt: t('Show only containers whose name, image or a label (key=value) contains this text.'),
            placeHolder: t('e.g. bert, pytorch, gpu-containers.profile=train'),
          });
    if (text === undefined) throw new Cancelled();
    await s.containersTree.setTextFilter(text);
  },

  [Commands.clearContainersFilter]: async (s) => {
    await s.containersTree.setTextFilter('');
  },

  /** The "Show more" row at the end of a long level: its next page. */
  [Commands.showMoreContainers]: (s, row) => {
    if (isMoreRow(row)) s.containersTree.showMore(row as MoreRows);
    return Promise.resolve();
  },
} satisfies CommandTable;
