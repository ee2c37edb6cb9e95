import * as vscode from 'vscode';
import { readTextFile } from '../core/files';
import type { ProfileContext } from '../core/profiles';
import type { Services } from '../services';

const t = vscode.l10n.t;

/** What a profile's `${…}` variables resolve against: the first workspace folder, the user, the environment. */
export function profileContext(s: Services): ProfileContext {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return {
    workspaceFolder: folder?.scheme === 'file' || folder?.scheme === 'vscode-remote' ? folder.fsPath : undefined,
    userHome: s.user.home,
    user: s.user.name,
    uid: s.user.uid,
    gid: s.user.gid,
    env: process.env,
    readFile: readTextFile,
  };
}

/**
 * One warning for settings problems, with Open Settings; workspace profiles refused when untrusted.
 * Profile names come from (possibly untrusted) workspace settings: the Ui shows them as inert text.
 */
export function reportProfileProblems(s: Services, problems: ReturnType<Services['config']['profiles']>): void {
  if (problems.refused.length > 0) {
    const manage = t('Manage Workspace Trust');
    void s.ui
      .ask(
        'untrustedProfiles',
        'warning',
        t(
          'Launch profiles from this workspace are not used because the workspace is not trusted: {0}. Trust the workspace to use them.',
          problems.refused.join(', '),
        ),
        {},
        manage,
      )
      .then((a) => a === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  }
  if (problems.problems.length > 0) {
    const open = t('Open Settings');
    const lines = problems.problems.map(
      (p) => `${p.profile ? `${p.profile}: ` : ''}${p.field ? `${p.field}: ` : ''}${p.message}`,
    );
    s.logger.warn(`profile problems:\n${lines.join('\n')}`);
    void s.ui
      .ask(
        'profileProblems',
        'warning',
        t('Launch profile settings have problems: {0}', lines.slice(0, 3).join(' · ') + (lines.length > 3 ? ' …' : '')),
        {},
        open,
      )
      .then(
        (a) => a === open && vscode.commands.executeCommand('workbench.action.openSettings', 'gpuContainers.profiles'),
      );
  }
}

/** The profile-name input's check: not empty; an existing name is allowed but said (saving replaces it). */
export function profileNameValidator(s: Services): (v: string) => string | undefined {
  const taken = new Set(s.config.profiles().profiles.map((p) => p.name));
  return (v) =>
    !v.trim()
      ? vscode.l10n.t('Enter a name.')
      : taken.has(v.trim())
        ? vscode.l10n.t('{0} exists already; saving replaces it.', v.trim())
        : undefined;
}
