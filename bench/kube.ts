/**
 * `npm run bench:kube`: the Kubernetes host (issue 25) against `kubectl` on the same cluster, in the same run —
 * the rig's two-node cluster (scripts/rig/k8s.sh; its kubeconfig from ~/.cache/gpu-containers-dev/k8s.env).
 * Medians with min/max; figures only, no goals asserted.
 *   1. launch → Running → prompt: a profile → toPod → KubeEngine.launchPod, Running from the engine's watch,
 *      then the terminal's real argv (kubectlExecArgs) in a terminal (`script`) until the shell answers a typed
 *      command; against `kubectl run` + `kubectl wait --for=condition=Ready` + `kubectl exec -it`.
 *   2. watch event → row: an admin's label patch until KubeEngine.events() delivers it, and until the
 *      RefreshController's store holds it; against `kubectl get pods -w` printing the pod's line.
 *   3. list + rows of 1,000 pods (never scheduled: a schedulerName no scheduler serves) in a namespace of
 *      their own: listContainers + the tree's row models; against `kubectl get pods -o json` (parsed) and the
 *      table of `kubectl get pods`.
 *   4. HTTP requests: the engine's (a counting KubeApi around a real KubeClient) while idle with one events()
 *      subscription, and for one launch; against `kubectl get pods -w` and the CLI's launch (`-v=6` logs).
 * Everything carries this run's label; the namespace is deleted (and waited for) at the end, also on failure.
 *   BENCH_QUICK=1        3 repetitions, 200 pods, 10 s idle window
 *   BENCH_IDLE_S=N       idle window (default 60)
 *   BENCH_KUBE_PODS=N    pods listed in figure 3 (default 1000)
 *   BENCH_KUBE_JSON=path where the figures go (default out/bench/kube.json)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EngineEvent } from '../src/core/docker';
import { readTextFile } from '../src/core/files';
import { kubernetesEndpoint } from '../src/core/hosts/endpoints';
import { KubeClient } from '../src/core/kube/kubeClient';
import { resolveContext } from '../src/core/kube/kubeContext';
import { KubeEngine } from '../src/core/kube/kubeEngine';
import type { KubeApi } from '../src/core/kube/kubeErrors';
import { loadKubeconfig } from '../src/core/kube/kubeconfig';
import { kubectlBase, kubectlExecArgs } from '../src/core/kube/kubectlArgs';
import { toPod } from '../src/core/kube/podSpec';
import { nullLogger } from '../src/core/logger';
import { parseProfiles, toCreateOptions, type ProfileContext } from '../src/core/profiles';
import { containerItem, filterContainers, sortContainers } from '../src/core/tree/containerRows';
import { RefreshController } from '../src/core/tree/refreshController';
import { ms, pool, ratio, sleep, spread, summarize, table, type Figure } from './stats';

const run = promisify(execFile);
const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 3 : 5;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? (QUICK ? 10 : 60));
const PODS = Number(process.env.BENCH_KUBE_PODS ?? (QUICK ? 200 : 1000));
const REPO = path.resolve(__dirname, '..', '..');
const JSON_OUT = process.env.BENCH_KUBE_JSON ?? path.join(REPO, 'out', 'bench', 'kube.json');
const CACHE = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const ENV_FILE = path.join(CACHE, 'k8s.env');
const KUBECONFIG =
  process.env.GPU_CONTAINERS_TEST_KUBECONFIG ||
  (fs.existsSync(ENV_FILE)
    ? /^GPU_CONTAINERS_TEST_KUBECONFIG=(.+)$/m.exec(fs.readFileSync(ENV_FILE, 'utf8'))?.[1]?.trim()
    : undefined);
const KUBECTL = '/usr/bin/kubectl';
const IMAGE = 'gpu-containers-test/bash:1';
const SMALL_IMAGE = 'gpu-containers-test/busybox:1';
const RUN = `kb${randomBytes(3).toString('hex')}`;
const LABEL_KEY = 'gpu-containers-bench.kube';
const NS = 'alice';
const LIST_NS = `gpuc-bench-${RUN}`;
const NO_SCHEDULER = 'gpuc-bench-none';
const say = (s: string): void => console.log(`[kube] ${s}`);

// ---- clients and engines ----------------------------------------------------------------------------------

function client(context: string): KubeClient {
  const loaded = loadKubeconfig({ env: {}, homedir: os.homedir(), readFile: readTextFile, path: KUBECONFIG });
  if (!loaded.config) throw new Error(loaded.problems.join(' '));
  const ctx = resolveContext(loaded.config, context);
  if ('problem' in ctx) throw new Error(ctx.problem);
  return new KubeClient(ctx, { readFileBytes: (p) => fs.readFileSync(p) });
}

/** A KubeApi that counts what passes through it (requests and watches, with their paths). */
class CountingApi implements KubeApi {
  readonly calls: string[] = [];
  constructor(private readonly inner: KubeApi) {}
  request<T>(...a: Parameters<KubeApi['request']>): Promise<T> {
    this.calls.push(`${a[0]} ${a[1]}`);
    return this.inner.request<T>(...a);
  }
  watch(...a: Parameters<KubeApi['watch']>): ReturnType<KubeApi['watch']> {
    this.calls.push(`WATCH ${a[0]}`);
    return this.inner.watch(...a);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

function engineOf(context: string, namespace: string): { engine: KubeEngine; api: CountingApi } {
  const ep = kubernetesEndpoint({
    name: context,
    kind: 'kubernetes',
    kubernetes: { context, namespace, kubeconfig: KUBECONFIG },
  });
  const api = new CountingApi(client(context));
  return { engine: new KubeEngine(ep, api, namespace, { logger: nullLogger }), api };
}

const aliceKube = { kube: { kubeconfig: KUBECONFIG, context: 'gpuc-alice', namespace: NS } };
const adminKube = { kube: { kubeconfig: KUBECONFIG, context: 'gpuc-admin' } };

async function kubectl(args: string[], input?: string): Promise<string> {
  const p = run(KUBECTL, args, { maxBuffer: 256 * 1024 * 1024 });
  if (input !== undefined) p.child.stdin?.end(input);
  return (await p).stdout;
}

/** Requests a kubectl `-v=6` log names (one line per HTTP request). */
const requestLines = (log: string): number =>
  log.split('\n').filter((l) => /\] (GET|POST|PUT|PATCH|DELETE) https?:\/\//.test(l)).length;

// ---- the terminal -----------------------------------------------------------------------------------------

const shellLine = (argv: string[]): string => argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/**
 * Runs argv in a terminal (`script` gives it a pty, as VS Code's terminal does), types a command at once (the
 * pty holds it until the shell reads it) and resolves when the shell's answer is printed (ms).
 */
function untilPrompt(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', shellLine(argv), '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no prompt in 60 s: ${out.slice(-300)}`)), 60_000);
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const took = performance.now() - t0;
      child.stdin.write('exit\n');
      setTimeout(() => child.kill(), 3_000).unref();
      if (err) reject(err);
      else resolve(took);
    };
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (/gpuc-42/.test(out)) finish();
    });
    child.on('exit', () => finish(new Error(`the terminal ended: ${out.slice(-300)}`)));
    child.stdin.write('echo gpuc-$((6*7))\n');
  });
}

// ---- events -----------------------------------------------------------------------------------------------

/** One events() subscription shared by the figures; waiters see each event until they return true. */
class EventTap {
  private readonly waiters = new Set<(e: EngineEvent, at: number) => boolean>();
  sub: { dispose(): void } | undefined;
  open(engine: KubeEngine): Promise<void> {
    return new Promise((resolve) => {
      this.sub = engine.events((e) => this.feed(e), { onState: (s) => s === 'connected' && resolve() });
    });
  }
  feed(e: EngineEvent): void {
    const at = performance.now();
    for (const w of [...this.waiters]) if (w(e, at)) this.waiters.delete(w);
  }
  when(pred: (e: EngineEvent) => boolean, timeoutMs = 120_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error('no such event in time'));
      }, timeoutMs);
      const w = (e: EngineEvent, at: number): boolean => {
        if (!pred(e)) return false;
        clearTimeout(timer);
        resolve(at);
        return true;
      };
      this.waiters.add(w);
    });
  }
}

// ---- figure 1: launch → Running → prompt --------------------------------------------------------------------

const profileCtx: ProfileContext = { userHome: '/home/bench', user: 'bench', uid: 1000, gid: 1000, env: {} };

function planOf(name: string) {
  const { profiles, problems } = parseProfiles([{ image: IMAGE, name: 'bench', containerName: name, gpus: 1 }], {
    source: 'user',
  });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(errors.map((p) => p.message).join('; '));
  const built = toCreateOptions(profiles[0], profileCtx, { forKubernetes: true, labels: { [LABEL_KEY]: RUN } });
  const plan = toPod(profiles[0], built.options, { uid: 1000, gid: 1000 });
  plan.pod.metadata.labels = { ...plan.pod.metadata.labels, [LABEL_KEY]: RUN };
  return plan;
}

interface LaunchFigures {
  ours: { total: Figure; toRunning: Figure; toPrompt: Figure; requests: string[] };
  cli: { total: Figure; toRunning: Figure; toPrompt: Figure; requests: Record<string, number> };
}

async function gone(tap: EventTap, engine: KubeEngine, name: string): Promise<void> {
  const destroyed = tap.when((e) => e.id === name && e.action === 'destroy');
  await engine.deletePod(name, 1).catch(() => undefined);
  await destroyed;
}

async function benchLaunch(engine: KubeEngine, api: CountingApi, tap: EventTap): Promise<LaunchFigures> {
  const o = { total: [] as number[], toRunning: [] as number[], toPrompt: [] as number[] };
  const c = { total: [] as number[], toRunning: [] as number[], toPrompt: [] as number[] };
  let oursRequests: string[] = [];
  const base = kubectlBase(aliceKube);
  for (let i = 0; i < REPS; i++) {
    // Ours: the profile's pod through the engine, Running from the watch, the terminal's argv.
    const name = `${RUN}-o${i}`;
    const before = api.calls.length;
    const t0 = performance.now();
    const running = tap.when((e) => e.id === name && e.action === 'start');
    await engine.launchPod(planOf(name));
    const t1 = await running;
    const t2 = t1 + (await untilPrompt([KUBECTL, ...kubectlExecArgs(aliceKube, name)]));
    if (i === 0) oursRequests = api.calls.slice(before);
    o.total.push(t2 - t0);
    o.toRunning.push(t1 - t0);
    o.toPrompt.push(t2 - t1);
    await gone(tap, engine, name);

    // The CLI: kubectl run (one GPU, stdin + tty as ours), kubectl wait for Ready, kubectl exec -it.
    const cname = `${RUN}-c${i}`;
    const overrides = JSON.stringify({
      spec: {
        containers: [
          { name: cname, image: IMAGE, stdin: true, tty: true, resources: { limits: { 'nvidia.com/gpu': '1' } } },
        ],
      },
    });
    const c0 = performance.now();
    await kubectl([
      ...base,
      'run',
      cname,
      `--image=${IMAGE}`,
      '--restart=Never',
      `--labels=${LABEL_KEY}=${RUN}`,
      `--overrides=${overrides}`,
    ]);
    await kubectl([...base, 'wait', '--for=condition=Ready', `pod/${cname}`, '--timeout=120s']);
    const c1 = performance.now();
    const c2 = c1 + (await untilPrompt([KUBECTL, ...base, 'exec', '-it', cname, '--', 'bash']));
    c.total.push(c2 - c0);
    c.toRunning.push(c1 - c0);
    c.toPrompt.push(c2 - c1);
    await gone(tap, engine, cname);
    say(`launch ${i + 1}/${REPS}: ours ${ms(t2 - t0)}, kubectl ${ms(c2 - c0)}`);
  }

  // The CLI's requests for one launch, from its own -v=6 logs (exec without a terminal: the same requests).
  const vname = `${RUN}-v`;
  const v = async (args: string[]): Promise<number> => {
    const p = await run(KUBECTL, [...base, '-v=6', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return requestLines(p.stderr);
  };
  const requests = {
    run: await v([
      'run',
      vname,
      `--image=${SMALL_IMAGE}`,
      '--restart=Never',
      `--labels=${LABEL_KEY}=${RUN}`,
      '--',
      'sleep',
      '600',
    ]),
    wait: await v(['wait', '--for=condition=Ready', `pod/${vname}`, '--timeout=120s']),
    exec: await v(['exec', vname, '--', 'true']),
  };
  await gone(tap, engine, vname);
  return {
    ours: {
      total: summarize(o.total),
      toRunning: summarize(o.toRunning),
      toPrompt: summarize(o.toPrompt),
      requests: oursRequests,
    },
    cli: { total: summarize(c.total), toRunning: summarize(c.toRunning), toPrompt: summarize(c.toPrompt), requests },
  };
}

// ---- figure 2: watch event → row --------------------------------------------------------------------------

interface WatchFigures {
  event: Figure;
  store: Figure;
  cli: Figure;
  /** The engine's requests while the changes were made (the controller's inspects), per change. */
  requestsPerChange: number;
}

/** `kubectl get pods -w`, its output lines timestamped as they arrive. */
function kubectlWatch(args: string[]): { child: ChildProcess; lines: Array<{ at: number; line: string }> } {
  const child = spawn(KUBECTL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<{ at: number; line: string }> = [];
  let buf = '';
  const take = (c: Buffer): void => {
    const at = performance.now();
    buf += c.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const line of parts) lines.push({ at, line });
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return { child, lines };
}

async function until<T>(what: string, fn: () => T | undefined, limitMs = 60_000): Promise<T> {
  const end = performance.now() + limitMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

async function benchWatch(
  engine: KubeEngine,
  api: CountingApi,
  admin: KubeClient,
  tap: EventTap,
): Promise<WatchFigures> {
  const name = `${RUN}-w`;
  const pods = `/api/v1/namespaces/${NS}/pods`;
  const created = tap.when((e) => e.id === name && e.action === 'create');
  await admin.request('POST', pods, {
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { [LABEL_KEY]: RUN } },
      spec: { schedulerName: NO_SCHEDULER, containers: [{ name: 'main', image: SMALL_IMAGE }] },
    },
  });
  await created;

  // The controller gets the engine with events() tapped: the same one watch, its events timestamped too.
  let lastEvent = 0;
  const tapped = new Proxy(engine, {
    get(target, prop) {
      if (prop === 'events')
        return (on: (e: EngineEvent) => void, opts: Parameters<KubeEngine['events']>[1]) =>
          target.events((e) => {
            if (e.id === name) lastEvent = performance.now();
            on(e);
          }, opts);
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  let seq = '';
  let storeAt = 0;
  const controller = new RefreshController({
    engine: () => tapped,
    endpoint: () => engine.endpoint.host,
    logger: nullLogger,
    signals: {
      containersChanged: () => {
        const row = controller.containers.get(name);
        if (row && row.labels[`${LABEL_KEY}-seq`] === seq && !storeAt) {
          storeAt = performance.now();
          containerItem(row, { user: 'bench', now: Date.now() });
        }
      },
      imagesChanged: () => undefined,
      stateChanged: () => undefined,
    },
  });
  controller.setGpuNeeded(false);
  const w = kubectlWatch([...kubectlBase(aliceKube), 'get', 'pods', '-w']);
  const ev: number[] = [];
  const st: number[] = [];
  const cl: number[] = [];
  let calls0 = 0;
  let calls1 = 0;
  try {
    controller.setVisible('bench', true);
    await until('the controller to list and watch', () =>
      controller.isComplete && controller.eventsUp ? true : undefined,
    );
    await until('kubectl -w to list', () => (w.lines.some((l) => l.line.includes(name)) ? true : undefined));
    calls0 = api.calls.length;
    for (let i = 0; i < REPS * 2; i++) {
      await sleep(300);
      seq = `s${i}`;
      storeAt = 0;
      lastEvent = 0;
      const seen = w.lines.length;
      const t0 = performance.now();
      await admin.request('PATCH', `${pods}/${name}`, {
        body: { metadata: { labels: { [`${LABEL_KEY}-seq`]: seq } } },
        contentType: 'application/merge-patch+json',
      });
      const e = await until('the event', () => (lastEvent ? lastEvent : undefined), 10_000);
      const s = await until('the store', () => (storeAt ? storeAt : undefined), 10_000);
      const c = await until('kubectl -w', () => w.lines.slice(seen).find((l) => l.line.includes(name))?.at, 10_000);
      ev.push(e - t0);
      st.push(s - t0);
      cl.push(c - t0);
    }
    await sleep(300);
    calls1 = api.calls.length;
  } finally {
    controller.dispose();
    w.child.kill();
  }
  await gone(tap, engine, name);
  return {
    event: summarize(ev),
    store: summarize(st),
    cli: summarize(cl),
    requestsPerChange: (calls1 - calls0) / (REPS * 2),
  };
}

// ---- figure 3: list + rows of 1,000 pods ----------------------------------------------------------------------

interface ListFigures {
  pods: number;
  list: Figure;
  rows: Figure;
  ours: Figure;
  raw: Figure;
  cliJson: Figure;
  cliTable: Figure;
  createS: number;
}

async function benchList(admin: KubeClient): Promise<ListFigures> {
  const t0 = performance.now();
  await admin.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIST_NS, labels: { [LABEL_KEY]: RUN } } },
  });
  const pods = `/api/v1/namespaces/${LIST_NS}/pods`;
  // Pod admission needs the namespace's default ServiceAccount (the controller manager makes it).
  for (let i = 0; ; i++) {
    const ok = await admin
      .request('GET', `/api/v1/namespaces/${LIST_NS}/serviceaccounts/default`)
      .then(() => true)
      .catch(() => false);
    if (ok) break;
    if (i > 600) throw new Error('no default ServiceAccount in the bench namespace');
    await sleep(100);
  }
  await pool(
    Array.from({ length: PODS }, (_, i) => i),
    16,
    (i) =>
      admin.request('POST', pods, {
        body: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${RUN}-p${String(i).padStart(4, '0')}`,
            labels: { [LABEL_KEY]: RUN, 'gpu-containers.owner': i % 3 ? 'alice' : 'bob' },
          },
          spec: {
            schedulerName: NO_SCHEDULER,
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'main',
                image: SMALL_IMAGE,
                command: ['sleep', '600'],
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
          },
        },
      }),
  );
  const createS = (performance.now() - t0) / 1000;
  say(`${PODS} pods created in ${createS.toFixed(1)} s`);

  const ep = kubernetesEndpoint({
    name: 'gpuc-admin',
    kind: 'kubernetes',
    kubernetes: { context: 'gpuc-admin', namespace: LIST_NS, kubeconfig: KUBECONFIG },
  });
  const engine = new KubeEngine(ep, client('gpuc-admin'), LIST_NS, { logger: nullLogger });
  const list: number[] = [];
  const rows: number[] = [];
  const ours: number[] = [];
  const raw: number[] = [];
  const cliJson: number[] = [];
  const cliTable: number[] = [];
  const base = [...kubectlBase(adminKube), '--namespace', LIST_NS];
  try {
    await engine.listContainers({ all: true }); // warm: connection and TLS session, as a refresh finds them
    for (let i = 0; i < REPS; i++) {
      const a = performance.now();
      const cs = await engine.listContainers({ all: true });
      const b = performance.now();
      const now = Date.now();
      const items = sortContainers(filterContainers(cs, 'all', 'alice')).map((c) =>
        containerItem(c, { user: 'alice', now, showOwner: true }),
      );
      const c = performance.now();
      if (items.length !== PODS) throw new Error(`${items.length} rows, ${PODS} pods`);
      list.push(b - a);
      rows.push(c - b);
      ours.push(c - a);
      const r0 = performance.now();
      const l = await admin.request<{ items: unknown[] }>('GET', pods);
      raw.push(performance.now() - r0);
      if (l.items.length !== PODS) throw new Error('raw list short');
      const k0 = performance.now();
      const j = JSON.parse(await kubectl([...base, 'get', 'pods', '-o', 'json'])) as { items: unknown[] };
      cliJson.push(performance.now() - k0);
      if (j.items.length !== PODS) throw new Error('kubectl list short');
      const k1 = performance.now();
      await kubectl([...base, 'get', 'pods']);
      cliTable.push(performance.now() - k1);
    }
  } finally {
    engine.dispose();
  }
  return {
    pods: PODS,
    list: summarize(list),
    rows: summarize(rows),
    ours: summarize(ours),
    raw: summarize(raw),
    cliJson: summarize(cliJson),
    cliTable: summarize(cliTable),
    createS,
  };
}

