/**
 * A watch answers newline-delimited JSON; chunks arrive split anywhere (mid-line, mid-UTF-8 character).
 * `WatchLines` turns chunks into whole lines; `parseWatchEvent` turns a line into an event.
 */
import { StringDecoder } from 'node:string_decoder';

export class WatchLines {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** The complete, non-blank lines that this chunk finishes. */
  push(chunk: Buffer | string): string[] {
    this.rest += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.rest.split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((l) => l.trim()).filter((l) => l !== '');
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const last = (this.rest + this.decoder.end()).trim();
    this.rest = '';
    return last ? [last] : [];
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the watched kind's JSON, read by the caller's mapping.
  object: any;
}

const TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** One line of a watch as an event; undefined for a line that is not one (skipped, as client-go's decoder would fail). */
export function parseWatchEvent(line: string): WatchEvent | undefined {
  try {
    const v = JSON.parse(line) as { type?: unknown; object?: unknown };
    if (v && typeof v.type === 'string' && TYPES.has(v.type) && v.object && typeof v.object === 'object')
      return { type: v.type as WatchEventType, object: v.object };
  } catch {
    // a malformed line: skipped
  }
  return undefined;
}
