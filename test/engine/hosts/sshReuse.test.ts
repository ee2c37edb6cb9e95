import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEngine, type Endpoint, type Engine } from '../../../src/core/docker';
import { execArgs, ProbedShells, sshTerminalArgv } from '../../../src/core/terminalArgs';
import { readRemoteGpus, type ProcessResult } from '../../../src/core/hosts/remoteGpu';
import { sharedControlPath } from '../../../src/core/hosts/ssh';
import { sshMasters } from '../../../src/core/docker/sshMaster';
import { privateSshd } from '../privateSshd';

// The rig's second sshd (scripts/rig/ssh.sh): alias gpuc-host2 → 127.0.0.1:2223, logging to its own file.
const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const LOG = path.join(CACHE, 'ssh', 'sshd_host2.log');
const TARGET = { destination: 'gpuc-host2' };
const IMAGE = 'gpu-containers-test/busybox:1';

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

/**
 * Logins per action, counted by an sshd of this test's own (127.0.0.1:2241, its own log and pid file; the
 * rig's shared sshds are left alone): a `ssh` on PATH that adds `-F <this test's config>` makes the alias
 * gpuc-count reach it, for the engine, the GPU reader, terminals and the docker CLI alike.
 */
void describe('one login per host: sidebar open 1, idle 0, attach ×3 0 (own sshd on :2241)', () => {
  const RIG = path.join(CACHE, 'ssh');
  const sshd = privateSshd({ prefix: 'gpuc-sshcount-', port: 2241 });
  const { dir: DIR, pidFile: PID, logins: own } = sshd;
  const HOST = { destination: 'gpuc-count' };
  const RUN = `${process.pid}-${Date.now().toString(36)}`;
  let ENV: Record<string, string | undefined> = {};
  let engine: Engine | undefined;
  let containerId = '';

  before(async () => {
    sshd.start([
      { alias: 'gpuc-count', port: 2241, user: os.userInfo().username, identityFile: path.join(RIG, 'id_ed25519') },
    ]);
    ENV = { ...process.env, SSH_AUTH_SOCK: undefined };
    await waitFor(() => fs.existsSync(PID));
    const made = execFileSync(
      'docker',
      [
        'run',
        '-d',
        '--label',
        `gpu-containers-test.run=${RUN}`,
        '--name',
        `gpuc-sshcount-${RUN}`,
        IMAGE,
        'sleep',
        '600',
      ],
      { encoding: 'utf8' },
    );
    containerId = made.trim();
  });

  after(() => {
    engine?.dispose();
    sshd.restorePath();
    spawnSync('sh', ['-c', `docker rm -f $(docker ps -aq --filter label=gpu-containers-test.run=${RUN})`]);
    if (fs.existsSync(PID)) {
      const pid = Number(fs.readFileSync(PID, 'utf8').trim());
      try {
        process.kill(pid); // our own sshd only, by its pid file
      } catch {
        /* gone */
      }
    }
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  void it('counts', async () => {
    const figures: string[] = [];
    // Before: what `DOCKER_HOST=ssh://… docker exec` (the CLI, what terminals ran until now) costs per attach.
    let mark = own();
    for (let i = 0; i < 3; i++) {
      execFileSync('docker', ['exec', containerId, 'true'], {
        env: { ...process.env, DOCKER_HOST: 'ssh://gpuc-count' },
      });
    }
    await waitFor(() => own() - mark >= 3);
    figures.push(`docker CLI exec ×3: ${own() - mark} logins`);

    // Sidebar open: the first list, the events stream and the first GPU poll start together.
    mark = own();
    const ep: Endpoint = { source: 'setting', host: 'ssh://gpuc-count', kind: 'ssh', terminalEnv: {} };
    engine = openEngine(ep, { env: ENV }).engine;
    const e = engine;
    let events = 0;
    let connected = false;
    // Pings every 300 ms, each given 5 s: a slow answer on this 2-core machine is not a dead stream.
    const sub = e.events(() => events++, {
      backoff: { initialMs: 200, maxMs: 500 },
      livenessMs: 300,
      livenessTimeoutMs: 5_000,
      onState: (s) => (connected = s === 'connected'),
    });
    try {
      const gpuPoll = async () =>
        readRemoteGpus(HOST, run, { nvidiaSmi: 'true', controlPath: await sharedControlPath(HOST, ENV) });
      const [list] = await Promise.all([e.listContainers({ all: true }), e.listImages(), gpuPoll(), gpuPoll()]);
      assert.ok(list.some((c) => c.id === containerId));
      const open = own() - mark;
      figures.push(`sidebar open (list + images + events + 2 GPU polls at once): ${open} login(s)`);
      assert.equal(open, 1);

      // Idle: the events stream stays (liveness pings every 300 ms), GPU polls and refreshes go on; no login.
      mark = own();
      // The stream delivers what happens once it is open (it has no `since`): wait for that, then see a
      // pause and an unpause arrive (another round if the stream was reopened in between).
      await waitFor(() => connected);
      for (let round = 0; ; round++) {
        const seen = events;
        execFileSync('docker', ['pause', containerId]);
        execFileSync('docker', ['unpause', containerId]);
        try {
          await waitFor(() => events >= seen + 2, 5_000); // the stream delivered both: it is alive
          break;
        } catch (err) {
          if (round >= 3) throw err;
          await waitFor(() => connected);
        }
      }
      for (let i = 0; i < 3; i++) {
        await gpuPoll();
        await e.listContainers({ all: true });
      }
      const idle = own() - mark;
      figures.push(`idle (events, 3 GPU polls, 3 refreshes): ${idle} logins`);
      assert.equal(idle, 0);

      // Attach ×3: the probe once per image, the terminal's ssh a channel on the master.
      mark = own();
      const shells = new ProbedShells();
      let probes = 0;
      for (let i = 0; i < 3; i++) {
        const shell = await shells.shellFor('the-image', () => {
          probes++;
          return e.probeShell(containerId, ['bash', 'sh']);
        });
        const argv = sshTerminalArgv(
          HOST,
          await sharedControlPath(HOST, ENV),
          execArgs({ containerId, shell: shell ?? 'sh' }),
        );
        // -tt: a remote tty without a local one (the terminal has one); the shell answers, then exits.
        const out = spawnSync(
          'ssh',
          argv.map((a) => (a === '-t' ? '-tt' : a)),
          {
            input: 'echo gpuc-$((6*7)); exit\n',
            encoding: 'utf8',
            timeout: 20_000,
          },
        );
        assert.match(out.stdout, /gpuc-42/);
      }
      const attach = own() - mark;
      figures.push(`attach ×3 over the master: ${attach} logins, ${probes} shell probe(s)`);
      assert.equal(attach, 0);
      assert.equal(probes, 1);
      console.log(`[ssh] logins per action: ${figures.join('; ')}`);
    } finally {
      sub.dispose();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
