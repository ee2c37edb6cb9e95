/**
 * The ssh transport (system `ssh … docker system dial-stdio`) against the rig of scripts/rig/ssh.sh: sshd on
 * 127.0.0.1:2222 (main engine) and :2223 (a second dockerd, /run/gpuc2/docker.sock), ssh config aliases
 * without user@ and without ssh-agent. The flaky sshd on :2224 is started and stopped by this test only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import { EngineError, openEngine, type Endpoint, type Engine } from '../../../src/core/docker';

const RIG = path.join(
  process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev'),
  'ssh',
);
const HOST2_SOCKET = '/run/gpuc2/docker.sock';
const RUN = randomBytes(4).toString('hex');
const LABELS = { 'gpu-containers-test.run': RUN };
const IMAGE = 'gpu-containers-test/busybox:1';
/** No ssh-agent: the key comes from IdentityFile in the alias. */
const ENV = { ...process.env, SSH_AUTH_SOCK: undefined };

const local = new Dockerode({ socketPath: '/var/run/docker.sock' });
const second = new Dockerode({ socketPath: HOST2_SOCKET });
const opened: Engine[] = [];

function sshEngine(alias: string, defaultTimeoutMs = 20_000): Engine {
  const ep: Endpoint = { source: 'setting', host: `ssh://${alias}`, kind: 'ssh', terminalEnv: {} };
  const { engine } = openEngine(ep, { env: ENV, defaultTimeoutMs });
  opened.push(engine);
  return engine;
}

async function expectEngineError(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EngineError, `EngineError expected, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

async function made(d: Dockerode, what: string): Promise<string> {
  const c = await d.createContainer({
    Image: IMAGE,
    name: `gpuc-engine-${RUN}-${what}`,
    Labels: LABELS,
    Cmd: ['true'],
  });
  return c.id;
}

void before(() => {
  assert.ok(
    fs.existsSync(path.join(RIG, 'ssh_config')) && fs.existsSync(HOST2_SOCKET),
    'the ssh rig is not up: run scripts/rig/ssh.sh (scripts/setup.sh does)',
  );
});

void after(async () => {
  for (const e of opened) e.dispose();
  for (const d of [local, second]) {
    const list = await d.listContainers({ all: true, filters: { label: [`gpu-containers-test.run=${RUN}`] } });
    for (const c of list) await d.getContainer(c.Id).remove({ force: true });
  }
});

void describe('ssh transport through the system ssh', () => {
  let mainId = '';
  let secondId = '';
  void before(async () => {
    mainId = await made(local, 'main');
    secondId = await made(second, 'second');
  });

  void it('an alias with no user@ and no ssh-agent lists the containers (IdentityFile, User, Port from ~/.ssh/config)', async () => {
    const engine = sshEngine('gpuc-test');
    const ids = (await engine.listContainers({ all: true })).map((c) => c.id);
    assert.ok(ids.includes(mainId));
    assert.ok(!ids.includes(secondId));
    assert.ok((await engine.listImages()).some((i) => i.tags.includes(IMAGE)));
  });

  void it('a ProxyJump alias reaches the same engine', async () => {
    const ids = (await sshEngine('gpuc-jump').listContainers({ all: true })).map((c) => c.id);
    assert.ok(ids.includes(mainId));
  });

  void it("the second host's alias sees only the second daemon's containers", async () => {
    const ids = (await sshEngine('gpuc-host2').listContainers({ all: true })).map((c) => c.id);
    assert.ok(ids.includes(secondId));
    assert.ok(!ids.includes(mainId));
  });

  void it('an unknown host key fails at once with the fix, no hang', async () => {
    const t0 = Date.now();
    const e = await expectEngineError(sshEngine('gpuc-unknownkey').ping());
    assert.ok(Date.now() - t0 < 10_000);
    assert.equal(e.kind, 'permissionDenied');
    assert.match(e.message, /host key of gpuc-unknownkey is not trusted/);
    assert.match(e.fix, /Run `ssh gpuc-unknownkey` once in a terminal to accept the host key/);
  });

  void it('an unknown host name is "cannot resolve", with where to fix it', async () => {
    const e = await expectEngineError(sshEngine('gpuc-no-such-host.invalid').ping());
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /Cannot resolve the host name of gpuc-no-such-host\.invalid/);
    assert.match(e.fix, /~\/\.ssh\/config/);
  });

  void it('reuses the connection: a second request starts no new ssh', async () => {
    const engine = sshEngine('gpuc-test');
    await engine.ping();
    const before = sshChildren();
    for (let i = 0; i < 5; i++) await engine.listContainers({ all: true });
    assert.equal(sshChildren(), before);
  });

  void it('dispose closes the kept-alive ssh connections', async () => {
    const ep: Endpoint = { source: 'setting', host: 'ssh://gpuc-test', kind: 'ssh', terminalEnv: {} };
    const { engine } = openEngine(ep, { env: ENV });
    const before = sshChildren();
    await Promise.all([engine.listContainers({ all: true }), engine.listImages()]);
    assert.ok(sshChildren() > before);
    engine.dispose();
    await waitFor(() => sshChildren() === before, 5_000);
  });
});

/** `ssh` processes that are children of this test process. */
function sshChildren(): number {
  const out = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => /\bssh$/.test(l.trim())).length;
}

void describe('sshd stopped mid-session', () => {
  const conf = path.join(RIG, 'sshd_flaky.conf');
  const pidFile = path.join(RIG, 'sshd_flaky.pid');
  const start = (): void => {
    execFileSync('/usr/sbin/sshd', ['-f', conf, '-E', path.join(RIG, 'sshd_flaky.log')]);
  };
  /** Stops the listener and the sessions it forked (by pid: only processes this test started). */
  const stop = (): void => {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
    for (const p of [pid, ...kids]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    fs.rmSync(pidFile, { force: true });
  };
  void after(() => {
    if (fs.existsSync(pidFile)) stop();
  });

  void it('reports unreachable while sshd is down, recovers when it is back, and the other host keeps working', async () => {
    start();
    const flaky = sshEngine('gpuc-flaky', 5_000);
    const other = sshEngine('gpuc-host2');
    const states: string[] = [];
    const sub = flaky.events(() => undefined, {
      onState: (s) => states.push(s),
      backoff: { initialMs: 200, maxMs: 500 },
      livenessMs: 1_000,
    });
    try {
      await flaky.ping();
      await waitFor(() => states.includes('connected'));
      stop();
      const e = await expectEngineError(flaky.listContainers({ all: true }));
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, /refused the connection|closed|did not answer|SSH connection/);
      await waitFor(() => states.at(-1) === 'disconnected');
      assert.ok((await other.listContainers({ all: true })).length >= 1);
      start();
      await flaky.ping();
      await waitFor(() => states.at(-1) === 'connected', 15_000);
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
