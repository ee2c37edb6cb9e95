import * as vscode from 'vscode';
import { Commands } from '../constants';
import { OWNER_LABEL, toEngineError, type ContainerSummary } from '../core/docker';
import { isMine } from '../core/tree/containerRows';
import { namedMessage, pruneCandidates, removalReport } from '../core/ownership';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';
import { containerTargets, isImageRow } from './pick';
import { any, attachTerminal, ensureExists, isRunning, isStopped, withViewProgress } from './attachFlow';
import { inspectUri } from '../inspect';
import { startGpuContainer } from './launchGpus';
import { confirmAttachToOthers, confirmBulk } from './bulkContainers';

import { onCluster } from './launchKube';
import { relaunchPods, stopPods } from './kubeCommands';
import { relaunchByName } from './launchCommands';

const t = vscode.l10n.t;

/** Opens an inspect document (secret env values masked) and offers Reveal when it masked some. */
async function showInspect(s: Services, uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: true });
  const masked = (doc.getText().match(/=\*\*\*",?$/gm) ?? []).length;
  if (masked > 0) {
    const reveal = t('Reveal');
    void s.ui
      .ask(
        'inspectMasked',
        'info',
        masked === 1
          ? t('1 secret-looking environment value is hidden.')
          : t('{0} secret-looking environment values are hidden.', masked),
        {},
        reveal,
      )
      .then(async (a) => {
        if (a !== reveal) return;
        const shown = await vscode.workspace.openTextDocument(uri.with({ query: `${uri.query}&reveal=1` }));
        await vscode.languages.setTextDocumentLanguage(shown, 'json');
        await vscode.window.showTextDocument(shown, { preview: true });
      });
  }
  return doc;
}

/**
 * Removes each container, going on past failures; one already gone counts as removed. Returns the failures,
 * by name (an engine message naming the 64-character id gets the name instead).
 */
async function removeEach(
  s: Services,
  targets: readonly ContainerSummary[],
  opts: { force?: boolean },
): Promise<Array<{ name: string; reason: string }>> {
  const failed: Array<{ name: string; reason: string }> = [];
  for (const c of targets) {
    try {
      await s.engines.engine.removeContainer(c.id, opts);
      s.refresh.containers.remove(c.id);
    } catch (err) {
      const e = toEngineError(err, { containerName: c.name });
      const gone = e.kind === 'notFound' || /removal of container .* is already in progress/i.test(e.message);
      if (!gone) {
        s.logger.error(`remove ${c.name} failed:`, err);
        failed.push({ name: c.name, reason: namedMessage(e.message, c) });
      } else s.refresh.containers.remove(c.id);
    }
  }
  return failed;
}

/** Asks before removing; a container owned by somebody else needs a second yes that names the owner. */
async function confirmRemove(s: Services, targets: ContainerSummary[]): Promise<boolean> {
  const remove = t('Remove');
  const names = targets.map((c) => c.name).join(', ');
  const running = targets.filter(isRunning);
  const detail =
    t(
      'The container and its writable layer (everything not in a mounted volume) are deleted. Images and mounted folders are kept.',
    ) +
    (running.length > 0
      ? '\n\n' + t('Running containers are stopped first: {0}.', running.map((c) => c.name).join(', '))
      : '');
  const first = await s.ui.ask(
    'confirmRemove',
    'warning',
    targets.length === 1 ? t('Remove container {0}?', names) : t('Remove {0} containers ({1})?', targets.length, names),
    { modal: true, detail },
    remove,
  );
  if (first !== remove) return false;
  const others = targets.filter((c) => !isMine(c, s.user.name));
  if (others.length > 0) {
    const owners = [...new Set(others.map((c) => c.labels[OWNER_LABEL] || t('unknown owner')))].join(', ');
    const second = await s.ui.ask(
      'confirmRemoveOthers',
      'warning',
      t(
        '{0} belongs to {1}, not to you ({2}). Remove it anyway?',
        others.map((c) => c.name).join(', '),
        owners,
        s.user.name,
      ),
      { modal: true, detail: t("On a shared server this deletes a colleague's work.") },
      remove,
    );
    if (second !== remove) return false;
  }
  return true;
}

export const containerCommands = {
  [Commands.attachTerminal]: async (s, node, nodes) => {
    const [c] = await containerTargets(
      s,
      node,
      nodes,
      (x) => isRunning(x) || isStopped(x),
      t('Attach a terminal to which container?'),
    );
    await attachTerminal(s, c);
  },

  [Commands.attachMainProcess]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, isRunning, t('Attach to the main process of which container?'));
    await ensureExists(s, c);
    await confirmAttachToOthers(s, c);
    await s.terminals.attach(c);
  },

  [Commands.start]: async (s, node, nodes) => {
    const targets = await confirmBulk(
      s,
      'start',
      await containerTargets(s, node, nodes, isStopped, t('Start which container?')),
    );
    if (onCluster(s)) return relaunchPods(s, targets, relaunchByName);
    await withViewProgress(
      s,
      targets.map((c) => c.id),
      async () => {
        // A GPU container the engine cannot give GPUs to: offer Start without GPU (recreate).
        for (const c of targets) await startGpuContainer(s, await s.engines.engine.inspectContainer(c.id));
      },
    );
  },

  [Commands.stop]: async (s, node, nodes) => {
    const targets = await confirmBulk(
      s,
      'stop',
      await containerTargets(s, node, nodes, (c) => !isStopped(c), t('Stop which container?')),
    );
    if (onCluster(s)) return stopPods(s, targets);
    const details = await Promise.all(targets.map((c) => s.engines.engine.inspectContainer(c.id)));
    const autoRemove = details.filter((d) => d.autoRemove);
    if (autoRemove.length > 0) {
      const stop = t('Stop and Remove');
      const answer = await s.ui.ask(
        'confirmStopAutoRemove',
        'warning',
        t(
          '{0} was started with --rm: stopping it removes the container and its writable layer.',
          autoRemove.map((d) => d.name).join(', '),
        ),
        {
          modal: true,
          detail: t(
            'Files written inside the container outside mounted volumes are lost. Commit it to an image first to keep them.',
          ),
        },
        stop,
      );
      if (answer !== stop) throw new Cancelled();
    }
    s.terminals.closeFor(targets.map((c) => c.id));
    const done = s.containersTree.markTransient(
      targets.map((c) => c.id),
      'stopping',
    );
    await withViewProgress(
      s,
      targets.map((c) => c.id),
      async () => {
        await Promise.all(targets.map((c) => s.engines.engine.stopContainer(c.id)));
      },
    ).finally(done);
  },

  [Commands.restart]: async (s, node, nodes) => {
    const targets = await confirmBulk(
      s,
      'restart',
      await containerTargets(s, node, nodes, (c) => !isStopped(c), t('Restart which container?')),
    );
    if (onCluster(s)) return relaunchPods(s, targets, relaunchByName);
    s.terminals.closeFor(targets.map((c) => c.id));
    const done = s.containersTree.markTransient(
      targets.map((c) => c.id),
      'restarting',
    );
    await withViewProgress(
      s,
      targets.map((c) => c.id),
      async () => {
        await Promise.all(targets.map((c) => s.engines.engine.restartContainer(c.id)));
      },
    ).finally(done);
  },

  [Commands.remove]: async (s, node, nodes) => {
    const picked = await containerTargets(s, node, nodes, any, t('Remove which container?'));
    const targets = picked.length > 1 ? await confirmBulk(s, 'remove', picked) : picked;
    if (picked.length === 1 && !(await confirmRemove(s, targets))) throw new Cancelled();
    s.terminals.closeFor(targets.map((c) => c.id));
    const failed = await withViewProgress(s, [], () => removeEach(s, targets, { force: true }));
    await s.refresh.refreshAll();
    const report = removalReport(targets.length, failed);
    if (report) throw new Error(report);
  },

  [Commands.showLogs]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, any, t('Show the logs of which container?'));
    await ensureExists(s, c);
    await s.terminals.logs(c);
  },

  [Commands.inspect]: async (s, node, nodes) => {
    // The document names its host: the provider asks that host, whichever host the row is on. VS Code reports
    // a document that failed to load by its raw address: when it fails, ask the engine again, so a container or
    // image that is gone is named (and its row refreshed away) instead.
    const host = s.hosts.multiple ? s.hosts.scopedHost(s)?.name : undefined;
    if (isImageRow(node)) {
      const image = node.image.id;
      return showInspect(s, inspectUri('image', node.tag ?? image, image, host)).catch(async (err: unknown) => {
        await s.engines.engine.inspectImage(image);
        throw err;
      });
    }
    const [c] = await containerTargets(s, node, nodes, any, t('Inspect which container?'));
    return showInspect(s, inspectUri('container', c.name, c.id, host)).catch(async (err: unknown) => {
      await ensureExists(s, c);
      throw err;
    });
  },

  [Commands.copyName]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, any, t('Copy the name of which container?'));
    await vscode.env.clipboard.writeText(c.name);
  },

  [Commands.copyId]: async (s, node, nodes) => {
    const [c] = await containerTargets(s, node, nodes, any, t('Copy the ID of which container?'));
    await vscode.env.clipboard.writeText(c.id);
  },

  [Commands.pruneStopped]: async (s) => {
    await s.refresh.refreshAll();
    const { labelled, byName } = pruneCandidates(s.refresh.containers.all().filter(isStopped), s.user.name);
    // Containers without an owner label are only named like the user's: each needs its own yes.
    let alsoByName: ContainerSummary[] = [];
    if (byName.length > 0) {
      const picked = await s.ui.pickMany(
        'pruneUnlabelled',
        byName.map((c) => ({
          label: c.name,
          description: `${c.image} · ${s.containersTree.statusOf(c)}`,
          picked: false,
          container: c,
        })),
        {
          placeHolder: t(
            'These stopped containers have no owner label; they are only named like yours. Check the ones to remove too.',
          ),
        },
      );
      if (!picked) throw new Cancelled();
      alsoByName = picked.map((p) => p.container);
    }
    const mine = [...labelled, ...alsoByName];
    if (mine.length === 0) {
      void s.ui.ask('pruneNothing', 'info', t('You have no stopped containers.'), {});
      return;
    }
    const remove = t('Remove {0}', mine.length);
    const answer = await s.ui.ask(
      'confirmPrune',
      'warning',
      mine.length === 1
        ? t('Remove 1 stopped container of yours?')
        : t('Remove {0} stopped containers of yours?', mine.length),
      { modal: true, detail: mine.map((c) => `• ${c.name}  (${c.image}, ${s.containersTree.statusOf(c)})`).join('\n') },
      remove,
    );
    if (answer !== remove) throw new Cancelled();
    // Exactly the containers listed above, one by one: a label-filtered prune could also take a
    // container that stopped after the list was shown.
    const failed = await removeEach(s, mine, {});
    await s.refresh.refreshAll();
    const report = removalReport(mine.length, failed);
    if (report) throw new Error(report);
  },
} satisfies CommandTable;
