import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import { parseProfiles, type Profile } from '../../../src/core/profiles';
import type { ContainerSummary } from '../../../src/core/docker';
import type { GpuNode } from '../../../src/core/tree/gpuRows';
import { api, BUSYBOX, cleanupByLabel, docker, inspect, REPO, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';
import { replayingStandIn, standIn } from './standInSmi';

const GPU_UUIDS_LABEL = 'gpu-containers.gpu-uuids';
const GPU_REQUEST_LABEL = 'gpu-containers.gpus';
const uuids = fs
  .readFileSync(path.join(REPO, 'test', 'fixtures', 'nvidia-smi', 'synthetic', 'query-gpu-8.csv'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(',')[1].trim());

const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');

describe('GPUs view and GPU preflight (stand-in nvidia-smi, real engine)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-smi-'));
  const cudaTag = `gpu-containers-test/it-${RUN}:cuda`;

  after(async () => {
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', undefined, vscode.ConfigurationTarget.Global);
    await cleanupByLabel();
    await docker('rmi', '-f', cudaTag).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without nvidia-smi the view says why, in words, with the fix', async () => {
    const { services } = await api();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', path.join(dir, 'missing-nvidia-smi'), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await services.gpus.refresh();
    assert.equal(services.gpus.rows().length, 0);
    assert.match(services.gpuView.view.message ?? '', /nvidia-smi not found/);
    assert.match(services.gpuView.view.message ?? '', /Install the NVIDIA driver/);
  });

  it('Run Image with no readable GPUs puts No GPU first, even where the engine has the NVIDIA runtime', async () => {
    const { services } = await api();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', path.join(dir, 'missing-nvidia-smi'), vscode.ConfigurationTarget.Global);
    await services.gpus.refresh(); // no nvidia-smi: no GPU rows
    assert.equal(services.gpus.rows().length, 0);
    // A GPU server with the toolkit whose GPUs cannot be read from here: only what the engine says changes.
    const engine = services.engines.engine;
    const own = Object.getOwnPropertyDescriptor(engine, 'info');
    const info = engine.info.bind(engine);
    engine.info = async (o) => ({ ...(await info(o)), hasNvidiaRuntime: true });
    const ui = new ScriptedUi();
    services.ui = ui;
    try {
      await services.refresh.refreshAll();
      const row = await waitFor('busybox row', () =>
        services.imagesTree.rows(services.refresh).find((r) => r.tag === BUSYBOX),
      );
      await vscode.commands.executeCommand('gpuContainers.runImage', row); // the GPU pick is left unanswered
    } finally {
      if (own) Object.defineProperty(engine, 'info', own);
      else delete (engine as Partial<typeof engine>).info;
    }
    const gpus = ui.asked.find((a) => a.id === 'runImageGpus');
    assert.deepEqual(gpus?.items, ['No GPU', 'All GPUs'], JSON.stringify(ui.asked));
  });

  it('shows one row per GPU and the containers that asked for each, under the right GPU', async () => {
    const { services } = await api();
    const a = `gpuc-${RUN}-dev12`;
    const b = `gpuc-${RUN}-all`;
    await docker('create', '--name', a, '--label', RUN_LABEL, '--gpus', '"device=1,2"', BUSYBOX);
    await docker('create', '--name', b, '--label', RUN_LABEL, '--gpus', 'all', BUSYBOX);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update(
        'gpus.nvidiaSmiPath',
        standIn(dir, { apps: { extraFile: 'extra-apps.csv' } }),
        vscode.ConfigurationTarget.Global,
      );
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await services.refresh.refreshAll();
    await waitFor(
      '8 GPU rows with holders',
      async () => {
        await services.gpus.refresh();
        const rows = services.gpus.rows();
        return rows.length === 8 && rows[1].holders.some((h) => h.container.name === a) ? rows : undefined;
      },
      20_000,
      300,
    );
    const rows = services.gpus.rows();
    const names = (i: number) => rows[i].holders.map((h) => h.container.name);
    assert.ok(names(1).includes(a) && names(2).includes(a));
    assert.ok(!names(0).includes(a) && !names(3).includes(a), 'device=1,2 is not on GPUs 0 or 3');
    for (let i = 0; i < 8; i++) assert.ok(names(i).includes(b), `--gpus all is on GPU ${i}`);
    // Created, not running: listed, but they do not make a GPU busy.
    assert.ok(rows[1].holders.every((h) => h.active === false));
    assert.equal(rows[0].free, true, 'GPU 0 has no process and no running holder');
    assert.equal(rows[1].free, false, 'GPU 1 has a compute process in the recorded output');
    assert.equal(rows[1].gpu.name, 'NVIDIA H100 80GB HBM3');
    assert.match(services.gpuView.view.description ?? '', /of 8 free/);
  });

  it('warns before launching an image that needs a newer CUDA than the driver supports', async () => {
    const { services } = await api();
    const c = `gpuc-${RUN}-cudabase`;
    await docker('create', '--name', c, '--label', RUN_LABEL, BUSYBOX);
    await docker('commit', '--change', 'ENV CUDA_VERSION=13.1.0', c, cudaTag);
    const options: Dockerode.ContainerCreateOptions = {
      Image: cudaTag,
      HostConfig: {
        DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: undefined, Capabilities: [['gpu']], Options: {} }],
      },
    };
    const warnings = await services.gpus.preflight(cudaTag, options);
    assert.ok(
      warnings.some((w) => /needs CUDA 13\.1, but the driver supports up to CUDA 13\.0/.test(w)),
      JSON.stringify(warnings),
    );
    const ok = await services.gpus.preflight(BUSYBOX, options);
    assert.ok(!ok.some((w) => /CUDA/.test(w)), 'an image without a CUDA version is not blocked');
  });
});

