import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, BUSYBOX, cleanupByLabel, contributedCommands, docker, RUN_LABEL, uniqueName, waitFor } from './helpers';

describe('smoke: the extension in a real VS Code', () => {
  after(cleanupByLabel);

  it('activates and returns its services', async () => {
    const a = await api();
    assert.ok(a.services.engines.endpoint.host.length > 0);
    assert.equal(vscode.extensions.getExtension('gpu-containers.gpu-containers')?.isActive, true);
  });

  it('registers every command in package.json, and nothing else under gpuContainers.', async () => {
    await api();
    const registered = (await vscode.commands.getCommands(true)).filter(
      (c) => c.startsWith('gpuContainers.') && !/^gpuContainers\.(containers|images|gpus)\./.test(c),
    );
    const contributed = contributedCommands();
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  it('shows an externally created container in the tree, from the engine event stream', async () => {
    const { services } = await api();
    await vscode.commands.executeCommand('gpuContainers.containers.focus');
    await waitFor('the engine state to be ok', () => services.refresh.state === 'ok');
    const name = uniqueName('smoke');
    await docker('run', '-d', '--name', name, '--label', RUN_LABEL, BUSYBOX, 'sleep', '300');
    const started = Date.now();
    const row = await waitFor(
      'the container row',
      () => services.containersTree.visible(services.refresh).find((c) => c.name === name),
      5000,
      20,
    );
    const ms = Date.now() - started;
    assert.equal(row.state, 'running');
    assert.ok(ms < 1000, `appeared after ${ms} ms (should be within a second)`);
  });
});
