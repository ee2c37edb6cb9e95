/**
 * Rows handed to VS Code a page at a time (issue 17). VS Code's tree API has no virtual data: every
 * refresh of a level sends all its items from the extension host to the workbench, which diffs and lays
 * them out — at 1,000 containers that is most of the time between an engine event and the row on screen,
 * while a sidebar shows a few dozen rows. A level longer than a page ends with a "Show more" row (as the
 * Timeline and Comments views do); the filter finds any container without paging.
 */

/** Rows per page, and how many more each "Show more" adds. */
export const PAGE_SIZE = 200;

/** The last row of a level cut to its page: clicking it shows the next page. */
export interface MoreRow<P> {
  readonly moreRows: true;
  /** The level it ends: '' for the top, else a host or group key. */
  readonly key: string;
  /** The element whose children it ends (undefined at the top). */
  readonly parent: P | undefined;
  readonly shown: number;
  readonly total: number;
}

export function isMoreRow(x: unknown): x is MoreRow<unknown> {
  return typeof x === 'object' && x !== null && (x as { moreRows?: unknown }).moreRows === true;
}

/** How many rows of each level are shown (a page unless "Show more" or a reveal asked for more). */
export class Pages {
  private readonly limits = new Map<string, number>();

  constructor(private readonly size = PAGE_SIZE) {}

  limit(key: string): number {
    return this.limits.get(key) ?? this.size;
  }

  /** The rows of level `key` to show, and the "Show more" row when some are left out. */
  page<T, P>(key: string, parent: P | undefined, rows: readonly T[]): { rows: T[]; more?: MoreRow<P> } {
    const limit = this.limit(key);
    if (rows.length <= limit) return { rows: rows.slice() };
    return {
      rows: rows.slice(0, limit),
      more: { moreRows: true, key, parent, shown: limit, total: rows.length },
    };
  }

  /** One more page of level `key`. */
  showMore(key: string): void {
    this.limits.set(key, this.limit(key) + this.size);
  }

  /** Makes row `index` of level `key` part of what is shown; true when that took more pages. */
  include(key: string, index: number): boolean {
    if (index < this.limit(key)) return false;
    this.limits.set(key, Math.ceil((index + 1) / this.size) * this.size);
    return true;
  }

  /** Back to one page everywhere (the filters changed: what was asked for is another list). */
  reset(): void {
    this.limits.clear();
  }
}
