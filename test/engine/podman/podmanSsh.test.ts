/**
 * Podman over ssh, for real: the rig's rootless Podman (user gpucpod, scripts/rig/podman.sh) reached through an
 * sshd this test starts and stops itself (127.0.0.1:2251, its own host key, config, log and pid file; the rig's
 * shared sshds are left alone). A `ssh` on PATH adds `-F <this test's config>`, so the alias reaches it for the
 * engine and the terminal argv alike. Logins are counted in this sshd's own log.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEngine, type Endpoint, type Engine } from '../../../src/core/docker';
import { sshHostOf, sshMasters } from '../../../src/core/docker/sshMaster';
import { remoteCli, withEngine } from '../../../src/core/podman/podmanEndpoint';
import { sshTerminalArgv } from '../../../src/core/terminalArgs';
import { privateSshd } from '../privateSshd';

const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const KEY = path.join(CACHE, 'podman', 'id_ed25519');
const AUTHORIZED = '/var/lib/gpu-containers-test/ssh/authorized_keys_gpucpod';
const USER = 'gpucpod';
const PORT = 2251;
const ALIAS = 'gpuc-podman-ssh';
const IMAGE = 'gpu-containers-test/busybox:1';
const RUN = randomBytes(4).toString('hex');
const RUN_LABEL_KEY = 'gpu-containers-test.run';

const missing = [KEY, AUTHORIZED, '/usr/sbin/sshd'].filter((p) => !fs.existsSync(p));
const skip = missing.length > 0 && `no Podman ssh rig (${missing.join(', ')} missing): run bash scripts/rig/podman.sh`;

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(
  file: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, argv, { timeout: 30_000, env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

void describe(`Podman over ssh: one login, the socket forwarded on the master (own sshd on :${PORT})`, { skip }, () => {
  const sshd = privateSshd({
    prefix: 'gpuc-podmanssh-',
    port: PORT,
    hostKey: true,
    access: [`AuthorizedKeysFile ${AUTHORIZED}`, `AllowUsers ${USER}`],
  });
  const { dir: DIR, log: LOG, pidFile: PID, logins } = sshd;
  let env: NodeJS.ProcessEnv = {};
  const endpoint: Endpoint = withEngine(
    { source: 'setting', host: `ssh://${ALIAS}`, kind: 'ssh', terminalEnv: {} },
    'podman',
  );
  const host = sshHostOf(endpoint.host);
  let engine: Engine | undefined;
  /** The forwards listening now: the master's unix listeners in the agents' private folders. */
  const forwards = (): string[] =>
    spawnSync('ss', ['-xl'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((l) => /gpuc-podman-[^/\s]+\/podman-\d+\.sock/.test(l));

  before(async () => {
    sshd.start([{ alias: ALIAS, port: PORT, user: USER, identityFile: KEY }]);
    env = { ...process.env, SSH_AUTH_SOCK: undefined };
    await waitFor(() => fs.existsSync(PID));
  });

  after(async () => {
    if (engine) {
      const mine = await engine
        .listContainers({ all: true, filters: { label: [`${RUN_LABEL_KEY}=${RUN}`] } })
        .catch(() => []);
      for (const c of mine) await engine.removeContainer(c.id, { force: true }).catch(() => undefined);
      engine.dispose();
    }
    sshMasters.close(host, env);
    const pid = sshd.pid();
    if (pid) process.kill(pid);
    sshd.restorePath();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  void it('lists, creates a CDI GPU container and checks inside it, and opens a podman terminal argv: 1 login', async () => {
    const mark = logins();
    engine = openEngine(endpoint, { env }).engine;

    const version = await engine.version();
    assert.ok(
      (version.components ?? []).some((c) => /podman/i.test(c)),
      `not Podman: ${JSON.stringify(version.components)}`,
    );
    await engine.listContainers({ all: true });

    const name = `gct-${RUN}-ssh-gpu1`;
    const id = await engine.createContainer({
      name,
      Image: IMAGE,
      Cmd: ['sleep', '300'],
      Labels: { [RUN_LABEL_KEY]: RUN },
      HostConfig: {
        RestartPolicy: { Name: 'no' },
        DeviceRequests: [{ Driver: '', Capabilities: [['gpu']], DeviceIDs: ['1'] }],
      },
    });
    await engine.startContainer(id);
    const r = await engine.exec(id, { cmd: ['sh', '-c', 'tr "\\0" "\\n" </proc/1/environ | grep ^GPUC_'] });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['GPUC_FAKE_GPU_1=1']);
    const listed = await engine.listContainers({ all: true, filters: { label: [`${RUN_LABEL_KEY}=${RUN}`] } });
    assert.deepEqual(
      listed.map((c) => c.id),
      [id],
    );
    const d = await engine.inspectContainer(id);
    assert.deepEqual(d.gpu, { kind: 'devices', deviceIds: ['1'], source: 'deviceRequests' });

    // The terminal's process: the remote CLI is podman, a channel on the same login (the argv, less `-t`,
    // which needs a terminal here).
    const controlPath = await sshMasters.ensure(host, env);
    assert.ok(controlPath);
    const argv = sshTerminalArgv(
      host,
      controlPath,
      ['ps', '-a', '--filter', `label=${RUN_LABEL_KEY}=${RUN}`, '--format', '{{.Names}}'],
      remoteCli(endpoint),
    ).filter((a) => a !== '-t');
    const ps = await run('ssh', ['-o', 'BatchMode=yes', ...argv], env);
    assert.equal(ps.code, 0, ps.stderr);
    assert.equal(ps.stdout.trim(), name);

    const n = logins() - mark;
    console.log(`[podman-ssh] logins for version, list, create+start+exec (CDI), inspect, a podman CLI run: ${n}`);
    assert.equal(n, 1);
  });

  void it('after the master exits, the next call logs in again and forwards anew', async () => {
    assert.ok(engine, 'the first test made the engine');
    const mark = logins();
    const gone = (): number =>
      fs.existsSync(LOG) ? (fs.readFileSync(LOG, 'utf8').match(/Disconnected from user/g) ?? []).length : 0;
    const was = gone();
    sshMasters.close(host, env);
    // The master has exited when its listener is gone and the sshd saw its login end.
    await waitFor(() => forwards().length === 0 && gone() > was);
    // A kept-alive connection the dying master had not closed yet may fail one call (as a dial-stdio would):
    // the calls after it log in again and forward anew.
    const deadline = Date.now() + 20_000;
    let failed = 0;
    let listed: unknown[] | undefined;
    while (!listed) {
      const e = engine;
      listed = await e.listContainers({ all: true, filters: { label: [`${RUN_LABEL_KEY}=${RUN}`] } }).catch((err) => {
        if (Date.now() > deadline) throw err;
        failed++;
        return undefined;
      });
    }
    console.log(`[podman-ssh] after the master exited: ${failed} failed call(s), then a new login and forward`);
    assert.equal(listed.length, 1);
    assert.equal(logins() - mark, 1);
  });

  void it("an engine's forward is cancelled when it is disposed (the login stays for the other engine)", async () => {
    assert.ok(engine, 'the first test made the engine');
    const e2 = openEngine(endpoint, { env }).engine;
    await e2.listContainers({ all: true });
    const both = forwards();
    assert.ok(both.length >= 2, `two engines, two forwards: ${both.join(' | ')}`);
    e2.dispose();
    assert.equal(forwards().length, both.length - 1);
    await engine.listContainers({ all: true });
  });
});
