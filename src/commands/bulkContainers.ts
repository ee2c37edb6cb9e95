import * as vscode from 'vscode';
import type { ContainerSummary } from '../core/docker';
import { isMine, needsOwnerConfirmation } from '../core/tree/containerRows';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

export type BulkAction = 'start' | 'stop' | 'restart' | 'remove';

/** How many rows a confirmation lists before "…and N more". */
const LISTED = 25;

function question(action: BulkAction, n: number): string {
  switch (action) {
    case 'start':
      return t('Start {0} containers?', n);
    case 'stop':
      return t('Stop {0} containers?', n);
    case 'restart':
      return t('Restart {0} containers?', n);
    case 'remove':
      return t('Remove {0} containers?', n);
  }
}

function button(action: BulkAction): string {
  switch (action) {
    case 'start':
      return t('Start');
    case 'stop':
      return t('Stop');
    case 'restart':
      return t('Restart');
    case 'remove':
      return t('Remove');
  }
}

/** One line per container, the owner named where it is not the user: `• ann-bert (pytorch:2, Up 3 hours) — ann`. */
export function bulkList(s: Services, targets: readonly ContainerSummary[]): string {
  const lines = targets.slice(0, LISTED).map((c) => {
    const owner = isMine(c, s.user.name) ? '' : ` — ${c.owner ? t('owner {0}', c.owner) : t('no owner label')}`;
    return `• ${c.name}  (${c.image}, ${s.containersTree.statusOf(c)})${owner}`;
  });
  if (targets.length > LISTED) lines.push(t('…and {0} more', targets.length - LISTED));
  return lines.join('\n');
}

/**
 * The containers a bulk Start / Stop / Restart / Remove acts on, after asking: several rows get one modal
 * listing what will go (owners named); other people's containers then need their own explicit yes
 * ("Include Theirs" or "Only Mine"). A single container of the user's, or a single Start, is not asked about here.
 * Throws Cancelled when the user says no.
 */
export async function confirmBulk(
  s: Services,
  action: BulkAction,
  targets: readonly ContainerSummary[],
): Promise<ContainerSummary[]> {
  if (targets.length > 1) {
    const go = button(action);
    const detail =
      bulkList(s, targets) +
      (action === 'remove'
        ? '\n\n' +
          t(
            'The containers and their writable layers (everything not in a mounted volume) are deleted; running ones are stopped first. Images and mounted folders are kept.',
          )
        : '');
    const answer = await s.ui.ask(
      'confirmBulk',
      'warning',
      question(action, targets.length),
      { modal: true, detail },
      go,
    );
    if (answer !== go) throw new Cancelled();
  }
  const others = targets.filter((c) => !isMine(c, s.user.name));
  // Starting one stopped container takes nothing from its owner; stopping, restarting or removing does.
  if (others.length === 0 || (action === 'start' && targets.length === 1)) return [...targets];
  const theirs = t('Include Theirs');
  const onlyMine = t('Only Mine');
  const mine = targets.filter((c) => isMine(c, s.user.name));
  const answer = await s.ui.ask(
    'confirmBulkOthers',
    'warning',
    others.length === 1
      ? t('{0} belongs to someone else. Include it?', others[0].name)
      : t('{0} of these containers belong to other people. Include them?', others.length),
    { modal: true, detail: bulkList(s, others) + '\n\n' + t("On a shared server this affects a colleague's work.") },
    // The safe answer first (the dialog's default button).
    ...(mine.length > 0 ? [onlyMine, theirs] : [theirs]),
  );
  if (answer === theirs) return [...targets];
  if (answer === onlyMine) return mine;
  throw new Cancelled();
}

/** Attach into somebody else's container asks first, once per container (for this window). */
export async function confirmAttachToOthers(s: Services, c: ContainerSummary): Promise<void> {
  if (!needsOwnerConfirmation(c, s.user.name, s.containersTree.attachConfirmed)) return;
  const attach = t('Attach');
  const answer = await s.ui.ask(
    'confirmAttachOthers',
    'warning',
    c.owner
      ? t('{0} belongs to {1}, not to you. Attach anyway?', c.name, c.owner)
      : t('{0} has no owner label and is not named like yours. Attach anyway?', c.name),
    {
      modal: true,
      detail: t("What you type runs inside a colleague's container. You are asked once per container."),
    },
    attach,
  );
  if (answer !== attach) throw new Cancelled();
  s.containersTree.attachConfirmed.add(c.id);
}
