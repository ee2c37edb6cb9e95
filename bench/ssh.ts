/**
 * `npm run bench:ssh`: a full refresh (list containers + list images, in parallel, as the tree does) of an
 * engine reached over ssh (system ssh, `docker system dial-stdio`, kept-alive connections) against the
 * docker CLI over the same ssh alias (`DOCKER_HOST=ssh://ALIAS docker ps -a` + `docker images`) and
 * against the same refresh on the local socket. Medians of repeated runs, ratios in one run.
 * Needs the rig of scripts/rig/ssh.sh (alias gpuc-test → sshd on 127.0.0.1:2222 → the local engine).
 *   BENCH_SSH_ALIAS=name   another ssh alias (default gpuc-test)
 *   BENCH_QUICK=1          fewer repetitions
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEFAULT_UNIX_HOST, openEngine, type Endpoint, type Engine } from '../src/core/docker';
import { ms, ratio, spread, summarize, table, type Figure } from './stats';

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

async function main(): Promise<void> {
  const sshEp: Endpoint = { source: 'setting', host: `ssh://${ALIAS}`, kind: 'ssh', terminalEnv: {} };
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
  } finally {
    ssh.dispose();
    local.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
