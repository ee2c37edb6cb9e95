/**
 * `npm run bench:ssh-latency`: an ssh host at a distance — per round trip 0 / 20 / 80 ms (a user-space relay
 * delaying each direction, latencyRelay.ts, in a child process), GPU Containers against the docker CLI over the
 * same alias (`DOCKER_HOST=ssh://alias docker …`): warm refresh, cold first rows (a new engine and a new
 * login), event → row, attach → prompt, launch → prompt, and the sshd logins each action cost (counted in the
 * log of this bench's own sshd). Medians; figures only, no goals asserted.
 * Its own sshd on 127.0.0.1:2246 (own pid file and log) → the local engine; relays on 2247 / 2248 / 2249; an
 * `ssh` on PATH that adds `-F <this bench's config>`, for the engine, the terminals and the docker CLI alike.
 * Needs the rig's client key (scripts/rig/ssh.sh) and the test image.
 *   BENCH_QUICK=1   3 repetitions instead of 5
 */
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openEngine, type Endpoint, type Engine } from '../src/core/docker';
import { sshMasters } from '../src/core/docker/sshMaster';
import { nullLogger } from '../src/core/logger';
import { execArgs, sshTerminalArgv } from '../src/core/terminalArgs';
import { RefreshController } from '../src/core/tree/refreshController';
import { privateSshd } from '../test/engine/privateSshd';
import type { RelayStats } from './latencyRelay';
import { ms, sleep, summarize, table } from './stats';

const run = promisify(execFile);
const REPS = process.env.BENCH_QUICK === '1' ? 3 : 5;
const CLI_REPS = 3;
const RTTS = [0, 20, 80];
const SSHD_PORT = 2246;
const IMAGE = 'gpu-containers-test/busybox:1';
const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE ?? path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const KEY = path.join(CACHE, 'ssh', 'id_ed25519');
const sshd = privateSshd({ prefix: 'gpuc-sshlat-', port: SSHD_PORT, extra: ['MaxSessions 64', 'MaxStartups 64'] });
const { dir: DIR, pidFile: PID, logins } = sshd;
const LABEL = `gpu-containers-bench.sshlat=${Date.now().toString(36)}`;
const alias = (rtt: number): string => `gpuc-lat${rtt}`;
const median = (xs: number[]): number => summarize(xs).median;

function setUp(): void {
  sshd.start(
    RTTS.map((rtt, i) => ({
      alias: alias(rtt),
      port: SSHD_PORT + 1 + i,
      user: os.userInfo().username,
      identityFile: KEY,
      strictHostKeyChecking: 'no',
      extra: ['LogLevel ERROR'],
    })),
  );
}

interface RelayChild {
  child: ChildProcess;
  stats(): Promise<RelayStats>;
}

function startRelayChild(listen: number, oneWayMs: number): Promise<RelayChild> {
  const child = fork(path.join(__dirname, 'latencyRelay.js'), [String(listen), String(SSHD_PORT), String(oneWayMs)]);
  const stats = (): Promise<RelayStats> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as RelayStats));
      child.send('stats');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', () => resolve({ child, stats }));
  });
}

const endpoint = (a: string): Endpoint => ({ source: 'setting', host: `ssh://${a}`, kind: 'ssh', terminalEnv: {} });

/** A shell command line for `script` (which gives the command a terminal, as VS Code's terminal does). */
const shellLine = (argv: string[]): string => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/** Runs argv in a terminal (`script`), types a command, and resolves when its answer is printed (ms). */
function untilPrompt(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', shellLine(argv), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no prompt in 30 s: ${out.slice(-200)}`)), 30_000);
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const took = performance.now() - t0;
      child.stdin.write('exit\n');
      setTimeout(() => child.kill(), 2_000).unref();
      if (err) reject(err);
      else resolve(took);
    };
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (/gpuc-42/.test(out)) finish();
    });
    child.stdin.write('echo gpuc-$((6*7))\n');
  });
}

async function cli(a: string, args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST: `ssh://${a}` } });
  return stdout;
}

