import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { HostNode } from '../../../src/core/hosts/hostNode';
import type { GpuNode } from '../../../src/core/tree/gpuRows';
import type { Ui } from '../../../src/ui';
import { api, BUSYBOX, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';
import { replayedGpu1, replayingStandIn, standIn } from './standInSmi';

const execFileP = promisify(execFile);
/** The rig's second engine (scripts/rig/ssh.sh) and the ssh alias whose sessions reach it. */
const D2_SOCKET = 'unix:///run/gpuc2/docker.sock';
const HOST2 = process.env.GPU_CONTAINERS_HOST2 ?? 'ssh://gpuc-host2';

async function docker2(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, { env: { ...process.env, DOCKER_HOST: D2_SOCKET } });
  return stdout.trim();
}

describe('Use history and idle holders on a host other than the first (ssh://gpuc-host2, replaying stand-in)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-idlehosts-'));
  const config = () => vscode.workspace.getConfiguration('gpuContainers');
  const gpu1 = replayedGpu1();
  const keys = [
    'hosts',
    'gpus.nvidiaSmiPath',
    'gpus.idleAfter',
    'gpus.idleBelow',
    'gpus.refreshInterval',
    'gpus.idleGraceSeconds',
  ];
  let uiBefore: Ui | undefined;

  after(async () => {
    if (uiBefore) (await api()).services.ui = uiBefore;
    for (const k of keys) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    const ids = (await docker2('ps', '-aq', '--filter', `label=${RUN_LABEL}`)).split('\n').filter(Boolean);
    if (ids.length) await docker2('rm', '-f', ...ids);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("flags alice's holder on host 2 idle from host 2's own readings, with its min/avg/max", async () => {
    const { services } = await api();
    await docker2('info').catch((e: Error) => {
      throw new Error(`daemon 2 (${D2_SOCKET}) is not up: run scripts/rig/ssh.sh (${e.message})`);
    });
    const name = `gpuc-${RUN}-h2-bert`;
    // Alice's container on host 2, holding GPU 1 by its claim (host 2 has no NVIDIA runtime: no --gpus start).
    await docker2(
      'run',
      '-d',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      '--label',
      'gpu-containers.owner=alice',
      '--label',
      `gpu-containers.gpu-uuids=${gpu1}`,
      BUSYBOX,
      'sleep',
      '600',
    );
    fs.mkdirSync(path.join(dir, 'local'));
    fs.mkdirSync(path.join(dir, 'host2'));
    await config().update('gpus.idleBelow', '5%', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleAfter', '1s', vscode.ConfigurationTarget.Global);
    await config().update('gpus.refreshInterval', 1, vscode.ConfigurationTarget.Global);
    await config().update(
      'gpus.nvidiaSmiPath',
      standIn(path.join(dir, 'local'), { apps: 'none' }),
      vscode.ConfigurationTarget.Global,
    );
    await config().update(
      'hosts',
      [
        { name: 'local', host: 'unix:///var/run/docker.sock' },
        { name: 'gpubox2', host: HOST2, nvidiaSmi: replayingStandIn(path.join(dir, 'host2')) },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await waitFor('two hosts', () => services.hosts.list.length === 2, 30_000, 200);
    const h2 = services.hosts.list[1];
    const holderItem = () => {
      const root = (services.gpuView.getChildren() as HostNode[])[1];
      const gpu =
        root &&
        (services.gpuView.getChildren(root) as GpuNode[]).find((n) => n.kind === 'gpu' && n.row.gpu.index === 1);
      const h = gpu && (services.gpuView.getChildren(gpu) as GpuNode[]).find((n) => n.kind === 'holder');
      return h && { holder: services.gpuView.getTreeItem(h), gpu: services.gpuView.getTreeItem(gpu) };
    };
    const items = await waitFor(
      "alice's holder on host 2 flagged idle",
      async () => {
        await h2.gpus.fresh();
        const it = holderItem();
        return it && /idle \d+ s/.test(String(it.holder.description)) ? it : undefined;
      },
      45_000,
      300,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(holderItem()?.holder.description)}`);
    });
    assert.equal(items.holder.label, `alice/${name}`);
    assert.match(String(items.gpu.description), new RegExp(`alice/${name} · idle \\d+ s$`));
    const tip = items.holder.tooltip as vscode.MarkdownString;
    assert.match(tip.value, /Utilization \(last \d+ s\): min 0% · avg \d+% · max 9[5-8]%/);
    // Host 2's own history, fed by host 2's readings (not the first host's, which other tests may have fed).
    assert.notEqual(h2.gpus.use().history, services.gpus.use().history);
    assert.ok((h2.gpus.use().history.gpuStats(gpu1)?.samples ?? 0) >= 2);
  });
  it("applies an idle policy on host 2 too: the user's own container there is told, then stopped on daemon 2; a colleague's with the same label keeps running", async () => {
    const { services } = await api();
    await docker2('info').catch((e: Error) => {
      throw new Error(`daemon 2 (${D2_SOCKET}) is not up: run scripts/rig/ssh.sh (${e.message})`);
    });
    const mine = `gpuc-${RUN}-h2-idle-mine`;
    const bob = `gpuc-${RUN}-h2-idle-bob`;
    // As a launch writes it (idleLabels): the policy label, with the owner label; the claim makes each GPU 1's holder.
    const run = (name: string, owner: string) =>
      docker2(
        'run',
        '-d',
        '--name',
        name,
        '--label',
        RUN_LABEL,
        '--label',
        `gpu-containers.owner=${owner}`,
        '--label',
        'gpu-containers.idle=below=5%;for=3s;then=stop',
        '--label',
        `gpu-containers.gpu-uuids=${gpu1}`,
        BUSYBOX,
        'sleep',
        '600',
      );
    assert.ok(services.user.name);
    await run(mine, services.user.name);
    await run(bob, 'bob');
    const state = async (name: string) => docker2('inspect', '-f', '{{.State.Status}}', name);

    // Time compressed: a reading a second, idle after 3 s, an undo window of 2 s.
    fs.mkdirSync(path.join(dir, 'local2'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'host2-policy'), { recursive: true });
    await config().update('gpus.idleBelow', '5%', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleAfter', '1s', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleGraceSeconds', 2, vscode.ConfigurationTarget.Global);
    await config().update('gpus.refreshInterval', 1, vscode.ConfigurationTarget.Global);
    await config().update(
      'gpus.nvidiaSmiPath',
      standIn(path.join(dir, 'local2'), { apps: 'none' }),
      vscode.ConfigurationTarget.Global,
    );
    // A fresh replay (GPU 1 busy, then idle) for host 2: host 2 is rebuilt, and its idle watch with it.
    const before = services.hosts.list[1]?.gpus;
    await config().update(
      'hosts',
      [
        { name: 'local', host: 'unix:///var/run/docker.sock' },
        { name: 'gpubox2', host: HOST2, nvidiaSmi: replayingStandIn(path.join(dir, 'host2-policy')) },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    const h2 = await waitFor(
      'host 2 (re)built',
      () => {
        const h = services.hosts.list[1];
        return services.hosts.list.length === 2 && h && h.gpus !== before ? h : undefined;
      },
      30_000,
      200,
    );
    // Swapped after host 2's watch was built: the watch must still talk to the current Ui (scope's ui getter).
    uiBefore ??= services.ui;
    const ui = new ScriptedUi();
    services.ui = ui;
    await h2.refresh.refreshAll();
    const mineId = await docker2('inspect', '-f', '{{.Id}}', mine);
    const bobId = await docker2('inspect', '-f', '{{.Id}}', bob);
    const told = (name: string) =>
      ui.asked.filter((q) => q.id === 'idlePolicy' && String(q.message).startsWith(`${name} has left its GPUs idle`));

    let runningWhenTold: string | undefined;
    const notice = await waitFor(
      'the idle notice for my container on host 2',
      async () => {
        await h2.gpus.refresh();
        const a = told(mine)[0];
        if (a && runningWhenTold === undefined) runningWhenTold = await state(mine);
        return a;
      },
      30_000,
      250,
    ).catch((e: Error) => {
      throw new Error(
        `${e.message}; asked: ${ui.asked.map((a) => a.id).join(',')}; idleMs: ${h2.gpus.history.containerIdleMs(mineId, 5)}; ` +
          `on host 2: ${h2.refresh.containers
            .all()
            .map((c) => `${c.name}:${c.state}/${c.labels['gpu-containers.owner']}`)
            .join(',')}; user ${services.user.name}`,
      );
    });
    assert.match(
      String(notice.message),
      new RegExp(
        `^${mine} has left its GPUs idle \\(under 5%\\) for \\d+ s; by its launch profile's idle policy it will be stopped in 2 s\\.`,
      ),
    );
    assert.deepEqual(notice.items, ['Keep running', 'Stop now']);
    assert.equal(runningWhenTold, 'running', 'the notice comes first: the container still runs during the undo window');

    await waitFor(
      `${mine} stopped on daemon 2 by its idle policy`,
      async () => {
        await h2.gpus.refresh();
        return (await state(mine)) === 'exited';
      },
      30_000,
      250,
    );
    await waitFor(
      'the "Stopped … (its idle policy)" notice',
      () => ui.asked.some((q) => q.id === 'idlePolicy' && String(q.message) === `Stopped ${mine} (its idle policy).`),
      10_000,
      100,
    );

    // Bob's container has been idle as long, past the policy's window and grace and another reading, yet still runs.
    await waitFor(
      "bob's container idle past 3 s + 2 s and another reading",
      async () => {
        await h2.gpus.refresh();
        return (h2.gpus.history.containerIdleMs(bobId, 5) ?? 0) >= 7000 || (await state(bob)) !== 'running';
      },
      30_000,
      250,
    );
    assert.equal(await state(bob), 'running', "another owner's container is never stopped");
    assert.equal(told(bob).length, 0, 'nor is its owner told here');
    assert.equal(
      ui.asked.filter((q) => String(q.message).includes(bob)).length,
      0,
      "nothing said about bob's container",
    );
  });
});
