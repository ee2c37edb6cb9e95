import type { ContainerSummary } from '../docker/engineTypes';
import { english, type Translate } from './format';

/**
 * Status text computed from timestamps when a row is rendered ("Up 3 minutes", "Exited (137) 5 minutes
 * ago"), never Docker's frozen status string. Inspected containers carry exact `startedAt`/`finishedAt`;
 * for listed ones the moment is recovered once from Docker's string and the time it was first seen.
 */

/** What the status is anchored to: the state's start and the suffix ("(Paused)", "(healthy)"). */
export interface StatusAnchor {
  kind: 'up' | 'exited' | 'restarting' | 'other';
  /** ms since the epoch; undefined when unknown. */
  since?: number;
  exitCode?: number;
  suffix: string;
}

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

/** Recovers the anchor from Docker's status string, as seen at `seenAt` (ms). */
export function anchorFromStatus(status: string, seenAt: number): StatusAnchor {
  let m = /^Up (.+?)((?: \([^)]*\))*)$/.exec(status);
  if (m) {
    const d = parseDockerDuration(m[1]);
    return { kind: 'up', since: d === undefined ? undefined : seenAt - d, suffix: m[2] };
  }
  m = /^(Exited|Restarting) \((-?\d+)\) (.+) ago$/.exec(status);
  if (m) {
    const d = parseDockerDuration(m[3]);
    return {
      kind: m[1] === 'Exited' ? 'exited' : 'restarting',
      since: d === undefined ? undefined : seenAt - d,
      exitCode: Number(m[2]),
      suffix: '',
    };
  }
  return { kind: 'other', suffix: '' };
}

interface Timestamps {
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
}

/** The anchor of an inspected container (exact timestamps), or undefined for a listed one. */
export function anchorFromDetails(c: ContainerSummary & Timestamps): StatusAnchor | undefined {
  const ms = (iso?: string): number | undefined => {
    const v = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(v) && v > 0 ? v : undefined;
  };
  const suffix = /((?: \([^)]*\))*)$/.exec(c.status)?.[1] ?? '';
  if (c.state === 'running' || c.state === 'paused') {
    const since = ms(c.startedAt);
    return since === undefined ? undefined : { kind: 'up', since, suffix };
  }
  if (c.state === 'exited' || c.state === 'restarting') {
    const since = ms(c.finishedAt);
    if (since === undefined) return undefined;
    const code = c.exitCode ?? Number(/\((-?\d+)\)/.exec(c.status)?.[1] ?? 0);
    return { kind: c.state, since, exitCode: code, suffix: '' };
  }
  return undefined;
}

/** "less than a minute", "1 minute", "5 minutes", "2 hours", "3 days" — whole units, so text changes at most once a minute. */
export function formatDuration(ms: number, t: Translate = english): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('less than a minute');
  // Like `docker ps`: hours up to 2 days, days up to 2 weeks, weeks up to 2 months, months up to 2 years.
  const m = Math.floor(s / 60);
  if (s < 3600) return m === 1 ? t('1 minute') : t('{0} minutes', m);
  const h = Math.floor(s / 3600);
  if (s < 86400 * 2) return h === 1 ? t('1 hour') : t('{0} hours', h);
  const d = Math.floor(s / 86400);
  if (d < 14) return t('{0} days', d);
  if (d < 60) return t('{0} weeks', Math.floor(d / 7));
  if (d < 730) return t('{0} months', Math.floor(d / 30));
  return t('{0} years', Math.floor(d / 365));
}

/** The row's status text at `now`. */
export function statusText(c: ContainerSummary, anchor: StatusAnchor, now: number, t: Translate = english): string {
  if (anchor.since === undefined) return c.status || c.state;
  const d = formatDuration(now - anchor.since, t);
  switch (anchor.kind) {
    case 'up':
      return t('Up {0}', d) + anchor.suffix;
    case 'exited':
      return t('Exited ({0}) {1} ago', anchor.exitCode ?? 0, d);
    case 'restarting':
      return t('Restarting ({0}) {1} ago', anchor.exitCode ?? 0, d);
    default:
      return c.status || c.state;
  }
}

/**
 * The status at `now` from the container's own timestamps (an inspected one's `startedAt`/`finishedAt`), else
 * Docker's string. For places without the view's StatusClock (the GPUs view's holders).
 */
export function statusNow(c: ContainerSummary, now: number, t: Translate = english): string {
  const anchor = anchorFromDetails(c);
  return anchor ? statusText(c, anchor, now, t) : c.status || c.state;
}

/**
 * Remembers, per container, the anchor recovered from the last status string seen, so the text keeps
 * moving between refreshes. One instance per view.
 */
export class StatusClock {
  private readonly byId = new Map<string, { status: string; anchor: StatusAnchor }>();
  /** An inspected container's exact anchor, per summary object (the store replaces the object on change). */
  private readonly exact = new WeakMap<ContainerSummary, StatusAnchor | null>();

  constructor(private readonly clock: () => number = Date.now) {}

  anchor(c: ContainerSummary): StatusAnchor {
    let exact = this.exact.get(c);
    if (exact === undefined) {
      exact = anchorFromDetails(c) ?? null;
      this.exact.set(c, exact);
    }
    if (exact) return exact;
    const known = this.byId.get(c.id);
    if (known && known.status === c.status) return known.anchor;
    const anchor = anchorFromStatus(c.status, this.clock());
    this.byId.set(c.id, { status: c.status, anchor });
    return anchor;
  }

  text(c: ContainerSummary, t: Translate = english): string {
    return statusText(c, this.anchor(c), this.clock(), t);
  }

  /** Forget containers no longer listed. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
  }
}
