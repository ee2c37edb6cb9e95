/**
 * Pure stream helpers: the Engine API's multiplexed stdout/stderr framing, newline-delimited JSON,
 * and the roll-up of per-layer pull progress into one monotonic percentage.
 */
import { StringDecoder } from 'node:string_decoder';

export type StdStream = 'stdout' | 'stderr';

/**
 * Splits the 8-byte-header framing of non-TTY logs/exec/attach into text per stream.
 * `raw: true` (TTY containers) passes everything through as stdout. UTF-8 split across frames is kept whole.
 */
export class Demuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(
    private readonly onText: (stream: StdStream, text: string) => void,
    private raw = false,
  ) {}

  push(chunk: Buffer | string): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.raw) {
      this.emit('stdout', data);
      return;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    while (this.buffer.length >= 8) {
      const type = this.buffer[0];
      const length = this.buffer.readUInt32BE(4);
      if (type > 2 || this.buffer[1] !== 0 || this.buffer[2] !== 0 || this.buffer[3] !== 0) {
        // Not multiplexed after all (or misaligned): pass the rest through as stdout.
        this.raw = true;
        const rest = this.buffer;
        this.buffer = Buffer.alloc(0);
        this.emit('stdout', rest);
        return;
      }
      if (this.buffer.length < 8 + length) return;
      const payload = this.buffer.subarray(8, 8 + length);
      this.buffer = this.buffer.subarray(8 + length);
      this.emit(type === 2 ? 'stderr' : 'stdout', payload);
    }
  }

  /** Flushes any partial UTF-8 sequence. */
  end(): void {
    for (const s of ['stdout', 'stderr'] as const) {
      const tail = this.decoders[s].end();
      if (tail) this.onText(s, tail);
    }
  }

  private emit(stream: StdStream, data: Buffer): void {
    const text = this.decoders[stream].write(data);
    if (text) this.onText(stream, text);
  }
}

/** Splits a byte stream into lines (for newline-delimited JSON), keeping a partial last line. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
  }

  end(): void {
    this.pending += this.decoder.end();
    const rest = this.pending;
    this.pending = '';
    if (rest.trim()) this.onLine(rest);
  }
}

interface LayerState {
  download: number; // 0..1
  extract: number; // 0..1
}

/**
 * Rolls the per-layer messages of `POST /images/create` into ONE percentage that never goes back.
 * Each layer counts download (half) and extraction (half); layers announced later can only hold the
 * figure, not lower it.
 */
export class PullProgress {
  private readonly layers = new Map<string, LayerState>();
  private percent = 0;
  private status = '';

  /** Feeds one progress message; returns the current roll-up. */
  update(message: unknown): { percent: number; status: string } {
    const m = message && typeof message === 'object' ? (message as Record<string, unknown>) : {};
    const id = typeof m.id === 'string' ? m.id : undefined;
    const status = typeof m.status === 'string' ? m.status : '';
    const detail =
      m.progressDetail && typeof m.progressDetail === 'object'
        ? (m.progressDetail as { current?: unknown; total?: unknown })
        : {};
    const current = typeof detail.current === 'number' ? detail.current : undefined;
    const total = typeof detail.total === 'number' && detail.total > 0 ? detail.total : undefined;
    const fraction =
      current !== undefined && total !== undefined ? Math.min(1, Math.max(0, current / total)) : undefined;

    if (id && /^[0-9a-f]{12,64}$/i.test(id)) {
      const layer = this.layers.get(id) ?? { download: 0, extract: 0 };
      if (/^Downloading/i.test(status) && fraction !== undefined) layer.download = Math.max(layer.download, fraction);
      else if (/^(Verifying Checksum|Download complete)/i.test(status)) layer.download = 1;
      else if (/^Extracting/i.test(status)) {
        layer.download = 1;
        if (fraction !== undefined) layer.extract = Math.max(layer.extract, fraction);
      } else if (/^(Pull complete|Already exists)/i.test(status)) {
        layer.download = 1;
        layer.extract = 1;
      }
      this.layers.set(id, layer);
    }
    if (status) this.status = id && !/^(Pulling from|Digest|Status)/i.test(status) ? `${status} ${id}` : status;

    if (this.layers.size > 0) {
      let sum = 0;
      for (const l of this.layers.values()) sum += (l.download + l.extract) / 2;
      // Cap below 100 until the stream ends: layers may still be announced.
      const now = Math.min(99, Math.floor((sum / this.layers.size) * 100));
      this.percent = Math.max(this.percent, now);
    }
    return { percent: this.percent, status: this.status };
  }

  /** The stream ended without error. */
  complete(): { percent: number; status: string } {
    this.percent = 100;
    return { percent: 100, status: this.status || 'Done' };
  }
}
