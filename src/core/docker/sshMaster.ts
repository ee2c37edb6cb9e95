/**
 * One ssh login per host for the whole extension: a ControlMaster the extension starts itself
 * (`ssh -o ControlMaster=yes -o ControlPersist=… -N <host>`, which goes to the background once logged in) and
 * every other ssh — the Engine API's `docker system dial-stdio`, nvidia-smi, path checks, terminals — a client
 * of it (`-o ControlMaster=no -o ControlPath=…`): a channel on that login, not a handshake.
 *
 * Two first requests that start together wait for the same master (one promise per host), so they cost one
 * login, not two (`ControlMaster=auto` would log in twice and keep one). A master that exited (idle, network
 * loss) is noticed before the next use (its socket is gone or refuses) and started again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The host as ssh takes it: `alias` or `user@host`, and a port when the address names one. */
export interface SshHost {
  destination: string;
  port?: number;
}

/** Why the master could not log in: what ssh said, for `sshError` / `classifySshFailure`. */
export class SshMasterFailure extends Error {
  constructor(
    readonly destination: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(stderr.trim().split(/\r?\n/).at(-1) || `ssh exited with ${String(code)}`);
  }
}

export interface SshMastersOptions {
  sshPath?: string;
  /** Seconds the master stays after its last channel closed (default 60). */
  persistSeconds?: number;
  connectTimeoutSeconds?: number;
}

/** `ssh://[user@]host[:port]` → the host as ssh takes it. */
export function sshHostOf(address: string): SshHost {
  const u = new URL(address);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const out: SshHost = { destination: u.username ? `${decodeURIComponent(u.username)}@${host}` : host };
  if (u.port) out.port = Number(u.port);
  return out;
}

/** The options that make an ssh a client of the master at `controlPath` (no master of its own, ever). */
export function controlClientOptions(controlPath: string): string[] {
  return ['-o', 'ControlMaster=no', '-o', `ControlPath=${controlPath}`];
}

