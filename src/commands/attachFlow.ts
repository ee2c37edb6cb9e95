import * as vscode from 'vscode';
import { Views } from '../constants';
import type { ContainerSummary } from '../core/docker';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { confirmAttachToOthers } from './bulkContainers';

const t = vscode.l10n.t;

/*
 * Container flows more than one command uses (Attach, Start, Launch): state predicates, engine work with
 * progress on the view, and opening a terminal in a container (starting it first when asked).
 */

export const isRunning = (c: ContainerSummary): boolean => c.state === 'running';
export const isStopped = (c: ContainerSummary): boolean => ['exited', 'created', 'dead'].includes(c.state);
export const any = (): boolean => true;

/** Runs engine work with progress on the Containers view, then patches the rows it touched. */
export async function withViewProgress<T>(s: Services, ids: string[], work: () => Promise<T>): Promise<T> {
  try {
    return await vscode.window.withProgress({ location: { viewId: Views.containers } }, work);
  } finally {
    await Promise.all(ids.map((id) => s.refresh.refreshContainer(id)));
  }
}

/** The exec user and working directory of the profile that made the container, if it still exists. */
function profileExecOptions(s: Services, c: ContainerSummary): { user?: string; workdir?: string } {
  const profileName = c.labels['gpu-containers.profile'];
  if (!profileName) return {};
  const profile = s.config.profiles().profiles.find((p) => p.name === profileName);
  if (!profile?.execUser) return {};
  const user = profile.execUser === 'host' ? `${s.user.uid}:${s.user.gid}` : profile.execUser;
  return { user };
}

/**
 * Fails (notFound) when the container no longer exists: a terminal opened on it would only print the docker
 * CLI's "No such container" and close, saying nothing in the editor.
 */
export async function ensureExists(s: Services, c: Pick<ContainerSummary, 'id'>): Promise<void> {
  await s.engines.engine.inspectContainer(c.id);
}

export async function attachTerminal(s: Services, c: ContainerSummary): Promise<vscode.Terminal> {
  await ensureExists(s, c);
  await confirmAttachToOthers(s, c);
  // A pod that waits or has ended cannot be started in place: its state says why (Start relaunches an ended one).
  if (!isRunning(c) && s.engines.endpoint.kind === 'kubernetes')
    throw new Error(t('{0} is not running ({1}); a terminal opens once it runs.', c.name, c.status));
  if (!isRunning(c)) {
    const start = t('Start');
    const answer = await s.ui.ask(
      'startBeforeAttach',
      'warning',
      t('{0} is not running. Start it and attach?', c.name),
      {},
      start,
    );
    if (answer !== start) throw new Cancelled();
    await withViewProgress(s, [c.id], () => s.engines.engine.startContainer(c.id));
  }
  return s.terminals.exec(c, profileExecOptions(s, c));
}
