/**
 * ssh:// engines through the system `ssh`, as the docker CLI does: each connection is a child
 * `ssh [options] <host> -- docker system dial-stdio` whose stdin/stdout carry the HTTP connection, so the
 * user's ~/.ssh/config (Host aliases, User, Port, IdentityFile, ProxyJump, known_hosts) and ssh-agent all
 * apply. Non-interactive (BatchMode): a question ssh would ask fails with a classified error instead.
 * The agent keeps connections alive, so a refresh reuses an open dial-stdio instead of a new handshake;
 * a long-lived stream (events) holds a connection of its own.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import type { Endpoint } from './endpoint';
import { sshError } from './sshErrors';

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
  if (opts.controlPath) {
    // One ssh login shared by all connections of this engine: a new connection is a channel, not a handshake.
    args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${opts.controlPath}`, '-o', 'ControlPersist=60');
  }
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
}

/** An http.Agent whose connections are dial-stdio children of the system ssh, kept alive between requests. */
export class SshDialStdioAgent extends http.Agent {
  private readonly children = new Set<ChildProcessWithoutNullStreams>();
  private controlDir: string | undefined;

  constructor(
    private readonly endpoint: Pick<Endpoint, 'host'>,
    private readonly opts: SshAgentOptions = {},
  ) {
    super({ keepAlive: true, keepAliveMsecs: 15_000, timeout: opts.idleMs ?? 300_000, maxFreeSockets: 4 });
  }

  override createConnection(): Duplex {
    const { args, dest } = sshArgs(this.endpoint.host, {
      connectTimeoutSeconds: this.opts.connectTimeoutSeconds,
      controlPath: this.controlPath(),
    });
    const env = { ...(this.opts.env ?? process.env) };
    const child = spawn(this.opts.sshPath ?? 'ssh', args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return new SshStdioSocket(child, dest);
  }

  /** `<private 0700 folder>/%C` (ssh's hash of host, port, user): short enough for a socket path. */
  private controlPath(): string | undefined {
    if (this.opts.multiplex === false || process.platform === 'win32') return undefined;
    try {
      this.controlDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-ssh-'));
      return path.join(this.controlDir, '%C');
    } catch {
      return undefined;
    }
  }

  override destroy(): void {
    super.destroy();
    for (const c of this.children) c.kill();
    this.children.clear();
    const dir = this.controlDir;
    if (!dir) return;
    this.controlDir = undefined;
    // Ask the shared login to exit (a local socket round trip), then remove its folder.
    // The same user and port as the master (`%C` hashes them): ssh://user@host:2222 needs -l and -p here too.
    const u = new URL(this.endpoint.host);
    const who = [...(u.username ? ['-l', decodeURIComponent(u.username)] : []), ...(u.port ? ['-p', u.port] : [])];
    const { dest } = sshArgs(this.endpoint.host);
    spawnSync(
      this.opts.sshPath ?? 'ssh',
      ['-o', `ControlPath=${path.join(dir, '%C')}`, ...who, '-O', 'exit', '--', dest],
      {
        env: { ...(this.opts.env ?? process.env) },
        stdio: 'ignore',
        timeout: 2_000,
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
