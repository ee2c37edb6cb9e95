/**
 * `npm run bench:ssh`: a full refresh (list containers + list images, in parallel, as the tree does) of an
 * engine reached over ssh (system ssh, `docker system dial-stdio`, kept-alive connections) against the
 * docker CLI over the same ssh alias (`DOCKER_HOST=ssh://ALIAS docker ps -a` + `docker images`) and
 * against the same refresh on the local socket. Medians of repeated runs, ratios in one run.
 * Then, over the same ssh engine driven by the extension's RefreshController: event → store latency (a
 * container started with the docker CLI until the store shows it running) next to the link's round trip
 * (ping); three hosts refreshed in parallel (local socket, gpuc-test, gpuc-host2) against the slowest and the
 * sum; and the Engine API calls the controller makes while idle (only the event stream is expected).
 * Needs the rig of scripts/rig/ssh.sh (alias gpuc-test → sshd on 127.0.0.1:2222 → the local engine;
 * gpuc-host2 → 127.0.0.1:2223 → the second engine).
 *   BENCH_SSH_ALIAS=name   another ssh alias (default gpuc-test)
 *   BENCH_QUICK=1          fewer repetitions
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEFAULT_UNIX_HOST, openEngine, type Endpoint, type Engine } from '../src/core/docker';
import { nullLogger } from '../src/core/logger';
import { RefreshController } from '../src/core/tree/refreshController';
import { ms, ratio, sleep, spread, summarize, table, type Figure } from './stats';

const run = promisify(execFile);
const ALIAS = process.env.BENCH_SSH_ALIAS ?? 'gpuc-test';
const QUICK = process.env.BENCH_QUICK === '1';
const ENGINE_REPS = QUICK ? 10 : 30;
const CLI_REPS = QUICK ? 3 : 9;

async function timed(fn: () => Promise<unknown>, reps: number): Promise<Figure> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

const refresh = (e: Engine) => (): Promise<unknown> => Promise.all([e.listContainers({ all: true }), e.listImages()]);
const HOST2 = process.env.BENCH_SSH_HOST2 ?? 'gpuc-host2';
const LATENCY_RUNS = QUICK ? 5 : 15;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? (QUICK ? 5 : 30));
const LABEL = `gpu-containers-bench.ssh=${Date.now().toString(36)}`;
const sshEndpoint = (alias: string): Endpoint => ({
  source: 'setting',
  host: `ssh://${alias}`,
  kind: 'ssh',
  terminalEnv: {},
});

/** The engine with every call counted by name (each call is one Engine API request; `events` is the stream). */
function counted(engine: Engine): { engine: Engine; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(engine, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof v !== 'function' || typeof key !== 'string' || key === 'dispose') return v;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine: proxy, calls };
}

/** Event → store over ssh, the link's round trip, and the idle calls, with the real RefreshController. */
async function eventPath(alias: string): Promise<{ latency: Figure; rtt: Figure; idle: Map<string, number> }> {
  const { engine, calls } = counted(openEngine(sshEndpoint(alias)).engine);
  let changed = 0;
  const controller = new RefreshController({
    engine: () => engine,
    endpoint: () => `ssh://${alias}`,
    signals: { containersChanged: () => changed++, imagesChanged: () => undefined, stateChanged: () => undefined },
    logger: nullLogger,
  });
  try {
    controller.setVisible('bench', true);
    for (let i = 0; i < 200 && !controller.isComplete; i++) await sleep(50);
    if (!controller.isComplete) throw new Error(`the refresh over ssh://${alias} never completed`);
    const rtt = await timed(() => engine.ping(), QUICK ? 10 : 30);
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      await sleep(300);
      const { stdout } = await run('docker', [
        'create',
        '--label',
        LABEL,
        'gpu-containers-test/busybox:1',
        'sleep',
        '60',
      ]);
      const id = stdout.trim();
      await run('docker', ['start', id]);
      const returned = performance.now();
      for (;;) {
        if (controller.containers.get(id)?.state === 'running') break;
        if (performance.now() - returned > 10_000) throw new Error('the start event never reached the store');
        await sleep(1);
      }
      samples.push(performance.now() - returned);
    }
    await sleep(1000);
    calls.clear();
    const before = changed;
    await sleep(IDLE_S * 1000);
    if (changed !== before) console.log(`[ssh] note: ${changed - before} tree changes during the idle window`);
    return { latency: summarize(samples), rtt, idle: new Map(calls) };
  } finally {
    controller.dispose();
    engine.dispose();
    const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${LABEL}`]);
    const ids = stdout.split('\n').filter(Boolean);
    if (ids.length) await run('docker', ['rm', '-f', ...ids]);
  }
}

/** Three hosts refreshed in parallel, as the sidebar does: wall time against the slowest and the sum. */
async function threeHosts(local: Engine): Promise<{ wall: Figure; each: Array<{ name: string; f: Figure }> }> {
  const remote = [ALIAS, HOST2].map((a) => ({ name: `ssh://${a}`, engine: openEngine(sshEndpoint(a)).engine }));
  try {
    const hosts = [{ name: 'local socket', engine: local }, ...remote];
    await Promise.all(hosts.map((h) => refresh(h.engine)())); // connections opened
    const each = [] as Array<{ name: string; f: Figure }>;
    for (const h of hosts) each.push({ name: h.name, f: await timed(refresh(h.engine), QUICK ? 5 : 15) });
    const wall = await timed(() => Promise.all(hosts.map((h) => refresh(h.engine)())), QUICK ? 5 : 15);
    return { wall, each };
  } finally {
    for (const r of remote) r.engine.dispose();
  }
}

