import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Engine } from '../../../src/core/docker';
import { api, rigKubeconfig, ScriptedUi, waitFor } from './helpers';

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('gpuContainers').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Counts the calls the refused commands would make (the engine's own methods, wrapped on the instance). */
function spy(engine: Engine, names: Array<keyof Engine>): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const target = engine as unknown as Record<string, unknown>;
  for (const n of names) {
    const real = target[n] as (...a: unknown[]) => unknown;
    target[n] = (...a: unknown[]) => {
      calls.push(n);
      return real.apply(engine, a);
    };
  }
  return { calls, restore: () => names.forEach((n) => delete target[n]) };
}

describe('capabilities: a Kubernetes host refuses what it cannot do, before any engine call (rig: k8s.sh)', function () {
  this.timeout(60_000);

  before(async () => {
    await setting('hosts', [
      { name: 'alice-k8s', kubernetes: { context: 'gpuc-alice', namespace: 'alice', kubeconfig: rigKubeconfig() } },
    ]);
    const { services } = await api();
    await waitFor('the Kubernetes host', () => services.engines.endpoint.engine === 'kubernetes', 15_000);
  });
  after(async () => {
    await setting('hosts', undefined);
    const { services } = await api();
    await waitFor(
      'back on the Docker engine',
      () => services.engines.endpoint.engine !== 'kubernetes' && services.refresh.state === 'ok',
      20_000,
      100,
    );
  });

  it('the Images view hides Pull, Load and Build: no host can do them', async () => {
    const { services } = await api();
    await waitFor(
      'the capability keys',
      () => services.refresh.contextKeys.get('gpuContainers.no.pull') === true,
      15_000,
    );
    for (const c of ['pull', 'build', 'saveLoad', 'push', 'commit', 'restartInPlace'])
      assert.equal(services.refresh.contextKeys.get(`gpuContainers.no.${c}`), true, c);
  });

  for (const [id, said] of [
    ['gpuContainers.saveImage', /^alice-k8s is a Kubernetes cluster: it has no images to save or load/],
    ['gpuContainers.loadImage', /^alice-k8s is a Kubernetes cluster: it has no images to save or load/],
    ['gpuContainers.commitContainer', /^alice-k8s is a Kubernetes cluster: a pod cannot be committed/],
    ['gpuContainers.restart', /^alice-k8s is a Kubernetes cluster: a pod cannot be restarted in place/],
  ] as const) {
    it(`${id} from the palette says why in one message, and calls nothing`, async () => {
      const { services } = await api();
      const ui = new ScriptedUi();
      services.ui = ui;
      const s = spy(services.engines.engine, [
        'listImages',
        'inspectImage',
        'exportImages',
        'importImages',
        'commitContainer',
        'inspectContainer',
        'restartContainer',
      ]);
      try {
        await vscode.commands.executeCommand(id);
        await waitFor('the message', () => ui.asked.length > 0, 5_000);
      } finally {
        s.restore();
      }
      assert.equal(ui.asked.length, 1, JSON.stringify(ui.asked));
      assert.equal(ui.asked[0].id, 'commandError');
      assert.match(ui.asked[0].message ?? '', said);
      assert.deepEqual(s.calls, []);
    });
  }
});
