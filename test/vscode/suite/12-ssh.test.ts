import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, waitFor } from './helpers';

/**
 * ssh failures said as ssh failures in the Containers view (issue 27). Rig: scripts/rig/ssh.sh's alias
 * gpuc-unknownkey (an empty known_hosts with StrictHostKeyChecking yes): ssh refuses before any login.
 */
describe('the Containers view says an ssh failure as one (rig: ssh://gpuc-unknownkey)', function () {
  this.timeout(60_000);
  const setHost = (v: string | undefined) =>
    vscode.workspace.getConfiguration('gpuContainers').update('host', v, vscode.ConfigurationTarget.Global);

  it('an unknown host key: its sentence and fix in the view, not the local socket welcome', async () => {
    const { services } = await api();
    await setHost('ssh://gpuc-unknownkey');
    try {
      await waitFor('the ssh failure', () => services.refresh.lastError?.ssh === 'hostKeyUnknown', 20_000);
      await waitFor(
        'the view message',
        () => /host key of gpuc-unknownkey/.test(String(services.containersTree.view.message)),
        10_000,
      );
      const message = String(services.containersTree.view.message);
      assert.match(message, /^The host key of gpuc-unknownkey is not trusted yet\. Run `ssh gpuc-unknownkey` once/);
      assert.doesNotMatch(message, /docker group|Docker socket|systemctl/);
      // The welcome texts about the local Docker socket are off (their `when` excludes ssh problems).
      assert.equal(services.contextKeys.get('gpuContainers.sshProblem'), true);
      assert.equal(services.refresh.state, 'denied');
    } finally {
      await setHost(undefined);
    }
    await vscode.commands.executeCommand('gpuContainers.retry');
    await waitFor('ok again', () => services.refresh.state === 'ok', 20_000);
    await waitFor(
      'the ssh message gone',
      () => !/host key/.test(String(services.containersTree.view.message ?? '')),
      10_000,
    );
    assert.equal(services.contextKeys.get('gpuContainers.sshProblem'), false);
  });
});
