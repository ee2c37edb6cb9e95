/**
 * ssh:// engines through the system `ssh`, as the docker CLI does: each connection is a child
 * `ssh [options] <host> -- docker system dial-stdio` whose stdin/stdout carry the HTTP connection, so the
 * user's ~/.ssh/config (Host aliases, User, Port, IdentityFile, ProxyJump, known_hosts) and ssh-agent all
 * apply. Non-interactive (BatchMode): a question ssh would ask fails with a classified error instead.
 * The agent keeps connections alive, so a refresh reuses an open dial-stdio instead of a new handshake;
 * a long-lived stream (events) holds a connection of its own.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as http from 'node:http';
import { Duplex } from 'node:stream';
import type { Endpoint } from './endpoint';
import type { EngineError } from './engineError';
import { sshError, sshNoAnswer } from './sshErrors';
import { controlClientOptions, SshMasterFailure, sshHostOf, sshMasters, type SshMasters } from './sshMaster';

/** `ssh` argv (without the program) for an ssh:// endpoint: `ssh://[user@]host[:port]`. */
export function sshArgs(
  host: string,
  opts: { connectTimeoutSeconds?: number; controlPath?: string } = {},
): { args: string[]; dest: string } {
  const u = new URL(host);
  const dest = u.hostname.replace(/^\[|\]$/g, '');
  const args = [
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${opts.connectTimeoutSeconds ?? 10}`,
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=3',
  ];
  // A channel on the extension's login to this host (sshMaster.ts), not a handshake of its own.
  if (opts.controlPath) args.push(...controlClientOptions(opts.controlPath));
  if (u.username) args.push('-l', decodeURIComponent(u.username));
  if (u.port) args.push('-p', u.port);
  // `--` ends the options: a destination starting with '-' can never become an ssh option.
  args.push('--', dest, 'docker', 'system', 'dial-stdio');
  return { args, dest };
}

/** One dial-stdio child as a socket for node's http client. */
export class SshStdioSocket extends Duplex {
  private stderr = '';
  private timer: NodeJS.Timeout | undefined;
  private idleMs = 0;
  private gotData = false;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly dest: string,
  ) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      this.gotData = true;
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // EPIPE when ssh died: reported by 'exit' below
    child.on('error', (err) => this.destroy(err));
    // 'close': ssh exited and its stdout/stderr are drained. Only then is it known why the connection
    // ended, so the end of stdout is not passed on before (node's http client would call it a reset).
    child.on('close', (code) => {
      if (this.destroyed) return;
      if (code === 0 && this.gotData) this.push(null);
      else this.destroy(sshError(this.dest, this.stderr, code));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.touch();
    // A write to an ssh that died fails with EPIPE; 'close' below then says why it died.
    this.child.stdin.write(chunk, () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    cb(err);
  }

  private touch(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.idleMs > 0) this.timer = setTimeout(() => this.emit('timeout'), this.idleMs);
  }

  // What node's http client and agent expect of a net.Socket.
  setTimeout(ms: number, cb?: () => void): this {
    this.idleMs = ms;
    if (cb) {
      if (ms === 0) this.removeListener('timeout', cb);
      else this.once('timeout', cb);
    }
    this.touch();
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

export interface SshAgentOptions {
  /** `ssh` program (default: `ssh` on PATH). */
  sshPath?: string;
  env?: Record<string, string | undefined>;
  connectTimeoutSeconds?: number;
  /** How long an idle kept-alive connection stays open (ms); default 5 minutes. */
  idleMs?: number;
  /** Share one ssh login between connections (ControlMaster in a private folder); default true. */
  multiplex?: boolean;
  /** Whose masters (default: the extension's one per host, shared with the GPU reader and terminals). */
  masters?: SshMasters;
}

/** How long the master may take to run `true` on the host after a request timed out (a few round trips). */
export const PROBE_TIMEOUT_MS = 5_000;

/** An http.Agent whose connections are dial-stdio children of the system ssh, kept alive between requests. */
export class SshDialStdioAgent extends http.Agent {
  private readonly children = new Set<ChildProcessWithoutNullStreams>();
  /** Open dial-stdio sockets → the control path of the master they are channels on. */
  private readonly dialSockets = new Map<SshStdioSocket, string | undefined>();
  private readonly release: () => void;
  private probing: Promise<EngineError | undefined> | undefined;

  constructor(
    private readonly endpoint: Pick<Endpoint, 'host'>,
    private readonly opts: SshAgentOptions = {},
  ) {
    super({ keepAlive: true, keepAliveMsecs: 15_000, timeout: opts.idleMs ?? 300_000, maxFreeSockets: 4 });
    this.release = this.masters?.hold(sshHostOf(endpoint.host), opts.env) ?? (() => undefined);
  }

  private get masters(): SshMasters | undefined {
    if (this.opts.multiplex === false || process.platform === 'win32') return undefined;
    return this.opts.masters ?? sshMasters;
  }

  /** node's http.Agent takes the socket through the callback: the host's master is made (once) first. */
  override createConnection(_options: unknown, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    const masters = this.masters;
    const host = sshHostOf(this.endpoint.host);
    const env = { ...(this.opts.env ?? process.env) };
    (masters ? masters.ensure(host, env) : Promise.resolve(undefined)).then(
      (controlPath) => cb(null, this.spawnSocket(controlPath, env)),
      (err: unknown) =>
        cb(
          err instanceof SshMasterFailure
            ? sshError(err.destination, err.stderr, err.code)
            : err instanceof Error
              ? err
              : new Error(String(err)),
        ),
    );
    return undefined;
  }

  private spawnSocket(controlPath: string | undefined, env: Record<string, string | undefined>): Duplex {
    const { args, dest } = sshArgs(this.endpoint.host, {
      connectTimeoutSeconds: this.opts.connectTimeoutSeconds,
      controlPath,
    });
    const child = spawn(this.opts.sshPath ?? 'ssh', args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.children.add(child);
    const socket = new SshStdioSocket(child, dest);
    this.dialSockets.set(socket, controlPath);
    child.on('exit', () => this.children.delete(child));
    socket.once('close', () => this.dialSockets.delete(socket));
    return socket;
  }

  /**
   * What a request that timed out means on this host. While the host's master is abandoned and no new one has
   * logged in: no answer over ssh. Otherwise the master is probed (a session through it, no Docker): a master
   * that does not carry it (frozen, or its network gone) is abandoned — its channels closed, a new login on the
   * next request — and the timeout is said as ssh's; one that does leaves the timeout Docker's (undefined).
   */
  readTimeout(): Promise<EngineError | undefined> {
    const masters = this.masters;
    if (!masters) return Promise.resolve(undefined);
    const host = sshHostOf(this.endpoint.host);
    if (masters.unanswered(host)) return Promise.resolve(sshNoAnswer(host.destination));
    this.probing ??= (async () => {
      const env = { ...(this.opts.env ?? process.env) };
      const controlPath = masters.controlPath(host);
      if (!controlPath || (await masters.probe(host, controlPath, PROBE_TIMEOUT_MS, env))) return undefined;
      // Another caller replaced the master meanwhile: that one is not judged by this probe.
      if (masters.controlPath(host) !== controlPath) return sshNoAnswer(host.destination);
      masters.abandon(host, env);
      // Channels on the abandoned master: their requests fail now, as no answer (their rows are kept stale).
      for (const [socket, through] of this.dialSockets)
        if (through === controlPath) socket.destroy(sshNoAnswer(host.destination));
      return sshNoAnswer(host.destination);
    })().finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** The ssh reading of a timeout without asking the host (the events stream's connect timeout). */
  timeoutReading(): EngineError | undefined {
    const masters = this.masters;
    const host = sshHostOf(this.endpoint.host);
    return masters?.unanswered(host) ? sshNoAnswer(host.destination) : undefined;
  }

  override destroy(): void {
    super.destroy();
    for (const c of this.children) c.kill();
    this.children.clear();
    // The host's login goes with the last engine of the host.
    this.release();
  }
}
