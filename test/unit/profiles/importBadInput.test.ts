import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importDockerRun, toCreateOptions } from '../../../src/core/profiles';

/** Issue 15 item 5: each refused or suspicious value is one problem with the flag, the value and the fix. */
const BAD: { line: string; field: string; value: RegExp; fix: RegExp }[] = [
  { line: '--frobnicate 1', field: '--frobnicate', value: /--frobnicate/, fix: /spelling/ },
  { line: '--shm-size 16x', field: '--shm-size', value: /16x/, fix: /"16g"/ },
  { line: '-p 70000:80', field: '-p', value: /70000/, fix: /8888:8888/ },
  { line: '--pids-limit lots', field: '--pids-limit', value: /lots/, fix: /whole number/ },
  { line: '--health-interval soon', field: '--health-interval', value: /soon/, fix: /30s/ },
  { line: '-v "/home/$(whoami):/x"', field: '-v', value: /\$\(whoami\)/, fix: /replace it with its value/ },
  { line: '-e TOKEN=$(cat ~/.token)', field: '-e', value: /\$\(cat/, fix: /replace it with its value/ },
  { line: '--memory-swap big', field: '--memory-swap', value: /big/, fix: /"1g"/ },
];

void describe('importDockerRun: bad input, one problem each, nothing executed', () => {
  for (const row of BAD) {
    void it(row.line, () => {
      const { problems } = importDockerRun(`docker run ${row.line} busybox`);
      const errors = problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(problems));
      assert.equal(errors[0].field, row.field);
      assert.match(errors[0].message, row.value);
      assert.match(errors[0].message, row.fix);
    });
  }
  void it('a missing env file is one launch-time problem naming the file', () => {
    const { profile } = importDockerRun('docker run --env-file /nonexistent/gpuc.env busybox');
    const built = toCreateOptions(profile, {
      userHome: '/h',
      user: 'u',
      uid: 1,
      gid: 1,
      env: {},
      readFile: () => undefined,
    });
    const errors = built.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].field, 'envFile');
    assert.match(errors[0].message, /\/nonexistent\/gpuc\.env/);
  });
  void it('client-only flags are notes, not errors', () => {
    const { problems } = importDockerRun('docker run --pull always --cidfile /tmp/x -q busybox');
    assert.deepEqual(
      problems.map((p) => [p.field, p.severity]),
      [
        ['--pull', 'warning'],
        ['--cidfile', 'warning'],
        ['-q', 'warning'],
      ],
    );
  });
});
