/**
 * Container calls of the dockerode engine that need more than one line: create options as the CLI sends
 * them, prune by label, commit, attach. Each takes the Dockerode client and the endpoint's `CallRunner`.
 */
import type Dockerode from 'dockerode';
import { t } from '../l10n';
import type { CallRunner } from './callLink';
import type { CallOptions, ContainerCreateOptions } from './engineContract';
import { EngineError } from './engineError';

/**
 * Fills in what `docker create --gpus` sends and the engine otherwise stores as null
 * (`Options: {}`), so a container we create inspects exactly like one the CLI made.
 */
export function normalizeCreateOptions(options: ContainerCreateOptions): ContainerCreateOptions {
  const requests = options.HostConfig?.DeviceRequests;
  if (!Array.isArray(requests)) return { ...options };
  return {
    ...options,
    HostConfig: { ...options.HostConfig, DeviceRequests: requests.map((r) => ({ ...r, Options: r.Options ?? {} })) },
  };
}

export async function commit(
  docker: Dockerode,
  run: CallRunner,
  id: string,
  opts: { repo: string; tag: string; comment?: string; author?: string; pause?: boolean } & CallOptions,
): Promise<{ id: string }> {
  const query: Record<string, unknown> = { repo: opts.repo, tag: opts.tag, pause: opts.pause ?? true };
  if (opts.comment) query.comment = opts.comment;
  if (opts.author) query.author = opts.author;
  // Committing a large file system takes as long as it takes: no timeout unless asked.
  const res = (await run.call(
    opts,
    run.ctx('commit container', { containerName: id }),
    (abortSignal) => docker.getContainer(id).commit({ ...query, abortSignal } as object),
    0,
  )) as { Id?: unknown; ID?: unknown } | undefined;
  const newId = typeof res?.Id === 'string' ? res.Id : typeof res?.ID === 'string' ? res.ID : '';
  if (!newId) throw new EngineError('unknown', t('The engine did not return the new image id.'), t('Try again.'));
  return { id: newId };
}
