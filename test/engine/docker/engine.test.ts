/**
 * src/core/docker against a real dockerd. Everything created carries this run's label and a unique
 * name; `after()` removes exactly those containers. No registry: images come from the rig.
 * GPU_CONTAINERS_TEST_DOCKER_HOST points the suite at another engine (default: the standard socket).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Dockerode from 'dockerode';
import {
  createEngine,
  dockerodeOptions,
  EngineError,
  openEngine,
  resolveEndpoint,
  type Endpoint,
  type Engine,
  type EngineEvent,
} from '../../../src/core/docker';

const BUSYBOX = 'gpu-containers-test/busybox:1';
const BASH = 'gpu-containers-test/bash:1';
const RUN = randomBytes(4).toString('hex');
const RUN_LABEL_KEY = 'gpu-containers-test.run';
const RUN_LABEL = `${RUN_LABEL_KEY}=${RUN}`;
const LABELS = { [RUN_LABEL_KEY]: RUN };
let seq = 0;
const uniqueName = (what: string): string => `gct-${RUN}-${what}-${++seq}`;

function endpointFor(host: string): Endpoint {
  return resolveEndpoint({ hostSetting: host, env: {}, homedir: os.homedir(), readFile: () => undefined }).endpoint;
}
const endpoint = endpointFor(process.env.GPU_CONTAINERS_TEST_DOCKER_HOST || 'unix:///var/run/docker.sock');
const newDocker = (ep: Endpoint = endpoint): Dockerode => new Dockerode(dockerodeOptions(ep, fs.readFileSync));
/** The backend `openEngine` picks for this endpoint (dockerd's, or Podman's for a podman.sock). */
const engine: Engine = openEngine(endpoint, { defaultTimeoutMs: 15_000 }).engine;
const ON_PODMAN = endpoint.engine === 'podman';

