import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEngine, type Endpoint, type Engine } from '../../../src/core/docker';
import { sshMasters } from '../../../src/core/docker/sshMaster';
import { nullLogger } from '../../../src/core/logger';
import { RefreshController } from '../../../src/core/tree/refreshController';
import { containersViewTexts, sshProblemText } from '../../../src/core/tree/viewTexts';
import { privateSshd } from '../privateSshd';

/**
 * A frozen link under an ssh host: the extension's master and this test's own sshd's listener (127.0.0.1:2242,
 * its own pid file and log; the rig's shared sshds are left alone) are stopped (SIGSTOP) — what a dropped
 * network looks like from here: nothing refuses, nothing answers. The view must say it as an ssh failure with
 * the rows kept and marked stale; then only the listener continues (the old master stays frozen, as a flow a NAT
 * dropped), and the view must recover by itself through a new master.
 */
const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const RIG = path.join(CACHE, 'ssh');
const IMAGE = 'gpu-containers-test/busybox:1';
const ALIAS = 'gpuc-frozen';
const fmt = (...a: unknown[]): string =>
  String(a[0]).replace(/\{(\d+)\}/g, (_m, n: string) => String(a[Number(n) + 1]));

/** Pids of the processes under `pid` (its sessions), from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const signal = (pids: number[], sig: NodeJS.Signals): void => {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* gone */
    }
  }
};

void describe('a frozen ssh link: said as ssh, rows kept stale, a new master when it answers (own sshd on :2242)', () => {
  const sshd = privateSshd({ prefix: 'gpuc-sshfrozen-', port: 2242 });
  const { dir: DIR, log: LOG, pidFile: PID, logins } = sshd;
  const RUN = `${process.pid}-${Date.now().toString(36)}`;
  const LABEL = `gpu-containers-test.run=${RUN}`;
  let engine: Engine | undefined;
  let controller: RefreshController | undefined;
  let frozen: number[] = [];

  before(async () => {
    sshd.start([
      { alias: ALIAS, port: 2242, user: os.userInfo().username, identityFile: path.join(RIG, 'id_ed25519') },
    ]);
    await waitFor(() => fs.existsSync(PID), 'sshd started');
    execFileSync('docker', ['run', '-d', '--label', LABEL, '--name', `gpuc-frozen-a-${RUN}`, IMAGE, 'sleep', '600']);
  });

  after(() => {
    controller?.dispose();
    engine?.dispose();
    signal(frozen, 'SIGCONT');
    signal(frozen, 'SIGTERM'); // the abandoned master and our sshd's listener: ours, by pid
    sshMasters.close({ destination: ALIAS });
    sshd.restorePath();
    spawnSync('sh', ['-c', `docker rm -f $(docker ps -aq --filter label=${LABEL})`]);
    if (fs.existsSync(PID)) {
      const pid = Number(fs.readFileSync(PID, 'utf8').trim());
      const under = descendants(pid);
      signal([pid], 'SIGCONT');
      signal([pid, ...under], 'SIGTERM'); // our own sshd and its sessions only, by pid
    }
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  void it('says it, keeps the rows, and recovers by itself', { timeout: 120_000 }, async () => {
    const ep: Endpoint = { source: 'setting', host: `ssh://${ALIAS}`, kind: 'ssh', terminalEnv: {} };
    engine = openEngine(ep, { env: { ...process.env, SSH_AUTH_SOCK: undefined } }).engine;
    const e = engine;
    const c = (controller = new RefreshController({
      engine: () => e,
      endpoint: () => ep.host,
      signals: { containersChanged: () => undefined, imagesChanged: () => undefined, stateChanged: () => undefined },
      logger: process.env.GPUC_TEST_TRACE
        ? {
            ...nullLogger,
            warn: (...a: unknown[]) => console.log(Date.now() % 100000, '[warn]', ...a),
            trace: (...a: unknown[]) => console.log(Date.now() % 100000, '[trace]', ...a),
          }
        : nullLogger,
    }));
    diag = () =>
      (process.env.GPUC_TEST_TRACE ? fs.readFileSync(LOG, 'utf8').split('\n').slice(-30).join('\n') + '\n' : '') +
      `state ${c.state}, stale ${String(c.staleSince)}, error ${c.lastError?.kind}/${c.lastError?.ssh}: ${c.lastError?.message}, rows ${c.containers.size}`;
    const name = (n: string): boolean => c.containers.all().some((x) => x.name === n);
    c.setVisible('test', true);
    await waitFor(() => c.isComplete && c.eventsUp && name(`gpuc-frozen-a-${RUN}`), 'first rows over ssh', 30_000);
    const firstLogins = logins();

    // Freeze the extension's master (this process's ssh, found through its control socket) and the sshd's
    // listener: the link says nothing and new logins hang, as when the network is gone. (The sshd's session
    // processes are left running: a session stopped in the middle of its bookkeeping could block the next ones.)
    const listener = Number(fs.readFileSync(PID, 'utf8').trim());
    const cp = await sshMasters.ensure({ destination: ALIAS });
    const check = spawnSync('ssh', ['-o', `ControlPath=${cp ?? ''}`, '-O', 'check', '--', ALIAS], { encoding: 'utf8' });
    const master = Number(/pid=(\d+)/.exec(check.stderr)?.[1]);
    assert.ok(master > 0, `the master's pid: ${check.stderr}`);
    frozen = [listener, master];
    signal(frozen, 'SIGSTOP');
    if (process.env.GPUC_TEST_TRACE) console.log(Date.now() % 100000, 'frozen');

    await waitFor(
      () =>
        c.staleSince !== undefined &&
        /No answer from gpuc-frozen over ssh/.test(sshProblemText(c.state, c.lastError) ?? ''),
      'stale rows, said as no answer over ssh',
      40_000,
    );
    assert.ok(name(`gpuc-frozen-a-${RUN}`), 'the rows are kept');
    assert.equal(c.lastError?.ssh, 'noAnswer');
    assert.equal(sshMasters.unanswered({ destination: ALIAS }), true, 'the master was abandoned');
    const texts = containersViewTexts({
      total: c.containers.size,
      shown: c.containers.size,
      running: 1,
      filter: 'all',
      text: '',
      refused: 0,
      staleSince: '12:00:00',
      host: ep.host,
      problem: sshProblemText(c.state, c.lastError),
      t: fmt,
    });
    assert.match(texts.message ?? '', /^No answer from gpuc-frozen over ssh — reconnecting\. Check your network/);
    assert.doesNotMatch(texts.message ?? '', /Docker at|responsive/);

    // The network comes back for new connections only: the old master stays frozen, so only a new master
    // (a new login) brings the rows back.
    signal([listener], 'SIGCONT');
    if (process.env.GPUC_TEST_TRACE) console.log(Date.now() % 100000, 'listener continued', c.containers.size);
    execFileSync('docker', ['run', '-d', '--label', LABEL, '--name', `gpuc-frozen-b-${RUN}`, IMAGE, 'sleep', '600']);
    await waitFor(
      () => c.state === 'ok' && c.staleSince === undefined && name(`gpuc-frozen-b-${RUN}`),
      'recovered: fresh rows through a new master',
      60_000,
    );
    assert.equal(sshProblemText(c.state, c.lastError), undefined);
    assert.ok(logins() > firstLogins, 'a new login (the abandoned master was replaced)');
    await waitFor(() => c.eventsUp, 'the event stream is back', 30_000);
    console.log(`[ssh] frozen link: stale + ssh sentence, then recovered with ${logins() - firstLogins} new login(s)`);
  });
});

let diag = (): string => '';
async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`${what}: not in ${ms} ms (${diag()})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
