/**
 * The Kubernetes backend (KubeEngine behind the engine contract) against the rig's real cluster
 * (scripts/rig/k8s.sh: two nodes with two stand-in GPUs each, a real device plugin API): a profile launched as a
 * pod with its GPUs, secret env in a Secret the pod owns, the terminal's real `kubectl exec` argv, the watch's
 * events, a third GPU pod Pending with the scheduler's reason, the GPU rows, the preflight, Stop as delete.
 * Pods are named per run and carry the run's label; cleanup deletes by that label. Skips where the rig is absent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '../../../src/core/docker';
import { kubernetesEndpoint } from '../../../src/core/hosts/endpoints';
import { openKubeEngine } from '../../../src/core/kube/kubeFactory';
import type { KubeEngine } from '../../../src/core/kube/kubeEngine';
import { kubectlExecArgs } from '../../../src/core/kube/kubectlArgs';
import { toPod } from '../../../src/core/kube/podSpec';
import { clusterPreflight } from '../../../src/core/kube/preflight';
import { clusterSnapshot } from '../../../src/core/kube/clusterGpus';
import { buildGpuModel } from '../../../src/core/gpu';
import { parseProfiles, toCreateOptions, type ProfileContext } from '../../../src/core/profiles';
import * as rig from './rig';

const kubeconfig = rig.kubeconfig;
const skip = rig.skip;

const RUN = `ke${randomBytes(3).toString('hex')}`;
const RUN_LABEL = 'gpu-containers-test-run';
const TOKEN = `hf_${randomBytes(12).toString('hex')}`;

const engines: KubeEngine[] = [];
function engine(context: string, namespace?: string): KubeEngine {
  const ep = kubernetesEndpoint({ name: context, kind: 'kubernetes', kubernetes: { context, namespace, kubeconfig } });
  const { engine: e, problems } = openKubeEngine(ep, { env: {} });
  assert.deepEqual(problems, []);
  engines.push(e as KubeEngine);
  return e as KubeEngine;
}

const ctx: ProfileContext = { userHome: '/home/alice', user: 'alice', uid: 1000, gid: 1000, env: { HF_TOKEN: TOKEN } };

function planOf(raw: Record<string, unknown>) {
  const { profiles, problems } = parseProfiles([{ image: 'gpu-containers-test/bash:1', ...raw }], { source: 'user' });
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  const p = profiles[0];
  const built = toCreateOptions(p, ctx, { forKubernetes: true, labels: { [RUN_LABEL]: RUN } });
  return toPod(p, built.options, { uid: 1000, gid: 1000 });
}

function kubectl(args: string[], input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig!, ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Polls `fn` until it returns a value (no fixed waits: the condition, with a deadline). */
async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