async function deleteNamespace(admin: KubeClient): Promise<void> {
  const p = `/api/v1/namespaces/${LIST_NS}`;
  const exists = await admin
    .request('GET', p)
    .then(() => true)
    .catch(() => false);
  if (!exists) return;
  await admin.request('DELETE', p).catch(() => undefined);
  const t0 = performance.now();
  for (;;) {
    const still = await admin
      .request('GET', p)
      .then(() => true)
      .catch((e: { statusCode?: number; kind?: string }) => e.statusCode !== 404 && e.kind !== 'notFound');
    if (!still) break;
    if (performance.now() - t0 > 300_000) throw new Error(`namespace ${LIST_NS} still there after 5 min`);
    await sleep(500);
  }
  say(`namespace ${LIST_NS} deleted in ${ms(performance.now() - t0)}`);
}

// ---- figure 4: idle requests ----------------------------------------------------------------------------------

interface IdleFigures {
  seconds: number;
  oursOpen: string[];
  oursIdle: string[];
  cliOpen: number;
  cliIdle: number;
}

async function benchIdle(): Promise<IdleFigures> {
  const { engine, api } = engineOf('gpuc-alice', NS);
  const tap = new EventTap();
  const w = kubectlWatch([...kubectlBase(aliceKube), '-v=6', 'get', 'pods', '-w']);
  try {
    await tap.open(engine);
    const oursOpen = [...api.calls];
    // kubectl's first list and its watch: wait for the watch's request line, then count what follows.
    await until('kubectl -w to watch', () => (w.lines.some((l) => /watch=true/.test(l.line)) ? true : undefined));
    const cliOpen = requestLines(w.lines.map((l) => l.line).join('\n'));
    const seen = w.lines.length;
    await sleep(IDLE_S * 1000);
    return {
      seconds: IDLE_S,
      oursOpen,
      oursIdle: api.calls.slice(oursOpen.length),
      cliOpen,
      cliIdle: requestLines(
        w.lines
          .slice(seen)
          .map((l) => l.line)
          .join('\n'),
      ),
    };
  } finally {
    tap.sub?.dispose();
    engine.dispose();
    w.child.kill();
  }
}

