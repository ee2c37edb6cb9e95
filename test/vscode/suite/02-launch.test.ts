import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import {
  api,
  BASH,
  BUSYBOX,
  cleanupByLabel,
  docker,
  exists,
  inspect,
  RUN,
  RUN_LABEL,
  ScriptedUi,
  uniqueName,
  waitFor,
} from './helpers';

const [RUN_KEY, RUN_VALUE] = RUN_LABEL.split('=');

async function setProfiles(profiles: unknown[]): Promise<void> {
  await vscode.workspace
    .getConfiguration('gpuContainers')
    .update('profiles', profiles, vscode.ConfigurationTarget.Workspace);
}

function cmdline(pid: number): string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

describe('launch, terminals and lifecycle (real engine, real VS Code)', function () {
  this.timeout(90_000);
  let ui: ScriptedUi;
  const launchName = `gpuc-${RUN}-launch`;

  before(async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor('engine ok', () => services.refresh.state === 'ok', 15_000);
  });
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(async () => {
    await setProfiles([]);
    for (const t of vscode.window.terminals) t.dispose();
    await cleanupByLabel();
  });

  it('launches a workspace profile: the container matches the profile and a terminal runs docker exec inside it', async () => {
    const { services } = await api();
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await setProfiles([
      {
        name: 'smoke',
        image: BASH,
        containerName: launchName,
        shmSize: '1g',
        env: { FOO: 'bar baz' },
        volumes: ['${workspaceFolder}:/workspace'],
        workdir: '/workspace',
        ports: ['127.0.0.1::8888'],
        labels: { [RUN_KEY]: RUN_VALUE },
        command: ['bash', '-c', 'trap exit TERM; while :; do sleep 1; done'],
      },
    ]);
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'smoke');
    assert.ok(result, `launch returned nothing; prompts: ${JSON.stringify(ui.asked)}`);
    const info = await inspect(launchName);
    assert.equal(info.State.Running, true);
    assert.equal(info.Config.Image, BASH);
    assert.ok(info.Config.Env.includes('FOO=bar baz'));
    assert.equal(info.HostConfig.ShmSize, 1024 ** 3);
    assert.deepEqual(info.HostConfig.Binds, [`${workspace}:/workspace`]);
    assert.equal(info.Config.WorkingDir, '/workspace');
    assert.equal(info.Config.Labels['gpu-containers.owner'], services.user.name);
    assert.equal(info.Config.Labels['gpu-containers.profile'], 'smoke');
    assert.deepEqual(info.HostConfig.PortBindings['8888/tcp'], [{ HostIp: '127.0.0.1', HostPort: '' }]);

    // The tree shows it.
    await waitFor('the tree row', () =>
      services.containersTree.visible(services.refresh).find((c) => c.name === launchName && c.state === 'running'),
    );

    // The terminal's process is `docker exec -it <id> bash` (probed: the image has bash).
    const terminal = result.terminal!;
    const pid = await waitFor('terminal pid', async () => await terminal.processId, 10_000);
    const argv = await waitFor('docker exec argv', () => {
      const a = cmdline(pid);
      return a.includes('exec') ? a : undefined;
    });
    assert.deepEqual(argv.slice(-4), ['exec', '-it', info.Id, 'bash']);
    assert.match(argv[argv.length - 5] ?? argv[0], /docker$/);

    // Typing in it runs inside the container.
    const marker = `/tmp/marker-${RUN}`;
    await new Promise((r) => setTimeout(r, 500));
    terminal.sendText(`echo launched > ${marker}`);
    await waitFor(
      'the marker inside the container',
      async () => {
        try {
          return (await docker('exec', launchName, 'cat', marker)) === 'launched';
        } catch {
          return false;
        }
      },
      15_000,
      200,
    );
  });

  it('offers Attach / Recreate / New Name when the name is in use, and New Name launches a second container', async () => {
    const second = `${launchName}-2`;
    ui.script('nameConflict', 'New Name…');
    ui.script('newContainerName', second);
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'smoke');
    const conflict = ui.asked.find((a) => a.id === 'nameConflict');
    assert.ok(conflict, 'no name-conflict question was asked');
    assert.deepEqual(conflict.items, ['Attach', 'Recreate…', 'New Name…']);
    assert.equal(result?.name, second);
    assert.equal((await inspect(second)).State.Running, true);
    assert.equal((await inspect(launchName)).State.Running, true, 'the original is untouched');
  });

  it('Remove asks first: dismissing keeps the container, confirming removes it and its row', async () => {
    const { services } = await api();
    const name = `${launchName}-2`;
    const row = await waitFor('row', () => services.refresh.containers.findByName(name));
    await vscode.commands.executeCommand('gpuContainers.remove', row);
    assert.equal(ui.asked.at(-1)?.id, 'confirmRemove');
    assert.equal(await exists(name), true, 'removed without a yes');

    ui.script('confirmRemove', 'Remove');
    await vscode.commands.executeCommand('gpuContainers.remove', row);
    assert.equal(await exists(name), false);
    await waitFor('row gone', () => !services.containersTree.visible(services.refresh).some((c) => c.name === name));
  });

  it('asks twice before removing a container owned by someone else, naming the owner', async () => {
    const { services } = await api();
    const name = uniqueName('theirs');
    await docker('create', '--name', name, '--label', RUN_LABEL, '--label', 'gpu-containers.owner=alice', BUSYBOX);
    const row = await waitFor('row', () => services.refresh.containers.findByName(name));
    ui.script('confirmRemove', 'Remove');
    await vscode.commands.executeCommand('gpuContainers.remove', row);
    const second = ui.asked.find((a) => a.id === 'confirmRemoveOthers');
    assert.ok(
      second?.message?.includes('alice'),
      `second confirmation should name the owner: ${JSON.stringify(ui.asked)}`,
    );
    assert.equal(await exists(name), true, 'removed after only one yes');
    ui.script('confirmRemove', 'Remove');
    ui.script('confirmRemoveOthers', 'Remove');
    await vscode.commands.executeCommand('gpuContainers.remove', row);
    assert.equal(await exists(name), false);
  });

  it('Stop, Start and Restart change the real container', async () => {
    const { services } = await api();
    const row = await waitFor('row', () => services.refresh.containers.findByName(launchName));
    await vscode.commands.executeCommand('gpuContainers.stop', row);
    assert.equal((await inspect(launchName)).State.Running, false);
    await waitFor('row exited', () => services.refresh.containers.findByName(launchName)?.state === 'exited');
    await vscode.commands.executeCommand('gpuContainers.start', services.refresh.containers.findByName(launchName));
    assert.equal((await inspect(launchName)).State.Running, true);
    const before = (await inspect(launchName)).State.StartedAt;
    await vscode.commands.executeCommand('gpuContainers.restart', services.refresh.containers.findByName(launchName));
    assert.notEqual((await inspect(launchName)).State.StartedAt, before);
  });

  it('a GPU profile on an engine without the NVIDIA runtime asks before launching without GPU', async () => {
    const name = `gpuc-${RUN}-gpu`;
    await setProfiles([
      {
        name: 'gpu',
        image: BUSYBOX,
        containerName: name,
        gpus: 'all',
        shmSize: '8g',
        labels: { [RUN_KEY]: RUN_VALUE },
        command: ['sleep', '600'],
      },
    ]);
    await vscode.commands.executeCommand('gpuContainers.launch', 'gpu');
    assert.equal(ui.asked.at(-1)?.id, 'noNvidiaRuntime');
    assert.equal(await exists(name), false, 'created although the user did not choose');

    ui.script('noNvidiaRuntime', 'Launch without GPU');
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'gpu');
    assert.ok(result);
    const info = await inspect(name);
    assert.equal(info.State.Running, true);
    assert.ok(!info.HostConfig.DeviceRequests || info.HostConfig.DeviceRequests.length === 0);
  });

  it('warns about the 64 MB /dev/shm for a GPU profile without shmSize or ipc host', async () => {
    const name = `gpuc-${RUN}-shm`;
    await setProfiles([
      {
        name: 'noshm',
        image: BUSYBOX,
        containerName: name,
        gpus: 'all',
        labels: { [RUN_KEY]: RUN_VALUE },
        command: ['sleep', '600'],
      },
    ]);
    ui.script('noNvidiaRuntime', 'Launch without GPU');
    await vscode.commands.executeCommand('gpuContainers.launch', 'noshm');
    // Without GPUs the shm warning no longer applies: it must not have been asked, and the launch went on.
    assert.ok(!ui.asked.some((a) => a.id === 'shmWarning'));
    assert.equal(await exists(name), true);
  });

  it('shows the welcome state when the engine is unreachable, and recovers on Retry', async () => {
    const { services } = await api();
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('host', 'unix:///tmp/gpu-containers-no-such.sock', vscode.ConfigurationTarget.Global);
    try {
      await waitFor('unreachable', () => services.refresh.state === 'unreachable', 15_000);
      assert.equal(services.containersTree.visible(services.refresh).length, 0);
      assert.match(services.refresh.lastError?.message ?? '', /Docker/);
    } finally {
      await vscode.workspace
        .getConfiguration('gpuContainers')
        .update('host', undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('gpuContainers.retry');
    await waitFor('ok again', () => services.refresh.state === 'ok', 15_000);
    assert.ok(services.containersTree.visible(services.refresh).some((c) => c.name === launchName));
  });
});
