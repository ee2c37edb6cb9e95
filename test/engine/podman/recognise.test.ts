/**
 * Recognising Podman behind an address that does not say so (a symlink to the rig's rootless socket, not
 * named podman.sock), from its real `GET /version`; dockerd's socket stays Docker. Then the Podman backend's
 * info says GPUs need no `nvidia` runtime there (CDI). Skips, saying why, only where the rig was never set up.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEngine, resolveEndpoint } from '../../../src/core/docker';
import { EngineKinds, engineUnknown, withEngine } from '../../../src/core/podman/podmanEndpoint';

const cache = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const envFile = path.join(cache, 'podman.env');
const host = fs.existsSync(envFile)
  ? /^GPU_CONTAINERS_TEST_PODMAN_HOST=(.+)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1]?.trim()
  : undefined;
const socket = host?.replace(/^unix:\/\//, '');
const skip = (!socket || !fs.existsSync(socket)) && `no Podman rig (${envFile}): run bash scripts/rig/podman.sh`;

const resolve = (address: string) =>
  resolveEndpoint({ hostSetting: address, env: {}, homedir: os.homedir(), readFile: () => undefined }).endpoint;

void describe('Podman recognised from its version', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-podman-'));
  const link = path.join(dir, 'api.sock');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('a socket not named podman.sock is asked once and is Podman; dockerd stays Docker', async () => {
    fs.symlinkSync(socket as string, link);
    const ep = resolve(`unix://${link}`);
    assert.equal(ep.engine, undefined);
    assert.equal(engineUnknown(ep), true);
    const kinds = new EngineKinds();
    const plain = openEngine(ep, { defaultTimeoutMs: 15_000 }).engine;
    try {
      assert.equal(await kinds.check(ep.host, () => plain.version()), 'podman');
    } finally {
      plain.dispose();
    }
    const docker = resolve(process.env.GPU_CONTAINERS_TEST_DOCKER_HOST || 'unix:///var/run/docker.sock');
    const d = openEngine(docker, { defaultTimeoutMs: 15_000 }).engine;
    try {
      assert.equal(await kinds.check(docker.host, () => d.version()), 'docker');
    } finally {
      d.dispose();
    }

    const pod = withEngine(ep, 'podman');
    assert.deepEqual(pod.terminalEnv, { CONTAINER_HOST: `unix://${link}` });
    const engine = openEngine(pod, { defaultTimeoutMs: 15_000 }).engine;
    try {
      assert.equal((await engine.info()).hasNvidiaRuntime, true, 'CDI: no nvidia runtime needed on Podman');
    } finally {
      engine.dispose();
    }
  });
});
