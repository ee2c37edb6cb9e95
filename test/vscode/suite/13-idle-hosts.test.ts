import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { HostNode } from '../../../src/core/hosts/hostNode';
import type { GpuNode } from '../../../src/core/tree/gpuRows';
import { api, BUSYBOX, REPO, RUN, RUN_LABEL, waitFor } from './helpers';
import { replayingStandIn, standIn } from './standInSmi';

const execFileP = promisify(execFile);
/** The rig's second engine (scripts/rig/ssh.sh) and the ssh alias whose sessions reach it. */
const D2_SOCKET = 'unix:///run/gpuc2/docker.sock';
const HOST2 = process.env.GPU_CONTAINERS_HOST2 ?? 'ssh://gpuc-host2';
const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');

async function docker2(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, { env: { ...process.env, DOCKER_HOST: D2_SOCKET } });
  return stdout.trim();
}

describe('Use history and idle holders on a host other than the first (ssh://gpuc-host2, replaying stand-in)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-idlehosts-'));
  const config = () => vscode.workspace.getConfiguration('gpuContainers');
  const gpu1 = fs
    .readFileSync(path.join(fixtures, 'replay', 'idle.txt'), 'utf8')
    .split('\n')[1]
    .split(',')[1]
    .trim();
  const keys = ['hosts', 'gpus.nvidiaSmiPath', 'gpus.idleAfter', 'gpus.idleBelow', 'gpus.refreshInterval'];

  after(async () => {
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
});
