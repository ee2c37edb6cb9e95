import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import type { HostNode } from '../../../src/hostsService';
import { api, BASH, cleanupByLabel, docker, REPO, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const execFileP = promisify(execFile);
const [RUN_KEY, RUN_VALUE] = RUN_LABEL.split('=');
/** The rig's second engine (scripts/rig/ssh.sh): its socket, and the ssh alias whose sessions reach it. */
const D2_SOCKET = 'unix:///run/gpuc2/docker.sock';
const HOST2 = process.env.GPU_CONTAINERS_HOST2 ?? 'ssh://gpuc-host2';
const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');

/** The docker CLI against daemon 2 directly (never through the extension). */
async function docker2(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, { env: { ...process.env, DOCKER_HOST: D2_SOCKET } });
  return stdout.trim();
}

/** The rig must be up: a clear failure, not a skip. */
async function requireDaemon2(): Promise<void> {
  await docker2('info').catch((e: Error) => {
    throw new Error(`daemon 2 (${D2_SOCKET}) is not up: run scripts/rig/ssh.sh (${e.message})`);
  });
}

async function onDaemon(which: 1 | 2, name: string): Promise<boolean> {
  try {
    await (which === 1 ? docker : docker2)('inspect', '--type', 'container', name);
    return true;
  } catch {
    return false;
  }
}

