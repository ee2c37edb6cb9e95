import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { parseProfiles, type Profile } from '../../../src/core/profiles';
import type { GpuNode } from '../../../src/core/tree/gpuRows';
import {
  api,
  BUSYBOX,
  cleanupByLabel,
  docker,
  exists,
  inspect,
  REPO,
  RUN,
  RUN_LABEL,
  ScriptedUi,
  waitFor,
} from './helpers';
import { standIn } from './standInSmi';

const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');
const uuids = fs
  .readFileSync(path.join(fixtures, 'synthetic', 'query-gpu-8.csv'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(',')[1].trim());

/** Makes these GPUs busy (a compute process outside any container on each), the others as recorded. */
function busy(dir: string, indices: number[]): void {
  fs.writeFileSync(path.join(dir, 'busy.csv'), indices.map((i) => `${uuids[i]}, ${990000 + i}, 1024\n`).join(''));
}

describe('GPU leases and the wait queue (stand-in nvidia-smi, real engine)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-lease-smi-'));

  before(async () => {
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update(
        'gpus.nvidiaSmiPath',
        standIn(dir, { apps: { extraFile: 'busy.csv' }, summary: false }),
        vscode.ConfigurationTarget.Global,
      );
  });
  after(async () => {
    const { services } = await api();
    for (const q of [...services.gpuQueue.list]) await services.gpuQueue.cancel(q.id);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', undefined, vscode.ConfigurationTarget.Global);
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a lease is shown to another user: "held by alice until …", and an expired one is marked', async () => {
    const { services } = await api();
    const claim = (name: string, gpu: number, until: Date) =>
      docker(
        'create',
        '--name',
        name,
        '--label',
        RUN_LABEL,
        '--label',
        `gpu-containers.gpu-uuids=${uuids[gpu]}`,
        '--label',
        'gpu-containers.owner=alice',
        '--label',
        `gpu-containers.lease-until=${until.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
        '--label',
        'gpu-containers.lease-hold=8h',
        '--gpus',
        `device=${uuids[gpu]}`,
        BUSYBOX,
      );
    const until = new Date(Date.now() + 2 * 3_600_000);
    await claim(`gpuc-lease-${RUN}-held`, 3, until);
    await claim(`gpuc-lease-${RUN}-expired`, 5, new Date(Date.now() - 10 * 60_000));
    await services.refresh.refreshAll();
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    const holderText = async (gpu: number) =>
      waitFor(
        `the holder row of GPU ${gpu}`,
        async () => {
          await services.gpus.fresh();
          const roots = services.gpuView.getChildren() as GpuNode[];
          const node = roots.find((n) => n.kind === 'gpu' && n.row.gpu.index === gpu);
          const kids = node ? (services.gpuView.getChildren(node) as GpuNode[]) : [];
          const h = kids.find((k) => k.kind === 'holder');
          return h ? services.gpuView.getTreeItem(h) : undefined;
        },
        20_000,
        300,
      );
    const held = await holderText(3);
    const hm = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`;
    assert.equal(held.label, `alice/gpuc-lease-${RUN}-held`);
    assert.match(String(held.description), new RegExp(`held by alice until ${hm}$`));
    const expired = await holderText(5);
    assert.match(String(expired.description), /lease expired (10|11) minutes ago/);
    // The "not enough free GPUs" dialog names the expired holder (nothing is freed for the asker).
    const details: string[] = [];
    class WithDetails extends ScriptedUi {
      override ask(id: string, severity: string, message: string, o: unknown, ...choices: string[]) {
        if (id === 'notEnoughGpus') details.push(String((o as { detail?: string }).detail));
        return super.ask(id, severity, message, o, ...choices);
      }
    }
    const ui = new WithDetails();
    services.ui = ui;
    const original = services.config.profiles.bind(services.config);
    const p = parseProfiles(
      [{ name: 'want8', image: BUSYBOX, containerName: `gpuc-lease-${RUN}-want8`, shmSize: '1g', gpus: { free: 8 } }],
      { source: 'workspace' },
    ).profiles[0];
    services.config.profiles = () => ({ ...original(), profiles: [p] });
    try {
      ui.script('noNvidiaRuntime', 'Launch Anyway');
      await vscode.commands.executeCommand('gpuContainers.launch', 'want8');
    } finally {
      services.config.profiles = original;
    }
    const q = ui.asked.find((a) => a.id === 'notEnoughGpus');
    assert.ok(q, JSON.stringify(ui.asked));
    assert.match(details.join('\n'), /GPU 5: alice\/gpuc-lease-\S*-expired \([^)]*, lease expired/);
    await docker('rm', '-f', `gpuc-lease-${RUN}-held`, `gpuc-lease-${RUN}-expired`);
  });

  it('a queued launch (Wait) is shown, survives as state, and starts when a stand-in GPU frees up', async () => {
    const { services } = await api();
    await services.refresh.refreshAll();
    busy(dir, [0, 3, 5, 6]); // with the recorded processes on 1, 2, 4, 7: nothing free
    await services.gpus.fresh();
    const name = `gpuc-lease-${RUN}-queued`;
    const original = services.config.profiles.bind(services.config);
    const parsed = parseProfiles(
      [
        {
          name: 'bert',
          image: BUSYBOX,
          containerName: name,
          shmSize: '1g',
          gpus: { free: 1, hold: '8h' },
          labels: { [RUN_LABEL.split('=')[0]]: RUN_LABEL.split('=')[1] },
          command: ['sleep', '600'],
        },
      ],
      { source: 'workspace' },
    );
    assert.deepEqual(parsed.problems, []);
    const bert: Profile = parsed.profiles[0];
    services.config.profiles = () => ({ ...original(), profiles: [bert] });
    let createdIds: string[] | undefined;
    let labels: Record<string, string> | undefined;
    class Capturing extends ScriptedUi {
      override async ask(id: string, severity: string, message: string, o: unknown, ...choices: string[]) {
        if (id === 'gpuUnavailable') {
          const c = await inspect(name).catch(() => undefined);
          createdIds = (c?.HostConfig.DeviceRequests ?? []).flatMap((r) => r.DeviceIDs ?? []);
          labels = c?.Config.Labels;
        }
        return super.ask(id, severity, message, o, ...choices);
      }
    }
    const ui = new Capturing();
    services.ui = ui;
    try {
      ui.script('noNvidiaRuntime', 'Launch Anyway', 'Launch Anyway');
      ui.script('notEnoughGpus', 'Wait');
      await vscode.commands.executeCommand('gpuContainers.launch', 'bert');
      assert.equal(await exists(name), false, 'nothing launched yet');
      // Visible: a row at the top of the Containers view, and the state that a reload reads back.
      assert.deepEqual(
        services.gpuQueue.list.map((q) => q.profile),
        ['bert'],
      );
      const roots = services.containersTree.getChildren();
      const first = services.containersTree.getTreeItem(roots[0]);
      assert.equal(first.label, 'queued: bert — waiting for 1 free GPU on any host');
      assert.equal(first.contextValue, 'queuedLaunch');
      const stored = services.context.workspaceState.get<unknown[]>('gpuContainers.queuedLaunches');
      assert.equal(stored?.length, 1);

      // Launched on the first GPU snapshot that has a free GPU (the start fails here: no NVIDIA toolkit).
      ui.script('gpuUnavailable', 'Launch without GPU');
      busy(dir, [0, 5, 6]);
      await waitFor('the queued launch to start', () => exists(name), 30_000, 200);
      await waitFor('the queue to be empty', () => services.gpuQueue.list.length === 0, 10_000, 100);
      await waitFor('the claim to be inspected', () => createdIds, 30_000, 100);
      assert.deepEqual(createdIds, [uuids[3]], 'it claimed the GPU that freed up');
      assert.match(labels?.['gpu-containers.lease-until'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(labels?.['gpu-containers.lease-hold'], '8h');
      assert.ok(
        ui.asked.some((a) => a.id === 'queuedLaunchStarts'),
        JSON.stringify(ui.asked),
      );
      // "Launch without GPU" recreates the container: it may be missing for a moment between remove and create.
      await waitFor(
        'the container to run',
        () =>
          inspect(name).then(
            (c) => c.State.Running,
            () => false,
          ),
        20_000,
        200,
      );
    } finally {
      services.config.profiles = original;
      busy(dir, []);
    }
  });
});
