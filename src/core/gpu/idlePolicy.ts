/**
 * Idle policy per launch profile: `idle: { below: "5%", for: "2h", then: "notify" | "stop" | "commit-and-stop" }`.
 * A launch records the policy in the container's `IDLE_POLICY_LABEL` (the profile may change or go later); the
 * user's own extension applies it — only to containers whose owner label is this user, and only while VS Code
 * runs — from the GPU use history (history.ts): once the container has left its GPUs under `below` for `for`,
 * a notice first, and for the stopping policies an undo window (Keep running / Stop now) before the stop.
 *
 * Pure: time comes in as `now` (an injected clock in the glue, fixed numbers in tests).
 */
import { IDLE_POLICY_LABEL } from '../docker/labels';
import { t } from '../l10n';
import { parsePercent, parseWindow } from './history';

export const IDLE_ACTIONS = ['notify', 'stop', 'commit-and-stop'] as const;
export type IdleAction = (typeof IDLE_ACTIONS)[number];

export interface ContainerIdlePolicy {
  /** Idle while the utilisation of every GPU it holds stays under this (percent, above 0, at most 100). */
  belowPct: number;
  /** For this long (ms). */
  forMs: number;
  then: IdleAction;
}

/** The undo window's default (setting `gpuContainers.gpus.idleGraceSeconds`). */
export const DEFAULT_IDLE_GRACE_MS = 300_000;
/** The longest `for` a profile may give. */
const MAX_FOR_MS = 30 * 86_400_000;

const KEYS = ['below', 'for', 'then'];

function quoted(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * Settings `idle` → the policy, or problems (field, message) for what is wrong: `below: "150%"`, `for: "0"`,
 * `then: "explode"`, unknown keys (warnings), not an object.
 */
export function parseIdleSetting(v: unknown): {
  policy?: ContainerIdlePolicy;
  problems: Array<{ field: string; message: string; severity?: 'warning' }>;
} {
  const problems: Array<{ field: string; message: string; severity?: 'warning' }> = [];
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    problems.push({
      field: 'idle',
      message: t('idle must be an object such as { "below": "5%", "for": "2h", "then": "stop" }, not {0}.', quoted(v)),
    });
    return { problems };
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.includes(k))
      problems.push({
        field: `idle.${k.slice(0, 40)}`,
        message: t('unknown field "{0}"; known: {1}.', k.slice(0, 40), KEYS.join(', ')),
        severity: 'warning',
      });
  const belowPct = o.below === undefined ? undefined : parsePercent(o.below);
  if (o.below === undefined || belowPct === undefined || belowPct <= 0)
    problems.push({
      field: 'idle.below',
      message: t(
        'idle.below must be a utilisation percentage above 0 and at most 100, such as "5%", not {0}.',
        quoted(o.below),
      ),
    });
  const forMs = parseWindow(o.for);
  if (forMs === undefined || forMs > MAX_FOR_MS)
    problems.push({
      field: 'idle.for',
      message: t('idle.for must be a duration such as "2h", "30m" or "90s" (at most 30 days), not {0}.', quoted(o.for)),
    });
  const then = o.then === undefined ? 'notify' : o.then;
  if (!IDLE_ACTIONS.includes(then as IdleAction))
    problems.push({
      field: 'idle.then',
      message: t('idle.then must be one of {0}, not {1}.', IDLE_ACTIONS.join(', '), quoted(o.then)),
    });
  if (problems.some((p) => !p.severity)) return { problems };
  return { policy: { belowPct: belowPct!, forMs: forMs!, then: then as IdleAction }, problems };
}

/** 7,200,000 → `2h`, 90 s → `90s`, 1,500 ms → `1500ms`: the largest whole unit. */
export function windowText(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}

/** The settings form: `{ below: "5%", for: "2h", then: "stop" }`. */
export function idleSettings(p: ContainerIdlePolicy): Record<string, string> {
  return { below: `${p.belowPct}%`, for: windowText(p.forMs), then: p.then };
}

/** The label a launch adds: `below=5%;for=2h;then=stop`. */
export function idleLabels(p: ContainerIdlePolicy): Record<string, string> {
  return { [IDLE_POLICY_LABEL]: `below=${p.belowPct}%;for=${windowText(p.forMs)};then=${p.then}` };
}

