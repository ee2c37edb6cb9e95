import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readRemoteGpus, type ProcessResult } from '../../../src/core/hosts/remoteGpu';
import { sharedControlPath } from '../../../src/core/hosts/ssh';
import { sshMasters } from '../../../src/core/docker/sshMaster';

// The rig's second sshd (scripts/rig/ssh.sh): alias gpuc-host2 → 127.0.0.1:2223, logging to its own file.
const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const LOG = path.join(CACHE, 'ssh', 'sshd_host2.log');
const TARGET = { destination: 'gpuc-host2' };

function run(file: string, argv: string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, argv, { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Logins the sshd accepted so far: one per ssh handshake. */
const logins = (): number => (fs.readFileSync(LOG, 'utf8').match(/Accepted publickey/g) ?? []).length;

void describe('GPU polls over ssh share one login (ControlMaster the extension owns)', () => {
  after(() => sshMasters.close(TARGET));

  void it('five polls without it are five handshakes; with it, at most one', async () => {
    assert.ok(fs.existsSync(LOG), `${LOG} is missing: run scripts/rig/ssh.sh`);
    // `true` stands in for nvidia-smi: the point is the ssh session, not the GPU output.
    const poll = (o: { controlPath?: string }) => readRemoteGpus(TARGET, run, { nvidiaSmi: 'true', ...o });

    const before = logins();
    for (let i = 0; i < 5; i++) await poll({});
    const plain = logins() - before;

    const mark = logins();
    for (let i = 0; i < 5; i++) await poll({ controlPath: await sharedControlPath(TARGET) });
    const shared = logins() - mark;

    assert.equal(plain, 5, 'each plain run logs in (the count works)');
    assert.ok(shared <= 1, `${shared} logins for 5 polls through the shared master`);
    console.log(`[ssh] logins for 5 GPU polls: ${plain} without the shared master, ${shared} with it`);
  });
});
