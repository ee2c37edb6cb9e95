import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import { parseProfiles } from '../../../src/core/profiles';
import type { GpuNode } from '../../../src/core/tree/gpuRows';
import { api, BUSYBOX, cleanupByLabel, docker, inspect, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';
import { replayedGpu1, replayingStandIn } from './standInSmi';

describe('Idle policy per profile (replaying stand-in nvidia-smi, real engine, time compressed by the settings)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-idlepolicy-smi-'));
  const config = () => vscode.workspace.getConfiguration('gpuContainers');
  const gpu1 = replayedGpu1();
  const keys = [
    'gpus.nvidiaSmiPath',
    'gpus.idleAfter',
    'gpus.idleBelow',
    'gpus.refreshInterval',
    'gpus.idleGraceSeconds',
  ];

  after(async () => {
    for (const k of keys) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    for (const t of vscode.window.terminals) t.dispose();
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stops the user's own idle container after the notice's undo window; another owner's with the same policy label is never touched", async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const name = `gpuc-${RUN}-idle-bert`;
    const alice = `gpuc-${RUN}-idle-alice`;
    // Alice's container: the same policy label, holding the same GPU — not this user's.
    await docker(
      'run',
      '-d',
      '--name',
      alice,
      '--label',
      RUN_LABEL,
      '--label',
      'gpu-containers.owner=alice',
      '--label',
      'gpu-containers.idle=below=5%;for=3s;then=stop',
      '--label',
      `gpu-containers.gpu-uuids=${gpu1}`,
      BUSYBOX,
      'sleep',
      '600',
    );
    // This user's launch: the profile's idle policy; the claim label makes it GPU 1's holder (no NVIDIA runtime here).
    const original = services.config.profiles.bind(services.config);
    const parsed = parseProfiles(
      [
        {
          name: 'bert',
          image: BUSYBOX,
          containerName: name,
          idle: { below: '5%', for: '3s', then: 'stop' },
          labels: { [RUN_LABEL.split('=')[0]]: RUN_LABEL.split('=')[1], 'gpu-containers.gpu-uuids': gpu1 },
          command: ['sleep', '600'],
        },
      ],
      { source: 'workspace' },
    );
    assert.deepEqual(parsed.problems, []);
    services.config.profiles = () => ({ ...original(), profiles: parsed.profiles });
    let result: LaunchResult | undefined;
    try {
      result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'bert');
    } finally {
      services.config.profiles = original;
    }
    assert.ok(result, JSON.stringify(ui.asked));
    const launched = await inspect(name);
    assert.equal(launched.State.Running, true);
    assert.equal(
      launched.Config.Labels['gpu-containers.idle'],
      'below=5%;for=3s;then=stop',
      'the policy is in a label',
    );
    await services.refresh.refreshAll();

    // Time compressed: a reading a second, idle after 3 s, an undo window of 2 s.
    await config().update('gpus.idleBelow', '5%', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleAfter', '1s', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleGraceSeconds', 2, vscode.ConfigurationTarget.Global);
    await config().update('gpus.refreshInterval', 1, vscode.ConfigurationTarget.Global);
    await config().update('gpus.nvidiaSmiPath', replayingStandIn(dir), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');

    let runningWhenTold: boolean | undefined;
    const diagnose = async (e: unknown): Promise<never> => {
      const id = (await inspect(name)).Id;
      const rows = services.gpus.rows();
      throw new Error(
        `${String(e)}; asked: ${ui.asked.map((a) => a.id).join(',')}; idleMs: ${services.gpus.history.containerIdleMs(id, 5)}; ` +
          `samples: ${JSON.stringify(services.gpus.history.containerSamples(id).slice(-4))}; ` +
          `holders of GPU 1: ${rows
            .filter((r) => r.gpu.uuid === gpu1)
            .flatMap((r) => r.holders.map((h) => `${h.container.name}:${h.active}`))
            .join(',')}; mine: ${services.refresh.containers
            .all()
            .filter((c) => c.name === name)
            .map((c) => `${c.state}/${c.labels['gpu-containers.owner']}`)
            .join(',')} user ${services.user.name}; gpu: ${JSON.stringify(
            services.refresh.containers
              .all()
              .filter((c) => c.name === name)
              .map((c) => c.gpu),
          )}; model holders: ${JSON.stringify(services.gpus.rows().map((r) => r.holders.length))}; rows: ${rows.map((r) => r.gpu.uuid.slice(0, 12)).join(',')}; gpu1 ${gpu1}; ep ${JSON.stringify(services.engines.endpoint)}; target ${JSON.stringify(services.engines.gpuTarget)}; smi ${services.config.nvidiaSmiPath()}`,
      );
    };
    const notice = await waitFor(
      'the idle notice',
      async () => {
        await services.gpus.refresh();
        const a = ui.asked.find((q) => q.id === 'idlePolicy');
        if (a && runningWhenTold === undefined) runningWhenTold = (await inspect(name)).State.Running;
        return a;
      },
      30_000,
      250,
    ).catch(diagnose);
    assert.match(
      String(notice.message),
      new RegExp(
        `^${name} has left its GPUs idle \\(under 5%\\) for \\d+ s; by its launch profile's idle policy it will be stopped in 2 s\\. Idle policies are applied by this extension to your own containers only, while VS Code runs\\.$`,
      ),
    );
    assert.deepEqual(notice.items, ['Keep running', 'Stop now']);
    assert.equal(runningWhenTold, true, 'the notice comes first: the container still runs during the undo window');

    await waitFor(
      `${name} stopped by its idle policy`,
      async () => {
        await services.gpus.refresh();
        return (await inspect(name)).State.Status === 'exited';
      },
      30_000,
      250,
    );
    // The user is told once the row is refreshed (after the stop): waited for, not assumed.
    await waitFor(
      'the "Stopped … (its idle policy)" notice',
      () => ui.asked.some((q) => q.id === 'idlePolicy' && /^Stopped .*\(its idle policy\)\.$/.test(String(q.message))),
      10_000,
      100,
    );

    // Alice's container has been idle as long, and past her policy's window and grace, yet still runs.
    const aliceIdleSeconds = () => {
      const g = (services.gpuView.getChildren() as GpuNode[]).find((n) => n.kind === 'gpu' && n.row.gpu.index === 1);
      const h =
        g &&
        (services.gpuView.getChildren(g) as GpuNode[]).find(
          (n) => n.kind === 'holder' && n.holder.container.name === alice,
        );
      const m = h && /idle (\d+) s/.exec(String(services.gpuView.getTreeItem(h).description));
      return m ? Number(m[1]) : undefined;
    };
    await waitFor(
      "alice's container idle past 3 s + 2 s and another reading",
      async () => {
        await services.gpus.refresh();
        // (Stopped, it would hold no GPU and show no idle time: then the assertion below says so.)
        return (aliceIdleSeconds() ?? 0) >= 7 || !(await inspect(alice)).State.Running;
      },
      30_000,
      250,
    );
    assert.equal((await inspect(alice)).State.Running, true, "another owner's container is never stopped");
    assert.equal(
      ui.asked.filter((q) => q.id === 'idlePolicy' && String(q.message).includes(alice)).length,
      0,
      'nor is its owner told here',
    );
  });
});
