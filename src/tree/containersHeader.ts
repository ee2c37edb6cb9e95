import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import { containersViewTexts, sshProblemText } from '../core/tree/viewTexts';
import { setViewProperty } from '../viewState';
import type { ContainerFilters } from './containerFilters';
import { isRunning } from './containerItems';
import type { RefreshManager } from './refresh';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

/**
 * The Containers view's header: its message (counts, the filters, a stale list, an SSH problem) and
 * description, and the context key that says whether there is any container.
 */
export class ContainersHeader {
  private hasAny: boolean | undefined;

  /** `refresh`: the first host's (its state, endpoint and context keys). */
  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly refresh: RefreshManager,
    private readonly filters: ContainerFilters,
  ) {}

  /** True when it assigned the message (a change VS Code debounces like a data change). */
  update(refreshes: readonly RefreshManager[], refused: number): boolean {
    // With several hosts the header counts every host's containers (as the status bar does).
    const total = refreshes.reduce((n, r) => n + r.containers.size, 0);
    if (this.hasAny !== total > 0) {
      this.hasAny = total > 0;
      void this.refresh.contextKeys.set(ContextKeys.hasContainers, this.hasAny);
    }
    const stale = this.refresh.staleSince;
    const { message, description } = containersViewTexts({
      total,
      shown: refreshes.reduce((n, r) => n + this.filters.visible(r).length, 0),
      running: refreshes.reduce((n, r) => n + r.containers.all().filter(isRunning).length, 0),
      filter: this.filters.filter,
      text: this.filters.textFilter,
      refused,
      staleSince: stale === undefined ? undefined : new Date(stale).toLocaleTimeString(),
      host: this.refresh.endpointHost,
      problem: sshProblemText(this.refresh.state, this.refresh.lastError),
      t,
    });
    setViewProperty(this.view, 'description', description);
    return setViewProperty(this.view, 'message', message);
  }
}
