import type { ContainerSummary } from './docker/engineTypes';
import { t } from './l10n';

/**
 * Whose a container is. The owner label decides; only a container without one (made by hand with
 * `docker run`) counts as the user's by name, and then only when named exactly `${user}-…`: `tom` does not
 * own `tom.smith-exp`, `tom_b-x` or `tomato`.
 */
export type Ownership = 'mine' | 'mineByName' | 'others';

export function ownership(c: Pick<ContainerSummary, 'owner' | 'name'>, user: string): Ownership {
  if (!user) return 'others';
  if (c.owner !== undefined && c.owner !== '') return c.owner === user ? 'mine' : 'others';
  return c.name.startsWith(`${user}-`) ? 'mineByName' : 'others';
}

/** Prune's candidates: the user's labelled stopped containers, and the unlabelled ones only named like theirs. */
export function pruneCandidates<C extends Pick<ContainerSummary, 'owner' | 'name'>>(
  stopped: readonly C[],
  user: string,
): { labelled: C[]; byName: C[] } {
  const labelled: C[] = [];
  const byName: C[] = [];
  for (const c of stopped) {
    const o = ownership(c, user);
    if (o === 'mine') labelled.push(c);
    else if (o === 'mineByName') byName.push(c);
  }
  return { labelled, byName };
}

/** An engine message about one container, with its id (full or short) replaced by its name. */
export function namedMessage(message: string, c: { id: string; name: string }): string {
  const id = c.id.replace(/^sha256:/, '');
  return message.split(id).join(c.name).split(id.slice(0, 12)).join(c.name);
}

/** "Removed 2 of 3 containers. Not removed: a (reason)." — by name, never by id. */
export function removalReport(
  total: number,
  failed: ReadonlyArray<{ name: string; reason: string }>,
): string | undefined {
  if (failed.length === 0) return undefined;
  const reasons = failed.map((f) => `${f.name} (${f.reason.replace(/\.$/, '')})`).join('; ');
  return total === 1
    ? t('Removed {0} of 1 container. Not removed: {1}', total - failed.length, reasons)
    : t('Removed {0} of {1} containers. Not removed: {2}', total - failed.length, total, reasons);
}
