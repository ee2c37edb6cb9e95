import type * as vscode from 'vscode';
import { ContextKeys, StateKeys } from '../constants';
import type { ContainerSummary } from '../core/docker';
import { GROUP_BYS, matchesText, type GroupBy } from '../core/tree/arrange';
import { filterContainers, ContainerOrder, type ContainerFilter } from '../core/tree/containerRows';
import type { ContextKeyState } from '../viewState';
import type { RefreshManager } from './refresh';

/**
 * What the Containers view shows: mine or all, the grouping (both remembered per workspace), the text filter,
 * and the rows they leave of a host's containers, in order.
 */
export class ContainerFilters {
  private filterValue: ContainerFilter;
  private groupByValue: GroupBy;
  private text = '';
  /** Per host: the sorted rows, kept between changes (one event re-sorts in ~n comparisons) and memoized. */
  private readonly orders = new WeakMap<RefreshManager, ContainerOrder>();

  /** `reset`: called as soon as a filter or the grouping changes (the pages shown start again). */
  constructor(
    private readonly memento: vscode.Memento,
    private readonly contextKeys: ContextKeyState,
    private readonly user: string,
    private readonly reset: () => void,
  ) {
    this.filterValue = memento.get<ContainerFilter>(StateKeys.filter) === 'mine' ? 'mine' : 'all';
    const group = memento.get<GroupBy>(StateKeys.groupBy);
    this.groupByValue = group && GROUP_BYS.includes(group) ? group : 'none';
    void contextKeys.set(ContextKeys.filter, this.filterValue);
    void contextKeys.set(ContextKeys.textFilter, false);
  }

  get filter(): ContainerFilter {
    return this.filterValue;
  }
  get groupBy(): GroupBy {
    return this.groupByValue;
  }
  get textFilter(): string {
    return this.text;
  }

  async setFilter(filter: ContainerFilter): Promise<void> {
    this.filterValue = filter;
    this.reset();
    await this.memento.update(StateKeys.filter, filter);
    await this.contextKeys.set(ContextKeys.filter, filter);
  }

  /** Grouping is remembered per workspace. */
  async setGroupBy(by: GroupBy): Promise<void> {
    this.groupByValue = by;
    this.reset();
    await this.memento.update(StateKeys.groupBy, by);
  }

  /** The view's text filter (name, image, label); '' clears it. */
  async setTextFilter(text: string): Promise<void> {
    this.text = text.trim();
    this.reset();
    await this.contextKeys.set(ContextKeys.textFilter, this.text !== '');
  }

  /**
   * The containers shown (mine/all, then the text filter), in order, of one host. The same array until the
   * store or the filters change: callers must not modify it.
   */
  visible(refresh: RefreshManager): readonly ContainerSummary[] {
    let order = this.orders.get(refresh);
    if (!order) this.orders.set(refresh, (order = new ContainerOrder()));
    const key = `${refresh.containers.revision}\u0000${this.filterValue}\u0000${this.text}`;
    if (order.has(key)) return order.sort([], key);
    const list = filterContainers(refresh.containers.all(), this.filterValue, this.user);
    return order.sort(this.text ? list.filter((c) => matchesText(c, this.text)) : list, key);
  }
}