async function timedReps(n: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** Logins the sshd accepted while `fn` ran (the log is written after the accept: wait for it to settle). */
async function countLogins(fn: () => Promise<unknown>): Promise<number> {
  const before = logins();
  await fn();
  await sleep(300);
  return logins() - before;
}

interface Row {
  rtt: number;
  figures: Record<string, { ours: string; cli: string }>;
  coldTurns: number;
}

async function measure(rtt: number, relay: RelayChild): Promise<Row> {
  const a = alias(rtt);
  const host = { destination: a };
  const f: Row['figures'] = {};
  const made: string[] = [];

  // Cold first rows: a new login (the master), then a new engine's first list; the turns at the relay after
  // the login are the round trips of the first rows.
  sshMasters.close(host);
  await sleep(200);
  let engine: Engine = openEngine(endpoint(a)).engine;
  const coldSamples: number[] = [];
  const afterLogin: number[] = [];
  let coldTurns = 0;
  let coldLogins = 0;
  for (let i = 0; i < CLI_REPS; i++) {
    engine.dispose();
    sshMasters.close(host);
    await sleep(200);
    const l0 = logins();
    const t0 = performance.now();
    await sshMasters.ensure(host);
    const t1 = performance.now();
    const s0 = await relay.stats();
    engine = openEngine(endpoint(a)).engine;
    await engine.listContainers({ all: true });
    const t2 = performance.now();
    const s1 = await relay.stats();
    coldSamples.push(t2 - t0);
    afterLogin.push(t2 - t1);
    coldTurns = s1.turns - s0.turns;
    await sleep(300);
    coldLogins = logins() - l0;
  }
  const cliPs = await timedReps(CLI_REPS, () => cli(a, ['ps', '-a']));
  f['cold first rows'] = {
    ours: `${ms(median(coldSamples))} (${ms(median(afterLogin))} after login, ${coldTurns} turns)`,
    cli: `${ms(cliPs)} (docker ps -a)`,
  };

  // Warm refresh: containers + images, as the tree does.
  await Promise.all([engine.listContainers({ all: true }), engine.listImages()]);
  const warm = await timedReps(REPS, () => Promise.all([engine.listContainers({ all: true }), engine.listImages()]));
  const warmCli = await timedReps(CLI_REPS, async () => {
    await cli(a, ['ps', '-a']);
    await cli(a, ['images']);
  });
  f['warm refresh'] = { ours: ms(warm), cli: ms(warmCli) };
  const s0 = await relay.stats();
  await Promise.all([engine.listContainers({ all: true }), engine.listImages()]);
  const warmTurns = (await relay.stats()).turns - s0.turns;
  f['warm refresh'].ours += ` (${warmTurns} turns)`;

  // Event → row: a container started on the engine (local socket) until the controller's store shows it running.
  const controller = new RefreshController({
    engine: () => engine,
    endpoint: () => `ssh://${a}`,
    signals: { containersChanged: () => undefined, imagesChanged: () => undefined, stateChanged: () => undefined },
    logger: nullLogger,
  });
  const events: number[] = [];
  try {
    controller.setVisible('bench', true);
    for (let i = 0; i < 300 && !(controller.isComplete && controller.eventsUp); i++) await sleep(50);
    for (let i = 0; i < REPS; i++) {
      await sleep(300);
      const id = (await run('docker', ['create', '--label', LABEL, IMAGE, 'sleep', '600'])).stdout.trim();
      made.push(id);
      await run('docker', ['start', id]);
      const t0 = performance.now();
      while (controller.containers.get(id)?.state !== 'running') {
        if (performance.now() - t0 > 10_000) throw new Error('the start event never reached the store');
        await sleep(1);
      }
      events.push(performance.now() - t0);
    }
  } finally {
    controller.dispose();
  }
  f['event → row'] = { ours: ms(median(events)), cli: '— (no stream: a poll costs one docker ps -a)' };

  // Attach → prompt: ours through the master (`ssh -S … -t host docker exec -it`), the CLI's `docker exec -it`.
  const target = made[0];
  const cp = await sshMasters.ensure(host);
  const oursArgv = ['ssh', ...sshTerminalArgv(host, cp, execArgs({ containerId: target, shell: 'sh' }))];
  let attach = 0;
  const attachLogins = await countLogins(async () => {
    attach = await timedReps(REPS, () => untilPrompt(oursArgv));
  });
  let attachCli = 0;
  const env = { ...process.env, DOCKER_HOST: `ssh://${a}` };
  const attachCliLogins = await countLogins(async () => {
    attachCli = await timedReps(CLI_REPS, () => untilPrompt(['docker', 'exec', '-it', target, 'sh'], env));
  });
  f['attach → prompt'] = { ours: ms(attach), cli: ms(attachCli) };
  f['logins per attach'] = { ours: String(attachLogins / REPS), cli: String(attachCliLogins / CLI_REPS) };

  // Launch → prompt: create + start over the engine, then the terminal; the CLI's `run -d` + `exec -it`.
  const launches: number[] = [];
  const launchLogins = await countLogins(async () => {
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      const id = await engine.createContainer({
        Image: IMAGE,
        Cmd: ['sleep', '600'],
        Labels: { [LABEL.split('=')[0]]: LABEL.split('=')[1] },
      });
      made.push(id);
      await engine.startContainer(id);
      const argv = ['ssh', ...sshTerminalArgv(host, cp, execArgs({ containerId: id, shell: 'sh' }))];
      await untilPrompt(argv);
      launches.push(performance.now() - t0);
    }
  });
  const launchesCli: number[] = [];
  const launchCliLogins = await countLogins(async () => {
    for (let i = 0; i < CLI_REPS; i++) {
      const t0 = performance.now();
      const id = (await cli(a, ['run', '-d', '--label', LABEL, IMAGE, 'sleep', '600'])).trim();
      made.push(id);
      await untilPrompt(['docker', 'exec', '-it', id, 'sh'], env);
      launchesCli.push(performance.now() - t0);
    }
  });
  f['launch → prompt'] = { ours: ms(median(launches)), cli: ms(median(launchesCli)) };
  f['logins per launch'] = { ours: String(launchLogins / REPS), cli: String(launchCliLogins / CLI_REPS) };
  f['logins: cold open / warm refresh'] = { ours: `${coldLogins} / 0`, cli: '1 per call (ps + images: 2)' };
  engine.dispose();
  sshMasters.close(host);
  return { rtt, figures: f, coldTurns };
}

