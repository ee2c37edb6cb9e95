/**
 * scripts/gpu-e2e.sh without a GPU: its syntax, its --dry-run plan (no library mounted under the read-only
 * /usr), and that every failure leaves FAILED.txt (step, command, exit status, stderr) in the out dir —
 * driven by a stand-in nvidia-smi on PATH.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'gpu-e2e.sh');

function bash(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile('bash', args, { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

void describe('scripts/gpu-e2e.sh (no GPU needed)', () => {
  let dir: string;
  let bin: string;
  const smi = (body: string) => fs.writeFileSync(path.join(bin, 'nvidia-smi'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const withSmi = () => ({ PATH: `${bin}:${process.env.PATH ?? ''}`, GPUC_E2E_WORK: path.join(dir, 'work') });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-e2e-sh-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('parses (bash -n)', async () => {
    const r = await bash(['-n', SCRIPT]);
    assert.equal(r.code, 0, r.out);
  });

  void it('--dry-run prints the plan with no GPU, touches nothing, and mounts no library under the read-only /usr', async () => {
    const out = path.join(dir, 'dry-out');
    const work = path.join(dir, 'dry-work');
    const r = await bash([SCRIPT, '--dry-run', '--out', out], { GPUC_E2E_WORK: work });
    assert.equal(r.code, 0, r.out);
    assert.ok(!fs.existsSync(out) && !fs.existsSync(work), 'nothing created');
    const run = r.out.split('\n').find((l) => / run -d /.test(l));
    assert.ok(run, r.out);
    const mounts = [...run.matchAll(/ -v (\S+)/g)].map((m) => m[1].split(':'));
    assert.ok(
      mounts.some(([src, dst, mode]) => src === '/usr' && dst === '/usr' && mode === 'ro'),
      run,
    );
    const libs = mounts.filter(([src]) => /libcuda/.test(src));
    assert.equal(libs.length, 1, run);
    for (const [, dst] of mounts.filter(([src]) => src !== '/usr'))
      assert.doesNotMatch(dst, /^\/usr\//, `a mount point inside the read-only /usr: ${dst}`);
    assert.match(run, /LD_LIBRARY_PATH=\/gpuc-nvidia\/lib64/);
  });

  void it('a failing command (nvidia-smi without its driver) leaves FAILED.txt with the step, status and stderr', async () => {
    smi(`echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2; exit 9`);
    const out = path.join(dir, 'err-out');
    const r = await bash([SCRIPT, '--out', out], withSmi());
    assert.equal(r.code, 9, r.out);
    const failed = fs.readFileSync(path.join(out, 'FAILED.txt'), 'utf8');
    assert.match(failed, /^step: 0\. what this machine has$/m);
    assert.match(failed, /exit status 9\): nvidia-smi/);
    assert.match(failed, /couldn't communicate with the NVIDIA driver/);
  });

  void it('a failed check leaves FAILED.txt too (GPU 7 asked, nvidia-smi lists GPU 0)', async () => {
    smi(`echo "0, GPU-aaaa, NVIDIA H100 80GB HBM3, 0, 81559, 0, 30, 580.1, Disabled, 00000000:01:00.0"`);
    const out = path.join(dir, 'check-out');
    const r = await bash([SCRIPT, '--out', out, '--gpu', '7'], withSmi());
    assert.equal(r.code, 1, r.out);
    const failed = fs.readFileSync(path.join(out, 'FAILED.txt'), 'utf8');
    assert.match(failed, /^step: 0\. what this machine has$/m);
    assert.match(failed, /nvidia-smi lists no GPU 7 \(it lists: 0\)/);
  });
});
