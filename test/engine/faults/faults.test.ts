/**
 * The fault suite (issue 18): sixteen faults injected into a disposable second dockerd in its own network
 * namespace (./daemon.ts), each one table row — inject, use the real core (openEngine, RefreshController,
 * the transfer functions, the launch path's pure parts), and assert what the user sees: the state, an
 * EngineError of the right kind whose message and fix are translated (the zh-CN bundle is loaded here, as
 * VS Code in Chinese does) and whose fix is not the generic "see the log", and no hang (every row has a
 * timeout). Prints `faults survived N/M`. Skipped, with the reason, where it cannot run (not root).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import * as net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  DEFAULT_TIMEOUT_MS,
  EngineError,
  FIX,
  openEngine,
  type Engine,
  type EngineEvent,
  type Endpoint,
} from '../../../src/core/docker';
import { discardHalfCreated, removeHalfCreated } from '../../../src/core/halfCreated';
import { classifyGpuStartError, gpuPreflight } from '../../../src/core/gpu/preflight';
import { gpuRequestFrom } from '../../../src/core/gpu/request';
import { loadImages, saveImages } from '../../../src/core/images';
import { configureL10n } from '../../../src/core/l10n';
import { nullLogger } from '../../../src/core/logger';
import { parseProfiles, toCreateOptions } from '../../../src/core/profiles';
import { RefreshController } from '../../../src/core/tree/refreshController';
import { BUSYBOX, HOST, SOCK, cannotRun, daemonPid, docker, sleep, startDaemon, stopDaemon, teardown } from './daemon';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
const ZH_FILE = path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json');
configureL10n(JSON.parse(fs.readFileSync(ZH_FILE, 'utf8')) as Record<string, string>);

const RUN = randomBytes(3).toString('hex');
const PREFIX = `gpuc-faults-${RUN}`;
const LABEL_KEY = 'gpu-containers-test.run';
const LABEL = `${LABEL_KEY}=${PREFIX}`;
const CJK = /[\u3400-\u9fff]/;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-faults-'));
const CTX = { userHome: '/root', user: 'root', uid: 0, gid: 0, env: {} };

let skip = cannotRun();
let survived = 0;
let total = 0;
const opened: Engine[] = [];

function endpointOf(host: string): Endpoint {
  if (host.startsWith('unix://'))
    return { source: 'setting', host, kind: 'unix', socketPath: host.slice('unix://'.length), terminalEnv: {} };
  return { source: 'setting', host, kind: 'tcp', terminalEnv: {} };
}

function open(host = HOST, defaultTimeoutMs = 5_000): Engine {
  const { engine } = openEngine(endpointOf(host), { defaultTimeoutMs });
  opened.push(engine);
  return engine;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return assert.fail('expected it to fail');
}

/** What every failure must look like: the kind, a real fix (not "see the log"), both translated. */
function assertClear(err: unknown, kind: EngineError['kind'] | Array<EngineError['kind']>): EngineError {
  assert.ok(err instanceof EngineError, `not an EngineError: ${String(err)}`);
  const kinds = Array.isArray(kind) ? kind : [kind];
  assert.ok(kinds.includes(err.kind), `kind ${err.kind} (${err.message}), expected ${kinds.join(' or ')}`);
  assert.ok(err.fix.trim().length > 0, 'a fix');
  assert.notEqual(err.fix, FIX.unknown, `a real fix, not "see the log": ${err.message}`);
  assert.match(err.message, CJK, `message translated: ${err.message}`);
  assert.match(err.fix, CJK, `fix translated: ${err.fix}`);
  return err;
}

async function waitFor(what: string, ok: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
  return Date.now() - t0;
}

