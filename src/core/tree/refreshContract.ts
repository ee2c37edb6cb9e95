/** The refresh controller's contract: what it needs from the engine, and where it reports changes. */
import type { Engine, EngineError } from '../docker';
import type { Logger } from '../logger';
import type { Clock, EngineState } from './refreshPolicy';

/** What the controller needs from the engine (a fake in unit tests, dockerode in the extension). */
export type RefreshEngine = Pick<Engine, 'events' | 'listContainers' | 'listImages' | 'inspectContainer'> &
  Partial<Pick<Engine, 'ping'>>;

/** Where the controller reports changes (the vscode wrapper backs these with EventEmitters). */
export interface RefreshSignals {
  containersChanged(): void;
  imagesChanged(): void;
  stateChanged(state: EngineState, error: EngineError | undefined): void;
}

export interface RefreshControllerOptions {
  engine(): RefreshEngine;
  /** Named in error messages. */
  endpoint(): string;
  signals: RefreshSignals;
  logger: Logger;
  clock?: Clock;
  /**
   * Coalescing window for container events (ms), from the first event: `docker run` (create + start),
   * `docker stop` (kill + die + stop) and `rm -f` each land as one change. One change matters: VS Code's
   * extension host applies a tree change at once but holds the next one for 200 ms.
   */
  debounceMs?: number;
  /** Slow full re-list while the event stream is down (ms). */
  pollMs?: number;
  /** First retry after a failed full refresh (ms); doubles up to `pollMs`. */
  retryMs?: number;
}
