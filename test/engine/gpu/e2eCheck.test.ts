/**
 * The non-GPU half of scripts/gpu-e2e.sh: its core check (scripts/gpu-e2e-check.mjs) against the real dockerd,
 * with a stand-in nvidia-smi that reports a compute process whose PID is a real container's process. On a GPU
 * machine the same check reads the real nvidia-smi.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');
const RUN = randomBytes(4).toString('hex');
const NAME = `gpuc-gpu-${RUN}-e2e`;
const HOST = process.env.GPU_CONTAINERS_TEST_DOCKER_HOST || 'unix:///var/run/docker.sock';

function run(file: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(file, args, (err, stdout) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout) }),
    ),
  );
}

void describe('gpu-e2e core check (stand-in nvidia-smi, real dockerd)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-gpu-e2e-'));
  const smi = path.join(dir, 'nvidia-smi');

  before(async () => {
    const started = await run('docker', [
      'run',
      '-d',
      '--name',
      NAME,
      '--label',
      `gpu-containers-test.run=${RUN}`,
      'gpu-containers-test/busybox:1',
      'sleep',
      '300',
    ]);
    assert.equal(started.code, 0);
    const pid = (await run('docker', ['inspect', '-f', '{{.State.Pid}}', NAME])).stdout.trim();
    const uuid0 = fs
      .readFileSync(path.join(FIXTURES, 'synthetic', 'query-gpu-8.csv'), 'utf8')
      .split(',')[1]
      .trim();
    fs.writeFileSync(path.join(dir, 'apps.csv'), `${uuid0}, ${pid}, 612\n`);
    fs.writeFileSync(
      smi,
      `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${FIXTURES}/synthetic/query-gpu-8.csv' ;;
  *--query-compute-apps*) cat '${dir}/apps.csv' ;;
  'topo -m') cat '${FIXTURES}/synthetic/topo-m-8-pcie.txt' ;;
  '') cat '${FIXTURES}/h100/nvidia-smi.txt' ;;
  *) exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
  });
  after(async () => {
    await run('docker', ['rm', '-f', NAME]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void it('maps the process to its container, its memory, and the GPU as held', async () => {
    const out = path.join(dir, 'out');
    const r = await run('node', [
      path.join(REPO, 'scripts', 'gpu-e2e-check.mjs'),
      ...['--host', HOST, '--name', NAME, '--gpu', '0', '--smi', smi, '--out', out],
    ]);
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'core-report.json'), 'utf8'));
    assert.equal(report.memoryMiB, 612);
    assert.ok(Object.values(report.checks).every(Boolean), JSON.stringify(report.checks));
    assert.match(report.row, new RegExp(NAME));
  });

  void it('fails when asked about a GPU the process is not on', async () => {
    const r = await run('node', [
      path.join(REPO, 'scripts', 'gpu-e2e-check.mjs'),
      ...['--host', HOST, '--name', NAME, '--gpu', '3', '--smi', smi],
    ]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /FAIL a process on that GPU is mapped to the container/);
  });
});