/** Scripted answers, and a look at the created container while the launch waits on the GPU start failure. */
class CapturingUi extends ScriptedUi {
  created: Dockerode.ContainerInspectInfo | undefined;
  override async ask(id: string, severity: string, message: string, o: unknown, ...choices: string[]) {
    if (id === 'gpuUnavailable') {
      this.created = await inspect(`gpuc-gpu-${RUN}-free2`).catch(() => undefined);
    }
    return super.ask(id, severity, message, o, ...choices);
  }
}

describe('N free GPUs, the GPUs view rows, Run Image (stand-in nvidia-smi, real engine)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-gpu-smi-'));
  const extra: string[] = [];
  let restoreProfiles: (() => void) | undefined;

  before(async () => {
    const { services } = await api();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update(
        'gpus.nvidiaSmiPath',
        standIn(dir, { apps: { extraFile: 'extra-apps.csv' } }),
        vscode.ConfigurationTarget.Global,
      );
    // Someone else's launch has claimed GPU 0 (created, not started: the claim label counts).
    await docker(
      'create',
      '--name',
      `gpuc-gpu-${RUN}-claim0`,
      '--label',
      RUN_LABEL,
      '--label',
      `${GPU_UUIDS_LABEL}=${uuids[0]}`,
      '--label',
      'gpu-containers.owner=alice',
      '--gpus',
      `device=${uuids[0]}`,
      BUSYBOX,
    );
    // A stopped holder of GPU 3: listed, folded, never busy.
    await docker('create', '--name', `gpuc-gpu-${RUN}-old3`, '--label', RUN_LABEL, '--gpus', 'device=3', BUSYBOX);
    await docker('create', '--name', `gpuc-gpu-${RUN}-allstopped`, '--label', RUN_LABEL, '--gpus', 'all', BUSYBOX);
    await services.refresh.refreshAll();
  });
  after(async () => {
    restoreProfiles?.();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', undefined, vscode.ConfigurationTarget.Global);
    await cleanupByLabel();
    for (const name of extra) await docker('rm', '-f', name).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the view: one line per GPU, free ones say so, the claim holds GPU 0, stopped holders folded, `all` once', async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    const rows = await waitFor(
      'rows with the claim',
      async () => {
        await services.gpus.fresh();
        const r = services.gpus.rows();
        return r.length === 8 && r[0].holders.some((h) => h.active) ? r : undefined;
      },
      20_000,
      300,
    );
    const roots = services.gpuView.getChildren() as GpuNode[]; // one host: no host nodes
    assert.equal(roots.filter((n) => n.kind === 'all').length, 1, '`all` holders have one row');
    const gpu = (i: number) => roots.find((n) => n.kind === 'gpu' && n.row.gpu.index === i)!;
    const item = (n: GpuNode) => services.gpuView.getTreeItem(n);
    assert.equal(item(gpu(0)).label, 'GPU 0');
    assert.match(String(item(gpu(0)).description), /alice\/gpuc-gpu-.*-claim0/);
    assert.match(String(item(gpu(3)).description), /^free · 0\/80 GiB/);
    assert.match(String(item(gpu(5)).description), /^free/);
    assert.doesNotMatch(String(item(gpu(1)).description), /H100/, 'the model is not repeated on every row');
    assert.match(services.gpuView.view.description ?? '', /NVIDIA H100 80GB HBM3 × 8 · 3 of 8 free/);
    const kids3 = services.gpuView.getChildren(gpu(3)) as GpuNode[];
    assert.deepEqual(
      kids3.map((k) => k.kind),
      ['stopped'],
    );
    assert.equal(rows[3].free, true);
    const procs2 = (services.gpuView.getChildren(gpu(2)) as GpuNode[]).map((k) => String(item(k).description));
    assert.ok(
      procs2.some((d) => /not in a container/.test(d)),
      JSON.stringify(procs2),
    );
  });

  it('launch "2 free" picks the two free GPUs on one NUMA node; docker inspect shows exactly those ids', async () => {
    const { services } = await api();
    const ui = new CapturingUi();
    services.ui = ui;
    const original = services.config.profiles.bind(services.config);
    const parsed = parseProfiles(
      [
        {
          name: 'free2',
          image: BUSYBOX,
          containerName: `gpuc-gpu-${RUN}-free2`,
          gpus: 2,
          shmSize: '1g',
          labels: { [RUN_LABEL.split('=')[0]]: RUN_LABEL.split('=')[1] },
          command: ['sleep', '600'],
        },
      ],
      { source: 'workspace' },
    );
    assert.deepEqual(parsed.problems, []);
    const free2: Profile = { ...parsed.profiles[0], gpus: { free: { count: 2 } } };
    const stub = () => ({ ...original(), profiles: [free2] });
    services.config.profiles = stub;
    restoreProfiles = () => (services.config.profiles = original);

    // The quick pick says what will be taken.
    const details: string[] = [];
    ui.script('pickProfile', (i: vscode.QuickPickItem) => void details.push(i.detail ?? ''));
    await vscode.commands.executeCommand('gpuContainers.launch');
    assert.match(details[0] ?? '', /GPUs 5,6 \(free, 80 GiB each\)/, JSON.stringify(details));

    ui.script('noNvidiaRuntime', 'Launch Anyway');
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'free2');
    assert.equal(result, undefined, 'the start fails here (no NVIDIA toolkit)');
    const asked = ui.asked.map((a) => a.id);
    assert.ok(asked.includes('noNvidiaRuntime') && asked.includes('gpuUnavailable'), JSON.stringify(ui.asked));
    const created = ui.created;
    assert.ok(created?.HostConfig, 'the container was created before the start failed');
    const ids = (created.HostConfig.DeviceRequests ?? []).flatMap((r) => r.DeviceIDs ?? []);
    assert.deepEqual(ids, [uuids[5], uuids[6]]);
    assert.equal(created.Config.Labels[GPU_UUIDS_LABEL], `${uuids[5]},${uuids[6]}`);
    assert.equal(created.Config.Labels[GPU_REQUEST_LABEL], 'free=2');
    const findings = ui.asked.find((a) => a.id === 'noNvidiaRuntime')?.message ?? '';
    assert.match(findings, /NVIDIA runtime/);
  });

  it('not enough free GPUs: who holds them, and Use fewer / Wait', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const original = services.config.profiles.bind(services.config);
    const p = { ...original().profiles[0], gpus: { free: { count: 4 } } } as Profile;
    services.config.profiles = () => ({ ...original(), profiles: [p] });
    try {
      ui.script('noNvidiaRuntime', 'Launch Anyway');
      await vscode.commands.executeCommand('gpuContainers.launch', 'free2');
    } finally {
      services.config.profiles = original;
    }
    const q = ui.asked.find((a) => a.id === 'notEnoughGpus');
    assert.ok(q, JSON.stringify(ui.asked));
    assert.match(q.message ?? '', /4 free GPUs are needed, 3 are free/);
    assert.deepEqual(q.items, ['Use 3 Free GPUs', 'Wait']);
    assert.equal(await docker('ps', '-aq', '--filter', `name=gpuc-gpu-${RUN}-free2`), '', 'nothing left behind');
  });

  it('starting a stopped GPU container that the engine cannot give GPUs offers Start without GPU (recreate)', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const name = `gpuc-gpu-${RUN}-oldgpu`;
    await docker(
      'create',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      '--gpus',
      'all',
      '-e',
      'KEEP=1',
      BUSYBOX,
      'sleep',
      '600',
    );
    const parsed = parseProfiles([{ name: 'oldgpu', image: BUSYBOX, containerName: name }], { source: 'workspace' });
    const original = services.config.profiles.bind(services.config);
    services.config.profiles = () => ({ ...original(), profiles: parsed.profiles });
    try {
      ui.script('nameConflict', 'Start Existing');
      ui.script('startWithoutGpu', 'Start without GPU (recreate)');
      const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'oldgpu');
      assert.ok(result, JSON.stringify(ui.asked));
    } finally {
      services.config.profiles = original;
    }
    const q = ui.asked.find((a) => a.id === 'startWithoutGpu');
    assert.deepEqual(q?.items, ['Start without GPU (recreate)', 'Open the NVIDIA Container Toolkit instructions']);
    const info = await inspect(name);
    assert.equal(info.State.Running, true);
    assert.ok(!info.HostConfig.DeviceRequests || info.HostConfig.DeviceRequests.length === 0);
    assert.ok(info.Config.Env.includes('KEEP=1'), 'the rest of the container is kept');
    assert.deepEqual(info.Config.Cmd, ['sleep', '600']);
    for (const t of vscode.window.terminals) t.dispose();
  });

  it('Start on a stopped --gpus container offers the same way out', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const name = `gpuc-gpu-${RUN}-startgpu`;
    await docker('create', '--name', name, '--label', RUN_LABEL, '--gpus', 'device=0', BUSYBOX, 'sleep', '600');
    await services.refresh.refreshAll();
    const row = await waitFor('row', () => services.refresh.containers.findByName(name));
    ui.script('startWithoutGpu', 'Start without GPU (recreate)');
    await vscode.commands.executeCommand('gpuContainers.start', row);
    assert.ok(
      ui.asked.some((a) => a.id === 'startWithoutGpu'),
      JSON.stringify(ui.asked),
    );
    const info = await inspect(name);
    assert.equal(info.State.Running, true);
    assert.ok(!info.HostConfig.DeviceRequests || info.HostConfig.DeviceRequests.length === 0);
  });

  it('GPU requests beyond the host are flagged in the preflight, with everything else wrong, at once', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const parsed = parseProfiles(
      [
        { name: 'many', image: BUSYBOX, containerName: `gpuc-gpu-${RUN}-many`, gpus: 99, shmSize: '1g' },
        { name: 'abc', image: BUSYBOX, containerName: `gpuc-gpu-${RUN}-abc`, gpus: ['abc'], shmSize: '1g' },
      ],
      { source: 'workspace' },
    );
    const original = services.config.profiles.bind(services.config);
    services.config.profiles = () => ({ ...original(), profiles: parsed.profiles });
    try {
      await vscode.commands.executeCommand('gpuContainers.launch', 'many');
      await vscode.commands.executeCommand('gpuContainers.launch', 'abc');
    } finally {
      services.config.profiles = original;
    }
    const asked = ui.asked.filter((a) => a.id === 'noNvidiaRuntime').map((a) => a.message ?? '');
    assert.equal(asked.length, 2, JSON.stringify(ui.asked));
    assert.match(asked[0], /NVIDIA runtime/);
    assert.match(asked[0], /asks for 99 GPUs, but this host has 8/);
    assert.match(asked[1], /no GPU abc on this host: it has GPUs 0–7/);
    assert.equal(await docker('ps', '-aq', '--filter', `name=gpuc-gpu-${RUN}-many`), '');
  });

  it('Run Image is a short form: GPUs with what is free (never all first), a unique name, then the launch', async () => {
    const { services } = await api();
    restoreProfiles?.();
    const ui = new ScriptedUi();
    services.ui = ui;
    const name = `gpuc-gpu-${RUN}-run`;
    extra.push(name);
    await services.refresh.refreshAll();
    const row = await waitFor('busybox row', () =>
      services.imagesTree.rows(services.refresh).find((r) => r.tag === BUSYBOX),
    );
    ui.script('runImageGpus', 'No GPU');
    ui.script('runImageContainerName', name);
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.runImage', row);
    assert.equal(result?.name, name, JSON.stringify(ui.asked));
    const gpus = ui.asked.find((a) => a.id === 'runImageGpus');
    assert.equal(gpus?.items?.[0], '1 free GPU');
    assert.equal(gpus?.items?.at(-1), 'All GPUs');
    assert.ok(!ui.asked.some((a) => a.id === 'noNvidiaRuntime'), 'no GPU asked, no GPU questions');
    const info = await inspect(name);
    assert.equal(info.State.Running, true);
    assert.ok(!info.HostConfig.DeviceRequests || info.HostConfig.DeviceRequests.length === 0);
    assert.equal(info.Config.Image, BUSYBOX);
    for (const t of vscode.window.terminals) t.dispose();
  });

  it('Run Image names the container by the containerNameTemplate setting, as a launch does', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const cfg = vscode.workspace.getConfiguration('gpuContainers');
    await cfg.update('containerNameTemplate', 'tpl-${user}-${profile}', vscode.ConfigurationTarget.Global);
    try {
      const row = await waitFor('busybox row', () =>
        services.imagesTree.rows(services.refresh).find((r) => r.tag === BUSYBOX),
      );
      ui.script('runImageGpus', 'No GPU');
      // No answer to the name: the form is cancelled after it was asked (nothing is created).
      await vscode.commands.executeCommand('gpuContainers.runImage', row);
      const asked = ui.asked.find((a) => a.id === 'runImageContainerName')?.options as vscode.InputBoxOptions;
      assert.equal(asked?.value, `tpl-${process.env.USER || 'root'}-busybox`, JSON.stringify(ui.asked));
    } finally {
      await cfg.update('containerNameTemplate', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('GPUs asked for by UUID read as indexes in the Containers row (`GPU 3,6`), the UUIDs in its tooltip', async () => {
    const { services } = await api();
    const name = `gpuc-gpu-${RUN}-uuid36`;
    await docker('create', '--name', name, '--label', RUN_LABEL, '--gpus', `"device=${uuids[3]},${uuids[6]}"`, BUSYBOX);
    await services.refresh.refreshAll();
    const c = await waitFor('its row with its GPU request', async () => {
      await services.gpus.fresh();
      const row = services.refresh.containers.findByName(name);
      return row?.gpu ? row : undefined;
    });
    const item = services.containersTree.getTreeItem(c);
    assert.match(String(item.description), /GPU 3,6/);
    assert.doesNotMatch(String(item.description), /GPU-/);
    const tip = services.containersTree.resolveTreeItem(item, c).tooltip as vscode.MarkdownString;
    assert.ok(tip.value.includes(uuids[3]) && tip.value.includes(uuids[6]), tip.value);
  });

  it("a pick of containers says the status the row says, computed when shown (not Docker's cached string)", async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    const name = `gpuc-gpu-${RUN}-fresh`;
    await docker('run', '-d', '--name', name, '--label', RUN_LABEL, BUSYBOX, 'sleep', '300');
    await services.refresh.refreshAll();
    const c = await waitFor('its row, running', () => {
      const r = services.refresh.containers.findByName(name);
      return r?.state === 'running' ? r : undefined;
    });
    await services.containersTree.setTextFilter(name);
    const descriptions: string[] = [];
    ui.script('pickContainer', (i: vscode.QuickPickItem) => void descriptions.push(i.description ?? ''));
    try {
      await vscode.commands.executeCommand('gpuContainers.stop');
      assert.equal(descriptions.length, 1, JSON.stringify(ui.asked));
      // Docker said "Up Less than a second" / "Up 2 seconds" when it was listed; the row says it in its own words.
      assert.equal(descriptions[0], `${BUSYBOX} · ${services.containersTree.statusOf(c)}`);
      assert.match(descriptions[0], /· Up less than a minute$/);
      assert.ok(!descriptions[0].endsWith(c.status), `not Docker's cached "${c.status}"`);
    } finally {
      await services.containersTree.setTextFilter('');
    }
  });

  it('a running container with a GPU process shows its GPU memory in its row and tooltip (PID → container by /proc)', async () => {
    const { services } = await api();
    const name = `gpuc-g3-${RUN}-mem`;
    extra.push(name);
    await docker('run', '-d', '--name', name, '--label', RUN_LABEL, BUSYBOX, 'sleep', '600');
    // The container's real process, reported by the stand-in as a compute process on GPU 1 (already busy).
    const pid = await docker('inspect', '-f', '{{.State.Pid}}', name);
    const extraApps = path.join(dir, 'extra-apps.csv');
    fs.writeFileSync(extraApps, `${uuids[1]}, ${pid}, 40200\n`);
    const filter = services.containersTree.filter;
    try {
      await services.containersTree.setFilter('all');
      await services.refresh.refreshAll();
      const row = await waitFor('the row', () => services.refresh.containers.findByName(name));
      await waitFor(
        'its GPU memory from the snapshot',
        async () => {
          await services.gpus.refresh();
          return services.gpus.gpuMemoryMiB(row.id) === 40200;
        },
        20_000,
        300,
      ).catch((e: Error) => {
        const s = services.gpus.current;
        throw new Error(`${e.message}: pid ${pid} → ${String(s.pidToContainerId.get(Number(pid)))}`);
      });
      const shown = (services.containersTree.getChildren() as ContainerSummary[]).find((c) => c.id === row.id);
      assert.ok(shown, 'the row is shown');
      const item = services.containersTree.getTreeItem(shown);
      assert.match(String(item.description), / · 39 GiB GPU$/);
      const tip = services.containersTree.resolveTreeItem(item, shown).tooltip as vscode.MarkdownString;
      assert.match(tip.value, /GPU memory: 39 GiB \(40200 MiB, the sum of its processes\)/);
      // Stopped: its row no longer claims GPU memory, whatever the last snapshot said.
      await docker('stop', '-t', '0', name);
      await services.refresh.refreshAll();
      await waitFor('the row stopped', () => services.refresh.containers.get(row.id)?.state === 'exited', 10_000);
      const stopped = services.refresh.containers.get(row.id)!;
      assert.doesNotMatch(String(services.containersTree.getTreeItem(stopped).description), /GiB GPU/);
    } finally {
      fs.rmSync(extraApps, { force: true });
      await services.containersTree.setFilter(filter);
    }
  });
});