async function main(): Promise<void> {
  const sshEp = sshEndpoint(ALIAS);
  const localEp: Endpoint = {
    source: 'default',
    host: DEFAULT_UNIX_HOST,
    kind: 'unix',
    socketPath: '/var/run/docker.sock',
    terminalEnv: {},
  };
  const ssh = openEngine(sshEp).engine;
  const local = openEngine(localEp).engine;
  try {
    const counts = await Promise.all([local.listContainers({ all: true }), local.listImages()]);
    console.log(`[ssh] ${ALIAS}: ${counts[0].length} containers, ${counts[1].length} images`);
    const cold = await timed(refresh(ssh), 1);
    console.log(`[ssh] first refresh over ssh (connections opened): ${ms(cold.median)}`);
    await timed(refresh(local), 2);
    // Alternated, so both see the same load on a shared machine.
    const sshSamples: number[] = [];
    const localSamples: number[] = [];
    for (let i = 0; i < ENGINE_REPS; i++) {
      sshSamples.push((await timed(refresh(ssh), 1)).median);
      localSamples.push((await timed(refresh(local), 1)).median);
    }
    const overSsh = summarize(sshSamples);
    const onSocket = summarize(localSamples);
    console.log(`[ssh] refresh over ssh (kept-alive dial-stdio): ${spread(overSsh)}`);
    console.log(`[ssh] refresh on the local socket: ${spread(onSocket)}`);
    const env = { ...process.env, DOCKER_HOST: `ssh://${ALIAS}` };
    const cli = await timed(async () => {
      await run('docker', ['ps', '-a'], { env });
      await run('docker', ['images'], { env });
    }, CLI_REPS);
    console.log(`[ssh] docker ps -a + docker images with DOCKER_HOST=ssh://${ALIAS}: ${spread(cli)}`);
    console.log('');
    console.log(
      table(
        ['full refresh (containers + images)', 'median', 'ratio'],
        [
          [`GPU Containers over ssh://${ALIAS}`, ms(overSsh.median), '1.00×'],
          [
            `docker CLI over ssh://${ALIAS}`,
            ms(cli.median),
            `${ratio(cli.median, overSsh.median)} slower (goal ≥ 10×)`,
          ],
          [
            'GPU Containers on the local socket',
            ms(onSocket.median),
            `ssh/local ${ratio(overSsh.median, onSocket.median)} (goal ≤ 1.5×)`,
          ],
          ['first refresh over ssh (handshake)', ms(cold.median), ''],
        ],
      ),
    );
    const ev = await eventPath(ALIAS);
    const hosts = await threeHosts(local);
    const slowest = Math.max(...hosts.each.map((h) => h.f.median));
    const sum = hosts.each.reduce((a, h) => a + h.f.median, 0);
    const idle = [...ev.idle.entries()].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
    console.log(
      `[ssh] event → store over ssh://${ALIAS}: ${spread(ev.latency)}; link round trip (ping) ${spread(ev.rtt)}`,
    );
    for (const h of hosts.each) console.log(`[ssh] refresh ${h.name}: ${spread(h.f)}`);
    console.log(`[ssh] three hosts in parallel: ${spread(hosts.wall)} (slowest ${ms(slowest)}, sum ${ms(sum)})`);
    console.log(`[ssh] Engine API calls in ${IDLE_S} s idle with the event stream open: ${idle}`);
    console.log('');
    console.log(
      table(
        ['over ssh', 'median', 'goal'],
        [
          [
            `event → store (docker start returns → row running)`,
            ms(ev.latency.median),
            `≤ 50 ms + round trip (${ms(ev.rtt.median)})`,
          ],
          [`3 hosts refreshed in parallel`, ms(hosts.wall.median), `≈ slowest ${ms(slowest)}, not the sum ${ms(sum)}`],
          [`calls in ${IDLE_S} s idle`, idle, 'none beyond the event stream'],
        ],
      ),
    );
  } finally {
    ssh.dispose();
    local.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