/** argv (after `ssh`) of the master itself. */
export function masterArgv(
  host: SshHost,
  controlPath: string,
  o: { persistSeconds?: number; connectTimeoutSeconds?: number } = {},
): string[] {
  const argv = [
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${o.connectTimeoutSeconds ?? 10}`,
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=3',
    '-o',
    'ControlMaster=yes',
    '-o',
    `ControlPath=${controlPath}`,
    '-o',
    `ControlPersist=${o.persistSeconds ?? 60}`,
    '-N',
  ];
  if (host.port !== undefined) argv.push('-p', String(host.port));
  argv.push('--', host.destination);
  return argv;
}

/** Whether something accepts connections on the unix socket at `p` (a live master does; a stale file refuses). */
function socketAnswers(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!fs.existsSync(p)) return resolve(false);
    const s = net.connect(p);
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

interface MasterState {
  gen: number;
  pending?: Promise<string>;
  /** Logins this registry made for the host (what the tests and the bench count). */
  logins: number;
  /** Engines holding the host's login: the last one to let go closes it. */
  holders: number;
  /** The master was abandoned (no answer) and no new one has logged in since. */
  unanswered?: boolean;
}

/** The masters of this process, one per host; `sshMasters` is the one the extension uses. */
export class SshMasters {
  private dir: string | undefined;
  private readonly hosts = new Map<string, MasterState>();

  constructor(private readonly opts: SshMastersOptions = {}) {}

  /** Whether masters can be used here (not on Windows, and a private folder could be made). */
  get available(): boolean {
    return this.folder() !== undefined;
  }

  private folder(): string | undefined {
    if (process.platform === 'win32') return undefined;
    if (this.dir) return this.dir;
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-ssh-'));
      this.dir = dir;
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    } catch {
      return undefined;
    }
  }

  private state(host: SshHost): { key: string; s: MasterState } {
    const key = `${host.destination}\0${host.port ?? ''}`;
    let s = this.hosts.get(key);
    if (!s) this.hosts.set(key, (s = { gen: 0, logins: 0, holders: 0 }));
    return { key, s };
  }

  /** The control socket's path for `host` now (a short hash: socket paths are limited to ~100 bytes). */
  controlPath(host: SshHost): string | undefined {
    const dir = this.folder();
    if (!dir) return undefined;
    const { key, s } = this.state(host);
    const h = createHash('sha256').update(key).digest('hex').slice(0, 16);
    return path.join(dir, `${h}-${s.gen}`);
  }

  /**
   * The control path of a live master for `host`, logging in first when there is none. Rejects with
   * `SshMasterFailure` when ssh could not log in; resolves undefined where masters are not available.
   */
  async ensure(host: SshHost, env?: Record<string, string | undefined>): Promise<string | undefined> {
    const p = this.controlPath(host);
    if (!p) return undefined;
    const { s } = this.state(host);
    if (s.pending) return s.pending;
    if (await socketAnswers(p)) return p;
    if (s.pending) return s.pending; // another caller started one while this one looked
    const started = this.start(host, p, env).finally(() => {
      if (s.pending === started) s.pending = undefined;
    });
    s.pending = started;
    s.logins++;
    return started;
  }

  private start(host: SshHost, p: string, env?: Record<string, string | undefined>): Promise<string> {
    fs.rmSync(p, { force: true }); // a stale socket of a master that was killed
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.sshPath ?? 'ssh', masterArgv(host, p, this.opts), {
        env: { ...(env ?? process.env) },
        stdio: ['ignore', 'ignore', 'pipe'],
        windowsHide: true,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 16_384) stderr += c.toString('utf8');
      });
      child.once('error', (err) => reject(new SshMasterFailure(host.destination, null, String(err))));
      // With ControlPersist the master forks once logged in and listening; the parent exits 0 then.
      child.once('close', (code) => {
        if (code === 0) {
          const { s } = this.state(host);
          if (this.controlPath(host) === p) s.unanswered = false;
          resolve(p);
        } else reject(new SshMasterFailure(host.destination, code, stderr));
      });
    });
  }

  /** Logins started for `host` so far. */
  logins(host: SshHost): number {
    return this.state(host).s.logins;
  }

  /**
   * Leave the current master (it does not answer: frozen, or its network is gone) and use a new one next
   * time. A new path, so the old master, if it ever wakes, cannot remove the new one's socket.
   */
  abandon(host: SshHost, env?: Record<string, string | undefined>): void {
    const old = this.controlPath(host);
    const { s } = this.state(host);
    s.gen++;
    s.pending = undefined;
    s.unanswered = true;
    // Ask the old master to go (it answers when only its network is gone; a frozen one is killed with the
    // request after 2 s and exits later by itself: ServerAlive, or ControlPersist once it wakes).
    if (old && fs.existsSync(old)) {
      const c = spawn(
        this.opts.sshPath ?? 'ssh',
        [...this.clientArgv(host, old), '-O', 'exit', '--', host.destination],
        {
          env: { ...(env ?? process.env) },
          stdio: 'ignore',
          windowsHide: true,
        },
      );
      c.once('error', () => undefined);
      const timer = setTimeout(() => c.kill(), 2_000);
      c.once('close', () => clearTimeout(timer));
    }
  }

  /** Whether the host's master was abandoned (it did not answer) and no new one has logged in yet. */
  unanswered(host: SshHost): boolean {
    return this.state(host).s.unanswered === true;
  }

  /**
   * Whether the master at `controlPath` still carries a session to the host: `true` run there through it
   * within `timeoutMs` (a few round trips, no Docker involved — what tells a frozen link from a frozen daemon).
   */
  probe(
    host: SshHost,
    controlPath: string,
    timeoutMs: number,
    env?: Record<string, string | undefined>,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const c = spawn(
        this.opts.sshPath ?? 'ssh',
        [...this.clientArgv(host, controlPath), '-T', '-o', 'BatchMode=yes', '--', host.destination, 'true'],
        { env: { ...(env ?? process.env) }, stdio: 'ignore', windowsHide: true },
      );
      const timer = setTimeout(() => c.kill(), timeoutMs);
      c.once('error', () => resolve(false));
      c.once('close', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
  }

  private clientArgv(host: SshHost, controlPath: string): string[] {
    return [...controlClientOptions(controlPath), ...(host.port !== undefined ? ['-p', String(host.port)] : [])];
  }

  /**
   * Holds the host's login for an engine: the master is closed when the last holder lets go (the GPU reader
   * and terminals use it without holding: they log in again if they outlive every engine of the host).
   */
  hold(host: SshHost, env?: Record<string, string | undefined>): () => void {
    const { s } = this.state(host);
    s.holders++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--s.holders === 0) this.close(host, env);
    };
  }

  /** Asks the master of `host` to exit (a local socket round trip). */
  close(host: SshHost, env?: Record<string, string | undefined>): void {
    const p = this.controlPath(host);
    if (!p || !fs.existsSync(p)) return;
    const argv = ['-o', `ControlPath=${p}`, ...(host.port !== undefined ? ['-p', String(host.port)] : [])];
    spawnSync(this.opts.sshPath ?? 'ssh', [...argv, '-O', 'exit', '--', host.destination], {
      env: { ...(env ?? process.env) },
      stdio: 'ignore',
      timeout: 2_000,
    });
  }
}

/** The extension's masters: the engine, the GPU reader, path checks and terminals of a host share one. */
export const sshMasters = new SshMasters();
