/**
 * A container that vanished under a command (removed by someone else between the list and the action):
 * which row it was, and the error told by that row's name — never by the 64-character id the engine names.
 */
import { EngineError, type EngineErrorKind } from './docker/engineError';
import { t } from './l10n';

/** The engine's "no such container" answer (dockerd: `No such container: <id>`; a 404 on a container call). */
export function isNoSuchContainer(err: unknown): err is EngineError {
  if (!(err instanceof EngineError) || err.kind !== ('notFound' satisfies EngineErrorKind)) return false;
  const text = err.engineMessage ?? err.message;
  return !/no such image/i.test(text);
}

/**
 * Which of `rows` the error is about: the one whose id (or its 12-character short form) the engine's message
 * names, else — `onlyRow` — the only row. Undefined when it cannot tell.
 */
export function vanishedRow<T extends { id: string; name: string }>(
  err: EngineError,
  rows: readonly T[],
  onlyRow = true,
): T | undefined {
  const text = `${err.engineMessage ?? ''} ${err.message}`;
  const named = rows.find((r) => r.id.length >= 12 && (text.includes(r.id) || text.includes(r.id.slice(0, 12))));
  return named ?? (onlyRow && rows.length === 1 ? rows[0] : undefined);
}

/** The same failure, told by the container's name, saying what happened and that its row is gone. */
export function vanishedError(err: EngineError, name: string): EngineError {
  return new EngineError(
    'notFound',
    t('The container {0} no longer exists (removed by someone else?). Its row is removed from the view.', name),
    t('Refresh the view to see the containers there are now.'),
    { statusCode: err.statusCode ?? 404, cause: err, containerName: name, engineMessage: err.engineMessage },
  );
}
