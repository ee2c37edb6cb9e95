/**
 * Podman over ssh. Podman has no `docker system dial-stdio`, and OpenSSH 9.2's `ssh -W` takes only
 * host:port (a socket path there opens a shell session instead): the remote user's API socket is reached by
 * stream-local forwarding on the host's one ssh login (sshMaster.ts) —
 * `ssh -O forward -L <local.sock>:<remote podman.sock>` asks the master to listen on a socket in a private
 * folder here, and each HTTP connection to it is a channel on that login (no handshake, no remote process).
 *
 * The remote socket is the host entry's `socket`, else found once per host over the master: root's
 * `/run/podman/podman.sock`, else `$XDG_RUNTIME_DIR/podman/podman.sock` (`/run/user/<uid>` where a
 * non-PAM session has no XDG_RUNTIME_DIR). A master that exited takes its forward with it: the next
 * connection that fails to open logs in again (`SshMasters.ensure`) and asks for a new forward once.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../docker/endpoint';
import { EngineError } from '../docker/engineError';
import { sshError } from '../docker/sshErrors';
import {
  controlClientOptions,
  SshMasterFailure,
  sshHostOf,
  sshMasters,
  type SshHost,
  type SshMasters,
} from '../docker/sshMaster';
import { t } from '../l10n';
import { validRemoteSocket } from './podmanEndpoint';

/** POSIX sh, run once per host over the master: `ok <path>` when the socket is there, else `missing <path>`. */
export const REMOTE_SOCKET_SCRIPT =
  'if [ "$(id -u)" = 0 ]; then p=/run/podman/podman.sock; ' +
  'else p="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/podman/podman.sock"; fi; ' +
  'if [ -S "$p" ]; then echo "ok $p"; else echo "missing $p"; fi';

/** What `REMOTE_SOCKET_SCRIPT` printed; undefined when it is not its answer (another shell, a banner only). */
export function parseRemoteSocketAnswer(stdout: string): { path: string; running: boolean } | undefined {
  for (const line of stdout.split(/\r?\n/).reverse()) {
    const m = /^(ok|missing) (\/\S*)$/.exec(line.trim());
    if (m) return { path: m[2], running: m[1] === 'ok' };
  }
  return undefined;
}

function portArgs(host: SshHost): string[] {
  return host.port !== undefined ? ['-p', String(host.port)] : [];
}

/** argv (after `ssh`) asking the master at `controlPath` to forward `local` (here) to `remote` (there). */
export function forwardArgv(host: SshHost, controlPath: string, local: string, remote: string): string[] {
  return [
    '-o',
    `ControlPath=${controlPath}`,
    ...portArgs(host),
    '-O',
    'forward',
    '-L',
    `${local}:${remote}`,
    '--',
    host.destination,
  ];
}

/** argv (after `ssh`) cancelling that forward. */
export function cancelArgv(host: SshHost, controlPath: string, local: string, remote: string): string[] {
  return [
    '-o',
    `ControlPath=${controlPath}`,
    ...portArgs(host),
    '-O',
    'cancel',
    '-L',
    `${local}:${remote}`,
    '--',
    host.destination,
  ];
}

/** argv (after `ssh`) running `REMOTE_SOCKET_SCRIPT` as a channel on the master. */
export function socketQueryArgv(host: SshHost, controlPath: string): string[] {
  return [
    '-T',
    '-o',
    'BatchMode=yes',
    ...controlClientOptions(controlPath),
    ...portArgs(host),
    '--',
    host.destination,
    REMOTE_SOCKET_SCRIPT,
  ];
}

/** The remote sockets found so far, per ssh:// address (asked once per host, not per engine). */
const foundSockets = new Map<string, string>();

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PodmanSshAgentOptions {
  sshPath?: string;
  env?: Record<string, string | undefined>;
  /** Whose masters (default: the extension's one per host, shared with the GPU reader and terminals). */
  masters?: SshMasters;
  /** How long an idle kept-alive connection stays open (ms); default 5 minutes. */
  idleMs?: number;
}

/** An http.Agent whose connections go to a local socket the host's ssh master forwards to Podman's socket there. */
export class PodmanSshAgent extends http.Agent {
  private readonly host: SshHost;
  private readonly release: () => void;
  private dir: string | undefined;
  private seq = 0;
  private fwd: { controlPath: string; local: string; remote: string } | undefined;
  private pending: Promise<string> | undefined;
  private destroyed = false;

  constructor(
    private readonly endpoint: Pick<Endpoint, 'host' | 'remoteSocket'>,
    private readonly opts: PodmanSshAgentOptions = {},
  ) {
    super({ keepAlive: true, keepAliveMsecs: 15_000, timeout: opts.idleMs ?? 300_000, maxFreeSockets: 4 });
    this.host = sshHostOf(endpoint.host);
    this.release = this.masters.hold(this.host, opts.env);
  }

