/**
 * The engine suite (test/engine/docker/engine.test.ts) again, against the rig's rootless Podman
 * (scripts/rig/podman.sh), through the backend `openEngine` picks for a podman.sock — the CDI GPU test
 * included. Skips, saying why, only where that rig was never set up (CI runs setup.sh, so it runs there).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cache = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const envFile = path.join(cache, 'podman.env');
const host = fs.existsSync(envFile)
  ? /^GPU_CONTAINERS_TEST_PODMAN_HOST=(.+)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1]?.trim()
  : undefined;
const socket = host?.replace(/^unix:\/\//, '');
const absent = !socket || !fs.existsSync(socket);
const skip = absent && `no Podman rig (${envFile} or its socket is missing): run bash scripts/rig/podman.sh`;

void it('the engine suite passes on Podman', { skip, timeout: 590_000 }, async () => {
  const suite = path.join(__dirname, '..', 'docker', 'engine.test.js');
  // A child test run, not a nested one: without this, node:test skips the files it is given.
  const env: NodeJS.ProcessEnv = { ...process.env, GPU_CONTAINERS_TEST_DOCKER_HOST: host };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', suite], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const summary = out
    .split('\n')
    .filter((l) => /^# (tests|pass|fail|skipped) /.test(l))
    .map((l) => l.slice(2));
  console.log(`engine suite on Podman (${host}): ${summary.join(', ')}`);
  const failed = out.split('\n').filter((l) => /^\s*not ok /.test(l));
  assert.equal(code, 0, `failures on Podman:\n${failed.join('\n')}\n${out.slice(-4000)}`);
  assert.match(out, /^\s*ok \d+ - on Podman every request form becomes CDI devices/m);
});
