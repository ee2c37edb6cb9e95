/** The launch's first checks: a container name already in use, and host ports a running container publishes. */
import type { ContainerCreateOptions } from '../core/docker';
import * as vscode from 'vscode';
import { toEngineError, type ContainerDetails } from '../core/docker';
import { portConflicts, validateContainerName, withRandomHostPorts } from '../core/launchDecisions';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

/** Name already in use: Attach / Start existing / Recreate (confirmed) / New name. */
export async function resolveNameConflict(
  s: Services,
  name: string,
): Promise<{ name: string } | { existing: ContainerDetails }> {
  let existing: ContainerDetails;
  try {
    existing = await s.engines.engine.inspectContainer(name);
  } catch (err) {
    if (toEngineError(err).kind === 'notFound') return { name };
    throw err;
  }
  const attach = t('Attach');
  const start = t('Start Existing');
  const recreate = t('Recreate…');
  const rename = t('New Name…');
  const running = existing.state === 'running';
  const answer = await s.ui.ask(
    'nameConflict',
    'warning',
    t('A container named {0} already exists ({1}).', name, s.containersTree.statusOf(existing)),
    {
      modal: true,
      detail: t(
        'Attach to it, start it, remove it and create it again from the profile, or launch under another name.',
      ),
    },
    ...(running ? [attach] : [start]),
    recreate,
    rename,
  );
  if (answer === attach || answer === start) return { existing };
  if (answer === recreate) {
    const yes = t('Remove and Recreate');
    const confirm = await s.ui.ask(
      'confirmRecreate',
      'warning',
      t('Remove {0} and create it again?', name),
      { modal: true, detail: t('Files written inside the container outside mounted volumes are lost.') },
      yes,
    );
    if (confirm !== yes) throw new Cancelled();
    await s.engines.engine.removeContainer(existing.id, { force: true });
    return { name };
  }
  if (answer === rename) {
    const taken = new Set(s.refresh.containers.all().map((c) => c.name));
    const next = await s.ui.input('newContainerName', {
      prompt: t('Name for the new container'),
      value: `${name}-2`,
      validateInput: (v) => validateContainerName(v) ?? (taken.has(v) ? t('{0} is already in use.', v) : undefined),
    });
    if (!next) throw new Cancelled();
    const problem = validateContainerName(next);
    if (problem) throw new Error(problem);
    return resolveNameConflict(s, next);
  }
  throw new Cancelled();
}

/** Fixed host ports a running container already publishes: use random ones instead, or cancel. */
export async function resolvePortConflicts(
  s: Services,
  options: ContainerCreateOptions,
): Promise<ContainerCreateOptions> {
  const conflicts = portConflicts(options, s.refresh.containers.all());
  if (conflicts.length === 0) return options;
  const random = t('Use Random Host Ports');
  const a = await s.ui.ask(
    'portConflict',
    'warning',
    conflicts
      .map((c) => t('Host port {0}/{1} is already published by {2}.', c.hostPort, c.protocol, c.container.name))
      .join('\n'),
    {
      modal: true,
      detail: t('Docker would refuse to start the container. Let Docker choose free host ports instead?'),
    },
    random,
  );
  if (a !== random) throw new Cancelled();
  return withRandomHostPorts(options, conflicts);
}