/** A TCP proxy to the faults socket that can start swallowing bytes both ways (a dropped VPN). */
class SwallowingProxy {
  swallowing = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => {
    const upstream = net.connect(SOCK);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    }
    client.on('data', (d) => this.swallowing || upstream.write(d));
    upstream.on('data', (d) => this.swallowing || client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  async listen(port: number): Promise<void> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
  }
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

async function createBusybox(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return open().createContainer({
    Image: BUSYBOX,
    name,
    Cmd: ['sleep', '300'],
    Labels: { [LABEL_KEY]: PREFIX },
    ...extra,
  });
}

function profileOptions(o: Record<string, unknown>, name: string) {
  const { profiles, problems } = parseProfiles([{ name: 'p', image: BUSYBOX, ...o }], { source: 'user' });
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  const built = toCreateOptions(profiles[0], CTX, { labels: { [LABEL_KEY]: PREFIX } });
  assert.ok(built.options, JSON.stringify(built.problems));
  return { ...built.options, name };
}

interface Fault {
  name: string;
  timeoutMs: number;
  run: () => Promise<void>;
}

const FAULTS: Fault[] = [
  {
    name: 'daemon killed mid-list',
    timeoutMs: 60_000,
    run: async () => {
      const engine = open();
      const pid = daemonPid()!;
      process.kill(pid, 'SIGSTOP');
      const listing = engine.listContainers({ all: true });
      await sleep(300);
      process.kill(pid, 'SIGKILL');
      assertClear(await rejection(listing), 'unreachable');
      await stopDaemon('SIGKILL');
      await startDaemon();
      assert.ok(Array.isArray(await open().listContainers({ all: true })), 'works again after a restart');
    },
  },
  {
    name: 'SIGSTOP during refresh: heals without Retry, the rows meanwhile marked stale',
    timeoutMs: 60_000,
    run: async () => {
      for (let i = 0; i < 3; i++) await createBusybox(`${PREFIX}-heal-${i}`);
      const engine = open(HOST, 2_000);
      const shown: Array<{ state: string; size: number; stale: boolean }> = [];
      let lastError: EngineError | undefined;
      const ctl: RefreshController = new RefreshController({
        engine: () => engine,
        endpoint: () => HOST,
        logger: nullLogger,
        retryMs: 500,
        pollMs: 4_000,
        signals: {
          containersChanged: () =>
            shown.push({ state: ctl.state, size: ctl.containers.size, stale: ctl.staleSince !== undefined }),
          imagesChanged: () => undefined,
          stateChanged: (_s, err) => (lastError = err ?? lastError),
        },
      });
      const ours = (): number => ctl.containers.all().filter((c) => c.name.startsWith(`${PREFIX}-heal-`)).length;
      try {
        ctl.setVisible('containers', true);
        await waitFor('the first list', () => ctl.state === 'ok' && ours() === 3, 15_000);
        const pid = daemonPid()!;
        process.kill(pid, 'SIGSTOP');
        try {
          await ctl.refreshAll();
          assert.equal(ctl.state, 'unreachable');
          assert.notEqual(ctl.staleSince, undefined, 'the rows kept are marked stale');
          assertClear(lastError, ['timeout', 'unreachable']);
          await sleep(2_500);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
        await waitFor('the tree to heal by itself', () => ctl.state === 'ok' && ours() === 3, 20_000);
        assert.equal(ctl.isComplete, true);
        assert.deepEqual(
          shown.filter((s) => s.state !== 'ok' && s.size > 0 && !s.stale),
          [],
          'a list was shown as if current while the engine did not answer',
        );
      } finally {
        ctl.dispose();
      }
    },
  },
  {
    name: 'frozen daemon (SIGSTOP), n=3: the rows are kept and marked stale within seconds; Refresh answers meanwhile',
    timeoutMs: 420_000,
    run: async () => {
      for (let i = 0; i < 2; i++) await createBusybox(`${PREFIX}-frozen-${i}`);
      // The extension's own timeouts (no test overrides): what a user gets.
      const engine = open(HOST, DEFAULT_TIMEOUT_MS);
      const ctl: RefreshController = new RefreshController({
        engine: () => engine,
        endpoint: () => HOST,
        logger: nullLogger,
        signals: { containersChanged: () => undefined, imagesChanged: () => undefined, stateChanged: () => undefined },
      });
      const ours = (): number => ctl.containers.all().filter((c) => c.name.startsWith(`${PREFIX}-frozen-`)).length;
      const noticed: number[] = [];
      const refreshed: number[] = [];
      const problems: string[] = [];
      try {
        ctl.setVisible('containers', true);
        for (let i = 0; i < 3; i++) {
          await waitFor(
            'a complete list with the event stream up',
            () => ctl.state === 'ok' && ctl.staleSince === undefined && ctl.eventsUp && ours() === 2,
            90_000,
          );
          const pid = daemonPid()!;
          process.kill(pid, 'SIGSTOP');
          try {
            noticed.push(
              await waitFor('the freeze noticed', () => ctl.state !== 'ok' || ctl.staleSince !== undefined, 90_000),
            );
            if (ctl.staleSince === undefined) problems.push(`#${i}: the rows are not marked stale`);
            if (ours() !== 2) problems.push(`#${i}: the rows were dropped (${ours()} of 2 left)`);
            const t0 = Date.now();
            await ctl.refreshAll(); // the user presses Refresh while the daemon is frozen: it answers, stale
            refreshed.push(Date.now() - t0);
            if (ctl.staleSince === undefined || ctl.state !== 'unreachable' || ours() !== 2)
              problems.push(
                `#${i}: after Refresh: state ${ctl.state}, stale ${ctl.staleSince !== undefined}, ${ours()} rows`,
              );
            assertClear(ctl.lastError, 'timeout');
          } finally {
            process.kill(pid, 'SIGCONT');
          }
        }
        await waitFor('healed', () => ctl.state === 'ok' && ctl.staleSince === undefined && ours() === 2, 90_000);
      } finally {
        ctl.dispose();
        const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
        console.log(
          `[faults] frozen daemon noticed after ${noticed.join(', ')} ms (median ${med(noticed)}); ` +
            `Refresh while frozen answered after ${refreshed.join(', ')} ms (median ${med(refreshed)})`,
        );
      }
      assert.deepEqual(problems, []);
    },
  },
  {
    name: 'daemon killed between create and start: the half-created container is named, then removed when it answers',
    timeoutMs: 120_000,
    run: async () => {
      const name = `${PREFIX}-half`;
      const engine = open();
      const id = await createBusybox(name);
      await stopDaemon('SIGKILL');
      const failure = assertClear(await rejection(engine.startContainer(id)), ['unreachable', 'timeout']);
      // What the launch does with its failure (commands/launchGpus.ts): remove now, or arrange it for later.
      let later = 0;
      const told = await discardHalfCreated(engine, failure, { id, name }, () => later++);
      assert.equal(later, 1, 'the removal was not arranged for when the engine answers');
      const e = assertClear(told, failure.kind);
      assert.ok(e.message.includes(name), `the launch failure does not name ${name}: ${e.message}`);
      await startDaemon();
      assert.match(await docker('ps', '-a', '--filter', `id=${id}`, '--format', '{{.State}}'), /^created$/);
      assert.equal(await removeHalfCreated(open(), id), 'removed');
      assert.equal(await docker('ps', '-aq', '--filter', `id=${id}`), '', 'the Created container is still there');
      // One the user started meanwhile is left alone.
      const started = await createBusybox(`${PREFIX}-half-started`);
      await docker('start', started);
      assert.equal(await removeHalfCreated(open(), started), 'running');
    },
  },
  {
    name: 'daemon restarted: the event stream reconnects and delivers',
    timeoutMs: 90_000,
    run: async () => {
      const engine = open();
      const states: string[] = [];
      const seen: EngineEvent[] = [];
      const sub = engine.events((e) => seen.push(e), {
        filters: { label: [LABEL], type: ['container'] },
        onState: (s) => states.push(s),
        backoff: { initialMs: 200, maxMs: 1_000 },
        livenessMs: 1_000,
      });
      try {
        await waitFor('connected', () => states.at(-1) === 'connected', 10_000);
        await stopDaemon('SIGTERM');
        await waitFor('disconnected', () => states.at(-1) === 'disconnected', 10_000);
        await startDaemon();
        await waitFor('reconnected', () => states.at(-1) === 'connected', 20_000);
        await createBusybox(`${PREFIX}-after-restart`);
        await waitFor('an event after the restart', () => seen.some((e) => e.action === 'create'), 10_000);
      } finally {
        sub.dispose();
      }
    },
  },
  {
    name: 'a byte-swallowing proxy stalls the stream: detected, reconnected when it heals',
    timeoutMs: 60_000,
    run: async () => {
      const proxy = new SwallowingProxy();
      await proxy.listen(3101);
      const engine = open('tcp://127.0.0.1:3101', 1_500);
      const states: string[] = [];
      const errors: EngineError[] = [];
      const seen: EngineEvent[] = [];
      const sub = engine.events((e) => seen.push(e), {
        filters: { label: [LABEL], type: ['container'] },
        onState: (s, err) => {
          states.push(s);
          if (err) errors.push(err);
        },
        backoff: { initialMs: 200, maxMs: 500 },
        livenessMs: 500,
      });
      try {
        await waitFor('connected', () => states.at(-1) === 'connected', 10_000);
        proxy.swallowing = true;
        await waitFor('the stall detected', () => states.at(-1) === 'disconnected', 5_000);
        assertClear(errors.at(-1), ['timeout', 'unreachable']);
        proxy.swallowing = false;
        await waitFor('reconnected', () => states.at(-1) === 'connected', 10_000);
        await createBusybox(`${PREFIX}-after-stall`);
        await waitFor('an event after healing', () => seen.some((e) => e.action === 'create'), 10_000);
      } finally {
        sub.dispose();
        proxy.close();
      }
    },
  },
  {
    name: 'socket permission denied (as an unprivileged user)',
    timeoutMs: 30_000,
    run: async () => {
      // Root passes every permission check: ask as nobody, through the real openEngine, in a child process.
      const script = `
        const { configureL10n } = require(${JSON.stringify(path.join(ROOT, 'out/src/core/l10n'))});
        configureL10n(JSON.parse(require('fs').readFileSync(${JSON.stringify(ZH_FILE)}, 'utf8')));
        const { openEngine } = require(${JSON.stringify(path.join(ROOT, 'out/src/core/docker'))});
        const { engine } = openEngine({ source: 'setting', host: ${JSON.stringify(HOST)}, kind: 'unix', socketPath: ${JSON.stringify(SOCK)}, terminalEnv: {} }, { defaultTimeoutMs: 5000 });
        engine.ping().then(() => console.log('{"ok":true}'), (e) => console.log(JSON.stringify({ name: e.name, kind: e.kind, message: e.message, fix: e.fix })));`;
      fs.chmodSync(SOCK, 0o660);
      const { stdout } = await run(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script],
        { cwd: '/', timeout: 20_000 },
      );
      const e = JSON.parse(stdout.trim()) as { kind: EngineError['kind']; message: string; fix: string };
      assertClear(new EngineError(e.kind, e.message, e.fix), 'permissionDenied');
      assert.match(e.fix, /docker/);
    },
  },
  {
    name: 'socket path missing',
    timeoutMs: 20_000,
    run: async () => {
      const missing = `unix:///run/gpuc-faults/${PREFIX}-missing.sock`;
      const e = assertClear(await rejection(open(missing).ping()), 'unreachable');
      assert.ok(e.message.includes(missing), e.message);
    },
  },
  {
    name: 'container removed between list and inspect',
    timeoutMs: 30_000,
    run: async () => {
      const engine = open();
      const id = await createBusybox(`${PREFIX}-gone`);
      const listed = await engine.listContainers({ all: true, filters: { label: [LABEL] } });
      assert.ok(listed.some((c) => c.id === id));
      await docker('rm', '-f', id);
      assertClear(await rejection(engine.inspectContainer(id)), 'notFound');
    },
  },
  {
    name: 'image removed during launch',
    timeoutMs: 30_000,
    run: async () => {
      const image = `gpuc-faults/img-${RUN}:1`;
      await docker('tag', BUSYBOX, image);
      const options = profileOptions({ image }, `${PREFIX}-img`);
      await docker('rmi', image);
      const e = assertClear(await rejection(open().createContainer(options)), 'imageMissing');
      assert.equal(e.image, image);
    },
  },
  {
    name: 'name conflict race: two launches, one name',
    timeoutMs: 30_000,
    run: async () => {
      const name = `${PREFIX}-race`;
      const engine = open();
      const results = await Promise.allSettled([0, 1].map(() => createBusybox(name)));
      void engine;
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      const e = assertClear(lost?.reason, 'conflict');
      assert.equal(e.containerName, name);
    },
  },
  {
    name: 'port taken',
    timeoutMs: 60_000,
    run: async () => {
      const engine = open();
      const publish = {
        ExposedPorts: { '80/tcp': {} },
        HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '3102' }] } },
      };
      const first = await createBusybox(`${PREFIX}-port-a`, publish);
      await engine.startContainer(first);
      const second = await createBusybox(`${PREFIX}-port-b`, publish);
      const e = assertClear(await rejection(engine.startContainer(second)), 'conflict');
      assert.ok(e.message.includes('3102'), e.message);
    },
  },
  {
    name: 'disk full on save (a 256 KB tmpfs)',
    timeoutMs: 60_000,
    run: async () => {
      const dir = fs.mkdtempSync(path.join(TMP, 'tiny-'));
      await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
      try {
        const e = assertClear(await rejection(saveImages(open(), [BUSYBOX], path.join(dir, 'x.tar'))), 'noSpace');
        assert.ok(e.message.includes(dir), e.message);
        assert.match(e.message, /\d/);
        assert.deepEqual(fs.readdirSync(dir), [], 'no partial file left');
      } finally {
        await run('umount', [dir]);
      }
    },
  },
  {
    name: 'SIGKILL during save: the next save removes the stale .part',
    timeoutMs: 60_000,
    run: async () => {
      const dir = fs.mkdtempSync(path.join(TMP, 'killed-'));
      const script = `
        const { openEngine } = require(${JSON.stringify(path.join(ROOT, 'out/src/core/docker'))});
        const { saveImages } = require(${JSON.stringify(path.join(ROOT, 'out/src/core/images'))});
        const { engine } = openEngine({ source: 'setting', host: ${JSON.stringify(HOST)}, kind: 'unix', socketPath: ${JSON.stringify(SOCK)}, terminalEnv: {} });
        saveImages(engine, [${JSON.stringify(BUSYBOX)}], ${JSON.stringify(path.join(dir, 'x.tar'))}, {
          onProgress: () => { process.stdout.write('writing\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); },
        });`;
      const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the saving child exited early (${String(code)})`)));
      });
      const parts = (): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.part'));
      await waitFor('the .part file of the frozen save', () => parts().length > 0, 10_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      assert.match(fs.readdirSync(dir).join(), /^\.x\.tar\.\d+\.[0-9a-f]{12}\.part$/);
      await saveImages(open(), [BUSYBOX], path.join(dir, 'z.tar'));
      assert.deepEqual(fs.readdirSync(dir), ['z.tar']);
    },
  },
  {
    name: 'corrupt archive load (a tar without a manifest)',
    timeoutMs: 30_000,
    run: async () => {
      const dir = fs.mkdtempSync(path.join(TMP, 'corrupt-'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image\n');
      const file = path.join(dir, 'bad.tar');
      await run('tar', ['-cf', file, '-C', dir, 'notes.txt']);
      const e = assertClear(await rejection(loadImages(open(), file)), 'corruptArchive');
      assert.ok(e.message.includes(file), e.message);
    },
  },
  {
    name: 'truncated stream (half an archive)',
    timeoutMs: 60_000,
    run: async () => {
      const file = path.join(fs.mkdtempSync(path.join(TMP, 'truncated-')), 'half.tar');
      await saveImages(open(), [BUSYBOX], file);
      fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      assertClear(await rejection(loadImages(open(), file)), 'corruptArchive');
    },
  },
  {
    name: 'bind source missing',
    timeoutMs: 30_000,
    run: async () => {
      const missing = path.join(TMP, `${PREFIX}-no-such-folder`);
      const options = profileOptions(
        { mounts: [{ type: 'bind', source: missing, target: '/data' }] },
        `${PREFIX}-bind`,
      );
      const e = assertClear(await rejection(open().createContainer(options)), 'bindSourceMissing');
      assert.ok(e.message.includes(missing), e.message);
    },
  },
  {
    name: 'GPU request on a host with no NVIDIA runtime',
    timeoutMs: 30_000,
    run: async () => {
      const engine = open();
      const options = profileOptions({ gpus: 'all' }, `${PREFIX}-gpu`);
      const info = await engine.info();
      assert.equal(info.hasNvidiaRuntime, false);
      const findings = gpuPreflight({
        request: gpuRequestFrom(options.HostConfig?.DeviceRequests, options.Env),
        hasNvidiaRuntime: info.hasNvidiaRuntime,
        gpus: [],
        containers: [],
      });
      assert.deepEqual(
        findings.map((f) => f.code),
        ['noRuntime'],
      );
      assert.match(findings[0].message, CJK);
      // Launched anyway (preflight is advice): the start fails with a kind and a fix, not "unknown".
      const id = await engine.createContainer(options);
      const e = assertClear(await rejection(engine.startContainer(id)), 'gpuUnavailable');
      assert.equal(classifyGpuStartError(e.engineMessage)?.kind, 'noRuntime');
    },
  },
];

void describe('fault suite against a disposable dockerd (netns gpuc-faults)', () => {
  before(async () => {
    if (skip) return;
    try {
      await startDaemon();
    } catch (err) {
      skip = `the faults dockerd did not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
  });
  after(async () => {
    for (const e of opened) e.dispose();
    if (!cannotRun()) await teardown(LABEL);
    fs.rmSync(TMP, { recursive: true, force: true });
    console.log(
      skip
        ? `[faults] fault suite skipped: ${skip}`
        : `[faults] faults survived: ${survived}/${total} (of ${FAULTS.length})`,
    );
  });
  for (const f of FAULTS) {
    void it(f.name, { timeout: f.timeoutMs }, async (t) => {
      if (skip) return t.skip(skip);
      total++;
      if (!daemonPid()) await startDaemon();
      await f.run();
      survived++;
    });
  }
});
