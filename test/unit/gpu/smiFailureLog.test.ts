import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { SmiFailureLog, smiFailureLine, type RunFailure } from '../../../src/core/gpu/smiFailureLog';

const failureOf = (file: string, args: string[]): Promise<RunFailure> =>
  new Promise((resolve, reject) =>
    execFile(file, args, (err, _out, stderr) =>
      err ? resolve(Object.assign(err, { stderr: String(stderr) })) : reject(new Error(`${file} succeeded`)),
    ),
  );

function recorder(): { lines: string[]; log: SmiFailureLog } {
  const lines: string[] = [];
  return {
    lines,
    log: new SmiFailureLog({ warn: (m) => lines.push(`warn ${m}`), info: (m) => lines.push(`info ${m}`) }),
  };
}

void describe('nvidia-smi failures are logged (issue 28)', () => {
  void it('a missing nvidia-smi: the path tried and the error, once until it answers again', async () => {
    const missing = '/nonexistent/gpuc-test/nvidia-smi';
    const err = await failureOf(missing, ['--query-gpu=uuid', '--format=csv']);
    const { lines, log } = recorder();
    log.failed(missing, ['--query-gpu=uuid', '--format=csv'], err);
    log.failed(missing, ['-L'], err); // same program, same error: not repeated every poll
    assert.deepEqual(lines, [
      `warn nvidia-smi failed: ${missing} --query-gpu=uuid --format=csv → ENOENT: ${err.message}`,
    ]);
    log.succeeded(missing);
    log.failed(missing, ['-L'], err);
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^info nvidia-smi answers again/);
  });

  void it('a failing nvidia-smi: exit code and the first stderr line', async () => {
    const err = await failureOf('/bin/sh', [
      '-c',
      'echo "NVIDIA-SMI has failed because it could not communicate" >&2; exit 9',
    ]);
    assert.equal(
      smiFailureLine('/bin/sh', ['-c', '…'], err),
      'nvidia-smi failed: /bin/sh -c … → exit code 9: NVIDIA-SMI has failed because it could not communicate',
    );
    assert.equal(smiFailureLine('nvidia-smi', [], { killed: true }), 'nvidia-smi failed: nvidia-smi → timed out');
  });

  void it('never logs a secret (ssh argv or stderr)', () => {
    const line = smiFailureLine('ssh', ['gpubox', 'API_TOKEN=hunter2secret', 'nvidia-smi'], {
      code: 255,
      stderr: 'PASSWORD=swordfish rejected',
    });
    assert.doesNotMatch(line, /hunter2secret|swordfish/);
    assert.match(line, /exit code 255/);
  });
});