describe('Idle holders (replaying stand-in nvidia-smi, real engine, time compressed by the settings)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-idle-smi-'));
  const config = () => vscode.workspace.getConfiguration('gpuContainers');
  const gpu1 = fs
    .readFileSync(path.join(fixtures, 'replay', 'idle.txt'), 'utf8')
    .split('\n')[1]
    .split(',')[1]
    .trim();

  after(async () => {
    for (const k of ['gpus.nvidiaSmiPath', 'gpus.idleAfter', 'gpus.idleBelow', 'gpus.refreshInterval'])
      await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpusIndexOrder');
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('flags the holder idle once GPU 1 stays under idleBelow for idleAfter, and sorts it first', async () => {
    const { services } = await api();
    const name = `gpuc-${RUN}-bert`;
    // Alice's launch claimed GPU 1 (created with the claim label: a holder for ten minutes, no GPU needed).
    await docker(
      'create',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      '--label',
      `${GPU_UUIDS_LABEL}=${gpu1}`,
      '--label',
      'gpu-containers.owner=alice',
      '--gpus',
      `device=${gpu1}`,
      BUSYBOX,
    );
    await services.refresh.refreshAll();
    await config().update('gpus.idleBelow', '5%', vscode.ConfigurationTarget.Global);
    await config().update('gpus.idleAfter', '3s', vscode.ConfigurationTarget.Global);
    await config().update('gpus.refreshInterval', 1, vscode.ConfigurationTarget.Global);
    await config().update('gpus.nvidiaSmiPath', replayingStandIn(dir), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');

    const gpuNode = (index: number) =>
      (services.gpuView.getChildren() as GpuNode[]).find((n) => n.kind === 'gpu' && n.row.gpu.index === index);
    const holderItem = () => {
      const g = gpuNode(1);
      const h = g && (services.gpuView.getChildren(g) as GpuNode[]).find((n) => n.kind === 'holder');
      return h && services.gpuView.getTreeItem(h);
    };
    let sawBusy = false;
    const item = await waitFor(
      'alice/bert flagged idle',
      async () => {
        await services.gpus.refresh();
        const row = services.gpus.rows().find((r) => r.gpu.index === 1);
        const it = holderItem();
        if (!row || !it) return undefined;
        if ((row.gpu.utilizationPct ?? 0) >= 5) {
          sawBusy = true;
          assert.doesNotMatch(String(it.description), /idle/, 'not idle while busy');
        }
        return /idle \d+ s/.test(String(it.description)) ? it : undefined;
      },
      30_000,
      250,
    );
    assert.ok(sawBusy, 'the replay started busy');
    assert.equal(item.label, `alice/${name}`);
    const tip = item.tooltip as vscode.MarkdownString;
    assert.match(tip.value, /Utilization \(last \d+ s\): min 0% · avg \d+% · max 9[5-8]%/);
    const gpuItem = services.gpuView.getTreeItem(gpuNode(1)!);
    assert.match(String(gpuItem.description), new RegExp(`alice/${name} · idle \\d+ s$`));

    // Index order first, then "Show Idle Holders First" puts GPU 1 on top.
    const order = () =>
      (services.gpuView.getChildren() as GpuNode[]).flatMap((n) => (n.kind === 'gpu' ? [n.row.gpu.index] : []));
    assert.deepEqual(order(), [0, 1]);
    await vscode.commands.executeCommand('gpuContainers.gpusIdleFirst');
    assert.deepEqual(order(), [1, 0]);
  });
});

describe('MIG devices (stand-in nvidia-smi with the H100 MIG fixtures, real engine)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-mig-smi-'));
  const mig = [
    ...fs.readFileSync(path.join(fixtures, 'h100-mig', 'nvidia-smi-L.txt'), 'utf8').matchAll(/\(UUID: (MIG-[^)]+)\)/g),
  ].map((m) => m[1]);
  let restoreProfiles: (() => void) | undefined;

  after(async () => {
    restoreProfiles?.();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', undefined, vscode.ConfigurationTarget.Global);
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows MIG devices under their GPU and launches { free: 1, mig: "1g.10gb" } on a free one, claimed by UUID', async () => {
    const { services } = await api();
    const smi = path.join(dir, 'nvidia-smi');
    fs.writeFileSync(
      smi,
      `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${fixtures}/h100-mig/query-gpu.csv' ;;
  *--query-compute-apps*) cat '${fixtures}/h100-mig/query-apps.csv' ;;
  -L) cat '${fixtures}/h100-mig/nvidia-smi-L.txt' ;;
  '') cat '${fixtures}/h100-mig/nvidia-smi.txt' ;;
  *) exit 2 ;;
esac
`,
      { mode: 0o755 },
    );
    // Someone's launch has claimed MIG device 0:1 (created, with the claim label).
    const claim = `gpuc-${RUN}-mig1`;
    await docker(
      'create',
      '--name',
      claim,
      '--label',
      RUN_LABEL,
      '--label',
      `${GPU_UUIDS_LABEL}=${mig[1]}`,
      '--label',
      'gpu-containers.owner=bob',
      '--gpus',
      `device=${mig[1]}`,
      BUSYBOX,
    );
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('gpus.nvidiaSmiPath', smi, vscode.ConfigurationTarget.Global);
    await services.refresh.refreshAll();
    const gpu0 = await waitFor(
      'GPU 0 with its MIG devices, 0:1 held by bob',
      async () => {
        await services.gpus.refresh();
        const n = (services.gpuView.getChildren() as GpuNode[]).find((x) => x.kind === 'gpu' && x.row.gpu.index === 0);
        return n?.kind === 'gpu' && n.row.mig?.[1]?.holders.length ? n : undefined;
      },
      20_000,
      250,
    );
    const kids = services.gpuView.getChildren(gpu0) as GpuNode[];
    const texts = kids
      .filter((k) => k.kind === 'mig')
      .map((k) => {
        const it = services.gpuView.getTreeItem(k);
        const label = typeof it.label === 'string' ? it.label : it.label?.label;
        return `${label ?? ''} ${String(it.description)}`;
      });
    assert.deepEqual(texts, [
      'MIG 0:0 3g.40gb · free',
      `MIG 0:1 1g.10gb · bob/${claim}`,
      'MIG 0:2 1g.10gb · free',
      'MIG 0:3 1g.10gb · free',
      'MIG 0:4 1g.10gb · free',
    ]);

    const name = `gpuc-${RUN}-migfree`;
    let created: Dockerode.ContainerInspectInfo | undefined;
    const ui = new (class extends ScriptedUi {
      override async ask(id: string, severity: string, message: string, o: unknown, ...choices: string[]) {
        if (id === 'gpuUnavailable') created = await inspect(name).catch(() => undefined);
        return super.ask(id, severity, message, o, ...choices);
      }
    })();
    services.ui = ui;
    const original = services.config.profiles.bind(services.config);
    const parsed = parseProfiles(
      [
        {
          name: 'mig1',
          image: BUSYBOX,
          containerName: name,
          gpus: { free: 1, mig: '1g.10gb' },
          shmSize: '1g',
          labels: { [RUN_LABEL.split('=')[0]]: RUN_LABEL.split('=')[1] },
          command: ['sleep', '600'],
        },
      ],
      { source: 'workspace' },
    );
    assert.deepEqual(parsed.problems, []);
    services.config.profiles = () => ({ ...original(), profiles: parsed.profiles });
    restoreProfiles = () => (services.config.profiles = original);
    ui.script('noNvidiaRuntime', 'Launch Anyway');
    await vscode.commands.executeCommand('gpuContainers.launch', 'mig1');
    assert.ok(created?.HostConfig, `created before the start failed: ${JSON.stringify(ui.asked)}`);
    const ids = (created.HostConfig.DeviceRequests ?? []).flatMap((r) => r.DeviceIDs ?? []);
    assert.deepEqual(ids, [mig[2]], 'the lowest free 1g.10gb device, not the claimed one');
    assert.equal(created.Config.Labels[GPU_UUIDS_LABEL], mig[2]);
    assert.equal(created.Config.Labels[GPU_REQUEST_LABEL], 'free=1,mig=1g.10gb');
  });
});
