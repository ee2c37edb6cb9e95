import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import type { ContainerSummary } from '../../../src/core/docker';
import { api, BUSYBOX, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';
import { standIn } from './standInSmi';

const execFileP = promisify(execFile);
const [RUN_KEY, RUN_VALUE] = RUN_LABEL.split('=');

/** The rig's rootless Podman (scripts/rig/podman.sh, run by setup.sh): its socket, from podman.env. */
function podmanHost(): string {
  const cache = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
  const envFile = path.join(cache, 'podman.env');
  const host = fs.existsSync(envFile)
    ? /^GPU_CONTAINERS_TEST_PODMAN_HOST=(.+)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1]?.trim()
    : undefined;
  if (!host || !fs.existsSync(host.replace(/^unix:\/\//, '')))
    throw new Error(`no Podman rig (${envFile} or its socket is missing): run bash scripts/rig/podman.sh`);
  return host;
}

/** The podman CLI against the rig's socket, from outside the extension. */
async function podman(host: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileP('podman', ['--remote', '--url', host, ...args], { cwd: '/' });
  return stdout.trim();
}

async function setting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('gpuContainers').update(key, value, target);
}

/** Types into the terminal until `done` says the line ran (the shell inside may still be starting). */
async function typeUntil(terminal: vscode.Terminal, line: string, done: () => Promise<boolean>): Promise<void> {
  await terminal.processId;
  let sentAt = 0;
  await waitFor(
    `the terminal to run: ${line}`,
    async () => {
      if (await done()) return true;
      if (Date.now() - sentAt > 3000) {
        terminal.sendText(line);
        sentAt = Date.now();
      }
      return false;
    },
    30_000,
    300,
  );
}

describe('a GPU profile on a rootless Podman host (rig: scripts/rig/podman.sh, fake CDI nvidia.com/gpu)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-podman-'));
  const name = `gpuc-podman-${RUN}-gpus`;
  let host = '';
  /** The rig's socket under a name that does not say podman: only the host entry (or its version) says so. */
  const link = path.join(dir, 'api.sock');

  before(async () => {
    fs.symlinkSync(podmanHost().replace(/^unix:\/\//, ''), link); // a missing rig fails here: setup.sh installs it
    host = `unix://${link}`;
    await setting('gpus.nvidiaSmiPath', standIn(dir, { apps: 'none' }));
    await setting('hosts', [{ name: 'pod', host, engine: 'podman' }]);
    await setting(
      'profiles',
      [
        {
          name: 'podman-gpus',
          image: BUSYBOX,
          containerName: name,
          gpus: 'device=1,3',
          labels: { [RUN_KEY]: RUN_VALUE },
          command: ['sh', '-c', 'trap exit TERM; while :; do sleep 1; done'],
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    const { services } = await api();
    await waitFor('the Podman host', () => services.engines.endpoint.engine === 'podman', 10_000);
  });
  after(async () => {
    for (const term of vscode.window.terminals) term.dispose();
    await setting('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await setting('hosts', undefined);
    await setting('gpus.nvidiaSmiPath', undefined);
    // The next suite starts on this machine's Docker engine again, not on a Podman host being taken down.
    const { services } = await api();
    await waitFor(
      'back on the Docker engine',
      () => services.engines.endpoint.engine !== 'podman' && services.refresh.state === 'ok',
      20_000,
      100,
    );
    if (host) {
      const ids = (await podman(host, 'ps', '-aq', '--filter', `label=${RUN_LABEL}`)).split('\n').filter(Boolean);
      if (ids.length) await podman(host, 'rm', '-f', ...ids);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('launches with GPUs 1 and 3 through CDI, and its terminal is podman exec with CONTAINER_HOST', async () => {
    const { services } = await api();
    const ui = new ScriptedUi();
    services.ui = ui;
    ui.script('shmWarning', 'Launch Anyway');
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>(
      'gpuContainers.launch',
      'podman-gpus',
    );
    assert.ok(result, `launch returned nothing; prompts: ${JSON.stringify(ui.asked)}`);

    // The container is Podman's, running, and the fake CDI GPUs 1 and 3 (only those) are inside it.
    const state = await podman(host, 'inspect', '--format', '{{.State.Running}} {{.Id}}', name);
    assert.equal(state, `true ${result.id}`);
    // The CDI spec's env edits are in the container's own process (Podman 4.3's exec sessions do not get them).
    const env = (await podman(host, 'exec', name, 'cat', '/proc/1/environ')).split('\0').join('\n');
    assert.match(env, /^GPUC_FAKE_GPU_1=1$/m);
    assert.match(env, /^GPUC_FAKE_GPU_3=1$/m);
    assert.doesNotMatch(env, /^GPUC_FAKE_GPU_[02]=/m);
    assert.equal(await podman(host, 'exec', name, 'cat', '/dev/nvidia1', '/dev/nvidia3'), 'fake GPU 1\nfake GPU 3');
    await assert.rejects(podman(host, 'exec', name, 'cat', '/dev/nvidia0'), 'GPU 0 is not mounted');
    // Docker's daemon never saw it.
    await assert.rejects(execFileP('docker', ['inspect', '--type', 'container', name]));

    // The launch's terminal: `podman exec -it` with the host's CONTAINER_HOST (not DOCKER_HOST), really inside.
    const terminal = result.terminal;
    assert.ok(terminal, 'the launch opened a terminal');
    const opts = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(opts.shellPath, 'podman');
    assert.deepEqual((opts.shellArgs as string[]).slice(0, 2), ['exec', '-it']);
    assert.equal(opts.env?.CONTAINER_HOST, host);
    assert.equal(opts.env?.DOCKER_HOST, undefined);
    const marker = `/tmp/gpuc-podman-${RUN}-launch`;
    await typeUntil(
      terminal,
      `cat /dev/nvidia3 > ${marker}`,
      async () => (await podman(host, 'exec', name, 'cat', marker).catch(() => '')) === 'fake GPU 3',
    );
  });

  it('the row and the GPUs view show the request (device=1,3); Attach Terminal runs podman exec there', async () => {
    const { services } = await api();
    const row = await waitFor(
      'the Podman container in the Containers view',
      () => (services.containersTree.getChildren() as ContainerSummary[]).find((c) => c.name === name),
      15_000,
      100,
    );
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    const rows = await waitFor(
      'GPU rows with the Podman container as holder',
      async () => {
        await services.gpus.refresh();
        const r = services.gpus.rows();
        return r.length === 8 && r[1].holders.some((h) => h.container.name === name) ? r : undefined;
      },
      20_000,
      300,
    );
    const holds = rows.map((r) => r.holders.some((h) => h.container.name === name && h.active));
    assert.deepEqual(holds, [false, true, false, true, false, false, false, false]);
    assert.doesNotMatch(services.gpuView.view.message ?? '', /NVIDIA runtime/);

    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((term) => {
        sub.dispose();
        resolve(term);
      });
    });
    await vscode.commands.executeCommand('gpuContainers.attachTerminal', row);
    const terminal = await opened;
    const opts = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(opts.shellPath, 'podman');
    assert.deepEqual((opts.shellArgs as string[]).slice(0, 3), ['exec', '-it', row.id]);
    assert.equal(opts.env?.CONTAINER_HOST, host);
    const marker = `/tmp/gpuc-podman-${RUN}-attach`;
    await typeUntil(
      terminal,
      `echo attached > ${marker}`,
      async () => (await podman(host, 'exec', name, 'cat', marker).catch(() => '')) === 'attached',
    );
  });

  it('without "engine", the same socket is recognised as Podman from its version', async () => {
    const { services } = await api();
    await setting('hosts', [{ name: 'pod2', host }]);
    await waitFor('Podman recognised', () => services.engines.endpoint.engine === 'podman', 15_000, 100);
    assert.equal(services.engines.endpoint.cli, 'podman');
    assert.deepEqual(services.engines.endpoint.terminalEnv, { CONTAINER_HOST: host });
    await waitFor(
      'the Podman container listed again',
      () => (services.containersTree.getChildren() as ContainerSummary[]).some((c) => c.name === name),
      15_000,
      100,
    );
  });
});
