import type { ContainerSummary } from '../docker/engineTypes';
import { english, type Translate } from './format';

/**
 * Status text computed when a row is rendered ("Up 3 minutes", "Exited (137) 5 minutes ago") from the row's
 * neutral fields — `state`, `since` (when that state began), `exitCode`, `health` — never a frozen string. Each
 * backend fills `since` (Docker from inspect's timestamps, or from its list's words: core/docker/statusWords.ts);
 * a row without it shows the engine's own words (`status`: "Created", a pod's "Pending: …").
 */

/** What the status is anchored to: the state's start and the suffix ("(Paused)", "(healthy)"). */
export interface StatusAnchor {
  kind: 'up' | 'exited' | 'restarting' | 'other';
  /** ms since the epoch; undefined when unknown. */
  since?: number;
  exitCode?: number;
  suffix: string;
}

/** The anchor of a row, from its neutral fields. */
export function anchorOf(c: ContainerSummary): StatusAnchor {
  if (c.state === 'running' || c.state === 'paused') {
    const suffix = `${c.state === 'paused' ? ' (Paused)' : ''}${c.health ? ` (${c.health === 'starting' ? 'health: starting' : c.health})` : ''}`;
    return { kind: 'up', since: c.since, suffix };
  }
  if (c.state === 'exited' || c.state === 'restarting')
    return { kind: c.state, since: c.since, exitCode: c.exitCode ?? 0, suffix: '' };
  return { kind: 'other', suffix: '' };
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

/** The status at `now` of a row (the GPUs view's holders; the Containers view keeps a StatusClock). */
export function statusNow(c: ContainerSummary, now: number, t: Translate = english): string {
  return statusText(c, anchorOf(c), now, t);
}

/** The status texts of one view, on an injected clock. */
export class StatusClock {
  constructor(private readonly clock: () => number = Date.now) {}

  anchor(c: ContainerSummary): StatusAnchor {
    return anchorOf(c);
  }

  text(c: ContainerSummary, t: Translate = english): string {
    return statusText(c, this.anchor(c), this.clock(), t);
  }
}