/** The docker CLI, pointed at the same engine (Podman's terminal env is for the podman CLI). */
function dockerCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'docker',
      args,
      {
        env: {
          ...process.env,
          DOCKER_CONTEXT: '',
          ...(ON_PODMAN ? { DOCKER_HOST: endpoint.host } : endpoint.terminalEnv),
        },
        timeout: 20_000,
      },
      (err, stdout, stderr) =>
        err ? reject(new Error(`docker ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

async function expectEngineError(p: Promise<unknown>, kind: EngineError['kind']): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof EngineError, `expected EngineError, got ${String(e)}`);
    assert.equal(e.kind, kind, `${e.kind}: ${e.message}`);
    assert.ok(e.fix.length > 0);
    return e;
  }
  assert.fail(`expected an EngineError of kind ${kind}`);
}

function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

async function create(what: string, extra: Partial<Dockerode.ContainerCreateOptions> = {}): Promise<string> {
  return engine.createContainer({
    name: uniqueName(what),
    Image: BUSYBOX,
    Cmd: ['sleep', '300'],
    Labels: LABELS,
    ...extra,
  });
}

/** A unix socket that accepts connections and never answers. */
async function silentServer(): Promise<{ path: string; close(): Promise<void> }> {
  const sockPath = path.join(os.tmpdir(), `gct-${RUN}-${++seq}.sock`);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(sockPath, r));
  return {
    path: sockPath,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

before(async () => {
  await engine.ping();
  for (const image of [BUSYBOX, BASH]) await engine.inspectImage(image);
});

after(async () => {
  const mine = await engine.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  await Promise.all(mine.map((c) => engine.removeContainer(c.id, { force: true }).catch(() => undefined)));
});

void describe('engine basics', () => {
  void it('ping, version, info', async () => {
    await engine.ping();
    const v = await engine.version();
    assert.match(v.apiVersion, /^1\.\d+$/);
    const info = await engine.info();
    assert.ok(info.serverVersion.length > 0);
    assert.ok(info.runtimes.includes('runc'));
  });

  void it('lists and inspects images', async () => {
    const images = await engine.listImages();
    assert.ok(images.some((i) => i.tags.includes(BUSYBOX)));
    const d = await engine.inspectImage(BASH);
    assert.ok(d.tags.includes(BASH));
  });
});

void describe('container lifecycle', () => {
  void it('create → start → stop → start → restart → stop → remove, with inspect states', async () => {
    const name = uniqueName('life');
    const id = await engine.createContainer({ name, Image: BUSYBOX, Cmd: ['sleep', '300'], Labels: LABELS });
    assert.match(id, /^[0-9a-f]{64}$/);
    let d = await engine.inspectContainer(name);
    assert.equal(d.id, id);
    assert.equal(d.name, name);
    assert.equal(d.state, 'created');
    assert.equal(d.labels[RUN_LABEL_KEY], RUN);

    await engine.startContainer(id);
    await engine.startContainer(id); // already started (304) is fine
    d = await engine.inspectContainer(id);
    assert.equal(d.state, 'running');
    assert.match(d.status, /^Up /);

    const listed = await engine.listContainers({ filters: { label: [RUN_LABEL], name: [name] } });
    assert.equal(listed.length, 1);
    assert.equal(listed[0].state, 'running');
    assert.equal(listed[0].gpu, undefined);

    await engine.stopContainer(id, { timeoutSeconds: 0 });
    await engine.stopContainer(id, { timeoutSeconds: 0 }); // already stopped (304) is fine
    d = await engine.inspectContainer(id);
    assert.equal(d.state, 'exited');
    assert.equal(d.exitCode, 137);
    assert.ok(d.finishedAt);
    const stopped = await engine.listContainers({ filters: { label: [RUN_LABEL], name: [name] } });
    assert.equal(stopped.length, 0, 'not in the running list');

    await engine.startContainer(id);
    await engine.restartContainer(id, { timeoutSeconds: 0 });
    d = await engine.inspectContainer(id);
    assert.equal(d.state, 'running');

    await engine.stopContainer(id, { timeoutSeconds: 0 });
    assert.equal((await engine.inspectContainer(id)).state, 'exited');

    await engine.removeContainer(id);
    await expectEngineError(engine.inspectContainer(id), 'notFound');
    await expectEngineError(engine.removeContainer(id), 'notFound');
  });

  void it('name conflict → conflict with the container name', async () => {
    const name = uniqueName('dup');
    await engine.createContainer({ name, Image: BUSYBOX, Labels: LABELS });
    const e = await expectEngineError(engine.createContainer({ name, Image: BUSYBOX, Labels: LABELS }), 'conflict');
    assert.equal(e.containerName, name);
    assert.equal(e.statusCode, ON_PODMAN ? 500 : 409); // Podman answers a duplicate name with 500
  });

  void it('missing image → imageMissing', async () => {
    const e = await expectEngineError(
      engine.createContainer({ name: uniqueName('noimg'), Image: 'gpu-containers-test/nope:1', Labels: LABELS }),
      'imageMissing',
    );
    assert.match(e.fix, /Load/);
    await expectEngineError(engine.removeImage('gpu-containers-test/nope:1'), 'imageMissing');
  });
});

void describe('exec, shells, logs', () => {
  let busy: string;
  let bash: string;
  before(async () => {
    busy = await create('busy');
    bash = await create('bash', { Image: BASH });
    await Promise.all([engine.startContainer(busy), engine.startContainer(bash)]);
  });

  void it('probeShell finds sh (not bash) in busybox and bash in the bash image', async () => {
    assert.equal(await engine.probeShell(busy), 'sh');
    assert.equal(await engine.probeShell(bash), 'bash');
    assert.equal(await engine.probeShell(busy, ['zsh', 'fish']), undefined);
  });

  void it('exec returns exit code, stdout and stderr separately', async () => {
    const r = await engine.exec(busy, {
      cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'],
      env: ['X=1'],
      workdir: '/tmp',
    });
    assert.deepEqual(r, { exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
    const pwd = await engine.exec(busy, { cmd: ['sh', '-c', 'pwd; echo $X'], env: ['X=42'], workdir: '/tmp' });
    assert.equal(pwd.stdout, '/tmp\n42\n');
  });

  void it('exec in a stopped container → conflict (not running)', async () => {
    const stopped = await create('stopped');
    await expectEngineError(engine.exec(stopped, { cmd: ['true'] }), 'conflict');
  });

  void it('logs: demultiplexed stdout/stderr', async () => {
    const id = await create('logs', { Cmd: ['sh', '-c', 'echo out1; echo err1 >&2; echo out2'] });
    await engine.startContainer(id);
    for (let i = 0; i < 40 && (await engine.inspectContainer(id)).state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    let out = '';
    let err = '';
    await engine.logs(id, {}, (stream, t) => (stream === 'stdout' ? (out += t) : (err += t)));
    assert.equal(out, 'out1\nout2\n');
    assert.equal(err, 'err1\n');
  });

  void it('logs follow: gets lines written after the call starts; cancel resolves', async () => {
    const id = await create('follow', {
      Cmd: ['sh', '-c', 'i=0; while true; do echo line$i; i=$((i+1)); sleep 0.2; done'],
    });
    await engine.startContainer(id);
    await new Promise((r) => setTimeout(r, 300));
    const ac = new AbortController();
    const lines: string[] = [];
    const startedAt = Date.now();
    const done = engine.logs(id, { follow: true, tail: 0, signal: ac.signal }, (s, t) => {
      assert.equal(s, 'stdout');
      lines.push(...t.split('\n').filter(Boolean));
      if (lines.length >= 3) ac.abort();
    });
    await done;
    assert.ok(lines.length >= 3);
    assert.ok(!lines.includes('line0'), `tail 0 skips history: ${lines.join(',')}`);
    assert.ok(Date.now() - startedAt >= 300, 'the lines were produced after the call started');
  });

  void it('logs of a tty container are raw', async () => {
    const id = await create('ttylogs', { Tty: true, Cmd: ['sh', '-c', 'echo hello'] });
    await engine.startContainer(id);
    for (let i = 0; i < 40 && (await engine.inspectContainer(id)).state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    let out = '';
    await engine.logs(id, {}, (_s, t) => (out += t));
    assert.equal(out, 'hello\r\n');
  });
});

void describe('events', () => {
  void it('arrive for an external docker run', async () => {
    const name = uniqueName('ext');
    const got: EngineEvent[] = [];
    let connected = false;
    const sub = engine.events((e) => got.push(e), {
      filters: { type: ['container'], label: [RUN_LABEL] },
      onState: (s) => (connected = s === 'connected'),
    });
    try {
      await waitFor(() => connected, 5000, 'events connected');
      await new Promise((r) => setTimeout(r, 100));
      await dockerCli(['run', '--rm', '--name', name, '--label', RUN_LABEL, BUSYBOX, 'true']);
      await waitFor(
        () => got.some((e) => e.attributes.name === name && e.action === 'destroy'),
        10_000,
        'destroy event',
      );
      const actions = got.filter((e) => e.attributes.name === name).map((e) => e.action);
      for (const a of ['create', 'start', 'die', 'destroy'])
        assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
      assert.match(got[0].timeNano, /^\d{19}$/);
    } finally {
      sub.dispose();
    }
  });

  void it('survive a dropped stream: every create arrives exactly once', async () => {
    const docker = newDocker();
    const streams: NodeJS.ReadableStream[] = [];
    const original = docker.getEvents.bind(docker) as (o: unknown) => Promise<NodeJS.ReadableStream>;
    (docker as unknown as { getEvents: (o: unknown) => Promise<NodeJS.ReadableStream> }).getEvents = async (o) => {
      const s = await original(o);
      streams.push(s);
      return s;
    };
    const eng = createEngine(docker, endpoint, { defaultTimeoutMs: 10_000 });
    const states: string[] = [];
    const creates: string[] = [];
    const sub = eng.events((e) => e.action === 'create' && creates.push(e.attributes.name), {
      filters: { type: ['container'], label: [RUN_LABEL] },
      onState: (s) => states.push(s),
      backoff: { initialMs: 300, maxMs: 1000 },
    });
    try {
      await waitFor(() => states.includes('connected'), 5000, 'connected');
      const names: string[] = [];
      const make = async (): Promise<void> => {
        const n = uniqueName('evt');
        names.push(n);
        await engine.createContainer({ name: n, Image: BUSYBOX, Labels: LABELS });
      };
      await make();
      await make();
      await waitFor(() => creates.length >= 2, 5000, 'first creates');
      // Drop the stream under the subscriber, then create while it is down.
      (streams[0] as unknown as { destroy(): void }).destroy();
      await make();
      await make();
      await make();
      await waitFor(
        () => streams.length >= 2 && states.filter((s) => s === 'connected').length >= 2,
        5000,
        'reconnect',
      );
      await make();
      await waitFor(() => names.every((n) => creates.includes(n)), 5000, 'all creates');
      await new Promise((r) => setTimeout(r, 300)); // would-be duplicates have time to show up
      for (const n of names) assert.equal(creates.filter((c) => c === n).length, 1, `${n} exactly once`);
      assert.deepEqual(states.slice(0, 3), ['connected', 'disconnected', 'connected']);
    } finally {
      sub.dispose();
    }
  });
});

void describe('GPU requests', () => {
  void it(
    'on Podman every request form becomes CDI devices that arrive inside the container',
    { skip: !ON_PODMAN },
    async () => {
      // The rig's fake CDI vendor (scripts/rig/podman.sh): nvidia.com/gpu=N injects GPUC_FAKE_GPU_N=1 and /dev/nvidiaN.
      const forms: [string, Record<string, unknown>, string[]][] = [
        ['all', { Count: -1 }, ['0', '1', '2', '3']],
        ['ids', { DeviceIDs: ['1', '3'] }, ['1', '3']],
        ['count', { Count: 2 }, ['0', '1']],
      ];
      for (const [what, req, want] of forms) {
        const id = await create(`cdi-${what}`, {
          Tty: true,
          OpenStdin: true,
          HostConfig: {
            RestartPolicy: { Name: 'no' },
            DeviceRequests: [{ Driver: '', Capabilities: [['gpu']], ...req }],
          },
        });
        await engine.startContainer(id);
        const r = await engine.exec(id, {
          cmd: ['sh', '-c', 'cat /dev/nvidia* 2>/dev/null; tr "\\0" "\\n" </proc/1/environ | grep ^GPUC_ | sort'],
        });
        assert.equal(r.exitCode, 0, r.stderr);
        const lines = r.stdout.trim().split('\n');
        assert.deepEqual(
          lines,
          [...want.map((n) => `fake GPU ${n}`), ...want.map((n) => `GPUC_FAKE_GPU_${n}=1`)],
          what,
        );
        const d = await engine.inspectContainer(id);
        assert.equal(d.labels[RUN_LABEL_KEY], RUN);
        assert.deepEqual(
          d.gpu,
          what === 'all'
            ? { kind: 'all', source: 'deviceRequests' }
            : { kind: 'devices', deviceIds: want, source: 'deviceRequests' },
        );
      }
    },
  );

  void it(
    'DeviceRequests like `docker create --gpus all`; starting without a GPU runtime → gpuUnavailable',
    { skip: ON_PODMAN && 'Podman drops DeviceRequests: its GPU path is CDI (test above)' },
    async () => {
      const cliName = uniqueName('cli-gpus');
      await dockerCli(['create', '--name', cliName, '--label', RUN_LABEL, '--gpus', 'all', BUSYBOX, 'true']);
      const cliRaw = (await engine.inspectContainer(cliName)).raw as { HostConfig: { DeviceRequests: unknown } };

      const id = await engine.createContainer({
        name: uniqueName('gpus'),
        Image: BUSYBOX,
        Cmd: ['true'],
        Labels: LABELS,
        HostConfig: { DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']] }] },
      });
      const d = await engine.inspectContainer(id);
      assert.deepEqual(
        (d.raw as { HostConfig: { DeviceRequests: unknown } }).HostConfig.DeviceRequests,
        cliRaw.HostConfig.DeviceRequests,
      );
      assert.deepEqual(d.gpu, { kind: 'all', capabilities: ['gpu'], source: 'deviceRequests' });

      const info = await engine.info();
      if (info.hasNvidiaRuntime) return; // a real GPU host: starting would succeed
      const e = await expectEngineError(engine.startContainer(id), 'gpuUnavailable');
      assert.match(e.fix, /NVIDIA Container Toolkit/);
    },
  );
});

void describe('failures a user can act on', () => {
  void it('a bogus socket → unreachable', async () => {
    const ep = endpointFor(`unix:///tmp/gct-${RUN}-missing.sock`);
    const e = await expectEngineError(createEngine(newDocker(ep), ep).ping(), 'unreachable');
    assert.match(e.message, /Cannot reach the Docker engine at unix:\/\/\/tmp\/gct-.*Is Docker running\?/);
  });

  void it('events on a bogus socket report disconnected/unreachable and keep retrying until disposed', async () => {
    const ep = endpointFor(`unix:///tmp/gct-${RUN}-missing.sock`);
    const states: { s: string; kind?: string }[] = [];
    let attempts = 0;
    const docker = newDocker(ep);
    const original = docker.getEvents.bind(docker) as (o: unknown) => Promise<unknown>;
    (docker as unknown as { getEvents: (o: unknown) => Promise<unknown> }).getEvents = (o) => {
      attempts++;
      return original(o);
    };
    const sub = createEngine(docker, ep).events(() => undefined, {
      onState: (s, err) => states.push({ s, kind: err?.kind }),
      backoff: { initialMs: 20, maxMs: 40 },
    });
    await waitFor(() => attempts >= 4, 3000, 'retries');
    sub.dispose();
    const attemptsAtDispose = attempts;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(attempts, attemptsAtDispose, 'no retries after dispose');
    assert.deepEqual(states, [{ s: 'disconnected', kind: 'unreachable' }], 'state reported once, not per retry');
  });

  void it('a socket the user may not open → permissionDenied (run as nobody)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to switch to nobody');
    let sockPath = '/var/run/docker.sock';
    let own: { path: string; close(): Promise<void> } | undefined;
    const mode = fs.existsSync(sockPath) ? fs.statSync(sockPath).mode & 0o777 : 0o666;
    if (endpoint.socketPath !== sockPath || (mode & 0o006) !== 0) {
      own = await silentServer();
      fs.chmodSync(own.path, 0o600);
      sockPath = own.path;
    }
    try {
      const modulePath = path.resolve(__dirname, '../../../src/core/docker/index.js');
      const script = `
        const D = require(${JSON.stringify(require.resolve('dockerode'))});
        const m = require(${JSON.stringify(modulePath)});
        const ep = m.resolveEndpoint({ hostSetting: 'unix://' + process.env.SOCK, env: {}, homedir: '/', readFile: () => undefined }).endpoint;
        m.createEngine(new D(m.dockerodeOptions(ep)), ep, { defaultTimeoutMs: 5000 }).ping()
          .then(() => console.log(JSON.stringify({ kind: 'ok' })), (e) => console.log(JSON.stringify({ kind: e.kind, fix: e.fix, message: e.message })));`;
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script], {
          env: { PATH: process.env.PATH ?? '', SOCK: sockPath },
          cwd: '/',
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
        child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
        child.on('error', reject);
        child.on('close', () => (stdout ? resolve(stdout) : reject(new Error(stderr))));
      });
      const r = JSON.parse(out) as { kind: string; fix: string; message: string };
      assert.equal(r.kind, 'permissionDenied', r.message);
      assert.match(r.fix, /usermod -aG docker/);
    } finally {
      await own?.close();
    }
  });

  void it('an engine that never answers → timeout', async () => {
    const srv = await silentServer();
    try {
      const ep = endpointFor(`unix://${srv.path}`);
      const eng = createEngine(newDocker(ep), ep, { defaultTimeoutMs: 300 });
      const t0 = Date.now();
      const e = await expectEngineError(eng.ping(), 'timeout');
      assert.ok(Date.now() - t0 < 3000);
      assert.match(e.message, /did not answer "ping" within 300 ms/);
      await expectEngineError(eng.listContainers({ timeoutMs: 100 }), 'timeout');
      await expectEngineError(
        eng.logs('x', { follow: true }, () => undefined),
        'timeout',
      );
    } finally {
      await srv.close();
    }
  });

  void it('AbortSignal → cancelled (before and during a call)', async () => {
    const srv = await silentServer();
    try {
      const ep = endpointFor(`unix://${srv.path}`);
      const eng = createEngine(newDocker(ep), ep, { defaultTimeoutMs: 10_000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const t0 = Date.now();
      await expectEngineError(eng.info({ signal: ac.signal }), 'cancelled');
      assert.ok(Date.now() - t0 < 3000);
      await expectEngineError(eng.ping({ signal: AbortSignal.abort() }), 'cancelled');
      await expectEngineError(
        eng.pullImage('x', () => undefined, { signal: AbortSignal.abort() }),
        'cancelled',
      );
    } finally {
      await srv.close();
    }
  });
});

