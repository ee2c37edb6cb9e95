import type { ContainerSummary } from '../core/docker';
import { isActive } from '../core/tree/arrange';
import type { TransientState } from '../core/tree/containerRows';

/**
 * "Stopping…"/"Restarting…" on rows while a command runs: set by the command, cleared by the function it
 * gets back, when the row leaves the running states (stopping), or when the container is gone.
 */
export class TransientRows {
  private readonly rows = new Map<string, { state: TransientState; since: number }>();

  /** Marks `ids`; `changed` is called now and again when clearing removed something. */
  mark(ids: readonly string[], state: TransientState, changed: () => void): () => void {
    for (const id of ids) this.rows.set(id, { state, since: Date.now() });
    changed();
    return () => {
      let any = false;
      for (const id of ids) any = this.rows.delete(id) || any;
      if (any) changed();
    };
  }

  get(id: string): TransientState | undefined {
    return this.rows.get(id)?.state;
  }

  /** Drops the marks that no longer apply (the container is gone, or a stopping one has stopped). */
  prune(lookup: (id: string) => ContainerSummary | undefined): void {
    for (const [id, { state }] of this.rows) {
      const c = lookup(id);
      if (!c || (state === 'stopping' && !isActive(c))) this.rows.delete(id);
    }
  }
}

/** One timer while a view is visible (`tick` right away when it shows again: its texts may be minutes old). */
export class VisibleTicker {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tick: () => void,
    private readonly everyMs: number,
  ) {}

  setVisible(visible: boolean): void {
    if (!visible) return this.dispose();
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(this.tick, this.everyMs);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
