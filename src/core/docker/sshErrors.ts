/**
 * What the system `ssh` said on stderr, turned into an `EngineError` with the exact fix. ssh runs with
 * BatchMode here, so every question it would have asked (host key, password, passphrase) ends as one
 * of these instead of a hang.
 */
import { t } from '../l10n';
import { EngineError } from './errors';

/** The last lines of stderr worth showing (no banners, no "Warning: Permanently added"). */
function gist(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^Warning: Permanently added/i.test(l));
  return lines.slice(-2).join(' ').slice(0, 240);
}

/**
 * Classifies the stderr of `ssh … <host> -- docker system dial-stdio` that ended (exit `code`) before
 * or while it carried a request. `host` is the ssh destination as given (an alias from ~/.ssh/config).
 */
export function sshError(host: string, stderr: string, code: number | null): EngineError {
  const said = gist(stderr);
  const details = { cause: new Error(said || `ssh exited with ${String(code)}`), engineMessage: said };
  const s = stderr;
  if (/Host key verification failed|No \S+ host key is known|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(s)) {
    const changed = /HAS CHANGED/i.test(s);
    return new EngineError(
      'permissionDenied',
      changed
        ? t('The host key of {0} has changed since you last connected.', host)
        : t('The host key of {0} is not trusted yet.', host),
      changed
        ? t(
            'If the server was reinstalled, remove its old key (ssh-keygen -R HOST) and run `ssh {0}` once in a terminal.',
            host,
          )
        : t('Run `ssh {0}` once in a terminal to accept the host key, then Retry.', host),
      details,
    );
  }
  if (/Permission denied \(|Too many authentication failures|passphrase/i.test(s)) {
    return new EngineError(
      'permissionDenied',
      t('SSH login to {0} was refused: {1}', host, said),
      t('Add your key to ssh-agent (ssh-add) or set IdentityFile for {0} in ~/.ssh/config, then Retry.', host),
      details,
    );
  }
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(s)) {
    return new EngineError(
      'unreachable',
      t('Cannot resolve the host name of {0}.', host),
      t('Check the HostName of {0} in ~/.ssh/config, and your network or VPN.', host),
      details,
    );
  }
  if (/Connection refused/i.test(s)) {
    return new EngineError(
      'unreachable',
      t('The SSH server of {0} refused the connection.', host),
      t('Check that sshd runs on {0} and the Port in ~/.ssh/config.', host),
      details,
    );
  }
  if (/timed out|No route to host|Network is unreachable/i.test(s)) {
    return new EngineError(
      'unreachable',
      t('{0} did not answer over SSH: {1}', host, said),
      t('Check your network or VPN and that {0} is up.', host),
      details,
    );
  }
  if (/docker: (command )?not found|docker: No such file|command not found/i.test(s)) {
    return new EngineError(
      'unreachable',
      t('The docker command was not found on {0}.', host),
      t('Install the Docker CLI on {0}, or put it on the PATH of non-interactive ssh sessions.', host),
      details,
    );
  }
  if (/permission denied while trying to connect to the Docker daemon/i.test(s)) {
    return new EngineError(
      'permissionDenied',
      t('Your user on {0} may not use Docker.', host),
      t('On {0}: sudo usermod -aG docker $USER, then log in again.', host),
      details,
    );
  }
  if (/Cannot connect to the Docker daemon|Is the docker daemon running/i.test(s)) {
    return new EngineError(
      'unreachable',
      t('Docker is not running on {0}.', host),
      t('Start Docker on {0} (sudo systemctl start docker), then Retry.', host),
      details,
    );
  }
  return new EngineError(
    'unreachable',
    said ? t('The SSH connection to {0} failed: {1}', host, said) : t('The SSH connection to {0} closed.', host),
    t('Check that `ssh {0} docker version` works in a terminal, then Retry.', host),
    details,
  );
}
