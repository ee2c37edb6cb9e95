/**
 * No double booking, against the real dockerd: two launches race for the same free GPUs. The GPU snapshot
 * comes from a stand-in nvidia-smi printing the recorded 8-GPU fixture (processes on GPUs 1, 2, 4, 7); the
 * holders are real containers (`docker create --gpus …`; they cannot start here without the NVIDIA toolkit,
 * so the claim is the created container with our UUID label). Everything carries this run's label.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { createEngine, dockerodeOptions, resolveEndpoint, type Engine } from '../../../src/core/docker';
import { GPU_UUIDS_LABEL } from '../../../src/core/docker/labels';
import { buildGpuModel, createClaimed, GpuSnapshotReader, pickFreeGpus, type ClaimResult } from '../../../src/core/gpu';

const BUSYBOX = 'gpu-containers-test/busybox:1';
const RUN = randomBytes(4).toString('hex');
const RUN_KEY = 'gpu-containers-test.run';
const LABELS = { [RUN_KEY]: RUN };
const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nvidia-smi');

const endpoint = resolveEndpoint({
  hostSetting: process.env.GPU_CONTAINERS_TEST_DOCKER_HOST || 'unix:///var/run/docker.sock',
  env: {},
  homedir: os.homedir(),
  readFile: () => undefined,
}).endpoint;
/** Two windows: two engine clients. */
const engines: Engine[] = [0, 1].map(() =>
  createEngine(new Dockerode(dockerodeOptions(endpoint, fs.readFileSync)), endpoint, { defaultTimeoutMs: 15_000 }),
);

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, (err, stdout, stderr) => {
      if (!err) return resolve(String(stdout));
      // ExecFileException is an Error whose typings lost the base type (Omit<ExecException, 'code'>).
      const failure: Error = Object.assign(err, { stdout, stderr });
      reject(failure);
    }),
  );
}

let smi = '';
let dir = '';

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args)).trim();
}

/** What a launch does: read the GPUs, list holders (inspected for their GPU request), pick, create with a claim. */
async function launch(engine: Engine, name: string, count: number, barrier: Promise<void>): Promise<ClaimResult> {
  const snap = await new GpuSnapshotReader({ run, readFile: (p) => fs.promises.readFile(p, 'utf8'), engine }).read({
    local: true,
    smiPath: smi,
    host: 'local',
  });
  const pickNow = async () => {
    const list = await engine.listContainers({ all: true, filters: { label: [`${RUN_KEY}=${RUN}`] } });
    const containers = await Promise.all(list.map((c) => engine.inspectContainer(c.id)));
    return buildGpuModel({ gpus: snap.gpus, apps: snap.apps, pidToContainerId: new Map(), containers });
  };
  const rows = await pickNow();
  await barrier; // both have read the same state before either creates
  return createClaimed(engine, {
    options: {
      Image: BUSYBOX,
      Cmd: ['sleep', '60'],
      Labels: { ...LABELS },
      HostConfig: { DeviceRequests: [{ Driver: '', Count: 0, Capabilities: [['gpu']] }] },
    },
    name,
    requestText: `free=${count}`,
    pick: (excluded) => {
      const p = pickFreeGpus(
        rows.filter((r) => !excluded.has(r.gpu.uuid.toLowerCase())),
        { count },
        snap.topology,
      );
      return p.ok ? p.picked.map((g) => g.uuid) : undefined;
    },
  });
}

async function deviceIds(id: string): Promise<string[]> {
  const info = JSON.parse(await docker('inspect', id))[0];
  return info.HostConfig.DeviceRequests.flatMap((r: { DeviceIDs: string[] | null }) => r.DeviceIDs ?? []);
}

void describe('GPU claims against the real dockerd (stand-in nvidia-smi, 8 GPUs)', () => {
  const uuids = fs
    .readFileSync(path.join(FIXTURES, 'synthetic', 'query-gpu-8.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',')[1].trim());

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-gpu-smi-'));
    smi = path.join(dir, 'nvidia-smi');
    fs.writeFileSync(
      smi,
      `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${FIXTURES}/synthetic/query-gpu-8.csv' ;;
  *--query-compute-apps*) cat '${FIXTURES}/synthetic/query-apps-8.csv' ;;
  'topo -m') cat '${FIXTURES}/synthetic/topo-m-8-pcie.txt' ;;
  '') cat '${FIXTURES}/h100/nvidia-smi.txt' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
    // GPU 0 is claimed by someone else's launch (created, not started).
    await docker(
      'create',
      '--name',
      `gpuc-gpu-${RUN}-holder`,
      '--label',
      `${RUN_KEY}=${RUN}`,
      '--label',
      `${GPU_UUIDS_LABEL}=${uuids[0]}`,
      '--gpus',
      `device=${uuids[0]}`,
      BUSYBOX,
    );
  });
  after(async () => {
    const ids = (await docker('ps', '-aq', '--filter', `label=${RUN_KEY}=${RUN}`)).split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', ...ids);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void it('two launches of "2 free" at once: one gets GPUs 5,6 (same NUMA node), the other is refused', async () => {
    let open!: () => void;
    const barrier = new Promise<void>((r) => (open = r));
    const racing = [
      launch(engines[0], `gpuc-gpu-${RUN}-a`, 2, barrier),
      launch(engines[1], `gpuc-gpu-${RUN}-b`, 2, barrier),
    ];
    setTimeout(open, 300);
    const [a, b] = await Promise.all(racing);
    const won = [a, b].filter((r) => r.ok);
    const lost = [a, b].filter((r) => !r.ok);
    assert.equal(won.length, 1, JSON.stringify([a, b]));
    assert.equal(lost.length, 1);
    const w = won[0];
    assert.deepEqual(w.uuids, [uuids[5], uuids[6]]);
    assert.deepEqual(await deviceIds(w.id), [uuids[5], uuids[6]], 'docker inspect shows exactly the picked ids');
    const l = lost[0];
    assert.deepEqual(
      l.takenBy.map((c) => c.id),
      [w.id],
    );
    // The loser left nothing behind.
    const names = (await docker('ps', '-a', '--filter', `label=${RUN_KEY}=${RUN}`, '--format', '{{.Names}}')).split(
      '\n',
    );
    assert.equal(names.filter((n) => /-(a|b)$/.test(n)).length, 1);
  });

  void it('three rounds of two "1 free" launches never share a GPU', async () => {
    const held = new Set<string>();
    for (let round = 0; round < 3; round++) {
      let open!: () => void;
      const barrier = new Promise<void>((r) => (open = r));
      const racing = [0, 1].map((i) => launch(engines[i], `gpuc-gpu-${RUN}-r${round}${i}`, 1, barrier));
      setTimeout(open, 200);
      const results = await Promise.all(racing);
      for (const r of results) {
        if (!r.ok) continue;
        for (const u of r.uuids) {
          assert.ok(!held.has(u), `GPU ${u} given twice`);
          held.add(u);
        }
        assert.deepEqual(await deviceIds(r.id), r.uuids);
      }
    }
    // Free after the first test: only GPU 3 (0 claimed, 5 and 6 taken, 1, 2, 4, 7 busy): one winner in total.
    assert.deepEqual([...held], [uuids[3]]);
  });
});
