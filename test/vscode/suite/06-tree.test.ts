import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../src/core/docker';
import { isContainerGroup, type ContainerGroup } from '../../../src/core/tree/arrange';
import { watchRefusedProfiles } from '../../../src/tree/trustNotice';
import { api, BUSYBOX, cleanupByLabel, docker, exists, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const PREFIX = `gpuc-treeux-${RUN}`;
const OTHER = 'someone-else-treeux';

async function make(name: string, labels: Record<string, string>, run = false): Promise<string> {
  const args = [run ? 'run' : 'create', ...(run ? ['-d'] : []), '--name', name, '--label', RUN_LABEL];
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  return docker(...args, '--stop-timeout', '5', BUSYBOX, 'sleep', '300');
}

async function rows(): Promise<ContainerSummary[]> {
  const { services } = await api();
  return services.containersTree.visible(services.refresh).filter((c) => c.name.startsWith(PREFIX));
}

async function description(c: ContainerSummary): Promise<string> {
  const { services } = await api();
  return String(services.containersTree.getTreeItem(c).description ?? '');
}

/** Records the detail of modal questions too (the bulk confirmation lists the containers there). */
class RecordingUi extends ScriptedUi {
  readonly details: string[] = [];
  override async ask(id: string, severity: string, message: string, o: unknown, ...choices: string[]) {
    this.details.push((o as { detail?: string } | undefined)?.detail ?? '');
    return super.ask(id, severity, message, o, ...choices);
  }
}

describe('the Containers tree at scale (real engine, real VS Code)', function () {
  this.timeout(120_000);
  let ui: RecordingUi;
  const user = process.env.USER || 'root';

  before(async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor('the engine state to be ok', () => services.refresh.state === 'ok');
    for (const n of [1, 2, 10, 100]) {
      await make(`${PREFIX}-ux-many-${n}`, {
        'gpu-containers.profile': n < 10 ? 'small' : 'big',
        'gpu-containers.owner': user,
      });
    }
    await make(`${PREFIX}-theirs`, { 'gpu-containers.owner': OTHER, 'com.docker.compose.project': 'webtreeux' }, true);
    await make(`${PREFIX}-mine-up`, { 'gpu-containers.owner': user }, true);
    await waitFor(
      'the rows, two of them running',
      async () => (await rows()).filter((c) => c.state === 'running').length === 2 && (await rows()).length === 6,
      10_000,
    );
  });
  beforeEach(async () => {
    const { services } = await api();
    ui = new RecordingUi();
    services.ui = ui;
    await services.containersTree.setFilter('all');
    await services.containersTree.setTextFilter('');
  });
  after(async () => {
    const { services } = await api();
    await services.containersTree.setGroupBy('none');
    await services.containersTree.setTextFilter('');
    await cleanupByLabel();
  });

  it('sorts names naturally: ux-many-1, -2, -10, -100', async () => {
    const names = (await rows()).map((c) => c.name.slice(PREFIX.length + 1)).filter((n) => n.startsWith('ux-many'));
    assert.deepEqual(names, ['ux-many-1', 'ux-many-2', 'ux-many-10', 'ux-many-100']);
  });

  it('groups by state, profile/compose project and owner, remembered in workspaceState', async () => {
    const { services } = await api();
    const groups = async (by: string): Promise<ContainerGroup[]> => {
      await vscode.commands.executeCommand('gpuContainers.groupContainers', by);
      assert.equal(services.context.workspaceState.get('gpuContainers.groupBy'), by);
      const top = services.containersTree.getChildren();
      assert.ok(top.every(isContainerGroup), 'only group rows at the top');
      return top;
    };
    const ours = (g: ContainerGroup | undefined): string[] =>
      (g?.containers ?? []).filter((c) => c.name.startsWith(PREFIX)).map((c) => c.name.slice(PREFIX.length + 1));

    const byState = await groups('state');
    assert.deepEqual(ours(byState.find((g) => g.key === 'running')), ['mine-up', 'theirs']);
    assert.deepEqual(ours(byState.find((g) => g.key === 'stopped')), [
      'ux-many-1',
      'ux-many-2',
      'ux-many-10',
      'ux-many-100',
    ]);
    assert.equal(byState[0].label, 'Running');

    const byProject = await groups('project');
    assert.deepEqual(ours(byProject.find((g) => g.key === 'profile:big')), ['ux-many-10', 'ux-many-100']);
    assert.deepEqual(ours(byProject.find((g) => g.key === 'compose:webtreeux')), ['theirs']);

    const byOwner = await groups('owner');
    assert.deepEqual(ours(byOwner.find((g) => g.key === OTHER)), ['theirs']);
    const item = services.containersTree.getTreeItem(byOwner.find((g) => g.key === OTHER)!);
    assert.match(String(item.description), /^\d+ containers?$/);
    // reveal works inside groups (getParent)
    const theirs = (await rows()).find((c) => c.name.endsWith('-theirs'))!;
    assert.equal(
      services.containersTree.getParent(theirs),
      byOwner.find((g) => g.key === OTHER),
    );

    await vscode.commands.executeCommand('gpuContainers.groupContainers', 'none');
    assert.ok(services.containersTree.getChildren().every((x) => !isContainerGroup(x)));
  });

  it('filters by name, image and label, and shows the filter on the view', async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.filterContainersText', 'ux-many-1');
    assert.deepEqual(
      services.containersTree.visible(services.refresh).map((c) => c.name.slice(PREFIX.length + 1)),
      ['ux-many-1', 'ux-many-10', 'ux-many-100'],
    );
    // The view's description and message go out with the rows, on the leading edge of VS Code's tree
    // debounce (ChangeGate), so they may trail the command by up to 200 ms.
    await waitFor('the filter on the view', () =>
      /filter: ux-many-1/.test(String(services.containersTree.view.description)),
    );
    await waitFor('the filter message', () =>
      /Filter "ux-many-1": 3 of \d+ containers/.test(String(services.containersTree.view.message)),
    );
    await vscode.commands.executeCommand('gpuContainers.filterContainersText', 'com.docker.compose.project=webtreeux');
    assert.deepEqual(
      services.containersTree.visible(services.refresh).map((c) => c.name),
      [`${PREFIX}-theirs`],
    );
    await vscode.commands.executeCommand('gpuContainers.filterContainersText', `${PREFIX} busybox`);
    assert.equal(services.containersTree.visible(services.refresh).length, 6, 'image text matches');
    ui.script('filterContainersText', '');
    await vscode.commands.executeCommand('gpuContainers.filterContainersText');
    assert.equal(services.containersTree.textFilter, '');
    await waitFor('the message cleared', () => services.containersTree.view.message === undefined);
  });

  it('names the owner on rows that are not yours, in "all" mode only', async () => {
    const theirs = (await rows()).find((c) => c.name.endsWith('-theirs'))!;
    const mine = (await rows()).find((c) => c.name.endsWith('-mine-up'))!;
    assert.match(await description(theirs), new RegExp(`^owner ${OTHER} · `));
    assert.doesNotMatch(await description(mine), /owner/);
  });

  it("computes the status text from timestamps, not Docker's string", async () => {
    const mine = (await rows()).find((c) => c.name.endsWith('-mine-up'))!;
    assert.match(await description(mine), /Up less than a minute|Up \d+ minutes?/);
    const created = (await rows()).find((c) => c.name.endsWith('ux-many-1'))!;
    assert.match(await description(created), /Created/);
  });

  it('re-renders a visible row by itself when its relative time changes (no refresh)', async function () {
    this.timeout(200_000);
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    const mine = (await rows()).find((c) => c.name.endsWith('-mine-up'))!;
    // The row as VS Code rendered it; the engine sends nothing more for this container from now on. (A full
    // refresh caused by other containers may re-render it first at one minute; the next minute then counts.)
    assert.match(await description(mine), /Up less than a minute/);
    const rerendered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => (sub.dispose(), resolve(false)), 150_000);
      const sub = services.containersTree.onDidChangeTreeData((e) => {
        if (Array.isArray(e) && e.some((x) => !isContainerGroup(x) && 'id' in x && x.id === mine.id)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        }
      });
    });
    assert.ok(rerendered, 'the row was re-rendered on its own');
    assert.match(await description(mine), /Up (1 minute|2 minutes|3 minutes)/);
  });

  it('shows "Stopping…" on the row while Stop runs, then the new state', async () => {
    const { services } = await api();
    const mine = (await rows()).find((c) => c.name.endsWith('-mine-up'))!;
    const stopping = vscode.commands.executeCommand('gpuContainers.stop', mine);
    await waitFor('Stopping… on the row', async () => /Stopping…/.test(await description(mine)), 4000, 20);
    assert.equal(services.containersTree.transientState(mine.id), 'stopping');
    await stopping;
    const after = await waitFor('the exited row', () =>
      services.containersTree.visible(services.refresh).find((c) => c.id === mine.id && c.state === 'exited'),
    );
    assert.doesNotMatch(await description(after), /Stopping…/);
    assert.match(await description(after), /Exited \(\d+\) less than a minute ago/);
  });

  it("asks once before attaching into someone else's container; terminals are numbered", async () => {
    const theirs = (await rows()).find((c) => c.name.endsWith('-theirs'))!;
    const terms = () => vscode.window.terminals.filter((x) => x.name.startsWith(theirs.name));
    await vscode.commands.executeCommand('gpuContainers.attachTerminal', theirs);
    assert.deepEqual(
      ui.asked.map((a) => a.id),
      ['confirmAttachOthers'],
    );
    assert.match(ui.asked[0].message ?? '', new RegExp(`belongs to ${OTHER}`));
    assert.equal(terms().length, 0, 'no terminal without a yes');
    ui.script('confirmAttachOthers', 'Attach');
    await vscode.commands.executeCommand('gpuContainers.attachTerminal', theirs);
    await vscode.commands.executeCommand('gpuContainers.attachTerminal', theirs);
    assert.equal(ui.asked.filter((a) => a.id === 'confirmAttachOthers').length, 2, 'asked once per container');
    await waitFor('two terminals', () => terms().length === 2);
    assert.deepEqual(
      terms().map((x) => x.name),
      [theirs.name, `${theirs.name} (2)`],
    );
    for (const x of terms()) x.dispose();
  });

  it("bulk Remove: one confirmation listing every row with owners; others' need their own yes", async () => {
    const all = await rows();
    assert.equal(all.length, 6);
    const [first] = all;
    ui.script('confirmBulk', 'Remove');
    await vscode.commands.executeCommand('gpuContainers.remove', first, all);
    assert.deepEqual(
      ui.asked.map((a) => a.id),
      ['confirmBulk', 'confirmBulkOthers'],
    );
    assert.equal(ui.asked[0].message, 'Remove 6 containers?');
    for (const c of all) assert.ok(ui.details[0].includes(c.name), `${c.name} listed`);
    assert.match(ui.details[0], new RegExp(`-theirs .*owner ${OTHER}`));
    assert.match(ui.asked[1].message ?? '', /-theirs belongs to someone else/);
    for (const c of all) assert.ok(await exists(c.name), 'nothing removed without the second answer');

    ui.script('confirmBulk', 'Remove');
    ui.script('confirmBulkOthers', 'Only Mine');
    // The selection may include a grouping row: it is skipped, the container rows are acted on.
    const group: ContainerGroup = { kind: 'group', groupBy: 'state', key: 'stopped', label: 'Stopped', containers: [] };
    await vscode.commands.executeCommand('gpuContainers.remove', first, [group, ...all]);
    for (const c of all) assert.equal(await exists(c.name), c.name.endsWith('-theirs'), c.name);
  });

  it('Restart of someone else\'s container asks, then shows "Restarting…" until it is done', async () => {
    const { services } = await api();
    const theirs = (await rows()).find((c) => c.name.endsWith('-theirs'))!;
    await vscode.commands.executeCommand('gpuContainers.restart', theirs);
    assert.deepEqual(
      ui.asked.map((a) => a.id),
      ['confirmBulkOthers'],
    );
    assert.equal(services.containersTree.transientState(theirs.id), undefined, 'nothing done without a yes');
    ui.script('confirmBulkOthers', 'Include Theirs');
    const startedAt = (await docker('inspect', '--format', '{{.State.StartedAt}}', theirs.name)).trim();
    const restarting = vscode.commands.executeCommand('gpuContainers.restart', theirs);
    await waitFor('Restarting… on the row', async () => /Restarting…/.test(await description(theirs)), 4000, 20);
    await restarting;
    assert.equal(services.containersTree.transientState(theirs.id), undefined);
    assert.notEqual((await docker('inspect', '--format', '{{.State.StartedAt}}', theirs.name)).trim(), startedAt);
    const row = services.containersTree.visible(services.refresh).find((c) => c.id === theirs.id)!;
    assert.match(await description(row), /Up less than a minute/);
  });

  it('says in the Containers view when Restricted Mode refuses workspace profiles', async () => {
    const { services } = await api();
    const changed = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
    let refused = ['train'];
    const config = {
      refusedProfiles: () => refused,
      onDidChange: changed.event,
    };
    const watch = watchRefusedProfiles(config, services.containersTree);
    try {
      await waitFor('the Restricted Mode message', () =>
        /not trusted \(Restricted Mode\)/.test(String(services.containersTree.view.message)),
      );
      refused = [];
      changed.fire({ affectsConfiguration: () => true });
      await waitFor('the message gone', () => !/not trusted/.test(String(services.containersTree.view.message ?? '')));
    } finally {
      watch.dispose();
      changed.dispose();
      services.containersTree.setRefusedProfiles(services.config.profiles().refused.length);
    }
  });
});
