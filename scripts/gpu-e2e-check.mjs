#!/usr/bin/env node
/**
 * The check at the end of scripts/gpu-e2e.sh: the extension's core (compiled to out/ by `npx tsc -p .`) reads
 * nvidia-smi and /proc like the GPUs view does, and must find the CUDA process of container --name on GPU --gpu,
 * attribute its memory to that container, and show that GPU as held (not free, not pickable).
 * Writes <out>/core-report.json; exits 1 when a check fails.
 *
 * usage: node scripts/gpu-e2e-check.mjs --host unix:///path/docker.sock --name NAME [--gpu 0] [--smi nvidia-smi] [--out DIR]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Dockerode = require('dockerode');
const docker = require(path.join(repo, 'out/src/core/docker/index.js'));
const gpu = require(path.join(repo, 'out/src/core/gpu/index.js'));
const rowsView = require(path.join(repo, 'out/src/core/tree/gpuRows.js'));

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const host = args.host ?? 'unix:///var/run/docker.sock';
const name = args.name;
const index = Number(args.gpu ?? 0);
const out = args.out;
if (!name) {
  console.error('--name is required');
  process.exit(2);
}

const run = (file, argv) =>
  new Promise((resolve, reject) =>
    execFile(file, argv, { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stdout, stderr })) : resolve(String(stdout)),
    ),
  );

const { endpoint } = docker.resolveEndpoint({
  hostSetting: host,
  env: {},
  homedir: os.homedir(),
  readFile: () => undefined,
});
const engine = docker.createEngine(new Dockerode(docker.dockerodeOptions(endpoint, fs.readFileSync)), endpoint);
const reader = new gpu.GpuSnapshotReader({ run, readFile: (p) => fs.promises.readFile(p, 'utf8'), engine });
const snap = await reader.read({ local: true, smiPath: args.smi ?? 'nvidia-smi', host });
const list = await engine.listContainers({ all: true });
const containers = await Promise.all(list.map((c) => engine.inspectContainer(c.id).catch(() => c)));
const rows = gpu.buildGpuModel(
  { gpus: snap.gpus, apps: snap.apps, pidToContainerId: snap.pidToContainerId, pidToUser: snap.pidToUser, containers },
  { includeStopped: true },
);
const target = containers.find((c) => c.name === name);
const row = rows.find((r) => r.gpu.index === index);
const memory = target && row ? row.memoryByContainer[target.id] : undefined;
const pick = gpu.pickFreeGpus(rows, { count: 1 }, snap.topology);
const checks = {
  'nvidia-smi read on the host': snap.source === 'host' && snap.gpus.length > 0,
  'the container exists': !!target,
  [`GPU ${index} is listed`]: !!row,
  'a process on that GPU is mapped to the container (cgroup)': !!row?.processes.some(
    (p) => p.containerId === target?.id,
  ),
  'its GPU memory is attributed to the container': typeof memory === 'number' && memory > 0,
  'the GPU is not free': row?.free === false,
  'the picker does not offer it': !pick.fitting.some((g) => g.index === index),
  'the row names the container': !!row && rowsView.gpuUsers(row).includes(name),
};
const report = {
  when: new Date().toISOString(),
  driverCuda: snap.driverCuda,
  unavailable: snap.unavailable,
  gpu: row?.gpu,
  row: row ? rowsView.gpuNodeItem({ kind: 'gpu', row }).description : undefined,
  processes: row?.processes,
  containerId: target?.id,
  memoryMiB: memory,
  checks,
};
if (out) {
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'core-report.json'), JSON.stringify(report, null, 2) + '\n');
}
for (const [what, ok] of Object.entries(checks)) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
console.log(`GPU ${index} · ${report.row ?? '?'}`);
process.exit(Object.values(checks).every(Boolean) ? 0 : 1);