void describe('pull (canned engine: no registry here)', () => {
  /** A unix socket HTTP server that answers POST /images/create with the given ndjson lines. */
  async function cannedPull(lines: unknown[]): Promise<{ path: string; close(): Promise<void> }> {
    const http = await import('node:http');
    const sockPath = path.join(os.tmpdir(), `gct-${RUN}-pull-${++seq}.sock`);
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let i = 0;
      const next = (): void => {
        if (i >= lines.length) return void res.end();
        res.write(`${JSON.stringify(lines[i++])}\r\n`);
        setTimeout(next, 5);
      };
      next();
    });
    await new Promise<void>((r) => server.listen(sockPath, r));
    return { path: sockPath, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  void it('progress rolls into one monotonic percentage ending at 100', async () => {
    const srv = await cannedPull([
      { status: 'Pulling from x/y', id: '1' },
      { status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' },
      { status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' },
      { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 5, total: 10 } },
      { status: 'Downloading', id: 'bbbbbbbbbbbb', progressDetail: { current: 10, total: 10 } },
      { status: 'Extracting', id: 'aaaaaaaaaaaa', progressDetail: { current: 5, total: 10 } },
      { status: 'Pull complete', id: 'aaaaaaaaaaaa' },
      { status: 'Pull complete', id: 'bbbbbbbbbbbb' },
      { status: 'Status: Downloaded newer image for x/y:1' },
    ]);
    try {
      const ep = endpointFor(`unix://${srv.path}`);
      const seen: number[] = [];
      await createEngine(newDocker(ep), ep).pullImage('x/y:1', (p) => seen.push(p.percent));
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], seen.join(','));
      assert.equal(seen.at(-1), 100);
      assert.ok(seen.some((p) => p > 0 && p < 100));
    } finally {
      await srv.close();
    }
  });

  void it('a resolver error inside the stream names the registry it cannot reach, with a Load hint', async () => {
    const srv = await cannedPull([
      { status: 'Pulling from x/y', id: '1' },
      {
        errorDetail: {
          message: 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
        },
        error: 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
      },
    ]);
    try {
      const ep = endpointFor(`unix://${srv.path}`);
      const e = await expectEngineError(
        createEngine(newDocker(ep), ep).pullImage('x/y:1', () => undefined),
        'registryUnreachable',
      );
      assert.match(e.message, /cannot reach registry-1\.docker\.io/);
      assert.match(e.engineMessage ?? '', /no such host/, 'the raw error is kept for the log');
      assert.match(e.fix, /Load/);
    } finally {
      await srv.close();
    }
  });
});
