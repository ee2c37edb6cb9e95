/**
 * Issue 24 items 2 and 3 end to end in the real extension host: the devcontainer.json export of a volume
 * "/tmp:/data,source=/etc" gives docker one source (/tmp), checked with the docker CLI; Import docker run and
 * Save as Launch Profile write no secret (env or command line) into .vscode/settings.json, only
 * `${env:NAME}`; the export notice names the replaced keys without being masked itself. The secret is the
 * HF_TOKEN canary scripts/run-vscode-tests.mjs puts in the extension host's environment.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { api, BUSYBOX, cleanupByLabel, docker, RUN, RUN_LABEL, ScriptedUi, waitFor } from './helpers';

const cfg = () => vscode.workspace.getConfiguration('gpuContainers');
const TOKEN = process.env.HF_TOKEN ?? '';
const DB_PASS = 'gpucExportDbPassw0rd';

/** The workspace settings file as it is on disk. */
function settingsFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '/nonexistent';
  const file = path.join(folder, '.vscode', 'settings.json');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

describe('export quoting and secrets on every surface (issue 24)', function () {
  this.timeout(60_000);
  let ui: ScriptedUi;
  before(() => assert.match(TOKEN, /^hf_/, 'HF_TOKEN is set in the extension host (scripts/run-vscode-tests.mjs)'));
  beforeEach(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await cfg().update('profiles', undefined, vscode.ConfigurationTarget.Workspace);
    await cleanupByLabel();
  });

  it('the devcontainer export of a volume "/tmp:/data,source=/etc" does not yield a second source', async () => {
    await cfg().update(
      'profiles',
      [{ name: 'quoted', image: BUSYBOX, volumes: ['/tmp:/data,source=/etc'], env: { HF_TOKEN: TOKEN } }],
      vscode.ConfigurationTarget.Workspace,
    );
    const text = await vscode.commands.executeCommand<string>('gpuContainers.exportProfileAsDevcontainer', 'quoted');
    const { mounts } = JSON.parse(text) as { mounts: string[] };
    assert.equal(mounts.length, 1, text);
    // The docker CLI is the oracle: the exported string, as devcontainer's CLI passes it to docker run --mount.
    const name = `gpuc-export-${RUN}`;
    await docker('create', '--name', name, '--label', RUN_LABEL, '--mount', mounts[0], BUSYBOX);
    const info = JSON.parse(await docker('inspect', '--type', 'container', name))[0];
    assert.deepEqual(
      info.HostConfig.Mounts.map((m: { Source: string; Target: string }) => [m.Source, m.Target]),
      [['/tmp', '/data,source=/etc']],
      mounts[0],
    );
    assert.ok(!text.includes(TOKEN), text);
    // The notice names the key it replaced, and is not masked itself.
    const notice = ui.asked.find((a) => a.id === 'exportNotes')?.message ?? '';
    assert.ok(notice.includes('env.HF_TOKEN') && !notice.includes('***') && !notice.includes(TOKEN), notice);
  });

  it('Import docker run writes ${env:NAME}, never the secret, for -e and the command line', async () => {
    ui.script('importProblems', 'Import');
    ui.script('profileName', `imported-${RUN}`);
    await vscode.commands.executeCommand(
      'gpuContainers.importDockerRun',
      `docker run -e HF_TOKEN=${TOKEN} ${BUSYBOX} python train.py --hf_token ${TOKEN} --db-pass=${DB_PASS}`,
    );
    const saved = await waitFor(
      'saved profile',
      () => (cfg().inspect<unknown[]>('profiles')?.workspaceValue as Array<Record<string, unknown>> | undefined)?.[0],
    );
    assert.deepEqual(saved.env, { HF_TOKEN: '${env:HF_TOKEN}' });
    assert.deepEqual(saved.command, [
      'python',
      'train.py',
      '--hf_token',
      '${env:HF_TOKEN}',
      '--db-pass=${env:DB_PASS}',
    ]);
    const file = await waitFor(
      'settings.json written',
      () => settingsFile().includes(`imported-${RUN}`) && settingsFile(),
    );
    assert.ok(!file.includes(TOKEN) && !file.includes(DB_PASS), file);
  });

  it('Save as Launch Profile of a container with secrets on its command line writes none of them', async () => {
    const { services } = await api();
    const name = `gpuc-cmdline-${RUN}`;
    await docker(
      'create',
      '--name',
      name,
      '--label',
      RUN_LABEL,
      BUSYBOX,
      'sh',
      '-c',
      'true',
      '--hf_token',
      TOKEN,
      `--db-pass=${DB_PASS}`,
    );
    await services.refresh.refreshAll();
    await vscode.commands.executeCommand('gpuContainers.filterAll');
    const c = await waitFor(`the row ${name}`, () =>
      services.containersTree.visible(services.refresh).find((x) => x.name === name),
    );
    ui.script('profileName', `saved-${RUN}`);
    const settings = await vscode.commands.executeCommand<Record<string, unknown>>(
      'gpuContainers.saveContainerAsProfile',
      c,
    );
    assert.ok(settings, JSON.stringify(ui.asked).slice(0, 400));
    assert.deepEqual((settings.command as string[]).slice(-3), [
      '--hf_token',
      '${env:HF_TOKEN}',
      '--db-pass=${env:DB_PASS}',
    ]);
    const file = await waitFor(
      'settings.json written',
      () => settingsFile().includes(`saved-${RUN}`) && settingsFile(),
    );
    assert.ok(!file.includes(TOKEN) && !file.includes(DB_PASS), file);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('gpuContainers.inspect', c);
    assert.ok(!doc.getText().includes(TOKEN) && !doc.getText().includes(DB_PASS), 'the Inspect document');
    assert.ok(doc.getText().includes('--hf_token'), 'the flag is shown, its value masked');
  });
});