void describe('Kubernetes backend on the rig cluster', { skip }, () => {
  let alice: KubeEngine;
  const events: EngineEvent[] = [];
  let sub: { dispose(): void } | undefined;
  before(async () => {
    alice = engine('gpuc-alice');
    let connected!: () => void;
    const up = new Promise<void>((r) => (connected = r));
    sub = alice.events((e) => events.push(e), { onState: (s) => s === 'connected' && connected() });
    await up;
  });
  after(async () => {
    sub?.dispose();
    await kubectl([
      '--context',
      'gpuc-admin',
      '-n',
      'alice',
      'delete',
      'pods,secrets',
      '-l',
      `${RUN_LABEL}=${RUN}`,
      '--wait=false',
    ]);
    for (const e of engines) e.dispose();
  });

  void it('launches a GPU profile as a pod: GPUs from the device plugin, secret env through a Secret it owns, kubectl exec works', async () => {
    const plan = planOf({
      name: 'bert',
      containerName: `${RUN}-bert`,
      gpus: 1,
      shmSize: '1g',
      env: { HF_TOKEN: '${env:HF_TOKEN}', MODE: 'train' },
    });
    assert.ok(!JSON.stringify(plan.pod).includes(TOKEN));
    plan.pod.metadata.labels![RUN_LABEL] = RUN;
    const name = await alice.launchPod(plan);
    const row = await until('the pod to run', async () => {
      const r = (await alice.listContainers({ all: true })).find((c) => c.name === name);
      return r?.state === 'running' ? r : undefined;
    });
    assert.equal(row.owner, 'alice');
    assert.equal(row.gpu?.count, 1);
    assert.match(row.gpu?.deviceIds?.[0] ?? '', /^gpuc-node-[ab]\/nvidia\.com\/gpu\/[01]$/);
    const d = await alice.inspectContainer(name);
    assert.ok(d.config.env.includes('HF_TOKEN'), 'the secret is named, without its value');
    assert.ok(!JSON.stringify(d.raw).includes(TOKEN));
    assert.equal(d.shmSize, 1024 ** 3);
    // The Secret is the pod's own (the garbage collector deletes it with the pod).
    const secret = await kubectl([
      '--context',
      'gpuc-admin',
      '-n',
      'alice',
      'get',
      'secret',
      plan.secretName,
      '-o',
      'json',
    ]);
    assert.equal(secret.code, 0, secret.out);
    assert.equal(JSON.parse(secret.out).metadata.ownerReferences?.[0]?.name, name);
    // The terminal's argv, run for real (stdin piped instead of typed).
    const args = kubectlExecArgs({ kube: { context: 'gpuc-alice' } }, name);
    const r = await kubectl(
      args,
      'echo "gpus=$NVIDIA_VISIBLE_DEVICES token=${#HF_TOKEN} shm=$(df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2)"; ls /dev/nvidia*; exit\n',
    );
    assert.match(r.out, /gpus=GPU-fake-gpuc-node-[ab]-[01] token=27 shm=1048576/, r.out);
    assert.match(r.out, /\/dev\/nvidia[01]/);
    // The watch saw it come and start.
    await until('create and start events', () =>
      events.some((e) => e.id === name && e.action === 'create') &&
      events.some((e) => e.id === name && e.action === 'start')
        ? true
        : undefined,
    );
    // Stop deletes it; the row goes by the watch, the Secret by the garbage collector.
    await alice.stopContainer(name);
    await until('the destroy event', () =>
      events.some((e) => e.id === name && e.action === 'destroy') ? true : undefined,
    );
    await until('the Secret to go with the pod', async () => {
      const s = await kubectl(['--context', 'gpuc-admin', '-n', 'alice', 'get', 'secret', plan.secretName]);
      return s.code !== 0 && /NotFound/.test(s.out) ? true : undefined;
    });
  });

  void it("two 2-GPU pods take both nodes; a third waits Pending with the scheduler's reason, said by the preflight first", async () => {
    const names: string[] = [];
    for (const i of [1, 2]) {
      const plan = planOf({ name: 'big', containerName: `${RUN}-big${i}`, gpus: 2 });
      plan.pod.metadata.labels![RUN_LABEL] = RUN;
      names.push(await alice.launchPod(plan));
    }
    const rows = await until('both to run', async () => {
      const l = (await alice.listContainers({ all: true })).filter((c) => names.includes(c.name));
      return l.length === 2 && l.every((c) => c.state === 'running') ? l : undefined;
    });
    const nodesOf = rows.map((r) => r.gpu?.deviceIds?.[0]?.split('/')[0]).sort();
    assert.deepEqual(nodesOf, ['gpuc-node-a', 'gpuc-node-b']);
    // The GPU rows: four slots, all held, none free.
    const snap = clusterSnapshot(await alice.nodes());
    assert.equal(snap.gpus.length, 4);
    const model = buildGpuModel({ ...snap, containers: await alice.listContainers({ all: true }) });
    assert.equal(model.filter((m) => m.free).length, 0);
    const pre = await clusterPreflight(alice, { gpus: 2, secrets: false, image: 'x' });
    assert.deepEqual(pre.errors, []);
    assert.match(pre.waits ?? '', /No node of .* has 2 free GPUs now/);
    const third = planOf({ name: 'big', containerName: `${RUN}-big3`, gpus: 2 });
    third.pod.metadata.labels![RUN_LABEL] = RUN;
    const name = await alice.launchPod(third);
    const pending = await until("the scheduler's reason", async () => {
      const r = (await alice.listContainers({ all: true })).find((c) => c.name === name);
      return r && /^Pending: .*Insufficient nvidia\.com\/gpu/.test(r.status) ? r : undefined;
    });
    assert.equal(pending.state, 'created');
    assert.equal(pending.gpu, undefined);
    // A holder goes: the waiting pod is scheduled and runs.
    await alice.removeContainer(names[0], { force: true });
    await until('the third pod to run', async () => {
      const r = (await alice.listContainers({ all: true })).find((c) => c.name === name);
      return r?.state === 'running' ? true : undefined;
    });
    for (const n of [names[1], name]) await alice.removeContainer(n, { force: true });
  });

  void it('the preflight names what can never work: no rights, no namespace, no node big enough', async () => {
    const nobody = await clusterPreflight(engine('gpuc-nobody'), { gpus: 0, secrets: true, image: 'x' });
    assert.equal(nobody.errors.length, 3, nobody.errors.join('\n'));
    assert.match(nobody.errors[0], /may not create pods in the namespace alice/);
    const missing = await clusterPreflight(engine('gpuc-admin', `${RUN}-nope`), {
      gpus: 0,
      secrets: false,
      image: 'x',
    });
    assert.match(missing.errors.join(' '), /namespace .*-nope does not exist/);
    const big = await clusterPreflight(alice, { gpus: 3, secrets: false, image: '' });
    assert.match(big.errors.join(' '), /needs an image/);
    assert.match(big.errors.join(' '), /No node of .* has 3 GPUs/);
  });

  void it("what a cluster does not do says so; a user without rights gets the server's words and the fix", async () => {
    await assert.rejects(alice.createContainer({ Image: 'x' }), /launched from a launch profile/);
    await assert.rejects(alice.commitContainer(), /not something a Kubernetes cluster does/);
    assert.deepEqual(await alice.listImages(), []);
    const nobody = engine('gpuc-nobody');
    await assert.rejects(nobody.listContainers({ all: true }), (e: Error & { kind?: string; fix?: string }) => {
      assert.equal(e.kind, 'permissionDenied');
      assert.match(e.message, /forbidden/);
      assert.match(e.fix ?? '', /admin/);
      return true;
    });
  });
});
