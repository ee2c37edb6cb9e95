import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { LaunchResult } from '../../../src/commands/launchCommands';
import type { HostNode } from '../../../src/core/hosts/hostNode';
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
    assert.match(String(item2.contextValue), /^host;ok;can-images;can-pull;/, 'a Docker host: what it can do');
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
    // An ssh:// host's terminal runs over the extension's one ssh connection to that host (issue 27):
    // `ssh … gpuc-host2 docker exec -it …`, not the docker CLI with DOCKER_HOST.
    const opts = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(opts.shellPath, 'ssh', "the terminal runs ssh to host 2's server");
    const args = (opts.shellArgs as string[] | undefined) ?? [];
    assert.equal(args[args.indexOf('--') + 1], HOST2.replace('ssh://', ''), 'the host after --');
    assert.deepEqual(
      args.slice(args.indexOf('--') + 2, args.indexOf('--') + 5),
      ['docker', 'exec', '-it'],
      args.join(' '),
    );
    const marker = `/tmp/gpuc-hosts-${RUN}-attach`;
    // Typed until it lands: the shell inside the container may not be up when the terminal opens.
    await waitFor(
      'the attach marker inside the daemon-2 container',
      async () => {
        terminal.sendText(`echo from-attach > ${marker}`);
        return (await docker2('exec', launched, 'cat', marker).catch(() => '')) === 'from-attach';
      },
      20_000,
      500,
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
    const roots = services.gpuView.getChildren() as HostNode[];
    assert.equal(roots.length, 3);
    assert.match(String(services.gpuView.getTreeItem(roots[2]).description), /^unreachable/);
    assert.equal(services.hosts.status(h3).state.kind, 'unreachable');
    assert.match(String(services.gpuView.getTreeItem(roots[0]).description), /^4 of 8 GPUs free/);
    assert.match(String(services.gpuView.getTreeItem(roots[1]).description), /^1 of 1 GPU free/);
    assert.equal(services.gpuView.getChildren(roots[1]).length, 1, 'one GPU row under host 2');
    assert.equal(h2.gpus.rows()[0].gpu.name, 'NVIDIA H100 80GB HBM3');
    assert.match(services.gpuView.view.description ?? '', /GPU 5\/9 free · 3 hosts · 1 unreachable/);
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

  it('hosts: Inspect on a host-2 row asks host 2 (the URI names the host); from the palette it asks which host', async () => {
    const { services } = await api();
    const host2 = services.hosts.byName('gpubox2')!;
    const row = services.containersTree.getChildren(host2.node).find((c) => 'name' in c && c.name === only2);
    assert.ok(row, 'the daemon-2 container under host 2');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuContainers.inspect', row);
    assert.equal(new URLSearchParams(doc.uri.query).get('host'), 'gpubox2');
    const json = JSON.parse(doc.getText()) as { Name: string; Id: string };
    assert.equal(json.Name, `/${only2}`);
    assert.equal(json.Id, await docker2('inspect', '--format', '{{.Id}}', only2));
    // From the palette: which host first (dismissed: nothing asked after it).
    await vscode.commands.executeCommand('gpuContainers.inspect');
    assert.deepEqual(
      ui.asked.map((a) => a.id),
      ['pickHost'],
    );
  });

  it('hosts: Copy as docker run / Save as Launch Profile use the row’s host, and ask which host from the palette', async () => {
    const { services } = await api();
    const host2 = services.hosts.byName('gpubox2')!;
    const row = services.containersTree.getChildren(host2.node).find((c) => 'name' in c && c.name === only2);
    const text = await vscode.commands.executeCommand<string>('gpuContainers.copyContainerAsDockerRun', row);
    assert.match(text, new RegExp(`--name ${only2}`), text);
    assert.ok(!ui.asked.some((a) => a.id === 'pickHost'), 'a row never asks which host');
    for (const id of ['gpuContainers.copyContainerAsDockerRun', 'gpuContainers.saveContainerAsProfile']) {
      ui.asked.length = 0;
      ui.script('pickHost', 'gpubox2');
      ui.script('pickContainer', only2);
      ui.script('profileName', undefined);
      const out = await vscode.commands.executeCommand<string | undefined>(id);
      assert.equal(ui.asked[0]?.id, 'pickHost', `${id}: ${JSON.stringify(ui.asked.map((a) => a.id))}`);
      const picked = ui.asked.find((a) => a.id === 'pickContainer');
      assert.ok(picked?.items?.includes(only2), `${id}: host 2's containers offered: ${JSON.stringify(picked)}`);
      if (id.endsWith('DockerRun')) assert.match(String(out), new RegExp(`--name ${only2}`));
    }
  });

  it('hosts: Build Image (with Options) from the Explorer on a Dockerfile asks which host', async () => {
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, `FROM ${BASH}\n`);
    for (const id of ['gpuContainers.buildImage', 'gpuContainers.buildImageWithOptions']) {
      ui.asked.length = 0;
      await vscode.commands.executeCommand(id, vscode.Uri.file(file), [vscode.Uri.file(file)]);
      assert.deepEqual(
        ui.asked.map((a) => a.id),
        ['pickHost'],
        id,
      );
      assert.deepEqual(ui.asked[0].items, ['local', 'gpubox2', 'down']);
    }
  });

  it('hosts: a user profile’s host pin holds while the workspace defines profiles; not enough GPUs offers another host', async () => {
    const pinned = `gpuc-hosts-${RUN}-pin`;
    await setting('profiles', [
      {
        name: 'pinned-user',
        image: BASH,
        host: 'gpubox2',
        gpus: { free: 2 },
        shmSize: '1g',
        containerName: pinned,
        labels: { [RUN_KEY]: RUN_VALUE },
        command: ['sleep', '600'],
      },
    ]);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('profiles', [{ name: 'ws-other', image: BASH }], vscode.ConfigurationTarget.Workspace);
    // Host 2 (the pin) has 1 GPU: not enough; local has 4 free → "Launch on local (4 free)".
    ui.script('noNvidiaRuntime', 'Launch Anyway', 'Launch without GPU');
    ui.script('notEnoughGpus', 'Launch on local (4 free)');
    const result = await vscode.commands.executeCommand<LaunchResult | undefined>(
      'gpuContainers.launch',
      'pinned-user',
    );
    assert.ok(!ui.asked.some((a) => a.id === 'launchHost'), 'the pin is used: no host question');
    const notEnough = ui.asked.find((a) => a.id === 'notEnoughGpus');
    assert.ok(notEnough, `prompts: ${JSON.stringify(ui.asked.map((a) => a.id))}`);
    assert.deepEqual(notEnough.items, ['Use 1 Free GPU', 'Launch on local (4 free)', 'Wait']);
    assert.equal(result?.name, pinned);
    assert.equal(await onDaemon(1, pinned), true, 'launched on local instead');
    assert.equal(await onDaemon(2, pinned), false);
    await setting('profiles', undefined);
  });

  it('hosts: the host pick ranks by what works (no NVIDIA runtime said on each line); the profile pick shows no host’s GPU ids', async () => {
    await vscode.workspace.getConfiguration('gpuContainers').update(
      'profiles',
      [
        { name: 'free-one', image: BASH, gpus: { free: 1 } },
        { name: 'broken', image: BASH, shmSize: 'lots' },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await vscode.commands.executeCommand('gpuContainers.launch');
    const pick = ui.asked.find((a) => a.id === 'pickProfile');
    assert.ok(pick, JSON.stringify(ui.asked));
    const detail = pick.details?.[pick.items!.indexOf('free-one')] ?? '';
    assert.equal(detail, '1 free GPUs', 'before a host is chosen, no GPU ids of the first host');
    // Launching free-one (by name): the host question; no toast about the broken profile.
    ui.asked.length = 0;
    await vscode.commands.executeCommand('gpuContainers.launch', 'free-one');
    assert.ok(!ui.asked.some((a) => a.id === 'profileProblems'), JSON.stringify(ui.asked));
    const hostsAsked = ui.asked.find((a) => a.id === 'launchHost');
    assert.ok(hostsAsked, JSON.stringify(ui.asked));
    assert.deepEqual(hostsAsked.items, ['local', 'gpubox2', 'down']);
    for (const d of hostsAsked.details!.slice(0, 2))
      assert.match(d, /^\$\(warning\) no NVIDIA runtime · .* · image here$/);
    // The broken profile launched by name does say its own problem.
    ui.asked.length = 0;
    await vscode.commands.executeCommand('gpuContainers.launch', 'broken');
    assert.ok(
      ui.asked.some((a) => /broken/.test(a.message ?? '')),
      `its own problem is said: ${JSON.stringify(ui.asked)}`,
    );
  });

  it('hosts: Restarting… shows on a host-2 row; headers count every host; image and GPU host rows say what they show', async () => {
    const { services } = await api();
    const host2 = services.hosts.byName('gpubox2')!;
    const c = host2.refresh.containers.findByName(launched)!;
    assert.ok(c, 'the launched host-2 container');
    const clear = services.containersTree.markTransient([c.id], 'restarting');
    try {
      await Promise.all(services.hosts.list.slice(0, 2).map((h) => h.refresh.refreshAll()));
      await waitFor(
        'the host-2 row reads Restarting…',
        () => /Restarting/.test(String(services.containersTree.getTreeItem(c).description)),
        5000,
      );
      assert.equal(services.containersTree.transientState(c.id), 'restarting', 'not pruned against host 1');
    } finally {
      clear();
    }
    const running = services.hosts.list
      .map((h) => h.refresh.containers.all().filter((x) => x.state === 'running').length)
      .reduce((a, b) => a + b, 0);
    await waitFor(
      'the Containers header counts both hosts',
      () => services.containersTree.view.description === `${running} running`,
      5000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${services.containersTree.view.description} (want ${running})`);
    });
    assert.ok(
      host2.refresh.containers.all().some((x) => x.state === 'running'),
      'host 2 has a running one',
    );
    for (const node of services.imagesTree.getChildren() as HostNode[]) {
      const desc = String(services.imagesTree.getTreeItem(node).description);
      if (/unreachable/.test(desc)) continue;
      const shown = services.imagesTree.getChildren(node).length;
      assert.match(desc, new RegExp(`(^| · )${shown} images?$`), `${node.name}: ${desc} beside ${shown} rows`);
    }
    const gpuRoots = services.gpuView.getChildren() as HostNode[];
    assert.match(String(services.gpuView.getTreeItem(gpuRoots[1]).description), /NVIDIA H100 80GB HBM3 × 1/);
    assert.match(String(services.gpuView.getTreeItem(gpuRoots[0]).description), /NVIDIA H100 80GB HBM3 × 8/);
  });

  it('hosts stay (the same hosts, not rebuilt) when an unrelated or a trust-restricted setting changes', async () => {
    const { services } = await api();
    const before = [...services.hosts.list];
    assert.equal(before.length, 3);
    const cfg = () => vscode.workspace.getConfiguration('gpuContainers');
    // An unrelated setting and a restricted one (what trusting a folder re-reads) at user and workspace level:
    // neither may drop or rebuild a host. (A workspace cannot hold `hosts` at all: VS Code refuses the write.)
    await vscode.workspace.getConfiguration('editor').update('tabSize', 3, vscode.ConfigurationTarget.Global);
    await cfg().update('dockerPath', 'docker', vscode.ConfigurationTarget.Global);
    await cfg().update('shell', '/bin/sh', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the settings changes seen', () => cfg().get('shell') === '/bin/sh', 10_000);
      assert.deepEqual(
        services.hosts.list.map((h) => h.name),
        before.map((h) => h.name),
      );
      services.hosts.list.forEach((h, i) => assert.equal(h, before[i], `${h.name} was rebuilt`));
    } finally {
      await vscode.workspace.getConfiguration('editor').update('tabSize', undefined, vscode.ConfigurationTarget.Global);
      await cfg().update('dockerPath', undefined, vscode.ConfigurationTarget.Global);
      await cfg().update('shell', undefined, vscode.ConfigurationTarget.Workspace);
    }
    services.hosts.list.forEach((h, i) => assert.equal(h, before[i], `${h.name} was rebuilt`));
  });

  it('hosts: in a remote window the setting and the hint say the hosts go in the Remote settings', async () => {
    // code-server is a remote window, as Remote-SSH is: VS Code ignores a machine setting's local User value there.
    assert.ok(vscode.env.remoteName, 'code-server runs the extension in a remote window');
    const ext = vscode.extensions.getExtension('gpu-containers.gpu-containers')!;
    const props = (
      ext.packageJSON as {
        contributes: { configuration: Array<{ properties: Record<string, { markdownDescription?: string }> }> };
      }
    ).contributes.configuration.flatMap((c) => Object.entries(c.properties));
    const hosts = props.find(([k]) => k === 'gpuContainers.hosts')![1];
    const nls = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<
      string,
      string
    >;
    const text = nls[/^%(.+)%$/.exec(hosts.markdownDescription ?? '')?.[1] ?? ''] ?? hosts.markdownDescription ?? '';
    assert.match(text, /Remote settings/);
    assert.match(text, /Preferences: Open Remote Settings \(JSON\)/);
    const { services } = await api();
    assert.equal(services.hosts.remoteHint, undefined, 'no hint while the hosts are there');
  });

  it('hosts: every host gone in a remote window: one host left, and the hint names the Remote settings', async () => {
    const { services } = await api();
    await setting('hosts', undefined);
    await waitFor('one host left', () => services.hosts.list.length === 1, 15_000);
    assert.match(services.hosts.remoteHint ?? '', /Remote settings only/);
    assert.match(services.hosts.remoteHint ?? '', /Preferences: Open Remote Settings \(JSON\)/);
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
    const roots = services.gpuView.getChildren() as HostNode[];
    assert.equal(services.gpuView.getChildren(roots[0]).length, 1, 'one GPU row under the ssh host');
    assert.equal(services.gpuView.getChildren(roots[1]).length, 8, 'eight under the local host');
    assert.match(String(services.gpuView.getTreeItem(roots[0]).description), /^1 of 1 GPU free/);
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
      throw new Error(`${e.message}: ${JSON.stringify([services.gpus.current, services.gpuView.view.message])}`);
    });
    assert.doesNotMatch(services.gpuView.view.message ?? '', /probeImage|engine is remote/);
    // Host 2's engine has no NVIDIA runtime: said as for a local engine.
    assert.match(services.gpuView.view.message ?? '', /no NVIDIA runtime/);
    assert.equal((services.gpuView.getChildren() as Array<{ kind: string }>)[0].kind, 'gpu');
    assert.match(services.gpuView.view.description ?? '', /1 of 1 free/);
  });
});
