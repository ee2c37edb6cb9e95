/**
 * What Podman's Docker-compatible API says differently from dockerd, read into the same `EngineError`
 * kinds (tried before Docker's reading, `toEngineError`): a duplicate name and exec in a stopped container
 * are HTTP 500 there, a missing image is "image not known", a missing container "no container with name
 * or ID", CDI names that no spec defines "unresolvable CDI devices".
 */
import { engineMessageOf } from '../docker/errors';
import { EngineError, type EngineErrorContext } from '../docker/engineError';
import { FIX } from '../docker/errorFixes';
import { t } from '../l10n';

function statusOf(err: unknown): number | undefined {
  const s = err && typeof err === 'object' ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof s === 'number' ? s : undefined;
}

/** An `EngineError` for the Podman answers Docker's reading gets wrong; undefined for the rest. */
export function classifyPodmanError(err: unknown, ctx: EngineErrorContext): EngineError | undefined {
  const statusCode = statusOf(err);
  if (statusCode === undefined) return undefined;
  const msg = engineMessageOf(err);
  const detail = { cause: err, statusCode, engineMessage: msg };

  const name = /the container name "\/?([^"]+)" is already in use/i.exec(msg);
  if (name) {
    return new EngineError('conflict', t('The container name {0} is already in use.', name[1]), FIX.nameConflict, {
      ...detail,
      containerName: name[1],
    });
  }
  if (/container state improper|can only create exec sessions on running containers/i.test(msg)) {
    const what = ctx.containerName?.slice(0, 12) ?? '';
    return new EngineError(
      'conflict',
      t('The container {0} is not running.', what),
      t('Start (or unpause) the container first.'),
      detail,
    );
  }
  if (/image not known|failed to find image/i.test(msg)) {
    const image = ctx.image ?? /failed to find image:?\s*([^\s:]+(?::[^\s:]+)?)/i.exec(msg)?.[1];
    return new EngineError(
      'imageMissing',
      image ? t('Image {0} is not available locally.', image) : t('The image is not available locally.'),
      FIX.imageMissing,
      { ...detail, image },
    );
  }
  if (/unresolvable CDI devices/i.test(msg)) {
    return new EngineError(
      'gpuUnavailable',
      t('The Podman engine at {0} has no CDI spec for these GPUs: {1}', ctx.endpoint ?? '', msg.slice(0, 200)),
      t(
        'Generate the CDI spec on that host (sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml), then launch again.',
      ),
      detail,
    );
  }
  if (/no container with (name or )?ID .* found|no such container/i.test(msg)) {
    const what = ctx.containerName?.slice(0, 12) ?? '';
    return new EngineError('notFound', t('The container {0} no longer exists.', what), FIX.notFound, detail);
  }
  return undefined;
}
