import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineError } from '../../../src/core/docker/errors';
import type { EngineErrorKind } from '../../../src/core/docker/engineError';
import { keygenRemoveLine, sshError, sshNoAnswer } from '../../../src/core/docker/sshErrors';
import { CallRunner } from '../../../src/core/docker/callLink';

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
      'timeout',
      /No answer from gpubox over ssh — reconnecting/,
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
      'timeout',
      /No answer from gpubox over ssh — reconnecting/,
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

/**
 * What OpenSSH 9.2 and docker 28 really printed against the rig (own sshd on 127.0.0.1:2241/2242, captured
 * 2026-12-06): a remote user not in the docker group (ForceCommand as nobody), a remote dockerd that is gone,
 * a changed host key, a silent server.
 */
void describe('ssh failures from the rig, each its own problem and sentence', () => {
  const CHANGED = [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    'The fingerprint for the ED25519 key sent by the remote host is',
    'SHA256:rEVnSANn+R3AnIO6PKqFK4o+RGaYu6w08kLFRjnw5+g.',
    'Please contact your system administrator.',
    'Add correct host key in /tmp/gpuc-sshhelper/kh_changed to get rid of this message.',
    'Offending ED25519 key in /tmp/gpuc-sshhelper/kh_changed:1',
    '  remove with:',
    '  ssh-keygen -f "/tmp/gpuc-sshhelper/kh_changed" -R "[127.0.0.1]:2241"',
    'Host key for [127.0.0.1]:2241 has changed and you have requested strict checking.',
    'Host key verification failed.',
    '',
  ].join('\r\n');
  const table: [string, string, number, string, RegExp, RegExp][] = [
    [
      'remote user not in the docker group',
      "Warning: Permanently added '[127.0.0.1]:2242' (ED25519) to the list of known hosts.\r\n" +
        'failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: permission denied\n',
      1,
      'dockerDenied',
      /^Your user on gpubox may not use Docker\.$/,
      /On gpubox: sudo usermod -aG docker \$USER, then log in again/,
    ],
    [
      'remote docker exec, not in the docker group',
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/containers/x/json": dial unix /var/run/docker.sock: connect: permission denied\n',
      1,
      'dockerDenied',
      /may not use Docker/,
      /usermod -aG docker/,
    ],
    [
      'remote dockerd gone (no socket)',
      'failed to open the raw stream connection: dial unix /run/gpuc-no-such-dockerd.sock: connect: no such file or directory\n',
      1,
      'dockerDown',
      /^Docker is not running on gpubox\.$/,
      /Start Docker on gpubox/,
    ],
    [
      'remote dockerd killed (its socket refuses): not "the SSH server refused"',
      'failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: connection refused\n',
      1,
      'dockerDown',
      /^Docker is not running on gpubox\.$/,
      /Start Docker on gpubox/,
    ],
    [
      'changed host key: the exact ssh-keygen line ssh printed',
      CHANGED,
      255,
      'hostKeyChanged',
      /host key of gpubox has changed/,
      /remove its old key: ssh-keygen -f "\/tmp\/gpuc-sshhelper\/kh_changed" -R "\[127\.0\.0\.1\]:2241" — then run `ssh gpubox`/,
    ],
    [
      'unknown host key',
      'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n',
      255,
      'hostKeyUnknown',
      /not trusted yet/,
      /accept the host key/,
    ],
    [
      'a server that accepts and says nothing',
      'Connection timed out during banner exchange\r\nConnection to 127.0.0.1 port 2243 timed out\r\n',
      255,
      'noAnswer',
      /^No answer from gpubox over ssh — reconnecting\.$/,
      /network or VPN/,
    ],
    [
      'the network went away under a master (ServerAlive)',
      'Timeout, server 127.0.0.1 not responding.\r\n',
      255,
      'noAnswer',
      /No answer from gpubox over ssh/,
      /network or VPN/,
    ],
    [
      'no docker on the remote',
      'bash: line 1: docker: command not found\n',
      127,
      'dockerMissing',
      /not found on gpubox/,
      /Install the Docker CLI/,
    ],
    [
      'sshd not listening',
      'ssh: connect to host 127.0.0.1 port 2224: Connection refused\r\n',
      255,
      'refused',
      /refused/,
      /sshd runs/,
    ],
  ];
  for (const [name, stderr, code, problem, message, fix] of table) {
    void it(name, () => {
      const e = sshError('gpubox', stderr, code);
      assert.equal(e.ssh, problem);
      assert.match(e.message, message);
      assert.match(e.fix, fix);
      if (problem !== 'refused') assert.doesNotMatch(`${e.message} ${e.fix}`, /Docker socket|the SSH server of/i);
    });
  }

  void it('keygenRemoveLine keeps the line as printed, and nothing when there is none', () => {
    assert.equal(keygenRemoveLine(CHANGED), 'ssh-keygen -f "/tmp/gpuc-sshhelper/kh_changed" -R "[127.0.0.1]:2241"');
    assert.equal(keygenRemoveLine('Host key verification failed.'), undefined);
  });
});

void describe('no answer over ssh is a timeout: the view keeps the rows, marked stale (issue 27)', () => {
  void it('from ssh stderr and from a probe alike', () => {
    for (const e of [sshError('gpubox', 'Timeout, server 127.0.0.1 not responding.\r\n', 255), sshNoAnswer('gpubox')]) {
      assert.equal(e.kind, 'timeout');
      assert.equal(e.ssh, 'noAnswer');
      assert.equal(e.message, 'No answer from gpubox over ssh — reconnecting.');
    }
  });

  const never = (): Promise<never> => new Promise<never>(() => undefined);
  void it("a call that times out is read by the transport first: its error, or Docker's timeout", async () => {
    const ssh = new CallRunner('ssh://gpubox', 20, undefined, undefined, () => Promise.resolve(sshNoAnswer('gpubox')));
    await assert.rejects(
      ssh.call(undefined, ssh.ctx('ping'), never),
      (e: Error & { ssh?: string }) => e.ssh === 'noAnswer',
    );
    const docker = new CallRunner('ssh://gpubox', 20, undefined, undefined, () => Promise.resolve(undefined));
    await assert.rejects(
      docker.call(undefined, docker.ctx('ping'), never),
      (e: Error & { ssh?: string; kind?: string }) => e.kind === 'timeout' && e.ssh === undefined,
    );
  });

  void it('a failure that is not a timeout never asks the transport', async () => {
    let asked = 0;
    const r = new CallRunner('ssh://gpubox', 1_000, undefined, undefined, () => {
      asked++;
      return Promise.resolve(sshNoAnswer('gpubox'));
    });
    await assert.rejects(r.call(undefined, r.ctx('ping'), () => Promise.reject(new Error('boom'))));
    assert.equal(asked, 0);
  });
});
