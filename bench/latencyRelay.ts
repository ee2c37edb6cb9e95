/**
 * A user-space TCP relay that delays each direction by a fixed one-way delay (this kernel has no netem), in
 * order, and counts the turns of each connection: a turn is a client → server flight that follows data from
 * the server (a request after an answer), so the turns of an exchange are its round trips.
 *
 * As a module: `startRelay({ listenPort, targetPort, oneWayMs })`. As a child process (what the bench runs, so
 * the relay's timers do not share an event loop with what is measured):
 *   node out/bench/latencyRelay.js LISTEN_PORT TARGET_PORT ONE_WAY_MS
 * prints `ready` once listening, and answers the IPC message 'stats' with `RelayStats`.
 */
import * as net from 'node:net';

export interface RelayStats {
  connections: number;
  /** Client → server flights that followed server data (or opened the connection), over all connections. */
  turns: number;
  bytesUp: number;
  bytesDown: number;
}

export interface Relay {
  readonly port: number;
  stats(): RelayStats;
  close(): Promise<void>;
}

/** One direction: chunks released `oneWayMs` after they arrived, in arrival order (one timer at a time). */
class DelayedPipe {
  private readonly queue: Array<{ due: number; chunk: Buffer }> = [];
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly to: net.Socket,
    private readonly oneWayMs: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.oneWayMs <= 0 && this.queue.length === 0) {
      this.to.write(chunk);
      return;
    }
    this.queue.push({ due: performance.now() + this.oneWayMs, chunk });
    this.arm();
  }

  end(): void {
    this.ended = true;
    if (this.queue.length === 0) this.to.end();
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0].due - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = performance.now();
      while (this.queue.length > 0 && this.queue[0].due <= now + 0.5) this.to.write(this.queue.shift()!.chunk);
      if (this.queue.length > 0) this.arm();
      else if (this.ended) this.to.end();
    }, wait);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

export function startRelay(o: { listenPort: number; targetPort: number; oneWayMs: number }): Promise<Relay> {
  const s: RelayStats = { connections: 0, turns: 0, bytesUp: 0, bytesDown: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    s.connections++;
    client.setNoDelay(true);
    const upstream = net.connect(o.targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const up = new DelayedPipe(upstream, o.oneWayMs);
    const down = new DelayedPipe(client, o.oneWayMs);
    let last: 'up' | 'down' | undefined;
    client.on('data', (c: Buffer) => {
      if (last !== 'up') s.turns++;
      last = 'up';
      s.bytesUp += c.length;
      up.push(c);
    });
    upstream.on('data', (c: Buffer) => {
      last = 'down';
      s.bytesDown += c.length;
      down.push(c);
    });
    client.on('end', () => up.end());
    upstream.on('end', () => down.end());
    const close = (): void => {
      up.dispose();
      down.dispose();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', () => setTimeout(close, o.oneWayMs + 5));
    upstream.on('close', () => setTimeout(close, o.oneWayMs + 5));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listenPort, '127.0.0.1', () =>
      resolve({
        port: o.listenPort,
        stats: () => ({ ...s }),
        close: () =>
          new Promise<void>((r) => {
            for (const k of sockets) k.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

if (require.main === module) {
  const [listenPort, targetPort, oneWayMs] = process.argv.slice(2).map(Number);
  void startRelay({ listenPort, targetPort, oneWayMs }).then((relay) => {
    process.on('message', (m) => {
      if (m === 'stats') process.send?.(relay.stats());
      if (m === 'close') void relay.close().then(() => process.exit(0));
    });
    process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
    process.send?.('ready');
  });
}
