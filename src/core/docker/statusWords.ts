/**
 * Docker's status words ("Up 3 minutes (healthy)", "Exited (137) 11 seconds ago") read back into the neutral
 * row fields (`since`, `exitCode`, `health`): a container list carries only these words, so the moment a state
 * began is recovered from them once, when they are first seen, and kept while they stay the same.
 */
import type { ContainerSummary } from './engineTypes';

const UNITS: Array<[RegExp, number]> = [
  [/^less than a second$/i, 0],
  [/^about a minute$/i, 60],
  [/^about an hour$/i, 3600],
  [/^(\d+) seconds?$/i, 1],
  [/^(\d+) minutes?$/i, 60],
  [/^(\d+) hours?$/i, 3600],
  [/^(\d+) days?$/i, 86400],
  [/^(\d+) weeks?$/i, 86400 * 7],
  [/^(\d+) months?$/i, 86400 * 30],
  [/^(\d+) years?$/i, 86400 * 365],
];

/** Docker's human duration ("About an hour", "3 minutes") in ms; undefined when not understood. */
export function parseDockerDuration(text: string): number | undefined {
  const s = text.trim();
  for (const [re, unit] of UNITS) {
    const m = re.exec(s);
    if (m) return (m[1] ? Number(m[1]) : 1) * unit * 1000;
  }
  return undefined;
}

/** What Docker's status words say, seen at `seenAt` (ms): when the state began, the exit code, the health. */
export function readStatusWords(
  status: string,
  seenAt: number,
): Pick<ContainerSummary, 'since' | 'exitCode' | 'health'> {
  let m = /^Up (.+?)((?: \([^)]*\))*)$/.exec(status);
  if (m) {
    const d = parseDockerDuration(m[1]);
    const health = /\((?:health: )?(healthy|unhealthy|starting)\)/.exec(m[2])?.[1] as ContainerSummary['health'];
    return { ...(d !== undefined ? { since: seenAt - d } : {}), ...(health ? { health } : {}) };
  }
  m = /^(?:Exited|Restarting) \((-?\d+)\) (.+) ago$/.exec(status);
  if (m) {
    const d = parseDockerDuration(m[2]);
    return { exitCode: Number(m[1]), ...(d !== undefined ? { since: seenAt - d } : {}) };
  }
  return {};
}

/**
 * The listed rows' `since`, remembered per container while its status words stay the same (Docker's words
 * are coarse: "3 minutes" read a few seconds later must not move the moment). One per engine.
 */
export class ListedSince {
  private readonly byId = new Map<string, { status: string; read: ReturnType<typeof readStatusWords> }>();

  /** Fills `since`, `exitCode` and `health` of listed rows; forgets the containers a full list no longer has. */
  apply(rows: ContainerSummary[], now: number, full: boolean): ContainerSummary[] {
    for (const c of rows) {
      const known = this.byId.get(c.id);
      const read = known && known.status === c.status ? known.read : readStatusWords(c.status, now);
      this.byId.set(c.id, { status: c.status, read });
      Object.assign(c, read);
    }
    if (full) {
      const ids = new Set(rows.map((c) => c.id));
      for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
    }
    return rows;
  }
}
