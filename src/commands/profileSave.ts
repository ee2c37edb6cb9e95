import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { ProfileTarget } from '../config';
import { t } from '../core/l10n';
import type { Services } from '../services';
import { Cancelled } from './cancel';

/**
 * Saves a settings-shaped profile: to the workspace settings when a folder is open, else to the user settings.
 * Nothing already there is lost: a profile of the same name is replaced only after a yes, and a list that
 * cannot be read (Restricted Mode hides workspace values) or is not a list is never rewritten — the user is
 * told why and may save to the user settings instead.
 */
export async function saveProfileToSettings(s: Services, settings: Record<string, unknown>): Promise<ProfileTarget> {
  const name = String(settings.name);
  let target = s.config.profileTarget();
  if (!s.config.canWriteProfiles(target)) {
    const toUser = t('Save to User Settings');
    const trust = t('Manage Workspace Trust');
    const a = await s.ui.ask(
      'untrustedProfileSave',
      'warning',
      t(
        'This folder is in Restricted Mode, so GPU Containers cannot read the launch profiles in its settings and will not rewrite them. Save {0} to your user settings instead, or trust the folder and try again.',
        name,
      ),
      { modal: true },
      toUser,
      trust,
    );
    if (a === trust) void vscode.commands.executeCommand('workbench.trust.manage');
    if (a !== toUser) throw new Cancelled();
    target = 'user';
  }
  if (s.config.profileNamesAt(target).includes(name)) {
    const replace = t('Replace');
    const a = await s.ui.ask(
      'replaceProfile',
      'warning',
      target === 'user'
        ? t('A launch profile named {0} already exists in your user settings. Replace it?', name)
        : t('A launch profile named {0} already exists in this workspace. Replace it?', name),
      { modal: true },
      replace,
    );
    if (a !== replace) throw new Cancelled();
  }
  const result = await s.config.saveProfile(target, settings);
  if (result === 'unreadable' || result === 'notAList') {
    const open = t('Open Settings');
    const where = target === 'user' ? t('your user settings') : t('the workspace settings');
    void s.ui
      .ask(
        'profileNotSaved',
        'error',
        t(
          'Launch profile {0} was not saved: gpuContainers.profiles in {1} is not a list, and saving would replace it. Make it a list of profiles ([ … ]), then save again.',
          name,
          where,
        ),
        {},
        open,
      )
      .then((a) => {
        if (a === open) void vscode.commands.executeCommand(openSettingsCommand(target));
      });
    throw new Cancelled();
  }
  const launch = t('Launch Now');
  const open = t('Open Settings');
  void s.ui
    .ask(
      'profileSaved',
      'info',
      target === 'user'
        ? t('Saved launch profile {0} to your user settings.', name)
        : t('Saved launch profile {0} to the workspace settings.', name),
      {},
      launch,
      open,
    )
    .then((a) => {
      if (a === launch) void vscode.commands.executeCommand(Commands.launch, name);
      if (a === open) void vscode.commands.executeCommand(openSettingsCommand(target));
    });
  return target;
}

function openSettingsCommand(target: ProfileTarget): string {
  return target === 'user' ? 'workbench.action.openSettingsJson' : 'workbench.action.openWorkspaceSettingsFile';
}
