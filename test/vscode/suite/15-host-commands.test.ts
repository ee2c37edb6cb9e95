// Every host-bound command (COMMAND_TARGETS in src/constants.ts: container, image, host, file), run on a row of the second host, acts on the
// second host's engine and not the first's: the same container name (or image tag) is made on both daemons, the
// command runs with host 2's row, and the docker CLI (each daemon asked directly) shows which one changed. A few
// run from the palette too: with two hosts they ask which host first, then act on the one picked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { COMMAND_TARGETS } from '../../../src/constants';
import type { HostNode } from '../../../src/core/hosts/hostNode';
import { api, BASH, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const execFileP = promisify(execFile);
/** The rig's second engine (scripts/rig/ssh.sh), asked directly; the extension reaches it over ssh. */
const D2_SOCKET = 'unix:///run/gpuc2/docker.sock';
const HOST2 = process.env.GPU_CONTAINERS_HOST2 ?? 'ssh://gpuc-host2';
const OWNER_LABEL = 'gpu-containers.owner';
/** Every name and tag this file makes starts so (one per run): cleaned up by it on both daemons. */
const PREFIX = `gpuc-hc-${RUN}`;

async function docker2(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, {
    env: { ...process.env, DOCKER_HOST: D2_SOCKET },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
const on = (d: 1 | 2) => (d === 1 ? docker : docker2);

async function containerJson(
  d: 1 | 2,
  name: string,
): Promise<{ Id: string; State: { Running: boolean; StartedAt: string } } | undefined> {
  try {
    return (
      JSON.parse(await on(d)('inspect', '--type', 'container', name)) as Array<{
        Id: string;
        State: { Running: boolean; StartedAt: string };
      }>
    )[0];
  } catch {
    return undefined;
  }
}

async function imageId(d: 1 | 2, ref: string): Promise<string | undefined> {
  return on(d)('image', 'inspect', '--format', '{{.Id}}', ref).catch(() => undefined);
}

/** A Ui that also keeps each question's detail (the prune confirmation lists what it removes there). */
class DetailUi extends ScriptedUi {
  readonly details = new Map<string, string>();
  override ask(
    id: string,
    severity: string,
    message: string,
    o: unknown,
    ...choices: string[]
  ): Promise<string | undefined> {
    const detail = (o as { detail?: string } | undefined)?.detail;
    if (detail !== undefined) this.details.set(id, detail);
    return super.ask(id, severity, message, o, ...choices);
  }
}

/** The commands that act on one host (COMMAND_TARGETS: container, image, host, file): a new one without a case here fails. */
function hostBoundIds(): string[] {
  return Object.entries(COMMAND_TARGETS)
    .filter(([, target]) => target !== 'none' && target !== 'everyHost')
    .map(([id]) => id);
}

async function setting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('gpuContainers').update(key, value, target);
}

describe('host-bound commands on two hosts: a host-2 row acts on host 2 only (and the palette asks which host)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-hostcmds-'));
  let ui: DetailUi;
  let user = '';
  const opened: vscode.Terminal[] = [];
  let openSub: vscode.Disposable | undefined;

  /** Host 2's node at the root of a tree (the second host). */
  const node2 = async (tree: 'containers' | 'images'): Promise<HostNode> => {
    const { services } = await api();
    const t = tree === 'containers' ? services.containersTree : services.imagesTree;
    const roots = t.getChildren() as HostNode[];
    const n = roots.find((r) => {
      const label = t.getTreeItem(r).label;
      return (typeof label === 'string' ? label : label?.label) === 'gpubox2';
    });
    assert.ok(n, `host 2's node in ${tree}`);
    return n;
  };

  /** The container row of `name` under host 2 (refreshed until it shows, in the wanted state when given). */
  const containerRow = async (name: string, state?: string): Promise<{ id: string; name: string }> => {
    const { services } = await api();
    const n = await node2('containers');
    return waitFor(
      `the row of ${name} under host 2${state ? ` (${state})` : ''}`,
      async () => {
        const row = services.containersTree
          .getChildren(n)
          .find((c) => 'name' in c && c.name === name && (!state || ('state' in c && c.state === state)));
        if (!row) await vscode.commands.executeCommand('gpuContainers.refresh');
        return row as { id: string; name: string } | undefined;
      },
      20_000,
      300,
    );
  };

  const imageRow = async (tag: string): Promise<object> => {
    const { services } = await api();
    const n = await node2('images');
    return waitFor(
      `the image row ${tag} under host 2`,
      async () => {
        const row = services.imagesTree.getChildren(n).find((r) => 'tag' in r && r.tag === tag);
        if (!row) await vscode.commands.executeCommand('gpuContainers.refresh');
        return row;
      },
      20_000,
      300,
    );
  };

  /** The same name on both daemons: busybox on daemon 1, bash on daemon 2 (so inspect output differs too). */
  const twin = async (suffix: string, running: boolean): Promise<{ name: string; id1: string; id2: string }> => {
    const name = `${PREFIX}-${suffix}`;
    const ids: string[] = [];
    for (const [d, image] of [
      [1, BUSYBOX],
      [2, BASH],
    ] as const) {
      const base = ['--name', name, '--label', RUN_LABEL, '--label', `${OWNER_LABEL}=${user}`, image];
      const cmd = ['sh', '-c', 'trap exit TERM; while :; do sleep 1; done'];
      ids.push(await on(d)(...(running ? ['run', '-d'] : ['create']), ...base, ...cmd));
    }
    return { name, id1: ids[0], id2: ids[1] };
  };

  /** The same tag on both daemons, for different images: busybox on daemon 1, bash on daemon 2. */
  const twinTag = async (suffix: string): Promise<{ tag: string; id1: string; id2: string }> => {
    const tag = `${PREFIX}/${suffix}:1`;
    await docker('tag', BUSYBOX, tag);
    await docker2('tag', BASH, tag);
    return { tag, id1: (await imageId(1, tag))!, id2: (await imageId(2, tag))! };
  };

  const nextTerminal = async (what: string): Promise<vscode.Terminal> => {
    const seen = opened.length;
    return waitFor(what, () => opened[seen], 20_000, 100);
  };

  /** A terminal's argv runs the docker CLI against host 2, on host 2's container (never host 1's). */
  const assertTerminalOnHost2 = (term: vscode.Terminal, id2: string, id1: string): void => {
    const opts = term.creationOptions as vscode.TerminalOptions;
    const args = (opts.shellArgs as string[] | undefined) ?? [];
    assert.ok(args.includes(id2), `host 2's container id in the argv: ${opts.shellPath} ${args.join(' ')}`);
    assert.ok(!args.includes(id1), "not host 1's container id");
    if (HOST2.startsWith('ssh://')) {
      assert.equal(opts.shellPath, 'ssh');
      assert.equal(args[args.indexOf('--') + 1], HOST2.replace('ssh://', '').replace(/\/.*$/, ''), 'ssh to host 2');
    } else assert.equal((opts.env as Record<string, string> | undefined)?.DOCKER_HOST, HOST2);
  };

  const asked = (): string[] => ui.asked.map((a) => a.id);
  const exec = <T = unknown>(id: string, ...args: unknown[]) =>
    vscode.commands.executeCommand<T>(`gpuContainers.${id}`, ...args);
  const noError = (): void => {
    const err = ui.asked.find((a) => a.id === 'commandError');
    assert.ok(!err, `the command failed: ${err?.message}`);
  };

  before(async () => {
    await docker2('info').catch((e: Error) => {
      throw new Error(`daemon 2 (${D2_SOCKET}) is not up: run scripts/rig/ssh.sh (${e.message})`);
    });
    const { services } = await api();
    user = services.user.name;
    openSub = vscode.window.onDidOpenTerminal((term) => opened.push(term));
    await setting('hosts', [
      { name: 'local', host: 'unix:///var/run/docker.sock' },
      { name: 'gpubox2', host: HOST2 },
    ]);
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor(
      'both hosts reachable',
      () =>
        services.hosts.multiple &&
        services.hosts.list.map((h) => `${h.name}:${services.hosts.status(h).state.kind}`).join() ===
          'local:ok,gpubox2:ok',
      30_000,
      200,
    );
  });
  beforeEach(async () => {
    const { services } = await api();
    ui = new DetailUi();
    services.ui = ui;
  });
  afterEach(() => {
    for (const term of opened.splice(0)) term.dispose();
  });
  after(async () => {
    openSub?.dispose();
    for (const term of vscode.window.terminals) term.dispose();
    await setting('hosts', undefined);
    await vscode.workspace
      .getConfiguration('gpuContainers')
      .update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    for (const d of [1, 2] as const) {
      // By label, and by name (Run Image's container has only the extension's labels).
      const ids = [
        ...(await on(d)('ps', '-aq', '--filter', `label=${RUN_LABEL}`)).split('\n'),
        ...(await on(d)('ps', '-aq', '--filter', `name=${PREFIX}`)).split('\n'),
      ].filter(Boolean);
      if (ids.length) await on(d)('rm', '-f', ...new Set(ids));
      const tags = (await on(d)('images', '--format', '{{.Repository}}:{{.Tag}}'))
        .split('\n')
        .filter((x) => x.includes(PREFIX));
      if (tags.length) await on(d)('rmi', '-f', ...tags).catch(() => undefined);
    }
    await cleanupByLabel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Case {
    cmd: string;
    /** What the test checks: the real effect on host 2 (and its absence on host 1). */
    effect: string;
    run: () => Promise<void>;
  }

  const cases: Case[] = [
    {
      cmd: 'start',
      effect: "host 2's container runs; host 1's same-named one stays stopped",
      run: async () => {
        const c = await twin('start', false);
        await exec('start', await containerRow(c.name));
        noError();
        assert.equal((await containerJson(2, c.name))?.State.Running, true, 'started on daemon 2');
        assert.equal((await containerJson(1, c.name))?.State.Running, false, 'not on daemon 1');
      },
    },
    {
      cmd: 'stop',
      effect: "host 2's container stops; host 1's keeps running",
      run: async () => {
        const c = await twin('stop', true);
        await exec('stop', await containerRow(c.name, 'running'));
        noError();
        assert.equal((await containerJson(2, c.name))?.State.Running, false, 'stopped on daemon 2');
        assert.equal((await containerJson(1, c.name))?.State.Running, true, 'still running on daemon 1');
      },
    },
    {
      cmd: 'restart',
      effect: "host 2's container's StartedAt moves; host 1's does not",
      run: async () => {
        const c = await twin('restart', true);
        const [s1, s2] = [
          (await containerJson(1, c.name))!.State.StartedAt,
          (await containerJson(2, c.name))!.State.StartedAt,
        ];
        await exec('restart', await containerRow(c.name, 'running'));
        noError();
        const after2 = (await containerJson(2, c.name))!.State;
        assert.notEqual(after2.StartedAt, s2, 'restarted on daemon 2');
        assert.equal(after2.Running, true);
        assert.equal((await containerJson(1, c.name))!.State.StartedAt, s1, 'untouched on daemon 1');
      },
    },
    {
      cmd: 'remove',
      effect: "host 2's container is gone (after the Remove confirmation); host 1's remains",
      run: async () => {
        const c = await twin('remove', false);
        ui.script('confirmRemove', 'Remove');
        await exec('remove', await containerRow(c.name));
        noError();
        assert.ok(asked().includes('confirmRemove'), JSON.stringify(asked()));
        assert.equal(await containerJson(2, c.name), undefined, 'removed from daemon 2');
        assert.equal((await containerJson(1, c.name))?.Id, c.id1, 'kept on daemon 1');
      },
    },
    {
      cmd: 'showLogs',
      effect: "a terminal runs docker logs on host 2 (ssh to host 2) with host 2's container id",
      run: async () => {
        const c = await twin('logs', true);
        const term = nextTerminal('the logs terminal');
        await exec('showLogs', await containerRow(c.name));
        noError();
        assertTerminalOnHost2(await term, c.id2, c.id1);
        const args = ((await term).creationOptions as vscode.TerminalOptions).shellArgs as string[];
        assert.ok(args.includes('logs'), args.join(' '));
      },
    },
    {
      cmd: 'attachTerminal',
      effect: "a terminal runs docker exec -it on host 2 with host 2's container id",
      run: async () => {
        const c = await twin('attach', true);
        const term = nextTerminal('the exec terminal');
        await exec('attachTerminal', await containerRow(c.name, 'running'));
        noError();
        assertTerminalOnHost2(await term, c.id2, c.id1);
        const args = ((await term).creationOptions as vscode.TerminalOptions).shellArgs as string[];
        assert.ok(args.includes('exec'), args.join(' '));
      },
    },
    {
      cmd: 'attachMainProcess',
      effect: "a terminal runs docker attach on host 2 with host 2's container id",
      run: async () => {
        const c = await twin('attachmain', true);
        const term = nextTerminal('the attach terminal');
        await exec('attachMainProcess', await containerRow(c.name, 'running'));
        noError();
        assertTerminalOnHost2(await term, c.id2, c.id1);
        const args = ((await term).creationOptions as vscode.TerminalOptions).shellArgs as string[];
        assert.ok(args.includes('attach'), args.join(' '));
      },
    },
    {
      cmd: 'inspect',
      effect: "the inspect document is host 2's container (its id and image), not host 1's",
      run: async () => {
        const c = await twin('inspect', false);
        const doc = await exec<vscode.TextDocument>('inspect', await containerRow(c.name));
        const json = JSON.parse(doc.getText()) as { Id: string; Config: { Image: string } };
        assert.equal(json.Id, c.id2);
        assert.equal(json.Config.Image, BASH, "host 2's twin is the bash one");
      },
    },
    {
      cmd: 'copyName',
      effect:
        "from the palette: asks the host, offers host 2's containers (a host-2-only name, not a host-1-only one), copies the pick",
      run: async () => {
        const only2 = `${PREFIX}-name-only2`;
        const only1 = `${PREFIX}-name-only1`;
        await docker2('create', '--name', only2, '--label', RUN_LABEL, BASH, 'true');
        await docker('create', '--name', only1, '--label', RUN_LABEL, BUSYBOX, 'true');
        await containerRow(only2);
        ui.script('pickHost', 'gpubox2');
        ui.script('pickContainer', (i: vscode.QuickPickItem) => i.label === only2);
        await exec('copyName');
        noError();
        assert.deepEqual(asked(), ['pickHost', 'pickContainer']);
        const offered = ui.asked[1].items ?? [];
        assert.ok(offered.includes(only2) && !offered.includes(only1), JSON.stringify(offered));
        assert.equal(await vscode.env.clipboard.readText(), only2);
      },
    },
    {
      cmd: 'copyId',
      effect:
        "from a row, then from the palette: the clipboard holds host 2's container id (the same name has another id on host 1)",
      run: async () => {
        const c = await twin('copyid', false);
        await vscode.env.clipboard.writeText('');
        await exec('copyId', await containerRow(c.name));
        noError();
        assert.equal(await vscode.env.clipboard.readText(), c.id2);
        // A row carries its own id: the palette is where the host matters (the pick among host 2's rows).
        await vscode.env.clipboard.writeText('');
        ui.script('pickHost', 'gpubox2');
        ui.script('pickContainer', (i: vscode.QuickPickItem) => i.label === c.name);
        await exec('copyId');
        noError();
        assert.deepEqual(asked(), ['pickHost', 'pickContainer']);
        assert.equal(await vscode.env.clipboard.readText(), c.id2, "from the palette: host 2's id");
      },
    },
    {
      cmd: 'pruneStopped',
      effect: "on host 2's node: host 2's stopped container of the user's is removed; host 1's twin remains",
      run: async () => {
        const c = await twin('prune', false);
        await containerRow(c.name);
        ui.script('pruneUnlabelled', []);
        // Yes only when every listed container is this run's own, on host 2 (bash): never someone else's.
        const confirm = (): number | undefined => {
          const detail = ui.details.get('confirmPrune') ?? '';
          const lines = detail.split('\n').filter(Boolean);
          return lines.length > 0 && lines.every((l) => l.includes(PREFIX) && l.includes(BASH)) ? 0 : undefined;
        };
        // The answer is decided when asked: a queue entry that reads the detail recorded just before.
        const origAsk = ui.ask.bind(ui);
        ui.ask = async (id, severity, message, o, ...choices) => {
          if (id === 'confirmPrune') {
            await origAsk(id, severity, message, o, ...choices);
            const i = confirm();
            return i === undefined ? undefined : choices[i];
          }
          return origAsk(id, severity, message, o, ...choices);
        };
        await exec('pruneStopped', await node2('containers'));
        noError();
        const detail = ui.details.get('confirmPrune');
        assert.ok(
          detail?.includes(c.name),
          `the prune list names host 2's container: ${JSON.stringify(asked())} ${detail}`,
        );
        assert.equal(confirm(), 0, `only this run's host-2 containers listed:\n${detail}`);
        assert.equal(await containerJson(2, c.name), undefined, 'pruned on daemon 2');
        assert.equal((await containerJson(1, c.name))?.Id, c.id1, 'kept on daemon 1');
      },
    },
    {
      cmd: 'commitContainer',
      effect: 'the committed image exists on host 2 only',
      run: async () => {
        const c = await twin('commit', false);
        const target = `${PREFIX}/committed:1`;
        ui.script('commitTag', target);
        ui.script('commitMessage', '');
        await exec('commitContainer', await containerRow(c.name));
        noError();
        assert.ok(await imageId(2, target), 'committed on daemon 2');
        assert.equal(await imageId(1, target), undefined, 'not on daemon 1');
      },
    },
    {
      cmd: 'copyContainerAsDockerRun',
      effect: "the docker run line is host 2's container (its image, bash), not host 1's (busybox)",
      run: async () => {
        const c = await twin('asrun', false);
        const text = await exec<string>('copyContainerAsDockerRun', await containerRow(c.name));
        noError();
        assert.match(text, new RegExp(`--name ${c.name}`), text);
        assert.ok(text.includes(BASH) && !text.includes(BUSYBOX), text);
      },
    },
    {
      cmd: 'saveContainerAsProfile',
      effect: "the saved profile is host 2's container (image bash), in the workspace settings",
      run: async () => {
        const c = await twin('asprofile', false);
        const name = `${PREFIX}-profile`;
        ui.script('profileName', name);
        const settings = await exec<Record<string, unknown>>('saveContainerAsProfile', await containerRow(c.name));
        noError();
        assert.equal(settings?.image, BASH, JSON.stringify(settings));
        const saved = vscode.workspace
          .getConfiguration('gpuContainers')
          .get<Array<{ name: string; image?: string }>>('profiles', [])
          .find((p) => p.name === name);
        assert.equal(saved?.image, BASH, 'written to the settings');
      },
    },
    {
      cmd: 'runImage',
      effect:
        "on host 2's image row (the tag is bash there, busybox on host 1): the new container is on host 2 only, of host 2's image",
      run: async () => {
        const img = await twinTag('run');
        const name = `${PREFIX}-ran`;
        ui.script('runImageGpus', 'No GPU');
        ui.script('runImageContainerName', name);
        await exec('runImage', await imageRow(img.tag));
        noError();
        const made = await waitFor('the container on daemon 2', () => containerJson(2, name), 20_000, 200).catch(
          (e: Error) => {
            throw new Error(`${e.message}; prompts: ${JSON.stringify(ui.asked)}`);
          },
        );
        assert.ok(made);
        assert.equal(await on(2)('inspect', '--format', '{{.Image}}', name), img.id2, "host 2's image");
        assert.equal(await containerJson(1, name), undefined, 'nothing on daemon 1');
      },
    },
    {
      cmd: 'pullImage',
      effect: 'no registry here: on host 2\'s node the pull fails and its message names host 2 ("gpubox2")',
      run: async () => {
        const ref = `localhost:1/${PREFIX}/pulled:1`;
        ui.script('pullRef', ref);
        await exec('pullImage', await node2('images'));
        const failed = await waitFor(
          'the pull failure',
          () => ui.asked.find((a) => a.id === 'pullFailed'),
          60_000,
          200,
        );
        assert.match(failed.message ?? '', /gpubox2/, failed.message);
        assert.doesNotMatch(failed.message ?? '', /\blocal\b|This machine/, failed.message);
      },
    },
    {
      cmd: 'removeImage',
      effect: "host 2's tag is removed (after the confirmation); host 1's same tag stays",
      run: async () => {
        const img = await twinTag('rmi');
        ui.script('confirmRemoveImage', 'Remove');
        await exec('removeImage', await imageRow(img.tag));
        noError();
        assert.equal(await imageId(2, img.tag), undefined, 'untagged on daemon 2');
        assert.equal(await imageId(1, img.tag), img.id1, 'kept on daemon 1');
      },
    },
    {
      cmd: 'buildImage',
      effect: 'from the Explorer (a Dockerfile Uri): asks the host; the built tag exists on host 2 only',
      run: async () => {
        const ctx = path.join(dir, 'build');
        fs.mkdirSync(ctx, { recursive: true });
        fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASH}\nLABEL gpuc-hc=${RUN}\n`);
        const tag = `${PREFIX}/built:1`;
        ui.script('pickHost', 'gpubox2');
        ui.script('buildTag', tag);
        const result = await exec('buildImage', vscode.Uri.file(path.join(ctx, 'Dockerfile')));
        noError();
        assert.equal(result, tag, JSON.stringify(ui.asked));
        assert.equal(asked()[0], 'pickHost');
        assert.ok(await imageId(2, tag), 'built on daemon 2');
        assert.equal(await imageId(1, tag), undefined, 'not on daemon 1');
      },
    },
    {
      cmd: 'buildImageWithOptions',
      effect:
        'from the Explorer (a Dockerfile Uri): asks the host; the built tag (with a build arg) exists on host 2 only',
      run: async () => {
        const ctx = path.join(dir, 'buildopts');
        fs.mkdirSync(ctx, { recursive: true });
        fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BASH}\nARG WHO\nLABEL who=$WHO\n`);
        const tag = `${PREFIX}/builtopts:1`;
        ui.script('pickHost', 'gpubox2');
        ui.script('buildContext', ctx);
        ui.script('buildTag', tag);
        ui.script('buildArgs', 'WHO=host2');
        ui.script('buildOptions', []);
        const result = await exec('buildImageWithOptions', vscode.Uri.file(path.join(ctx, 'Dockerfile')));
        noError();
        assert.equal(result, tag, JSON.stringify(ui.asked));
        assert.equal(await on(2)('image', 'inspect', '--format', '{{.Config.Labels.who}}', tag), 'host2');
        assert.equal(await imageId(1, tag), undefined, 'not on daemon 1');
      },
    },
    {
      cmd: 'saveImage',
      effect:
        "the tags offered are host 2's image's; the archive written holds host 2's image (bash's id), not host 1's (busybox's)",
      run: async () => {
        const img = await twinTag('save');
        const file = path.join(dir, 'saved.tar');
        // The image has two tags on each host: the archive's tags are asked, among host 2's image's tags.
        ui.script('saveTags', [img.tag]);
        const out = await exec<string>('saveImage', await imageRow(img.tag), vscode.Uri.file(file));
        noError();
        assert.equal(out, file, JSON.stringify(ui.asked));
        const tags = ui.asked.find((a) => a.id === 'saveTags')?.items ?? [];
        assert.ok(tags.includes(BASH) && !tags.includes(BUSYBOX), `host 2's image's tags offered: ${tags.join()}`);
        const listing = (await execFileP('tar', ['-tf', file], { maxBuffer: 16 * 1024 * 1024 })).stdout;
        const manifest = (await execFileP('tar', ['-xOf', file, 'manifest.json'], { maxBuffer: 16 * 1024 * 1024 }))
          .stdout;
        const hex = (id: string) => id.replace(/^sha256:/, '');
        assert.ok(manifest.includes(hex(img.id2)), `host 2's image config in the archive: ${manifest}`);
        assert.ok(!manifest.includes(hex(img.id1)) && !listing.includes(hex(img.id1)), "not host 1's image");
      },
    },
    {
      cmd: 'loadImage',
      effect: "on host 2's node: the archive's tag appears on host 2 only",
      run: async () => {
        const tag = `${PREFIX}/loaded:1`;
        const file = path.join(dir, 'load.tar');
        await docker('tag', BUSYBOX, tag);
        await docker('save', '-o', file, tag);
        await docker('rmi', tag);
        ui.script('loadImageFile', vscode.Uri.file(file));
        await exec('loadImage', await node2('images'));
        noError();
        assert.ok(await imageId(2, tag), 'loaded on daemon 2');
        assert.equal(await imageId(1, tag), undefined, 'not on daemon 1');
      },
    },
    {
      cmd: 'tagImage',
      effect: "the new tag is on host 2 only, on host 2's image (bash's id)",
      run: async () => {
        const img = await twinTag('tagsrc');
        const target = `${PREFIX}/tagged:2`;
        const out = await exec<string>('tagImage', await imageRow(img.tag), target);
        noError();
        assert.equal(out, target);
        assert.equal(await imageId(2, target), img.id2, "on daemon 2, host 2's image");
        assert.equal(await imageId(1, target), undefined, 'not on daemon 1');
      },
    },
    {
      cmd: 'pushImage',
      effect:
        'no registry here: the tag exists on host 2 only, so the push gets past the local-tag check (host 1 would say "no local image") and fails at the registry',
      run: async () => {
        const tag = `localhost:1/${PREFIX}/push:1`;
        await docker2('tag', BASH, tag);
        await exec('pushImage', await imageRow(tag));
        const err = await waitFor('the push failure', () => ui.asked.find((a) => a.id === 'commandError'), 60_000, 200);
        assert.doesNotMatch(err.message ?? '', /no local image/i, err.message);
        assert.match(err.message ?? '', /localhost:1/, err.message);
      },
    },
    {
      cmd: 'copyImageName',
      effect:
        "from the palette: asks the host, offers host 2's images (a host-2-only tag, not a host-1-only one), copies the pick",
      run: async () => {
        const only2 = `${PREFIX}/only2:1`;
        const only1 = `${PREFIX}/only1:1`;
        await docker2('tag', BASH, only2);
        await docker('tag', BUSYBOX, only1);
        await imageRow(only2);
        ui.script('pickHost', 'gpubox2');
        ui.script('pickImage', (i: vscode.QuickPickItem) => i.label === only2);
        await exec('copyImageName');
        noError();
        assert.deepEqual(asked(), ['pickHost', 'pickImage']);
        const offered = ui.asked[1].items ?? [];
        assert.ok(offered.includes(only2) && !offered.includes(only1), JSON.stringify(offered));
        assert.equal(await vscode.env.clipboard.readText(), only2);
      },
    },
  ];

  it('the table covers every host-bound command', () => {
    const ids = hostBoundIds();
    assert.deepEqual(
      cases.map((c) => `gpuContainers.${c.cmd}`).sort(),
      [...ids].sort(),
      'one case per host-bound command (COMMAND_TARGETS)',
    );
  });

  for (const c of cases) {
    it(`${c.cmd}: ${c.effect}`, async () => {
      await c.run();
      // A row (or host node) names its host: only the palette and Explorer cases ask which host.
      if (!/palette|Explorer/.test(c.effect)) assert.ok(!asked().includes('pickHost'), JSON.stringify(asked()));
    });
  }

  // From the palette (no row) with two hosts: which host first, then the pick among that host's, acting there.
  it('palette start: asks which host, then starts host 2’s container only', async () => {
    const c = await twin('pstart', false);
    await containerRow(c.name);
    ui.script('pickHost', 'gpubox2');
    ui.script('pickContainer', (i: vscode.QuickPickItem) => i.label === c.name);
    await exec('start');
    noError();
    assert.deepEqual(asked(), ['pickHost', 'pickContainer']);
    assert.deepEqual(ui.asked[0].items, ['local', 'gpubox2']);
    assert.equal((await containerJson(2, c.name))?.State.Running, true);
    assert.equal((await containerJson(1, c.name))?.State.Running, false);
  });

  it('palette remove: asks which host, confirms, then removes host 2’s container only', async () => {
    const c = await twin('premove', false);
    await containerRow(c.name);
    ui.script('pickHost', 'gpubox2');
    ui.script('pickContainer', (i: vscode.QuickPickItem) => i.label === c.name);
    ui.script('confirmRemove', 'Remove');
    await exec('remove');
    noError();
    assert.deepEqual(asked(), ['pickHost', 'pickContainer', 'confirmRemove']);
    assert.equal(await containerJson(2, c.name), undefined);
    assert.equal((await containerJson(1, c.name))?.Id, c.id1);
  });

  it('palette removeImage: asks which host, confirms, then removes host 2’s tag only', async () => {
    const img = await twinTag('prmi');
    await imageRow(img.tag);
    ui.script('pickHost', 'gpubox2');
    ui.script('pickImage', (i: vscode.QuickPickItem) => i.label === img.tag);
    ui.script('confirmRemoveImage', 'Remove');
    await exec('removeImage');
    noError();
    assert.deepEqual(asked(), ['pickHost', 'pickImage', 'confirmRemoveImage']);
    assert.equal(await imageId(2, img.tag), undefined);
    assert.equal(await imageId(1, img.tag), img.id1);
  });

  it('palette inspect: asks which host, then opens host 2’s container', async () => {
    const c = await twin('pinspect', false);
    await containerRow(c.name);
    ui.script('pickHost', 'gpubox2');
    ui.script('pickContainer', (i: vscode.QuickPickItem) => i.label === c.name);
    const doc = await exec<vscode.TextDocument>('inspect');
    assert.deepEqual(asked(), ['pickHost', 'pickContainer']);
    assert.equal((JSON.parse(doc.getText()) as { Id: string }).Id, c.id2);
  });

  it('palette loadImage (a file from the Explorer): asks which host, then loads on host 2 only', async () => {
    const tag = `${PREFIX}/ploaded:1`;
    const file = path.join(dir, 'pload.tar');
    await docker('tag', BUSYBOX, tag);
    await docker('save', '-o', file, tag);
    await docker('rmi', tag);
    ui.script('pickHost', 'gpubox2');
    await exec('loadImage', vscode.Uri.file(file));
    noError();
    assert.equal(asked()[0], 'pickHost');
    assert.ok(await imageId(2, tag), 'loaded on daemon 2');
    assert.equal(await imageId(1, tag), undefined, 'not on daemon 1');
  });
});