/** A stand-in nvidia-smi printing recorded outputs: 8 GPUs here, 1 H100 on host 2. */
function standIn(file: string, gpuCsv: string, appsCsv: string): string {
  fs.writeFileSync(
    file,
    `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${fixtures}/${gpuCsv}' ;;
  *--query-compute-apps*) cat '${fixtures}/${appsCsv}' ;;
  -L) cat '${fixtures}/synthetic/nvidia-smi-L-8.txt' ;;
  topo*) exit 0 ;;
  '') cat '${fixtures}/h100/nvidia-smi.txt' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return file;
}

async function setting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('gpuContainers').update(key, value, target);
}

describe('several hosts side by side (rig: local socket + ssh://gpuc-host2, and one host down)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-hosts-'));
  const only2 = `gpuc-hosts-${RUN}-only2`;
  const launched = `gpuc-hosts-${RUN}-launch`;
  let ui: ScriptedUi;

  before(async () => {
    await requireDaemon2();
    await setting(
      'gpus.nvidiaSmiPath',
      standIn(path.join(dir, 'smi-local'), 'synthetic/query-gpu-8.csv', 'synthetic/query-apps-8.csv'),
    );
    const smi2 = standIn(path.join(dir, 'smi-host2'), 'h100/query-gpu.csv', 'h100/query-apps-empty.clean.csv');
    await docker2('create', '--name', only2, '--label', RUN_LABEL, BASH, 'true');
    await setting('hosts', [
      { name: 'local', host: 'unix:///var/run/docker.sock' },
      { name: 'gpubox2', host: HOST2, nvidiaSmi: smi2 },
      // A host that is down: shown unreachable with the reason, never holding up the two others.
      { name: 'down', host: `unix://${path.join(dir, 'no-such-docker.sock')}` },
    ]);
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor(
      'two hosts reachable, the third not',
      () =>
        services.hosts.list.length === 3 &&
        services.hosts.list.map((h) => services.hosts.status(h).state.kind).join() === 'ok,ok,unreachable',
      30_000,
      200,
    ).catch((e: Error) => {
      const states = services.hosts.list.map((h) => [
        h.name,
        h.resolved.endpoint.host,
        services.hosts.status(h),
        String((h.refresh.lastError?.cause as Error | undefined)?.stack),
      ]);
      throw new Error(`${e.message}: ${JSON.stringify(states)}`);
    });
  });
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(async () => {
    await setting('hosts', undefined);
    await setting('gpus.nvidiaSmiPath', undefined);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    for (const term of vscode.window.terminals) term.dispose();
    const ids = (await docker2('ps', '-aq', '--filter', `label=${RUN_LABEL}`)).split('\n').filter(Boolean);
    if (ids.length) await docker2('rm', '-f', ...ids);
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows one node per host in Containers and Images; a container of daemon 2 only under host 2', async () => {
    const { services } = await api();
    const roots = services.containersTree.getChildren() as HostNode[];
    assert.deepEqual(
      roots.map((n) => {
        const label = services.containersTree.getTreeItem(n).label;
        return typeof label === 'string' ? label : label?.label;
      }),
      ['local', 'gpubox2', 'down'],
    );
    const down = services.containersTree.getTreeItem(roots[2]);
    assert.match(String(down.description), /^unreachable: Cannot reach the Docker engine/);
    assert.match(String(down.contextValue), /^host;unreachable/, 'Retry shows inline on it');
    const item2 = services.containersTree.getTreeItem(roots[1]);
    assert.match(String(item2.description), /1 of 1 GPU free · \d+ running|\d+ running/);
    assert.equal(item2.contextValue, 'host;ok');
    const under = (node: HostNode) => services.containersTree.getChildren(node).map((c) => ('name' in c ? c.name : ''));
    await waitFor('the daemon-2 container under host 2', () => under(roots[1]).includes(only2), 15_000, 200);
    assert.ok(!under(roots[0]).includes(only2), 'not under the local host');
    // The image list lands after the container rows (they never wait for it): wait for it, then check.
    const hasBash = () => services.imagesTree.getChildren(roots[1]).some((r) => 'tag' in r && r.tag === BASH);
    await waitFor('the image list of host 2, with the test image', hasBash, 15_000, 200);
  });

  it('Launch asks where (ranked), and creates the container on daemon 2 only; its terminal runs there', async () => {
    const { services } = await api();
    await vscode.workspace.getConfiguration('gpuContainers').update(
      'profiles',
      [
        {
          name: 'on-host2',
          image: BASH,
          containerName: launched,
          labels: { [RUN_KEY]: RUN_VALUE },
          command: ['bash', '-c', 'trap exit TERM; while :; do sleep 1; done'],
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    ui.script('launchHost', 'gpubox2');
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>('gpuContainers.launch', 'on-host2');
    assert.ok(result, `launch returned nothing; prompts: ${JSON.stringify(ui.asked)}`);
    const asked = ui.asked.find((a) => a.id === 'launchHost');
    assert.ok(asked, 'no host question');
    assert.deepEqual([...(asked.items ?? [])].sort(), ['down', 'gpubox2', 'local']);
    assert.equal(asked.items?.at(-1), 'down', 'the unreachable host is ranked last');
    assert.equal(await onDaemon(2, launched), true, 'created on daemon 2');
    assert.equal(await onDaemon(1, launched), false, 'not on daemon 1');
    assert.equal(JSON.parse(await docker2('inspect', launched))[0].State.Running, true);

    // The tree shows it under host 2.
    const host2 = services.hosts.byName('gpubox2')!;
    await waitFor('row under host 2', () => host2.refresh.containers.findByName(launched), 15_000, 100);

    // The launch's terminal runs `docker exec` with host 2's DOCKER_HOST: a marker written there is on daemon 2.
    const marker = `/tmp/gpuc-hosts-${RUN}-launch`;
    await new Promise((r) => setTimeout(r, 1500));
    result.terminal!.sendText(`echo from-launch > ${marker}`);
    await waitFor(
      'the marker inside the daemon-2 container',
      async () => (await docker2('exec', launched, 'cat', marker).catch(() => '')) === 'from-launch',
      20_000,
      300,
    );
  });

  it('Attach Terminal on a host-2 row runs docker exec against host 2', async () => {
    const { services } = await api();
    const host2 = services.hosts.byName('gpubox2')!;
    const row = services.containersTree.getChildren(host2.node).find((c) => 'name' in c && c.name === launched);
    assert.ok(row, 'the row under host 2');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((term) => {
        sub.dispose();
        resolve(term);
      });
    });
    await vscode.commands.executeCommand('gpuContainers.attachTerminal', row);
    const terminal = await opened;
    const env = (terminal.creationOptions as vscode.TerminalOptions).env ?? {};
    assert.equal(env.DOCKER_HOST, HOST2, "the terminal talks to host 2's engine");
    const marker = `/tmp/gpuc-hosts-${RUN}-attach`;
    await new Promise((r) => setTimeout(r, 1500));
    terminal.sendText(`echo from-attach > ${marker}`);
    await waitFor(
      'the attach marker inside the daemon-2 container',
      async () => (await docker2('exec', launched, 'cat', marker).catch(() => '')) === 'from-attach',
      20_000,
      300,
    );
  });

  it('GPUs view: each host its own GPUs (stand-in nvidia-smi per host, host 2 through ssh)', async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    const [h1, h2, h3] = services.hosts.list;
    await waitFor(
      'GPU rows on both hosts',
      async () => {
        await Promise.all([h1.gpus.refresh(), h2.gpus.refresh()]);
        return h1.gpus.rows().length === 8 && h2.gpus.rows().length === 1;
      },
      30_000,
      500,
    );
    const roots = services.gpus.getChildren() as HostNode[];
    assert.equal(roots.length, 3);
    assert.match(String(services.gpus.getTreeItem(roots[2]).description), /^unreachable/);
    assert.equal(services.hosts.status(h3).state.kind, 'unreachable');
    assert.match(String(services.gpus.getTreeItem(roots[0]).description), /^4 of 8 GPUs free/);
    assert.match(String(services.gpus.getTreeItem(roots[1]).description), /^1 of 1 GPU free/);
    assert.equal(services.gpus.getChildren(roots[1]).length, 1, 'one GPU row under host 2');
    assert.equal(h2.gpus.rows()[0].gpu.name, 'NVIDIA H100 80GB HBM3');
    assert.match(services.gpus.view.description ?? '', /GPU 5\/9 free · 3 hosts · 1 unreachable/);
  });

  it('on a remote host the name conflict is asked first, then a bind path missing there (never an empty mount)', async () => {
    const taken = `gpuc-hosts-${RUN}-paths`;
    const renamed = `${taken}-2`;
    const missing = path.join(dir, 'not-on-host2');
    await docker2('create', '--name', taken, '--label', RUN_LABEL, BASH, 'true');
    await vscode.workspace.getConfiguration('gpuContainers').update(
      'profiles',
      [
        {
          name: 'paths-on-host2',
          image: BASH,
          host: 'gpubox2',
          containerName: taken,
          volumes: [`${missing}:/data`],
          labels: { [RUN_KEY]: RUN_VALUE },
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    const relevant = () => ui.asked.map((a) => a.id).filter((id) => id === 'nameConflict' || id === 'remotePaths');
    // Dismissing the name question ends the launch: the path question must not have come before it.
    await vscode.commands.executeCommand('gpuContainers.launch', 'paths-on-host2');
    assert.deepEqual(relevant(), ['nameConflict'], `prompts: ${JSON.stringify(ui.asked.map((a) => a.id))}`);

    // A new name, then the path: it does not exist on host 2, so the launch is refused unless asked to go on.
    ui.asked.length = 0;
    ui.script('nameConflict', 'New Name…');
    ui.script('newContainerName', renamed);
    await vscode.commands.executeCommand('gpuContainers.launch', 'paths-on-host2');
    assert.deepEqual(relevant(), ['nameConflict', 'remotePaths']);
    const question = ui.asked.find((a) => a.id === 'remotePaths')!;
    assert.ok(question.message?.includes(missing), question.message);
    assert.ok(question.message?.includes('gpubox2'), question.message);
    assert.equal(await onDaemon(2, renamed), false, 'nothing created on host 2');
    assert.equal(await onDaemon(1, renamed), false, 'nothing created locally');
  });
});

describe('GPUs of the first host over ssh (rig: ssh://gpuc-host2 first, or alone)', function () {
  this.timeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-g3-first-'));
  const smi2 = standIn(path.join(dir, 'smi-host2'), 'h100/query-gpu.csv', 'h100/query-apps-empty.clean.csv');

  before(async () => {
    await requireDaemon2();
    await setting(
      'gpus.nvidiaSmiPath',
      standIn(path.join(dir, 'smi-local'), 'synthetic/query-gpu-8.csv', 'synthetic/query-apps-8.csv'),
    );
  });
  after(async () => {
    await setting('hosts', undefined);
    await setting('gpus.nvidiaSmiPath', undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the ssh host listed first shows its GPUs (nvidia-smi run there), the local host its own', async () => {
    const { services } = await api();
    await setting('hosts', [
      { name: 'gpubox2', host: HOST2, nvidiaSmi: smi2 },
      { name: 'local', host: 'unix:///var/run/docker.sock' },
    ]);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await waitFor(
      'GPU rows of both hosts, the ssh one first',
      async () => {
        const [h1, h2] = services.hosts.list;
        if (services.hosts.list.length !== 2 || h1.name !== 'gpubox2') return false;
        await Promise.all([h1.gpus.refresh(), h2.gpus.refresh()]);
        return h1.gpus.rows().length === 1 && h2.gpus.rows().length === 8;
      },
      30_000,
      500,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(services.hosts.list.map((h) => [h.name, h.gpus.current]))}`);
    });
    const first = services.hosts.primary;
    assert.equal(first.gpus, services.gpus, 'the first host is the GPUs view itself');
    assert.equal(first.gpus.current.source, 'host', 'read with nvidia-smi over ssh, not the probe');
    assert.equal(first.gpus.rows()[0].gpu.name, 'NVIDIA H100 80GB HBM3');
    const roots = services.gpus.getChildren() as HostNode[];
    assert.equal(services.gpus.getChildren(roots[0]).length, 1, 'one GPU row under the ssh host');
    assert.equal(services.gpus.getChildren(roots[1]).length, 8, 'eight under the local host');
    assert.match(String(services.gpus.getTreeItem(roots[0]).description), /^1 of 1 GPU free/);
  });

  it('an ssh host alone (no host nodes) shows its GPUs in the GPUs view', async () => {
    const { services } = await api();
    await setting('hosts', [{ name: 'gpubox2', host: HOST2, nvidiaSmi: smi2 }]);
    await vscode.commands.executeCommand('gpuContainers.gpus.focus');
    await waitFor(
      'the ssh host’s one GPU row',
      async () => {
        if (services.hosts.multiple || services.hosts.primary.name !== 'gpubox2') return false;
        await services.gpus.refresh();
        return services.gpus.rows().length === 1;
      },
      30_000,
      500,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify([services.gpus.current, services.gpus.view.message])}`);
    });
    assert.doesNotMatch(services.gpus.view.message ?? '', /probeImage|engine is remote/);
    // Host 2's engine has no NVIDIA runtime: said as for a local engine.
    assert.match(services.gpus.view.message ?? '', /no NVIDIA runtime/);
    assert.equal((services.gpus.getChildren() as Array<{ kind: string }>)[0].kind, 'gpu');
    assert.match(services.gpus.view.description ?? '', /1 of 1 free/);
  });
});
