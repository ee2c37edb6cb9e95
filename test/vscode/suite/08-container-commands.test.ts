import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readableStack } from '../../../src/log';
import { api, BUSYBOX, cleanupByLabel, docker, exists, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

async function created(name: string, ...extra: string[]) {
  const { services } = await api();
  await docker('create', '--name', name, '--label', RUN_LABEL, ...extra, BUSYBOX, 'true');
  await services.refresh.refreshAll();
  return waitFor(`row ${name}`, () => services.refresh.containers.all().find((c) => c.name === name));
}

describe('remove, prune and inspect (real engine, real VS Code)', function () {
  this.timeout(60_000);
  let ui: ScriptedUi;
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(cleanupByLabel);

  it('multi-row Remove goes on past a container that is already gone and names no id', async () => {
    const names = ['a', 'b', 'c'].map((x) => `gpuc-commands-rm-${x}-${RUN}`);
    const rows = [];
    for (const n of names) rows.push(await created(n));
    await docker('rm', names[1]); // gone before the command runs: the row is stale
    // Several rows: one bulk confirmation, then their own yes for containers that are not the user's.
    ui.script('confirmBulk', 'Remove');
    ui.script('confirmBulkOthers', 'Include Theirs');
    await vscode.commands.executeCommand('gpuContainers.remove', rows[0], rows);
    assert.equal(await exists(names[0]), false);
    assert.equal(await exists(names[2]), false, 'the container after the gone one was not removed');
    const errors = ui.asked.filter((a) => a.id === 'commandError');
    assert.deepEqual(errors, [], JSON.stringify(errors));
    assert.ok(!JSON.stringify(ui.asked).match(/[0-9a-f]{64}/), 'a message names a 64-character id');
  });

  it('Prune lists unlabelled containers named like yours apart and asks for them explicitly', async () => {
    const { services } = await api();
    const user = services.user.name;
    const labelled = await created(`gpuc-commands-pl-${RUN}`, '--label', `gpu-containers.owner=${user}`);
    const byName = await created(`${user}-gpuc-commands-pn-${RUN}`);
    const lookalike = await created(`${user}.gpuc-commands-px-${RUN}`);
    ui.script('pruneUnlabelled', [byName.name]);
    // Answer no: other stopped containers of this user on the shared engine must survive the test.
    await vscode.commands.executeCommand('gpuContainers.pruneStopped');
    const pick = ui.asked.find((a) => a.id === 'pruneUnlabelled');
    assert.ok(pick?.items?.includes(byName.name), JSON.stringify(ui.asked));
    assert.ok(!pick?.items?.includes(labelled.name), 'a labelled container is asked for twice');
    assert.ok(!pick?.items?.includes(lookalike.name), `${lookalike.name} is not ${user}'s`);
    const confirm = ui.asked.find((a) => a.id === 'confirmPrune');
    assert.ok(confirm, 'no confirmation');
    for (const c of [labelled, byName, lookalike]) assert.equal(await exists(c.name), true);
  });

  it('Inspect masks secret env values and Reveal shows them', async () => {
    const secret = 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const c = await created(`gpuc-commands-in-${RUN}`, '-e', `GH_PAT=${secret}`, '-e', 'PLAIN_VALUE=1');
    ui.script('inspectMasked', 'Reveal');
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuContainers.inspect', c);
    assert.ok(doc.getText().includes('"GH_PAT=***"'), doc.getText().slice(0, 400));
    assert.ok(doc.getText().includes('PLAIN_VALUE=1'));
    assert.ok(!doc.getText().includes(secret));
    assert.ok(ui.asked.some((a) => a.id === 'inspectMasked'));
    const revealed = await waitFor('the revealed document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.query.includes('reveal=1') && d.getText().includes(secret)),
    );
    assert.ok(revealed);
  });

  it('a host port in use is one sentence naming the port, and launch names the container holding it', async () => {
    const { services } = await api();
    const port = 2731;
    const holder = `gpuc-commands-port-a-${RUN}`;
    await docker(
      'run',
      '-d',
      '--name',
      holder,
      '--label',
      RUN_LABEL,
      '-p',
      `127.0.0.1:${port}:80`,
      BUSYBOX,
      'sleep',
      '300',
    );
    const second = await created(`gpuc-commands-port-b-${RUN}`, '-p', `127.0.0.1:${port}:80`);
    await vscode.commands.executeCommand('gpuContainers.start', second);
    const err = ui.asked.find((a) => a.id === 'commandError');
    assert.match(err?.message ?? '', new RegExp(`Host port ${port} is already in use`), JSON.stringify(ui.asked));
    assert.doesNotMatch(err?.message ?? '', /answered 500|driver failed/);
    assert.equal(err?.items?.at(-1), 'Open GPU Containers Log');

    await vscode.workspace.getConfiguration('gpuContainers').update(
      'profiles',
      [
        {
          name: 'gpuc-commands-port',
          image: BUSYBOX,
          gpus: 'none',
          ports: [`127.0.0.1:${port}:80`],
          command: ['sleep', '30'],
        },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      await waitFor('holder in the store', () => services.refresh.containers.findByName(holder)?.state === 'running');
      ui.asked.length = 0;
      await vscode.commands.executeCommand('gpuContainers.launch', 'gpuc-commands-port');
      // Checked before create: the question names the port and the container holding it, with a way out.
      const conflict = ui.asked.find((a) => a.id === 'portConflict');
      assert.match(
        conflict?.message ?? '',
        new RegExp(`Host port ${port}/tcp is already published by ${holder}`),
        JSON.stringify(ui.asked),
      );
      assert.deepEqual(conflict?.items, ['Use Random Host Ports']);
    } finally {
      await vscode.workspace
        .getConfiguration('gpuContainers')
        .update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('logged stacks point into src/*.ts, not the bundle', async () => {
    const { services } = await api();
    const errors: unknown[] = [];
    const real = services.logger;
    services.logger = { ...real, error: (_m: unknown, ...rest: unknown[]) => void errors.push(...rest) };
    try {
      const row =
        services.imagesTree.rows(services.refresh).find((r) => r.tag === BUSYBOX) ??
        services.imagesTree.rows(services.refresh)[0];
      await vscode.commands.executeCommand('gpuContainers.tagImage', row, 'UPPER/Case:x');
    } finally {
      services.logger = real;
    }
    const err = errors.find((e): e is Error => e instanceof Error);
    assert.ok(err?.stack, 'nothing was logged');
    assert.match(err.stack, /dist[/\\]extension\.js|src[/\\]commands/);
    assert.match(readableStack(err.stack), /src\/commands\/imageWorkflow\.ts:\d+:\d+/);
  });
});
