/**
 * Running a command on an ssh host through the system `ssh`, so the user's `~/.ssh/config` (alias, User, Port,
 * IdentityFile, ProxyJump, ControlMaster, known_hosts) and ssh-agent apply, exactly as for the docker CLI.
 * Pure argv building and failure classification; the caller spawns the process.
 */
import { controlClientOptions, sshMasters } from '../docker/sshMaster';
import { t } from '../l10n';
import type { SshTarget } from './hostsSetting';

export interface SshOptions {
  /** Seconds before ssh gives up connecting (default 10). */
  connectTimeoutS?: number;
  /**
   * A channel on the extension's login to the host (`sharedControlPath`): a GPU poll every few seconds is then
   * a channel on that login, not a handshake.
   */
  controlPath?: string;
}

/**
 * The control path of the extension's login to `target` (core/docker/sshMaster.ts: one master per host, shared
 * with the engine's dial-stdio and the terminals), logging in when there is none; undefined where there is no
 * master (ssh then logs in by itself, and says why it failed as it would have anyway).
 */
export function sharedControlPath(
  target: SshTarget,
  env?: Record<string, string | undefined>,
): Promise<string | undefined> {
  return sshMasters.ensure(target, env).catch(() => undefined);
}

/** Characters that need no quoting for a POSIX shell. */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for the remote POSIX shell (ssh joins its arguments with spaces and hands them to a shell). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `ssh -o BatchMode=yes -o ConnectTimeout=10 [-p port] <destination> -- <remote words, quoted>`.
 * BatchMode: a password, passphrase or host-key question fails at once (exit 255, see `classifySshFailure`)
 * instead of hanging on a prompt nobody sees.
 */
export function sshArgv(target: SshTarget, remote: string[], options: SshOptions = {}): string[] {
  const timeout = Math.max(1, Math.floor(options.connectTimeoutS ?? 10));
  const argv = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${timeout}`];
  if (target.port !== undefined) argv.push('-p', String(target.port));
  if (options.controlPath) argv.push(...controlClientOptions(options.controlPath));
  // `--` ends ssh's options: a destination can never be read as one (it is validated, this is the belt).
  argv.push('--', target.destination, ...remote.map(shellQuote));
  return argv;
}

export interface SshFailure {
  /** `auth`, `hostKey`, `resolve`, `refused`, `timeout`, or `other` (the remote command itself failed). */
  reason: 'auth' | 'hostKey' | 'resolve' | 'refused' | 'timeout' | 'other';
  message: string;
  fix: string;
}

function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  ).slice(0, 200);
}

/**
 * Why `ssh` failed, with the fix, from its exit code and stderr. ssh exits 255 on its own errors; any other
 * code is the remote command's. Never throws.
 */
export function classifySshFailure(
  destination: string,
  failure: { code?: number | string | null; stderr?: string; message?: string },
): SshFailure {
  const err = `${failure.stderr ?? ''}\n${failure.message ?? ''}`;
  const line = firstLine(failure.stderr ?? '') || firstLine(failure.message ?? '');
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No .* host key is known/i.test(err)) {
    return {
      reason: 'hostKey',
      message: t('ssh could not verify the host key of {0}.', destination),
      fix: t('Run `ssh {0}` once in a terminal to check and accept the host key, then Retry.', destination),
    };
  }
  if (/Permission denied|Too many authentication failures|passphrase|password/i.test(err)) {
    return {
      reason: 'auth',
      message: t('ssh could not log in to {0} without a password or passphrase.', destination),
      fix: t(
        'Add your key to ssh-agent (`ssh-add`), or set IdentityFile for this host in ~/.ssh/config; `ssh {0}` must work without a prompt.',
        destination,
      ),
    };
  }
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(err)) {
    return {
      reason: 'resolve',
      message: t('ssh could not resolve the host name of {0}.', destination),
      fix: t('Check the name, or add a Host entry for it in ~/.ssh/config.'),
    };
  }
  if (/Connection refused/i.test(err)) {
    return {
      reason: 'refused',
      message: t('{0} refused the ssh connection.', destination),
      fix: t('Check that sshd runs on {0} and the port is right.', destination),
    };
  }
  if (/timed out|ETIMEDOUT|Network is unreachable|No route to host/i.test(err) || failure.code === 'ETIMEDOUT') {
    return {
      reason: 'timeout',
      message: t('The ssh connection to {0} timed out.', destination),
      fix: t('Check the network (VPN, bastion: ProxyJump in ~/.ssh/config) and that the host is up.'),
    };
  }
  return {
    reason: 'other',
    message: line
      ? t('ssh {0} failed: {1}', destination, line)
      : t('ssh {0} failed (exit code {1}).', destination, String(failure.code ?? '?')),
    fix: t('Run `ssh {0}` in a terminal to see the full error.', destination),
  };
}
