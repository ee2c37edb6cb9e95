import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import os from 'node:os';
import * as vscode from 'vscode';
import { api, BUSYBOX, rigKubeconfig, RUN, ScriptedUi, waitFor } from './helpers';

const NS = 'alice';
const FINALIZER = 'gpu-containers.test/hold';

/** kubectl as the cluster's admin, in the test namespace: sets up and checks from outside the extension. */
function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', rigKubeconfig(), '--context', 'gpuc-admin', '-n', NS, ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim()),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function podExists(name: string): Promise<boolean> {
  return (await kubectl(['get', 'pod', name, '--ignore-not-found', '-o', 'name'])) !== '';
}

/** A pod as a profile's pod would look (owner and profile labels), ended at once or sleeping. */
function podJson(name: string, o: { profile: string; finalizer?: boolean; running?: boolean }): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: {
        'gpu-containers.owner': os.userInfo().username,
        'gpu-containers.profile': o.profile,
        'gpu-containers-test.run': RUN,
      },
      ...(o.finalizer ? { finalizers: [FINALIZER] } : {}),
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: o.running ? 1 : 0,
      containers: [
        {
          name: 'main',
          image: BUSYBOX,
          imagePullPolicy: 'IfNotPresent',
          command: o.running ? ['sleep', '3600'] : ['true'],
        },
      ],
    },
  });
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('gpuContainers').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('kube relaunch: Start deletes the pod and waits for it to go, bounded (rig: k8s.sh)', function () {
  this.timeout(120_000);
  const stamp = `${RUN}-${Math.random().toString(36).slice(2, 6)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const held = `kw-held-${stamp}`.slice(0, 63);
  const sleeper = `kw-sleep-${stamp}`.slice(0, 63);
  const profile = `kw-noprofile-${stamp}`.slice(0, 63);

  before(async () => {
    await setting('hosts', [
      { name: 'alice-k8s', kubernetes: { context: 'gpuc-alice', namespace: NS, kubeconfig: rigKubeconfig() } },
    ]);
    const { services } = await api();
    await waitFor('the Kubernetes host', () => services.engines.endpoint.engine === 'kubernetes', 15_000);
  });
  after(async () => {
    const { services } = await api();
    services.config.podGoneMarginMs = undefined;
    // The finalizer off, so the held pod goes; then every pod of this run.
    await kubectl(['patch', 'pod', held, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']).catch(
      () => undefined,
    );
    await kubectl(['delete', 'pod', '-l', `gpu-containers-test.run=${RUN}`, '--wait=false']).catch(() => undefined);
    await waitFor(
      'the pods of this run gone',
      async () => !(await podExists(held)) && !(await podExists(sleeper)),
      60_000,
      500,
    );
    await setting('hosts', undefined);
    await waitFor(
      'back on the Docker engine',
      () => services.engines.endpoint.engine !== 'kubernetes' && services.refresh.state === 'ok',
      20_000,
      100,
    );
  });

  /** The pod's row, once the rows (the watch, or a list) show it in the wanted state. */
  async function rowOf(name: string, state: string): Promise<void> {
    const { services } = await api();
    await waitFor(
      `${name} ${state}`,
      async () => {
        if (!services.refresh.active) await services.refresh.refreshAll();
        return services.refresh.containers.get(name)?.state === state;
      },
      60_000,
      200,
    );
  }

  it('a pod a finalizer holds: Start ends with an error that names the pod, its finalizer and the fix', async () => {
    const { services } = await api();
    await kubectl(['create', '-f', '-'], podJson(held, { profile, finalizer: true }));
    await rowOf(held, 'exited');
    services.config.podGoneMarginMs = 2_000;
    const ui = new ScriptedUi({ podRelaunch: [0] });
    services.ui = ui;
    await vscode.commands.executeCommand('gpuContainers.start', held);
    const error = await waitFor('the error', () => ui.asked.find((a) => a.id === 'commandError'), 60_000);
    assert.match(
      error.message ?? '',
      new RegExp(`^The pod ${held} is still there \\d+ s after it was deleted: its finalizers \\(${FINALIZER}\\)`),
    );
    assert.match(error.message ?? '', new RegExp(`kubectl get pod ${held} -n ${NS} -o yaml`));
    // It is still there (terminating), and nothing was launched in its place.
    assert.ok(await podExists(held));
    assert.match(await kubectl(['get', 'pod', held, '-o', 'jsonpath={.metadata.deletionTimestamp}']), /\d/);
    assert.deepEqual(
      ui.asked.map((a) => a.id),
      ['podRelaunch', 'commandError'],
    );
  });

  it('a pod that goes: Start waits for it (the watch, or a direct read), then relaunches its profile', async () => {
    const { services } = await api();
    services.config.podGoneMarginMs = undefined;
    await kubectl(['create', '-f', '-'], podJson(sleeper, { profile, running: true }));
    await rowOf(sleeper, 'running');
    const ui = new ScriptedUi({ podRelaunch: [0] });
    services.ui = ui;
    await vscode.commands.executeCommand('gpuContainers.start', sleeper);
    const error = await waitFor('the relaunch', () => ui.asked.find((a) => a.id === 'commandError'), 60_000);
    // The wait ended because the pod was gone: the relaunch ran (and found no profile of that name).
    assert.equal(error.message, `${profile} cannot be launched again: no launch profile has that name any more.`);
    assert.equal(await podExists(sleeper), false);
  });
});
