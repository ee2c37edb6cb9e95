/**
 * What the system `ssh` said on stderr, turned into an `EngineError` with the exact fix. ssh runs with
 * BatchMode here, so every question it would have asked (host key, password, passphrase) ends as one
 * of these instead of a hang. Each carries its `ssh` problem, so the Containers view says it as an ssh
 * failure, not as a local Docker socket's.
 */
import { t } from '../l10n';
import type { SshProblem } from './engineError';
import { EngineError, type EngineErrorKind } from './engineError';

/** The last lines of stderr worth showing (no banners, no "Warning: Permanently added"). */
function gist(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^Warning: Permanently added/i.test(l));
  return lines.slice(-2).join(' ').slice(0, 240);
}

/** The `ssh-keygen … -R …` line ssh printed under "remove with:", exactly (it names the right file and host). */
export function keygenRemoveLine(stderr: string): string | undefined {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^ssh-keygen\s.*\s-R\s/.test(l));
  return line && line.length <= 400 ? line : undefined;
}

/** The remote `docker system dial-stdio` could not reach its daemon's socket: `dial unix <path>: connect: …`. */
const DIAL = /dial unix \S+: connect: ([a-z ]+)/i;

/**
 * Classifies the stderr of `ssh … <host> -- docker system dial-stdio` that ended (exit `code`) before
 * or while it carried a request. `host` is the ssh destination as given (an alias from ~/.ssh/config).
 */
export function sshError(host: string, stderr: string, code: number | null): EngineError {
  const said = gist(stderr);
  const s = stderr;
  const make = (kind: EngineErrorKind, ssh: SshProblem, message: string, fix: string): EngineError =>
    new EngineError(kind, message, fix, {
      cause: new Error(said || `ssh exited with ${String(code)}`),
      engineMessage: said,
      ssh,
    });
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for \S+ has changed/i.test(s)) {
    const remove = keygenRemoveLine(s);
    return make(
      'permissionDenied',
      'hostKeyChanged',
      t('The host key of {0} has changed since you last connected.', host),
      remove
        ? t(
            'If the server was reinstalled, remove its old key: {0} — then run `ssh {1}` once in a terminal.',
            remove,
            host,
          )
        : t(
            'If the server was reinstalled, remove its old key (ssh-keygen -R HOST) and run `ssh {0}` once in a terminal.',
            host,
          ),
    );
  }
  if (/Host key verification failed|No \S+ host key is known/i.test(s)) {
    return make(
      'permissionDenied',
      'hostKeyUnknown',
      t('The host key of {0} is not trusted yet.', host),
      t('Run `ssh {0}` once in a terminal to accept the host key, then Retry.', host),
    );
  }
  // The remote docker, before ssh's own "Connection refused": `dial unix …: connect: connection refused` is
  // a daemon that is gone, not an sshd.
  const dial = DIAL.exec(s);
  if (
    (dial && /permission denied/i.test(dial[1])) ||
    /permission denied while trying to connect to the Docker daemon/i.test(s)
  ) {
    return make(
      'permissionDenied',
      'dockerDenied',
      t('Your user on {0} may not use Docker.', host),
      t('On {0}: sudo usermod -aG docker $USER, then log in again.', host),
    );
  }
  if (dial || /Cannot connect to the Docker daemon|Is the docker daemon running/i.test(s)) {
    return make(
      'unreachable',
      'dockerDown',
      t('Docker is not running on {0}.', host),
      t('Start Docker on {0} (sudo systemctl start docker), then Retry.', host),
    );
  }
  if (/Permission denied \(|Too many authentication failures|passphrase/i.test(s)) {
    return make(
      'permissionDenied',
      'auth',
      t('SSH login to {0} was refused: {1}', host, said),
      t('Add your key to ssh-agent (ssh-add) or set IdentityFile for {0} in ~/.ssh/config, then Retry.', host),
    );
  }
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(s)) {
    return make(
      'unreachable',
      'resolve',
      t('Cannot resolve the host name of {0}.', host),
      t('Check the HostName of {0} in ~/.ssh/config, and your network or VPN.', host),
    );
  }
  if (/Connection refused/i.test(s)) {
    return make(
      'unreachable',
      'refused',
      t('The SSH server of {0} refused the connection.', host),
      t('Check that sshd runs on {0} and the Port in ~/.ssh/config.', host),
    );
  }
  if (/timed out|not responding|No route to host|Network is unreachable|Broken pipe/i.test(s)) {
    return sshNoAnswer(host, said || `ssh exited with ${String(code)}`);
  }
  if (/docker: (command )?not found|docker: No such file|command not found/i.test(s) || code === 127) {
    return make(
      'unreachable',
      'dockerMissing',
      t('The docker command was not found on {0}.', host),
      t('Install the Docker CLI on {0}, or put it on the PATH of non-interactive ssh sessions.', host),
    );
  }
  return make(
    'unreachable',
    'closed',
    said ? t('The SSH connection to {0} failed: {1}', host, said) : t('The SSH connection to {0} closed.', host),
    t('Check that `ssh {0} docker version` works in a terminal, then Retry.', host),
  );
}

/**
 * The host does not answer over ssh (the network is gone, the master or the server froze): a `timeout`, so
 * the view keeps the last rows and marks them stale, said as an ssh failure while the master is replaced.
 */
export function sshNoAnswer(host: string, said = ''): EngineError {
  return new EngineError(
    'timeout',
    t('No answer from {0} over ssh — reconnecting.', host),
    t('Check your network or VPN and that {0} is up.', host),
    { cause: new Error(said || 'no answer over ssh'), engineMessage: said, ssh: 'noAnswer' },
  );
}
