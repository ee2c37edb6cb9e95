/**
 * A launch that created its container but could not start it because the engine went away (a daemon killed
 * between create and start): the container is the user's own, just made by this launch with our labels, and
 * never ran — so it is removed, at once if the engine still answers, else as soon as it answers again, and
 * the launch's failure says so. (Decision, issue 24 item 5: remove rather than leave a `Created` container
 * nobody mentions; one that has been started since is left alone.)
 */
import type { Engine } from './docker/engineContract';
import { EngineError } from './docker/engineError';
import { toEngineError } from './docker/errors';
import { t } from './l10n';

export type HalfCreatedOutcome = 'removed' | 'gone' | 'running' | 'unanswered';

type Remover = Pick<Engine, 'inspectContainer' | 'removeContainer'>;

const unanswered = (e: EngineError): boolean => e.kind === 'unreachable' || e.kind === 'timeout';

/** Removes the container a failed launch created, unless it runs now; says what became of it. */
export async function removeHalfCreated(engine: Remover, id: string): Promise<HalfCreatedOutcome> {
  try {
    const d = await engine.inspectContainer(id);
    if (d.state === 'running' || d.state === 'paused' || d.state === 'restarting') return 'running';
    await engine.removeContainer(id, { force: true });
    return 'removed';
  } catch (err) {
    const e = toEngineError(err);
    if (e.kind === 'notFound') return 'gone';
    if (unanswered(e)) return 'unanswered';
    throw e;
  }
}

/**
 * The launch's failure with what happens to its half-created container: removed now, or — the engine not
 * answering — to be removed when it answers again (`later` is then called to arrange that).
 */
export async function discardHalfCreated(
  engine: Remover,
  failure: unknown,
  c: { id: string; name: string },
  later: () => void,
): Promise<unknown> {
  let outcome: HalfCreatedOutcome;
  try {
    outcome = await removeHalfCreated(engine, c.id);
  } catch {
    return failure;
  }
  if (outcome !== 'unanswered') return failure;
  later();
  const note = t('{0} was created but never started; it is removed when Docker answers again.', c.name);
  if (failure instanceof EngineError)
    return new EngineError(failure.kind, `${failure.message} ${note}`, failure.fix, {
      statusCode: failure.statusCode,
      cause: failure.cause,
      containerName: failure.containerName,
      image: failure.image,
      engineMessage: failure.engineMessage,
    });
  return new Error(`${failure instanceof Error ? failure.message : String(failure)} ${note}`);
}
