import type { ContainerSummary, EngineError } from '../docker';

// What the refresh reacts to and how an engine failure reads as a state (pure; RefreshController uses it).

export type EngineState = 'unknown' | 'ok' | 'unreachable' | 'denied' | 'error';

/** Timers, injected so tests drive time by hand. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Container actions that change what a row shows; exec_*, attach, resize, top… do not. */
export const CONTAINER_ACTIONS = new Set(
  'create start restart die stop pause unpause destroy rename update oom kill'.split(' '),
);
export const IMAGE_ACTIONS = new Set(['pull', 'push', 'tag', 'untag', 'delete', 'import', 'load', 'save', 'build']);

const ROW_FIELDS = ['name', 'state', 'status', 'image', 'owner', 'gpu', 'ports', 'labels'] as const;

/** Whether two versions of a container look the same in the tree (inspect carries more than a row shows). */
export function sameRow(a: ContainerSummary, b: ContainerSummary): boolean {
  return ROW_FIELDS.every((k) => a[k] === b[k] || JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export function stateOf(e: EngineError): EngineState {
  if (e.kind === 'unreachable' || e.kind === 'timeout') return 'unreachable';
  if (e.kind === 'permissionDenied') return 'denied';
  return 'error';
}
