import * as vscode from 'vscode';
import { launchGate, locateProfileField, type Problem, type Profile } from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

/** The settings file a profile was read from. */
async function settingsDocument(source: Profile['source']): Promise<vscode.TextDocument | undefined> {
  if (source === 'user' || source === undefined) {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    return vscode.window.activeTextEditor?.document;
  }
  const ws = vscode.workspace.workspaceFile;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    source === 'workspace' && ws?.scheme === 'file'
      ? ws
      : folder
        ? vscode.Uri.joinPath(folder, '.vscode', 'settings.json')
        : undefined;
  if (!uri) return undefined;
  return vscode.workspace.openTextDocument(uri);
}

/** Opens the settings file that holds `profile` with the cursor on `problem.field` (or the profile). */
export async function openProfileSetting(profile: Profile, problem?: Problem): Promise<void> {
  const doc = await settingsDocument(profile.source);
  if (!doc) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'gpuContainers.profiles');
    return;
  }
  const offset = locateProfileField(doc.getText(), profile.name, problem?.field);
  const pos = doc.positionAt(offset ?? 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
}

/**
 * Stops the launch of a profile with error-level problems: shows them (field, value, fix) with "Open Setting",
 * which opens the settings file at the first bad field. Throws Cancelled when blocked.
 */
export async function blockInvalidProfile(s: Services, profile: Profile): Promise<void> {
  const gate = launchGate(profile);
  if (!gate.blocked) return;
  const open = t('Open Setting');
  s.logger.warn(`launch of ${profile.name} blocked: ${gate.message}`);
  const a = await s.ui.ask(
    'profileBlocked',
    'error',
    gate.message,
    { modal: true, detail: t('Nothing was created. Fix the setting, then launch again.') },
    open,
  );
  if (a === open) await openProfileSetting(profile, gate.problems[0]);
  throw new Cancelled();
}
