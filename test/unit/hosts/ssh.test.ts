import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { classifySshFailure, shellQuote, sshArgv } from '../../../src/core/hosts/ssh';

void describe('sshArgv', () => {
  void it('is non-interactive, keeps the alias, puts -- before the destination', () => {
    assert.deepEqual(sshArgv({ destination: 'gpubox' }, ['nvidia-smi', '--query-gpu=index,uuid', '--format=csv']), [
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '--',
      'gpubox',
      'nvidia-smi',
      '--query-gpu=index,uuid',
      '--format=csv',
    ]);
    assert.deepEqual(sshArgv({ destination: 'ann@box', port: 2222 }, ['true'], { connectTimeoutS: 3 }), [
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=3',
      '-p',
      '2222',
      '--',
      'ann@box',
      'true',
    ]);
  });

  void it('quotes remote words so the remote shell gets them back verbatim', () => {
    const words = ['plain', 'with space', "it's", '$HOME', '`id`', 'a;b', '', '*', 'new\nline', '--x=1,2'];
    // What the remote side does: `sh -c "<words joined by spaces>"`; printf shows each word it got.
    const joined = ['printf', '%s|', ...words].map(shellQuote).join(' ');
    assert.equal(execFileSync('sh', ['-c', joined], { encoding: 'utf8' }), words.map((w) => `${w}|`).join(''));
    assert.equal(shellQuote('--format=csv,noheader,nounits'), '--format=csv,noheader,nounits');
  });
});

void describe('classifySshFailure', () => {
  const table: { stderr: string; code?: number | string; reason: string; fix: RegExp }[] = [
    { stderr: 'Host key verification failed.', code: 255, reason: 'hostKey', fix: /Run `ssh gpubox` once/ },
    {
      stderr: 'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.',
      code: 255,
      reason: 'hostKey',
      fix: /accept the host key/,
    },
    { stderr: 'ann@gpubox: Permission denied (publickey).', code: 255, reason: 'auth', fix: /ssh-agent/ },
    {
      stderr: 'ssh: Could not resolve hostname gpubox: Name or service not known',
      code: 255,
      reason: 'resolve',
      fix: /~\/\.ssh\/config/,
    },
    {
      stderr: 'ssh: connect to host 127.0.0.1 port 2999: Connection refused',
      code: 255,
      reason: 'refused',
      fix: /sshd/,
    },
    {
      stderr: 'ssh: connect to host 10.0.0.1 port 22: Connection timed out',
      code: 255,
      reason: 'timeout',
      fix: /ProxyJump/,
    },
    {
      stderr: 'kex_exchange_identification: read: Connection reset by peer',
      code: 255,
      reason: 'other',
      fix: /Run `ssh gpubox`/,
    },
  ];
  for (const c of table) {
    void it(`${c.reason}: ${c.stderr.slice(0, 40)}`, () => {
      const f = classifySshFailure('gpubox', { code: c.code, stderr: c.stderr });
      assert.equal(f.reason, c.reason);
      assert.match(f.fix, c.fix);
      assert.ok(f.message.includes('gpubox') || f.message.includes('127.0.0.1'));
    });
  }
  void it('never throws; says the exit code when there are no words', () => {
    assert.match(classifySshFailure('g', {}).message, /exit code \?/);
    assert.match(classifySshFailure('g', { code: 255 }).message, /exit code 255/);
  });
});
