import * as vscode from 'vscode';
import type { ContainerSummary } from '../core/docker';
import { PROFILE_LABEL } from '../core/docker/labels';
import { podGoneDeadlineMs, podGoneProbeDelayMs, podNotGoneMessage } from '../core/kube/podGone';
import type { Pod } from '../core/kube/kubeTypes';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { kubeEngineOf } from './launchKube';

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
    // The same name is free only once the old pod is gone.
    await untilPodGone(s, c.id);
    await relaunch(s, c.labels[PROFILE_LABEL], c.image);
  }
}

type Look = 'gone' | { pod: Pod } | { error: string };

/**
 * Until a deleted pod is gone, so its name is free: its row leaving the store (the watch) confirmed by a direct
 * read; while the watch is not delivering (its stream down, or no view listening), direct reads alone. A
 * cancellable notification says it; after the pod's grace plus a margin (core/kube/podGone.ts) an error says what
 * holds it (finalizers, its node) and how to look.
 */
async function untilPodGone(s: Services, name: string): Promise<void> {
  const engine = kubeEngineOf(s);
  const look = (): Promise<Look> =>
    engine.getPod(name).then(
      (pod) => ({ pod }),
      (e: unknown) =>
        (e as { kind?: string }).kind === 'notFound' ? 'gone' : { error: e instanceof Error ? e.message : String(e) },
    );
  const first = await look();
  // A pod that had ended goes at once.
  if (first === 'gone') return;
  let last: Exclude<Look, 'gone'> = first;
  const waitMs = podGoneDeadlineMs('pod' in first ? first.pod : undefined, s.config.podGoneMarginMs);
  const watching = (): boolean => s.refresh.active && s.refresh.controller.eventsUp;
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: t('Waiting for the pod {0} to go…', name),
      cancellable: true,
    },
    (_progress, token) =>
      new Promise<void>((resolve, reject) => {
        const subs: vscode.Disposable[] = [];
        const timers = new Set<ReturnType<typeof setTimeout>>();
        let settled = false;
        let reading: Promise<void> | undefined;
        const end = (err?: Error): void => {
          if (settled) return;
          settled = true;
          for (const d of subs) d.dispose();
          for (const x of timers) clearTimeout(x);
          if (err) reject(err);
          else resolve();
        };
        const after = (ms: number, f: () => void): void => {
          const x = setTimeout(() => {
            timers.delete(x);
            f();
          }, ms);
          timers.add(x);
        };
        const read = (): Promise<void> =>
          (reading ??= look().then((r) => {
            reading = undefined;
            if (r === 'gone') return end();
            // The cluster cannot be asked, but the live watch removed the row: gone.
            if ('error' in r && watching() && !s.refresh.containers.get(name)) return end();
            last = r;
          }));
        // The watch removed the row: confirmed by a read (a store that is not listening lacks rows too).
        subs.push(
          s.refresh.onDidChangeContainers(() => {
            if (!s.refresh.containers.get(name)) void read();
          }),
        );
        subs.push(token.onCancellationRequested(() => end(new Cancelled())));
        // The watch is not delivering: read the pod directly, backing off.
        let attempt = 0;
        const probe = (): void =>
          after(podGoneProbeDelayMs(attempt++), () => {
            void (watching() ? Promise.resolve() : read()).then(() => {
              if (!settled) probe();
            });
          });
        probe();
        after(waitMs, () => {
          // A last read, then what still holds it.
          void read().then(() => end(new Error(podNotGoneMessage(name, engine.namespace, waitMs, last))));
        });
        if (!s.refresh.containers.get(name)) void read();
      }),
  );
}
