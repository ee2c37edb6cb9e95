/**
 * What the bench talks to: an Engine built exactly like the extension builds one (resolveEndpoint →
 * dockerodeOptions → createEngine) on a Dockerode whose modem counts every request, the docker CLI,
 * and the fixtures (bench-labelled containers, bench image tags) with their cleanup.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import Dockerode from 'dockerode';
import { readTextFile } from '../src/core/files';
import { createEngine, dockerodeOptions, resolveEndpoint, type Endpoint, type Engine } from '../src/core/docker';
import { pool } from './stats';

export const BUSYBOX = 'gpu-containers-test/busybox:1';
export const BENCH_LABEL_KEY = 'gpu-containers-bench.run';
export const TAG_REPO_PREFIX = 'gpuc-bench-';

/** Counts every request the modem dials, by method and path (without query). */
export class RequestCounter {
  private readonly log: { at: number; what: string }[] = [];
  record(method: string, path: string): void {
    this.log.push({ at: Date.now(), what: `${method} ${path.replace(/^\/v[\d.]+/, '').split('?')[0]}` });
  }
  mark(): number {
    return this.log.length;
  }
  since(mark: number): string[] {
    return this.log.slice(mark).map((e) => e.what);
  }
}

export interface Rig {
  endpoint: Endpoint;
  docker: Dockerode;
  engine: Engine;
  counter: RequestCounter;
  runId: string;
  label: string;
  /** Environment for the docker CLI so it talks to the same engine. */
  cliEnv: NodeJS.ProcessEnv;
}

export function makeRig(): Rig {
  const { endpoint } = resolveEndpoint({
    env: process.env,
    homedir: os.homedir(),
    readFile: readTextFile,
  });
  const docker = new Dockerode(dockerodeOptions(endpoint));
  const counter = new RequestCounter();
  const modem = docker.modem as unknown as { dial: (o: { method?: string; path?: string }, cb: unknown) => unknown };
  const dial = modem.dial.bind(modem);
  modem.dial = (o, cb) => {
    counter.record(o.method ?? 'GET', o.path ?? '');
    return dial(o, cb);
  };
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    endpoint,
    docker,
    engine: createEngine(docker, endpoint),
    counter,
    runId,
    label: `${BENCH_LABEL_KEY}=${runId}`,
    cliEnv: { ...process.env, ...endpoint.terminalEnv },
  };
}

export interface CliResult {
  stdout: string;
  ms: number;
}

/** Runs the docker CLI; resolves with stdout and the wall time from spawn to exit. */
export function cli(rig: Rig, args: string[]): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env: rig.cliEnv, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.slice(0, 3).join(' ')}… failed: ${stderr.trim() || err.message}`));
      else resolve({ stdout, ms: performance.now() - t0 });
    });
  });
}

/** Creates `n` bench containers (busybox `sleep`), starting every `startEvery`-th; returns their ids. */
export async function createContainers(rig: Rig, n: number, from: number, startEvery: number): Promise<string[]> {
  const idx = Array.from({ length: n }, (_, i) => from + i);
  return pool(idx, 12, async (i) => {
    const id = await rig.engine.createContainer({
      name: `${process.env.BENCH_NAME_PREFIX ?? 'gpuc-bench'}-${rig.runId}-${String(i).padStart(4, '0')}`,
      Image: BUSYBOX,
      Cmd: ['sleep', '86400'],
      Labels: { [BENCH_LABEL_KEY]: rig.runId },
      HostConfig: { NetworkMode: 'none' },
    });
    if (startEvery > 0 && i % startEvery === 0) await rig.engine.startContainer(id);
    return id;
  });
}

export function tagRepo(rig: Rig): string {
  return `${TAG_REPO_PREFIX}${rig.runId}/busybox`;
}

export async function tagImages(rig: Rig, n: number): Promise<void> {
  const repo = tagRepo(rig);
  await pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    (i) => rig.docker.getImage(BUSYBOX).tag({ repo, tag: `t${String(i).padStart(3, '0')}` }) as Promise<unknown>,
  );
}

/**
 * Removes everything this run made: containers carrying this run's label (forced), and image tags under
 * this run's repo (untag only: the base image keeps its own tags, so nothing else is deleted).
 */
export async function cleanup(rig: Rig, say: (s: string) => void): Promise<void> {
  const started = Date.now();
  let containers = 0;
  let tags = 0;
  try {
    const list = await rig.docker.listContainers({ all: true, filters: { label: [rig.label] } });
    await pool(list, 12, async (c) => {
      await rig.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
      containers++;
    });
  } catch (err) {
    say(`cleanup: listing containers failed: ${String(err)}`);
  }
  try {
    const prefix = `${tagRepo(rig)}:`;
    const images = await rig.docker.listImages();
    const refs = images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(prefix)));
    await pool(refs, 8, async (ref) => {
      await rig.docker
        .getImage(ref)
        .remove({ noprune: true })
        .catch(() => undefined);
      tags++;
    });
  } catch (err) {
    say(`cleanup: removing tags failed: ${String(err)}`);
  }
  say(
    `cleanup: removed ${containers} containers (label ${rig.label}) and ${tags} image tags in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
