import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ContainerSummary } from '../../../src/core/docker';
import { isContainerGroup } from '../../../src/core/tree/arrange';
import { isMoreRow, PAGE_SIZE } from '../../../src/core/tree/paging';
import type { ContainerNode } from '../../../src/tree/views';
import { api, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, waitFor } from './helpers';

const PREFIX = `gpuc-paging-${RUN}`;
const EXTRA = 7;
const TOTAL = PAGE_SIZE + EXTRA;

/** `count` created (never started) containers, eight `docker create` at a time. */
async function createMany(count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `${PREFIX}-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 8)
    await Promise.all(
      names.slice(i, i + 8).map((n) => docker('create', '--name', n, '--label', RUN_LABEL, BUSYBOX, 'true')),
    );
}

const containersIn = (nodes: ContainerNode[]): ContainerSummary[] =>
  nodes.filter((n): n is ContainerSummary => !isMoreRow(n) && !isContainerGroup(n) && 'state' in n);

describe('the Containers view a page at a time (real engine, real VS Code)', function () {
  this.timeout(180_000);

  before(async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor('the engine state to be ok', () => services.refresh.state === 'ok');
    await createMany(TOTAL);
    await services.containersTree.setFilter('all');
    await services.containersTree.setGroupBy('none');
    await services.containersTree.setTextFilter(PREFIX);
    await waitFor(
      `${TOTAL} containers in the view`,
      () => services.containersTree.visible(services.refresh).length === TOTAL,
      30_000,
    );
  });
  beforeEach(async () => {
    const { services } = await api();
    await services.containersTree.setGroupBy('none');
    await services.containersTree.setTextFilter(PREFIX); // also back to one page
  });
  after(async () => {
    const { services } = await api();
    await services.containersTree.setGroupBy('none');
    await services.containersTree.setTextFilter('');
    await cleanupByLabel();
  });

  it(`hands VS Code one page (${PAGE_SIZE} rows), then a "Show more" row that says how many are left`, async () => {
    const { services } = await api();
    const top = services.containersTree.getChildren();
    assert.equal(top.length, PAGE_SIZE + 1);
    assert.equal(containersIn(top).length, PAGE_SIZE);
    const more = top[top.length - 1];
    assert.ok(isMoreRow(more), 'the last row is the "Show more" row');
    assert.deepEqual([more.shown, more.total], [PAGE_SIZE, TOTAL]);
    const item = services.containersTree.getTreeItem(more);
    assert.equal(item.label, `Show ${EXTRA} more…`);
    assert.equal(item.description, `${PAGE_SIZE} of ${TOTAL} shown`);
    assert.equal(item.command?.command, 'gpuContainers.showMoreContainers');
    assert.notEqual(item.contextValue, 'container', 'no container menu on it');
    assert.equal(services.containersTree.getParent(more), undefined);
    // The page is the first rows of the sorted list, so nothing jumps when more are shown.
    assert.deepEqual(
      containersIn(top).map((c) => c.id),
      services.containersTree
        .visible(services.refresh)
        .slice(0, PAGE_SIZE)
        .map((c) => c.id),
    );
  });

  it('clicking it shows the rest (the command the row carries, with its arguments)', async () => {
    const { services } = await api();
    const top = services.containersTree.getChildren();
    const item = services.containersTree.getTreeItem(top[top.length - 1]);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    await waitFor('every row, no "Show more"', () => {
      const now = services.containersTree.getChildren();
      return now.length === TOTAL && !now.some(isMoreRow);
    });
  });

  it('a reveal of a row past the page shows up to its page and selects it', async () => {
    const { services } = await api();
    const last = services.containersTree.visible(services.refresh)[TOTAL - 1];
    assert.equal(services.containersTree.getChildren().length, PAGE_SIZE + 1, 'one page again after the filter');
    assert.equal(await services.containersTree.reveal(last.id, services.refresh), true);
    await waitFor('the revealed row selected', () =>
      services.containersTree.view.selection.some((n) => !isMoreRow(n) && 'id' in n && n.id === last.id),
    );
    assert.equal(services.containersTree.getChildren().length, TOTAL);
  });

  it('grouped, a long group ends with its own "Show more" row, whose parent is the group', async () => {
    const { services } = await api();
    await services.containersTree.setGroupBy('state');
    const groups = services.containersTree.getChildren().filter(isContainerGroup);
    assert.equal(groups.length, 1, 'all of them are stopped');
    const under = services.containersTree.getChildren(groups[0]);
    assert.equal(under.length, PAGE_SIZE + 1);
    const more = under[under.length - 1];
    assert.ok(isMoreRow(more));
    assert.equal(services.containersTree.getParent(more), groups[0]);
    services.containersTree.showMore(more);
    assert.equal(services.containersTree.getChildren(groups[0]).length, TOTAL);
  });

  it('a narrower filter that fits on a page has no "Show more" row', async () => {
    const { services } = await api();
    await services.containersTree.setTextFilter(`${PREFIX}-00`);
    const top = services.containersTree.getChildren();
    assert.equal(top.length, 10);
    assert.ok(!top.some(isMoreRow));
  });
});