// ---- main -------------------------------------------------------------------------------------------------

const fig = (f: Figure): string => spread(f);
const paths = (calls: string[]): string =>
  calls.map((c) => c.replace(/\/api\/v1\/namespaces\/[^/]+\//, '…/')).join(', ');

async function main(): Promise<void> {
  if (!KUBECONFIG || !fs.existsSync(KUBECONFIG))
    throw new Error(`no Kubernetes rig (${ENV_FILE}): run bash scripts/rig/k8s.sh`);
  const admin = client('gpuc-admin');
  const { engine, api } = engineOf('gpuc-alice', NS);
  const tap = new EventTap();
  const cpus = os.cpus();
  const server = await engine.version();
  const kubectlVersion = (await kubectl(['version', '--client', '-o', 'json']).catch(() => '{}')) || '{}';
  const machine =
    `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, load ${os.loadavg()[0].toFixed(1)} at start; ` +
    `Kubernetes ${server.version} (2 nodes), kubectl ${(JSON.parse(kubectlVersion) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '?'} (${KUBECTL}), Node ${process.version}` +
    (QUICK ? '; BENCH_QUICK=1' : '');
  say(machine);
  let launch: LaunchFigures | undefined;
  let watch: WatchFigures | undefined;
  let list: ListFigures | undefined;
  let idle: IdleFigures | undefined;
  try {
    await tap.open(engine);
    launch = await benchLaunch(engine, api, tap);
    say(`launch → prompt: ours ${fig(launch.ours.total)}; kubectl ${fig(launch.cli.total)}`);
    watch = await benchWatch(engine, api, admin, tap);
    say(`event → row: events() ${fig(watch.event)}; store ${fig(watch.store)}; kubectl -w ${fig(watch.cli)}`);
    list = await benchList(admin);
    say(`list + rows of ${PODS}: ours ${fig(list.ours)}; kubectl -o json ${fig(list.cliJson)}`);
    await deleteNamespace(admin);
    idle = await benchIdle();
    say(`idle ${IDLE_S} s: ours ${idle.oursIdle.length} requests, kubectl -w ${idle.cliIdle}`);
  } finally {
    tap.sub?.dispose();
    await deleteNamespace(admin).catch((e: unknown) => console.error(e));
    const left = await engine.listPods({ labelSelector: `${LABEL_KEY}=${RUN}` }).catch(() => []);
    for (const p of left) await engine.deletePod(p.metadata.name ?? '', 0).catch(() => undefined);
    engine.dispose();
    admin.dispose();
  }

  const rows: string[][] = [
    [
      'launch → Running → prompt',
      fig(launch.ours.total),
      fig(launch.cli.total),
      ratio(launch.ours.total.median, launch.cli.total.median),
    ],
    [
      '… create → Running',
      `${fig(launch.ours.toRunning)} (watch)`,
      `${fig(launch.cli.toRunning)} (run + wait Ready)`,
      ratio(launch.ours.toRunning.median, launch.cli.toRunning.median),
    ],
    [
      '… Running → prompt',
      `${fig(launch.ours.toPrompt)} (kubectlExecArgs)`,
      `${fig(launch.cli.toPrompt)} (exec -it bash)`,
      ratio(launch.ours.toPrompt.median, launch.cli.toPrompt.median),
    ],
    [
      'watch event → row (label patch)',
      `events() ${fig(watch.event)}; store ${fig(watch.store)}; ${watch.requestsPerChange} GET per change`,
      `get pods -w ${fig(watch.cli)}`,
      ratio(watch.store.median, watch.cli.median),
    ],
    [
      `list + rows, ${list.pods} pods`,
      `${fig(list.ours)} (list ${ms(list.list.median)} + rows ${ms(list.rows.median)}; raw GET ${ms(list.raw.median)})`,
      `-o json ${fig(list.cliJson)}; table ${fig(list.cliTable)}`,
      ratio(list.ours.median, list.cliJson.median),
    ],
    [
      `requests while idle ${idle.seconds} s (after open)`,
      `${idle.oursIdle.length} (open: ${paths(idle.oursOpen)})`,
      `${idle.cliIdle} (open: ${idle.cliOpen} incl. the watch)`,
      '',
    ],
    [
      'requests per launch',
      `${launch.ours.requests.length} engine (${paths(launch.ours.requests)}) + kubectl exec`,
      `run ${launch.cli.requests.run} + wait ${launch.cli.requests.wait} + exec ${launch.cli.requests.exec}`,
      '',
    ],
  ];
  console.log('');
  console.log(table(['figure', 'GPU Containers', 'kubectl', 'ratio'], rows));
  console.log('');
  console.log(`Machine: ${machine}. n=${REPS} per launch figure, n=${REPS * 2} per event, n=${REPS} per list.`);
  fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
  fs.writeFileSync(
    JSON_OUT,
    JSON.stringify({ when: new Date().toISOString(), machine, reps: REPS, launch, watch, list, idle }, null, 2),
  );
  say(`figures written to ${path.relative(REPO, JSON_OUT)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