/** A container's policy from its label; undefined when it has none or the label is not understood. */
export function idlePolicyOf(labels: Record<string, string> | undefined): ContainerIdlePolicy | undefined {
  const raw = labels?.[IDLE_POLICY_LABEL];
  if (typeof raw !== 'string' || raw.length > 200) return undefined;
  const parts: Record<string, string> = {};
  for (const kv of raw.split(';')) {
    const eq = kv.indexOf('=');
    if (eq > 0) parts[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return parseIdleSetting(parts).policy;
}

/** What the watcher remembers about one container's current idle run. */
export interface IdleNotice {
  /** When the idle run began (ms): a new run (the GPUs were busy in between) gets a new notice. */
  runStart: number;
  /** The stop is due at this time (stop policies), unless kept. */
  stopAt?: number;
  /** The user chose Keep running for this idle run. */
  kept?: boolean;
  /** The stop (or commit and stop) was started. */
  done?: boolean;
}

export type IdleDecision =
  | { kind: 'none' }
  /** The idle run ended (or a new one began): forget the notice. */
  | { kind: 'clear' }
  /** `then: notify`: say so, once per idle run. */
  | { kind: 'notify'; runStart: number }
  /** A stopping policy: say so, with the undo window until `at`. */
  | { kind: 'schedule-stop'; runStart: number; at: number }
  /** The window passed without Keep running: stop (committing first for commit-and-stop). */
  | { kind: 'stop' };

/** Idle runs computed from the same samples start at the same time; a little slack for rounding. */
const SAME_RUN_MS = 1000;

/**
 * What to do about one container now. `idleMs`: how long it has left its GPUs under the policy's `below`
 * (history.ts `containerIdleMs`; undefined when not idle now). `notice`: what was done for its idle run so far.
 */
export function decideIdle(
  now: number,
  idleMs: number | undefined,
  policy: ContainerIdlePolicy,
  notice: IdleNotice | undefined,
  graceMs: number,
): IdleDecision {
  if (idleMs === undefined || !Number.isFinite(idleMs)) return notice ? { kind: 'clear' } : { kind: 'none' };
  const runStart = now - idleMs;
  if (notice && Math.abs(notice.runStart - runStart) > SAME_RUN_MS) return { kind: 'clear' };
  if (idleMs < policy.forMs) return { kind: 'none' };
  if (notice) {
    if (notice.kept || notice.done || notice.stopAt === undefined) return { kind: 'none' };
    return now >= notice.stopAt ? { kind: 'stop' } : { kind: 'none' };
  }
  if (policy.then === 'notify') return { kind: 'notify', runStart };
  return { kind: 'schedule-stop', runStart, at: now + Math.max(0, graceMs) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The image commit-and-stop commits to: `<container>-idle-<date>` (local time, `bert-idle-20261206-1800`),
 * lower-cased and with what a repository name cannot hold turned into `-`.
 */
export function idleImageName(containerName: string, now: number): string {
  const d = new Date(now);
  const date = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`;
  const base =
    containerName
      .replace(/^\//, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'container';
  return `${base}-idle-${date}`;
}

/** `2 h`, `45 min`, `20 s`. */
export function spanText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('{0} s', s);
  if (s < 3600) return t('{0} min', Math.floor(s / 60));
  return t('{0} h', Math.floor(s / 3600));
}

/**
 * The first notification of an idle run, saying plainly who applies the policy and to what: `image` is the
 * commit target of commit-and-stop.
 */
export function idleNoticeText(
  name: string,
  policy: ContainerIdlePolicy,
  idleMs: number,
  graceMs: number,
  image?: string,
): string {
  const idle = spanText(idleMs);
  const whose = t('Idle policies are applied by this extension to your own containers only, while VS Code runs.');
  if (policy.then === 'notify')
    return `${t("{0} has left its GPUs idle (under {1}%) for {2} (its launch profile's idle policy).", name, policy.belowPct, idle)} ${whose}`;
  if (policy.then === 'commit-and-stop')
    return `${t("{0} has left its GPUs idle (under {1}%) for {2}; by its launch profile's idle policy it will be committed to the image {3} and stopped in {4}.", name, policy.belowPct, idle, image ?? '', spanText(graceMs))} ${whose}`;
  return `${t("{0} has left its GPUs idle (under {1}%) for {2}; by its launch profile's idle policy it will be stopped in {3}.", name, policy.belowPct, idle, spanText(graceMs))} ${whose}`;
}
