/**
 * An sshd of a test's (or bench's) own on 127.0.0.1, apart from the rig's shared sshds: its own temp folder
 * with its config, pid file and log (and host key when asked), and an `ssh` on PATH that adds
 * `-F <this sshd's client config>`, so the aliases reach it for the engine, the terminals and the docker CLI
 * alike. Logins are counted in its own log. Stopping it (and what to stop) is the caller's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One `Host` block of the client config. */
export interface SshAlias {
  alias: string;
  port: number;
  user: string;
  identityFile: string;
  /** Default 'accept-new'. */
  strictHostKeyChecking?: 'accept-new' | 'no';
  /** More client lines for this host (without the indent). */
  extra?: string[];
}

export interface PrivateSshdOptions {
  /** The temp folder's name prefix, e.g. 'gpuc-sshfrozen-'. */
  prefix: string;
  port: number;
  /** A host key of its own (generated), rather than the system's. */
  hostKey?: boolean;
  /** Who may log in and with which keys; default: root by key only, ~/.ssh/authorized_keys. */
  access?: string[];
  /** More sshd_config lines, after the common ones. */
  extra?: string[];
}

export interface PrivateSshd {
  dir: string;
  log: string;
  pidFile: string;
  /** Logins accepted so far (one per ssh handshake). */
  logins: () => number;
  /** The listener's pid, from its pid file (0 when there is none yet). */
  pid: () => number;
  /** Writes the configs, puts the `ssh` wrapper first on PATH, and starts sshd (it daemonizes: wait for pidFile). */
  start(aliases: SshAlias[]): void;
  /** Puts PATH back as it was before start(). */
  restorePath(): void;
}

export function privateSshd(o: PrivateSshdOptions): PrivateSshd {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), o.prefix));
  const log = path.join(dir, 'sshd.log');
  const pidFile = path.join(dir, 'sshd.pid');
  let savedPath: string | undefined;
  let started = false;
  return {
    dir,
    log,
    pidFile,
    logins: () => (fs.existsSync(log) ? (fs.readFileSync(log, 'utf8').match(/Accepted publickey/g) ?? []).length : 0),
    pid: () => (fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0),
    start(aliases) {
      const hostKey = path.join(dir, 'host_key');
      if (o.hostKey) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
      fs.writeFileSync(
        path.join(dir, 'sshd.conf'),
        [
          `Port ${o.port}`,
          'ListenAddress 127.0.0.1',
          ...(o.hostKey ? [`HostKey ${hostKey}`] : []),
          `PidFile ${pidFile}`,
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          ...(o.access ?? ['PermitRootLogin prohibit-password', 'AuthorizedKeysFile .ssh/authorized_keys']),
          'UsePAM no',
          ...(o.extra ?? []),
          '',
        ].join('\n'),
      );
      const hosts = aliases.map((a) =>
        [
          `Host ${a.alias}`,
          '  HostName 127.0.0.1',
          `  Port ${a.port}`,
          `  User ${a.user}`,
          `  IdentityFile ${a.identityFile}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
          `  StrictHostKeyChecking ${a.strictHostKeyChecking ?? 'accept-new'}`,
          ...(a.extra ?? []).map((l) => `  ${l}`),
          '',
        ].join('\n'),
      );
      fs.writeFileSync(path.join(dir, 'ssh_config'), hosts.join(''));
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${dir}/ssh_config "$@"\n`, {
        mode: 0o755,
      });
      savedPath = process.env.PATH;
      started = true;
      process.env.PATH = `${bin}:${savedPath ?? ''}`;
      execFileSync('/usr/sbin/sshd', ['-f', path.join(dir, 'sshd.conf'), '-E', log]);
    },
    restorePath() {
      if (started) process.env.PATH = savedPath;
    },
  };
}
