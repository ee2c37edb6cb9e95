import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../../src/constants';
import { api, ScriptedUi, waitFor } from '../suite/helpers';

const WORKSPACE = process.env.GPU_CONTAINERS_TEST_WORKSPACE ?? '';
const SETTINGS_FILE = path.join(WORKSPACE, '.vscode', 'settings.json');
const LINE = 'docker run --gpus all --shm-size 2g gpu-containers-test/busybox:1 sh';

function userProfileNames(): string[] {
  const v = vscode.workspace.getConfiguration(Settings.section).inspect<unknown>(Settings.profiles)?.globalValue;
  return Array.isArray(v) ? v.map((p: { name?: unknown }) => String(p?.name)) : [];
}

// Issue 24 item 1: in Restricted Mode, Import docker run → save replaced the workspace's 3 profiles with 1.
describe('Restricted Mode: a profile save never drops profiles it cannot see', () => {
  let ui: ScriptedUi;
  let fileBefore: string;

  before(async () => {
    const { services } = await api();
    ui = new ScriptedUi();
    services.ui = ui;
    fileBefore = fs.readFileSync(SETTINGS_FILE, 'utf8');
  });

  afterEach(() => {
    // Every test leaves the workspace's settings file exactly as it was.
    assert.equal(fs.readFileSync(SETTINGS_FILE, 'utf8'), fileBefore, 'the workspace settings file was rewritten');
  });

  it('runs untrusted, with the workspace profiles hidden from the extension (the situation that lost them)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.match(fileBefore, /ws-one[\s\S]*ws-two[\s\S]*ws-three/);
    const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<unknown>(Settings.profiles);
    assert.equal(inspected?.workspaceValue, undefined, 'VS Code showed the untrusted workspace value');
    assert.deepEqual(userProfileNames(), ['mine'], 'the user settings hold the seeded profile');
  });

  it('Import docker run says why it will not write the workspace settings; dismissing writes nothing', async () => {
    ui.script('profileName', 'imported-dismissed');
    await vscode.commands.executeCommand(Commands.importDockerRun, LINE);
    const asked = ui.asked.find((a) => a.id === 'untrustedProfileSave');
    assert.ok(asked, `not asked; prompts: ${ui.asked.map((a) => a.id).join(', ')}`);
    assert.match(asked.message ?? '', /Restricted Mode/);
    assert.deepEqual(asked.items, ['Save to User Settings', 'Manage Workspace Trust']);
    assert.ok(!ui.asked.some((a) => a.id === 'profileSaved'), 'it said it saved');
    assert.deepEqual(userProfileNames(), ['mine']);
  });

  it('Save to User Settings adds the profile beside the user’s own and leaves the workspace file alone', async () => {
    ui.script('profileName', 'imported-user');
    ui.script('untrustedProfileSave', 'Save to User Settings');
    await vscode.commands.executeCommand(Commands.importDockerRun, LINE);
    const names = await waitFor('the profile in the user settings', () => {
      const n = userProfileNames();
      return n.includes('imported-user') && n;
    });
    assert.deepEqual(names, ['mine', 'imported-user']);
    const saved = ui.asked.find((a) => a.id === 'profileSaved');
    assert.match(saved?.message ?? '', /user settings/);
  });

  it('a second save of the same name asks before it replaces the user profile, and keeps the others', async () => {
    ui.script('profileName', 'mine');
    ui.script('untrustedProfileSave', 'Save to User Settings');
    ui.script('replaceProfile', 'Replace');
    await vscode.commands.executeCommand(Commands.importDockerRun, LINE);
    assert.ok(ui.asked.some((a) => a.id === 'replaceProfile' && /user settings/.test(a.message ?? '')));
    await waitFor('the replaced profile', () => {
      const v = vscode.workspace.getConfiguration(Settings.section).inspect<unknown[]>(Settings.profiles)?.globalValue;
      return Array.isArray(v) && (v[0] as { shmSize?: string }).shmSize === '2g';
    });
    assert.deepEqual(userProfileNames(), ['mine', 'imported-user']);
  });
});