  private get masters(): SshMasters {
    return this.opts.masters ?? sshMasters;
  }

  private get env(): Record<string, string | undefined> {
    return { ...(this.opts.env ?? process.env) };
  }

  /** The local socket now forwarded to Podman's there (asked of the master once; again once `failed` refused). */
  forwardedSocket(failed?: string): Promise<string> {
    if (failed !== undefined && this.fwd?.local === failed) {
      fs.rmSync(failed, { force: true });
      this.fwd = undefined;
    }
    if (this.fwd) return Promise.resolve(this.fwd.local);
    if (!this.pending) {
      const p = this.setUp().finally(() => {
        if (this.pending === p) this.pending = undefined;
      });
      this.pending = p;
    }
    return this.pending;
  }

  private async setUp(): Promise<string> {
    let controlPath: string | undefined;
    try {
      controlPath = await this.masters.ensure(this.host, this.env);
    } catch (err) {
      throw err instanceof SshMasterFailure ? sshError(err.destination, err.stderr, err.code) : err;
    }
    if (!controlPath) {
      throw new EngineError(
        'unreachable',
        t('Podman over ssh needs an ssh connection the extension can share (not available on Windows).'),
        t('Run VS Code on Linux or macOS (or through Remote-SSH on that host), or use a Docker host.'),
      );
    }
    const remote = await this.remoteSocket(controlPath);
    const dir = this.folder();
    const local = path.join(dir, `podman-${++this.seq}.sock`);
    fs.rmSync(local, { force: true });
    const r = await this.ssh(forwardArgv(this.host, controlPath, local, remote));
    if (r.code !== 0) throw sshError(this.host.destination, r.stderr, r.code);
    if (this.destroyed) {
      this.cancel({ controlPath, local, remote });
      throw new EngineError(
        'unreachable',
        t('The SSH connection to {0} closed.', this.host.destination),
        t('Try again.'),
      );
    }
    this.fwd = { controlPath, local, remote };
    return local;
  }

  private async remoteSocket(controlPath: string): Promise<string> {
    const declared = this.endpoint.remoteSocket;
    if (declared) return declared;
    const known = foundSockets.get(this.endpoint.host);
    if (known) return known;
    const r = await this.ssh(socketQueryArgv(this.host, controlPath));
    if (r.code !== 0) throw sshError(this.host.destination, r.stderr, r.code);
    const answer = parseRemoteSocketAnswer(r.stdout);
    if (!answer || !validRemoteSocket(answer.path)) {
      throw new EngineError(
        'unreachable',
        t("Could not find Podman's socket on {0}.", this.host.destination),
        t('Add "socket": "/run/user/<uid>/podman/podman.sock" (the path on that host) to the host entry.'),
      );
    }
    if (!answer.running) {
      throw new EngineError(
        'unreachable',
        t('Podman is not listening on {0} on {1}.', answer.path, this.host.destination),
        t('On {0}: systemctl --user enable --now podman.socket, then Retry.', this.host.destination),
      );
    }
    foundSockets.set(this.endpoint.host, answer.path);
    return answer.path;
  }

  private folder(): string {
    if (!this.dir) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-podman-'));
      const dir = this.dir;
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    return this.dir;
  }

  private ssh(argv: string[]): Promise<Ran> {
    return new Promise((resolve) => {
      const child = spawn(this.opts.sshPath ?? 'ssh', argv, {
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        if (stdout.length < 16_384) stdout += c.toString('utf8');
      });
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 16_384) stderr += c.toString('utf8');
      });
      child.once('error', (err) => resolve({ code: null, stdout, stderr: String(err) }));
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** node's http.Agent takes the socket through the callback: the forward is set up (once) first. */
  override createConnection(_options: unknown, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    this.connect().then(
      (s) => cb(null, s),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );
    return undefined;
  }

  /** A connection to the forward; a forward that is gone (its master exited) is asked for again, once. */
  private async connect(): Promise<net.Socket> {
    const local = await this.forwardedSocket();
    try {
      return await connectUnix(local);
    } catch {
      return connectUnix(await this.forwardedSocket(local));
    }
  }

  private cancel(f: { controlPath: string; local: string; remote: string }): void {
    if (fs.existsSync(f.controlPath)) {
      spawnSync(this.opts.sshPath ?? 'ssh', cancelArgv(this.host, f.controlPath, f.local, f.remote), {
        env: this.env,
        stdio: 'ignore',
        timeout: 2_000,
      });
    }
    fs.rmSync(f.local, { force: true });
  }

  override destroy(): void {
    super.destroy();
    this.destroyed = true;
    if (this.fwd) this.cancel(this.fwd);
    this.fwd = undefined;
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    // The host's login goes with the last engine of the host.
    this.release();
  }
}

function connectUnix(p: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(p);
    s.once('connect', () => {
      s.removeListener('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}
