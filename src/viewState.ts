import * as vscode from 'vscode';

/**
 * View properties and context keys, written only when their value changes.
 *
 * In VS Code's extension host, assigning `TreeView.message` fires the tree's change event (even with the
 * same value) and that event is debounced by 200 ms, so the row refresh queued with it waits too;
 * `title`/`description`/`badge` each cost a message to the workbench. `setContext` is a command round trip
 * that re-evaluates every `when` clause. Writing them on every store change made an engine event take
 * ≈ 300 ms to reach the DOM instead of ≈ 30 ms.
 */

type ViewProperty = 'message' | 'title' | 'description' | 'badge';
type ViewLike = { [K in ViewProperty]?: unknown };

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // MarkdownString and ViewBadge are plain data: equal when their fields are.
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Assigns `view[key] = value` unless the view already holds that value; true when it assigned. */
export function setViewProperty<V extends ViewLike, K extends ViewProperty & keyof V>(
  view: V,
  key: K,
  value: V[K],
): boolean {
  if (same(view[key], value)) return false;
  view[key] = value;
  return true;
}

type ContextValue = string | number | boolean | undefined;

/**
 * The extension's context keys. Each `set` runs `setContext` only when the value differs from the last
 * one set through this object (one instance per extension, shared through the services).
 */
export class ContextKeyState {
  private readonly values = new Map<string, ContextValue>();
  private count = 0;

  constructor(
    private readonly write: (key: string, value: ContextValue) => Thenable<unknown> = (key, value) =>
      vscode.commands.executeCommand('setContext', key, value),
  ) {}

  /** How many `setContext` calls went out (for tests). */
  get writes(): number {
    return this.count;
  }

  get(key: string): ContextValue {
    return this.values.get(key);
  }

  set(key: string, value: ContextValue): Thenable<unknown> | undefined {
    if (this.values.has(key) && this.values.get(key) === value) return undefined;
    this.values.set(key, value);
    this.count++;
    return this.write(key, value);
  }
}
