import * as vscode from 'vscode';
import type { ContainerSummary } from '../core/docker';
import { PROFILE_LABEL } from '../core/docker/labels';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { kubeEngineOf, untilRow } from './launchKube';

const t = vscode.l10n.t;

/**
 * Stop on a Kubernetes host deletes the pods (a pod cannot be stopped and kept): said, and asked, first.
 */
export async function stopPods(s: Services, targets: ContainerSummary[]): Promise<void> {
  const del = t('Delete Pod');
  const names = targets.map((c) => c.name).join(', ');
  const a = await s.ui.ask(
    'podDelete',
    'warning',
    t('On Kubernetes, Stop deletes the pod: {0}.', names),
    {
      modal: true,
      detail: t(
        'What it wrote outside its volumes is lost. Start launches it again from its launch profile, as a new pod.',
      ),
    },
    del,
  );
  if (a !== del) throw new Cancelled();
  s.terminals.closeFor(targets.map((c) => c.id));
  const done = s.containersTree.markTransient(
    targets.map((c) => c.id),
    'stopping',
  );
  try {
    await Promise.all(targets.map((c) => kubeEngineOf(s).stopContainer(c.id)));
  } finally {
    done();
  }
}

/**
 * Start (an ended pod) and Restart (a running one) on a Kubernetes host: a pod runs once, so the pod is deleted
 * and its launch profile launched again as a new pod of the same name — said, and asked, first.
 */
export async function relaunchPods(
  s: Services,
  targets: ContainerSummary[],
  relaunch: (s: Services, profile: string, image: string) => Promise<unknown>,
): Promise<void> {
  const orphans = targets.filter((c) => !c.labels[PROFILE_LABEL]);
  if (orphans.length > 0)
    throw new Error(
      t(
        '{0} was not launched from a launch profile, so it cannot be created again; launch a profile instead.',
        orphans.map((c) => c.name).join(', '),
      ),
    );
  const again = t('Launch Again');
  const a = await s.ui.ask(
    'podRelaunch',
    'warning',
    t(
      'A pod runs once: {0} will be deleted and launched again from its profile as a new pod.',
      targets.map((c) => `${c.name} (${c.labels[PROFILE_LABEL]})`).join(', '),
    ),
    { modal: true, detail: t('What it wrote outside its volumes is lost.') },
    again,
  );
  if (a !== again) throw new Cancelled();
  s.terminals.closeFor(targets.map((c) => c.id));
  for (const c of targets) {
    await kubeEngineOf(s)
      .deletePod(c.id, undefined)
      .catch((e: unknown) => {
        if ((e as { kind?: string }).kind !== 'notFound') throw e;
      });
    // The same name is free only once the old pod is gone (the watch removes its row).
    await untilRow(s, c.id, (row) => (row ? undefined : true));
    await relaunch(s, c.labels[PROFILE_LABEL], c.image);
  }
}
