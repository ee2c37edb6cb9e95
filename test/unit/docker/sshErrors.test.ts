import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineError, type EngineErrorKind } from '../../../src/core/docker/errors';
import { sshError } from '../../../src/core/docker/sshErrors';

const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:2375'), { code: 'ECONNREFUSED' });

void describe('"unreachable" advice depends on the kind of endpoint', () => {
  const cases: [string, RegExp, RegExp | undefined][] = [
    ['unix:///var/run/docker.sock', /sudo systemctl start docker/, undefined],
    ['tcp://10.0.0.5:2375', /tcp:\/\/10\.0\.0\.5:2375 is running and that its port can be reached/, /systemctl/],
    ['ssh://me@gpubox:2200', /`ssh gpubox docker version`/, /systemctl/],
    ['ssh://gpubox', /`ssh gpubox docker version`/, /systemctl/],
  ];
  for (const [endpoint, want, never] of cases) {
    void it(endpoint, () => {
      const e = toEngineError(refused, { endpoint });
      assert.equal(e.kind, 'unreachable');
      assert.match(e.fix, want);
      if (never) assert.doesNotMatch(e.fix, never);
    });
  }
});

void describe('ssh stderr → a clear error with the exact fix', () => {
  const table: [string, string, EngineErrorKind, RegExp, RegExp][] = [
    [
      'unknown host key',
      'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\nHost key verification failed.\n',
      'permissionDenied',
      /host key of gpubox is not trusted yet/,
      /Run `ssh gpubox` once in a terminal to accept the host key/,
    ],
    [
      'changed host key',
      '@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n',
      'permissionDenied',
      /has changed/,
      /ssh-keygen -R/,
    ],
    [
      'publickey denied',
      'root@127.0.0.1: Permission denied (publickey).\n',
      'permissionDenied',
      /SSH login to gpubox was refused: .*Permission denied \(publickey\)/,
      /add your key to ssh-agent \(ssh-add\) or set IdentityFile/i,
    ],
    [
      // OpenSSH 9.2 under BatchMode with a passphrase-protected key not in the agent: only the methods list.
      'passphrase key not in the agent, or a password-only server',
      'user@gpubox: Permission denied (publickey,password,keyboard-interactive).\n',
      'permissionDenied',
      /SSH login to gpubox was refused/,
      /ssh-agent \(ssh-add\)/,
    ],
    [
      'banner timeout',
      'Connection timed out during banner exchange\nConnection to 10.1.2.3 port 22 timed out\n',
      'unreachable',
      /gpubox did not answer over SSH/,
      /network or VPN/,
    ],
    [
      'unresolvable',
      'ssh: Could not resolve hostname gpubox: Name or service not known\n',
      'unreachable',
      /Cannot resolve the host name of gpubox/,
      /HostName of gpubox in ~\/\.ssh\/config/,
    ],
    [
      'refused',
      'ssh: connect to host 127.0.0.1 port 2224: Connection refused\n',
      'unreachable',
      /refused the connection/,
      /sshd runs on gpubox/,
    ],
    [
      'timeout',
      'ssh: connect to host 10.1.2.3 port 22: Connection timed out\n',
      'unreachable',
      /gpubox did not answer over SSH/,
      /network or VPN/,
    ],
    [
      'no docker on the remote',
      'bash: line 1: docker: command not found\n',
      'unreachable',
      /docker command was not found on gpubox/,
      /Install the Docker CLI on gpubox/,
    ],
    [
      'remote daemon down',
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      'unreachable',
      /Docker is not running on gpubox/,
      /systemctl start docker/,
    ],
    [
      'anything else',
      'kex_exchange_identification: read: Connection reset by peer\n',
      'unreachable',
      /SSH connection to gpubox failed/,
      /ssh gpubox docker version/,
    ],
  ];
  for (const [name, stderr, kind, message, fix] of table) {
    void it(name, () => {
      const e = sshError('gpubox', stderr, 255);
      assert.equal(e.kind, kind);
      assert.match(e.message, message);
      assert.match(e.fix, fix);
      assert.doesNotMatch(e.message, /Warning: Permanently added/);
    });
  }
});

void describe('common engine failures get their own kind instead of "unknown, see the log"', () => {
  const modem = (statusCode: number, message: string): Error =>
    Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message}`), { statusCode, json: { message } });
  void it('bind source missing', () => {
    const e = toEngineError(
      modem(400, 'invalid mount config for type "bind": bind source path does not exist: /data/set'),
      { endpoint: 'ssh://gpubox' },
    );
    assert.equal(e.kind, 'bindSourceMissing');
    assert.match(e.message, /The folder \/data\/set to mount does not exist on the Docker host ssh:\/\/gpubox/);
  });
  void it('no space left on the engine host', () => {
    const e = toEngineError(modem(500, 'write /var/lib/docker/tmp/x: no space left on device'));
    assert.equal(e.kind, 'noSpace');
    assert.match(e.fix, /docker system df/);
  });
});
