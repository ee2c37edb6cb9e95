import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { execArgs, ProbedShells, sshTerminalArgv } from '../../../src/core/terminalArgs';

/** What a POSIX shell makes of the words ssh would send (ssh joins them with spaces): the argv it runs. */
function remoteArgv(argv: string[]): string[] {
  const words = argv.slice(argv.indexOf('--') + 2);
  const line = words.join(' ');
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

void describe('sshTerminalArgv: terminals on an ssh host over the extension login', () => {
  void it('is a client of the master, with a tty, the port, and the host after --', () => {
    const argv = sshTerminalArgv({ destination: 'ann@gpubox', port: 2222 }, '/tmp/gpuc-ssh-x/ab-0', [
      'exec',
      '-it',
      'abc',
      'bash',
    ]);
    assert.deepEqual(argv, [
      '-o',
      'ControlMaster=no',
      '-o',
      'ControlPath=/tmp/gpuc-ssh-x/ab-0',
      '-e',
      'none',
      '-t',
      '-p',
      '2222',
      '--',
      'ann@gpubox',
      'docker',
      'exec',
      '-it',
      'abc',
      'bash',
    ]);
  });

  void it('without a master it is still plain ssh (which then logs in by itself)', () => {
    assert.deepEqual(sshTerminalArgv({ destination: 'gpubox' }, undefined, ['logs', 'x']).slice(0, 5), [
      '-e',
      'none',
      '-t',
      '--',
      'gpubox',
    ]);
  });

  const hostile = [
    "it's",
    '$(touch /tmp/gpuc-pwned)',
    '`id`',
    'a; rm -rf /',
    'two words',
    'tab\there',
    'new\nline',
    '*',
    '~',
    '',
    '"dq"',
    '\\back',
    '-it',
    '&& echo',
    '|',
    '>out',
    'ünïcode',
  ];
  for (const word of hostile) {
    void it(`the remote shell gets ${JSON.stringify(word)} as one word, unchanged`, () => {
      const args = execArgs({ containerId: 'c0ffee', shell: word, user: word, workdir: word });
      const argv = sshTerminalArgv({ destination: 'gpubox' }, undefined, args);
      assert.deepEqual(remoteArgv(argv), ['docker', ...args]);
    });
  }

  void it('every hostile word at once, in one command line', () => {
    const args = ['exec', '-it', ...hostile, 'c0ffee', 'sh'];
    assert.deepEqual(remoteArgv(sshTerminalArgv({ destination: 'h' }, '/p', args)), ['docker', ...args]);
  });
});

void describe('ProbedShells: the shell probe is asked once per image', () => {
  void it('a second container of the same image is not probed; another image is', async () => {
    const shells = new ProbedShells();
    let probes = 0;
    const probe = (s: string | undefined) => () => {
      probes++;
      return Promise.resolve(s);
    };
    assert.equal(await shells.shellFor('sha256:a', probe('bash')), 'bash');
    assert.equal(await shells.shellFor('sha256:a', probe('sh')), 'bash');
    assert.equal(probes, 1);
    assert.equal(await shells.shellFor('sha256:b', probe('sh')), 'sh');
    assert.equal(probes, 2);
  });

  void it('a failed probe or an unknown image is not remembered', async () => {
    const shells = new ProbedShells();
    let probes = 0;
    const none = () => {
      probes++;
      return Promise.resolve(undefined);
    };
    await shells.shellFor('sha256:a', none);
    await shells.shellFor('sha256:a', none);
    await shells.shellFor(undefined, () => Promise.resolve('bash'));
    await shells.shellFor(undefined, none);
    assert.equal(probes, 3);
  });
});
