/**
 * The tree heals itself (issue 18 item 3), against a disposable second dockerd in its own network
 * namespace (never the shared engine): load its containers, SIGSTOP the daemon while a full refresh runs
 * (the event stream stays open: nothing disconnects), SIGCONT it, and the RefreshController must come
 * back to a complete list by itself — no Retry — without ever showing a partial list as complete.
 * Skipped (with the reason) where a second dockerd cannot be started.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { createEngine, dockerodeOptions, resolveEndpoint } from '../../../src/core/docker';
import { nullLogger } from '../../../src/core/logger';
import { RefreshController } from '../../../src/core/tree/refreshController';

const execFileP = promisify(execFile);
const NETNS = 'gpuc-refresh';
const BUSYBOX = 'gpu-containers-test/busybox:1';
const RUN = randomBytes(3).toString('hex');
const LABEL = `gpu-containers-test.run=gpuc-refresh-${RUN}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-refresh-d-'));
const sock = path.join(dir, 'sock');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let pid: number | undefined;
let skip: string | undefined;

async function docker2(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', ['-H', `unix://${sock}`, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

before(async () => {
  try {
    if (!fs.existsSync(`/var/run/netns/${NETNS}`)) {
      execFileSync('ip', ['netns', 'add', NETNS]);
      execFileSync('nsenter', [`--net=/var/run/netns/${NETNS}`, 'ip', 'link', 'set', 'lo', 'up']);
    }
    const log = fs.openSync(path.join(dir, 'log'), 'a');
    const child = spawn(
      'nsenter',
      [
        `--net=/var/run/netns/${NETNS}`,
        'dockerd',
        '--data-root',
        path.join(dir, 'data'),
        '--exec-root',
        path.join(dir, 'exec'),
        '--pidfile',
        path.join(dir, 'pid'),
        '-H',
        `unix://${sock}`,
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    const deadline = Date.now() + 40_000;
    for (;;) {
      try {
        await docker2('info', '--format', '{{.ID}}');
        break;
      } catch (err) {
        if (Date.now() > deadline || child.exitCode !== null) throw err;
        await sleep(300);
      }
    }
    pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim());
    await execFileP('sh', ['-c', `docker save ${BUSYBOX} | docker -H unix://${sock} load -q`]);
    for (let i = 0; i < 3; i++)
      await docker2('create', '--name', `gpuc-refresh-${RUN}-${i}`, '--label', LABEL, '--network', 'none', BUSYBOX);
  } catch (err) {
    skip = `no second dockerd here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
});

after(async () => {
  if (pid) {
    try {
      process.kill(pid, 'SIGCONT');
      await docker2(
        'rm',
        '-f',
        ...(await docker2('ps', '-aq', '--filter', `label=${LABEL}`)).split('\n').filter(Boolean),
      );
    } catch {
      // the daemon goes away with its data below
    }
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && fs.existsSync(`/proc/${pid}`); i++) await sleep(100);
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    execFileSync('ip', ['netns', 'delete', NETNS]);
  } catch {
    // already gone
  }
});

describe('RefreshController against a daemon that stalls (SIGSTOP) during a full refresh', () => {
  it('heals by itself once the daemon continues, never showing a partial list as complete', async (t) => {
    if (skip) return t.skip(skip);
    const { endpoint } = resolveEndpoint({
      hostSetting: `unix://${sock}`,
      env: {},
      homedir: os.homedir(),
      readFile: () => undefined,
    });
    const engine = createEngine(new Dockerode(dockerodeOptions(endpoint)), endpoint, { defaultTimeoutMs: 2000 });
    const shown: Array<{ state: string; size: number; complete: boolean; stale: boolean }> = [];
    const ctl: RefreshController = new RefreshController({
      engine: () => engine,
      endpoint: () => endpoint.host,
      logger: nullLogger,
      retryMs: 500,
      pollMs: 4000,
      signals: {
        containersChanged: () =>
          shown.push({
            state: ctl.state,
            size: ctl.containers.size,
            complete: ctl.isComplete,
            stale: ctl.staleSince !== undefined,
          }),
        imagesChanged: () => undefined,
        stateChanged: () => undefined,
      },
    });
    try {
      ctl.setVisible('containers', true);
      const ours = (): number => ctl.containers.all().filter((c) => c.name.startsWith(`gpuc-refresh-${RUN}-`)).length;
      await waitFor('the first list', () => ctl.state === 'ok' && ours() === 3, 15_000);

      process.kill(pid!, 'SIGSTOP');
      await ctl.refreshAll(); // the user presses Refresh while the daemon is stopped
      assert.equal(ctl.state, 'unreachable');
      // The engine stopped answering (a timeout): the last list is kept and marked stale (issue 24).
      assert.notEqual(ctl.staleSince, undefined, 'the rows are not marked stale');
      assert.equal(ours(), 3, 'the rows were dropped');
      assert.equal(ctl.active, true, 'the event stream subscription went away');
      await sleep(4000); // retries keep failing meanwhile
      process.kill(pid!, 'SIGCONT');

      await waitFor('the tree to heal without Retry', () => ctl.state === 'ok' && ours() === 3, 20_000);
      assert.equal(ctl.isComplete, true);
      const partial = shown.filter((s) => s.state !== 'ok' && s.size > 0 && !s.stale);
      assert.deepEqual(partial, [], 'a list was shown, not marked stale, while the state was not ok');
    } finally {
      ctl.dispose();
      if (pid) process.kill(pid, 'SIGCONT');
    }
  });
});