async function main(): Promise<void> {
  setUp();
  const relays: RelayChild[] = [];
  try {
    for (let i = 0; i < 50 && !fs.existsSync(PID); i++) await sleep(50);
    for (const [i, rtt] of RTTS.entries()) relays.push(await startRelayChild(SSHD_PORT + 1 + i, rtt / 2));
    const rows: Row[] = [];
    for (const [i, rtt] of RTTS.entries()) {
      const t0 = performance.now();
      rows.push(await measure(rtt, relays[i]));
      console.log(`[ssh-latency] round trip ${rtt} ms measured in ${ms(performance.now() - t0)}`);
    }
    const names = Object.keys(rows[0].figures);
    console.log('');
    console.log(
      table(
        ['figure', ...rows.flatMap((r) => [`ours @${r.rtt} ms`, `CLI @${r.rtt} ms`])],
        names.map((n) => [n, ...rows.flatMap((r) => [r.figures[n].ours, r.figures[n].cli])]),
      ),
    );
    console.log('');
    console.log(
      `[ssh-latency] turns: request/response round trips at the relay (client data after server data); cold first rows count those after ssh's login`,
    );
  } finally {
    for (const r of relays) r.child.kill();
    const ids = (await run('docker', ['ps', '-aq', '--filter', `label=${LABEL}`])).stdout.split('\n').filter(Boolean);
    if (ids.length) await run('docker', ['rm', '-f', ...ids]);
    if (fs.existsSync(PID)) process.kill(Number(fs.readFileSync(PID, 'utf8').trim())); // this bench's sshd only
    fs.rmSync(DIR, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
