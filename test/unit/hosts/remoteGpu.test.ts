import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  readRemoteGpus,
  remoteGpuArgv,
  remoteGpuSnapshot,
  splitRemoteGpuOutput,
  type ProcessResult,
} from '../../../src/core/hosts/remoteGpu';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nvidia-smi');
const fx = (rel: string): string => path.join(FIXTURES, rel);

/**
 * What sshd does with our argv: joins the words after the destination with spaces and runs them with the
 * user's shell (`sh -c`). A stand-in nvidia-smi on PATH prints the recorded fixtures.
 */
function fakeSsh(binDir: string, shell = 'sh') {
  const calls: string[][] = [];
  const run = (file: string, argv: string[]): Promise<ProcessResult> => {
    calls.push([file, ...argv]);
    const remote = argv.slice(argv.indexOf('--') + 2).join(' ');
    return new Promise((resolve) => {
      execFile(shell, ['-c', remote], { env: { PATH: `${binDir}:/usr/bin:/bin` } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  };
  return { run, calls };
}

function standIn(dir: string, body: string): void {
  fs.writeFileSync(path.join(dir, 'nvidia-smi'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

void describe('remote GPU snapshot over ssh (script run by a real sh)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-hosts-smi-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('the argv is ssh -o BatchMode=yes <alias> -- sh -c <script> with the local reader’s queries', () => {
    const argv = remoteGpuArgv({ destination: 'gpubox' });
    assert.deepEqual(argv.slice(0, 6), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '--', 'gpubox']);
    assert.equal(argv[6], 'sh');
    assert.equal(argv[7], '-c');
    assert.match(argv[8], /--query-gpu=index,uuid,name,memory\.used,memory\.total,.* --format=csv,noheader,nounits/);
    assert.match(argv[8], /--query-compute-apps=gpu_uuid,pid,used_memory/);
    assert.equal(argv.length, 9);
  });

  for (const shell of ['sh', 'bash']) {
    void it(`reads GPUs, apps and the banner in one round trip (${shell})`, async () => {
      standIn(
        dir,
        `case "$1" in
  --query-gpu=*) cat ${fx('synthetic/query-gpu-8.csv')} ;;
  --query-compute-apps=*) cat ${fx('synthetic/query-apps-8.csv')}; echo "GPU-344e1aa0-d0ea-ba06-729f-5261a1d94e06, ${process.pid}, 100" ;;
  -L) cat ${fx('synthetic/nvidia-smi-L-8.txt')} ;;
  topo) cat ${fx('synthetic/topo-m-8-pcie.txt')} 2>/dev/null || echo topo ;;
  '') cat ${fx('h100/nvidia-smi.txt')} ;;
  *) exit 2 ;;
esac`,
      );
      const ssh = fakeSsh(dir, shell);
      const snap = await readRemoteGpus({ destination: 'gpubox' }, ssh.run, { header: true, topology: true });
      assert.equal(ssh.calls.length, 1, 'one ssh process');
      assert.equal(ssh.calls[0][0], 'ssh');
      assert.equal(snap.unavailable, undefined);
      assert.equal(snap.gpus.length, 8);
      assert.equal(snap.gpus[1].memoryUsedMiB, 40213);
      assert.deepEqual(
        snap.apps.map((a) => a.pid),
        [2101, 2202, 3300, 3301, 4400, process.pid],
      );
      // A live process: its owner is read on the host (this test's own process stands in for a GPU job).
      assert.equal(snap.pidToUser.get(process.pid), os.userInfo().username);
      assert.equal(snap.driverCuda, '13.0');
      assert.ok(snap.topologyText && snap.topologyText.length > 0);
      assert.deepEqual(snap.problems, []);
    });
  }

  void it('nvidia-smi missing on the host → notFound with the driver fix', async () => {
    fs.rmSync(path.join(dir, 'nvidia-smi'), { force: true });
    const snap = await readRemoteGpus({ destination: 'gpubox' }, fakeSsh(dir).run);
    assert.equal(snap.unavailable?.cause, 'smi');
    assert.match(snap.unavailable?.message ?? '', /nvidia-smi not found/);
    assert.equal(snap.gpus.length, 0);
  });

  void it('the driver not loaded → that reason, from nvidia-smi’s own output', async () => {
    standIn(dir, `cat ${fx('synthetic/error-driver-not-loaded.txt')}; exit 9`);
    const snap = await readRemoteGpus({ destination: 'gpubox' }, fakeSsh(dir).run);
    assert.equal(snap.unavailable?.cause, 'smi');
    assert.match(snap.unavailable?.message ?? '', /driver is not loaded/);
  });

  void it('a real ssh that cannot connect → an ssh reason, not a GPU one', async () => {
    const real = (file: string, argv: string[]): Promise<ProcessResult> =>
      new Promise((resolve) =>
        execFile(file, ['-F', '/dev/null', '-p', '1', ...argv], { timeout: 20_000 }, (err, stdout, stderr) =>
          resolve({
            code: err ? ((err as { code?: number | string }).code as number) : 0,
            stdout,
            stderr,
            error: (err as { code?: string } | null)?.code === 'ENOENT' ? 'ENOENT' : undefined,
          }),
        ),
      );
    const snap = await readRemoteGpus({ destination: '127.0.0.1' }, real, { connectTimeoutS: 5 });
    assert.equal(snap.unavailable?.cause, 'ssh');
    assert.match(snap.unavailable?.message ?? '', /refused|ssh/);
  });

  void it('a runner that throws is an ssh failure', async () => {
    const snap = await readRemoteGpus({ destination: 'gpubox' }, () => Promise.reject(new Error('spawn ssh ENOENT')));
    assert.equal(snap.unavailable?.cause, 'ssh');
    assert.match(snap.unavailable?.message ?? '', /spawn ssh ENOENT/);
  });
});

void describe('splitRemoteGpuOutput / remoteGpuSnapshot', () => {
  const id = 'a'.repeat(64);
  const out = [
    '@@gpuc@@start',
    '0, GPU-11111111-2222-3333-4444-555555555555, NVIDIA H100 80GB HBM3, 10, 81559, 5, 40, 580.1, Disabled, 0:1',
    '@@gpuc@@list',
    '@@gpuc@@apps',
    'GPU-11111111-2222-3333-4444-555555555555, 77, 10',
    '@@gpuc@@pid 77',
    `0::/system.slice/docker-${id}.scope`,
    '@@gpuc@@user 77 ann',
    '@@gpuc@@user 78 $(evil)',
    '@@gpuc@@pid x',
    'ignored',
    '@@gpuc@@end',
  ].join('\n');

  void it('maps remote pids to container ids from their cgroups', () => {
    const s = splitRemoteGpuOutput(out);
    assert.equal(s.connected, true);
    assert.equal(s.complete, true);
    const snap = remoteGpuSnapshot('gpubox', { code: 0, stdout: out, stderr: '' });
    assert.equal(snap.gpus.length, 1);
    assert.equal(snap.pidToContainerId.get(77), id);
    assert.deepEqual([...snap.pidToUser], [[77, 'ann']]);
  });

  void it('no start marker → ssh failure, classified from stderr', () => {
    const snap = remoteGpuSnapshot('gpubox', {
      code: 255,
      stdout: '',
      stderr: 'ann@gpubox: Permission denied (publickey).',
    });
    assert.equal(snap.unavailable?.cause, 'ssh');
    assert.match(snap.unavailable?.fix ?? '', /ssh-agent/);
  });

  void it('never throws on junk', () => {
    for (const junk of [undefined, 3, '', '@@gpuc@@', '@@gpuc@@pid -1\nx', '\u0000'])
      assert.doesNotThrow(() => remoteGpuSnapshot('g', { code: 0, stdout: junk as string, stderr: '' }));
  });
});
