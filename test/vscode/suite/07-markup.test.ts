import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { reportProfileProblems } from '../../../src/commands/profileFlows';
import { api, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

// VS Code's notification link syntax (src/vs/base/common/linkedText.ts): what a toast turns into a link.
const LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const PAYLOAD = '[Open …](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%22%7D)';
const md = new (createRequire(__filename)('markdown-it') as new (o: object) => { render(s: string): string })({
  linkify: true,
});
const cfg = () => vscode.workspace.getConfiguration('gpuContainers');

describe('workspace and engine text is never rendered as a link (real VS Code, real engine)', function () {
  this.timeout(60_000);
  let ui: ScriptedUi;
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
  });
  after(async () => {
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await cleanupByLabel();
  });

  it('a profile named like a command link shows as text in the trust and problem messages', async () => {
    const { services } = await api();
    reportProfileProblems(services, { profiles: [], problems: [], refused: [PAYLOAD] });
    await cfg().update(
      'profiles',
      [{ name: PAYLOAD, image: BUSYBOX, shmSize: '16x' }],
      vscode.ConfigurationTarget.Workspace,
    );
    await waitFor('the setting', () => services.config.profiles().problems.length > 0);
    await vscode.commands.executeCommand('gpuContainers.copyProfileAsDockerRun', PAYLOAD);
    const trust = ui.asked.find((a) => a.id === 'untrustedProfiles');
    const problems = ui.asked.find((a) => a.id === 'profileProblems');
    assert.ok(trust?.message?.includes('Open …'), JSON.stringify(ui.asked));
    assert.ok(problems?.message?.includes('Open …'), JSON.stringify(ui.asked));
    for (const a of ui.asked) {
      assert.equal([...(a.message ?? '').matchAll(LINKED_TEXT)].length, 0, `a link in ${a.id}: ${a.message}`);
    }
  });

  it('a secret echoed by a settings problem is redacted in the notification', async () => {
    const { services } = await api();
    const token = 'hf_AbCdEfGhIjKlMnOpQrStUvWx';
    await cfg().update(
      'profiles',
      [{ name: 'gpuc-commands-secret', image: BUSYBOX, shmSize: token, env: { GH_PAT: 'plain words secret' } }],
      vscode.ConfigurationTarget.Workspace,
    );
    await waitFor('the setting', () => services.config.profiles().problems.length > 0);
    await vscode.commands.executeCommand('gpuContainers.copyProfileAsDockerRun', 'gpuc-commands-secret');
    const problems = ui.asked.find((a) => a.id === 'profileProblems');
    assert.ok(problems, JSON.stringify(ui.asked));
    assert.ok(!JSON.stringify(ui.asked).includes(token), JSON.stringify(ui.asked));
  });

  it('a container label and mount path shaped like links render no link in the tooltip, untrusted', async () => {
    const { services } = await api();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-commands-md-'));
    const src = path.join(dir, 'a`[m](https://evil.example)`');
    fs.mkdirSync(src, { recursive: true });
    const name = `gpuc-commands-md-${RUN}`.slice(0, 60);
    await docker(
      'create',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      '--label',
      `gpu-containers.owner=${PAYLOAD}`,
      '--mount',
      `type=bind,source=${src},target=/w`,
      BUSYBOX,
      'true',
    );
    await services.refresh.refreshAll();
    await vscode.commands.executeCommand('gpuContainers.filterAll');
    const c = await waitFor('the row', () =>
      services.containersTree.visible(services.refresh).find((x) => x.name === name),
    );
    const item = services.containersTree.resolveTreeItem(services.containersTree.getTreeItem(c), c);
    const tip = item.tooltip as vscode.MarkdownString;
    assert.ok(tip instanceof vscode.MarkdownString);
    assert.notEqual(tip.isTrusted, true);
    assert.ok(tip.value.includes('\\[Open'), tip.value);
    assert.doesNotMatch(md.render(tip.value), /<a /, tip.value);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
