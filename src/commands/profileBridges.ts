import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import {
  importDevcontainer,
  toDstackYaml,
  toProfileSettings,
  toSkyPilotYaml,
  toSlurmSrun,
  type ExportResult,
  type Profile,
} from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';
import { saveProfileToSettings } from './profileSave';
import { askName, pickProfile, showNotes } from './profiles';

const t = vscode.l10n.t;

/** The cluster targets a profile exports to (issue 29 item 6), each with its file language. */
const TARGETS: Array<{
  id: string;
  label: string;
  detail: string;
  language: string;
  run: (p: Profile) => ExportResult;
}> = [
  {
    id: 'slurm',
    label: 'Slurm (pyxis)',
    detail: t('an srun line with --container-image, for clusters with the pyxis plugin'),
    language: 'shellscript',
    run: toSlurmSrun,
  },
  {
    id: 'skypilot',
    label: 'SkyPilot',
    detail: t('a task YAML for sky launch'),
    language: 'yaml',
    run: toSkyPilotYaml,
  },
  {
    id: 'dstack',
    label: 'dstack',
    detail: t('a dev-environment configuration for dstack apply'),
    language: 'yaml',
    run: toDstackYaml,
  },
];

/** A devcontainer.json of the workspace to import: the Explorer's file, the only one found, or a pick. */
async function devcontainerFile(s: Services, arg: unknown): Promise<vscode.Uri> {
  if (arg instanceof vscode.Uri) return arg;
  const found = await vscode.workspace.findFiles('{.devcontainer/**/devcontainer.json,.devcontainer.json}', null, 20);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const picked = await s.ui.pick(
      'devcontainerFile',
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: t('Import which devcontainer.json?') },
    );
    if (!picked) throw new Cancelled();
    return picked.uri;
  }
  const chosen = await s.ui.openFile('devcontainerFile', {
    canSelectMany: false,
    filters: { 'devcontainer.json': ['json', 'jsonc'] },
    openLabel: t('Import'),
  });
  if (!chosen) throw new Cancelled();
  return chosen;
}

export const bridgeCommands = {
  [Commands.exportProfileForCluster]: async (s, arg, target) => {
    const profile = await pickProfile(s, arg, t('Export which profile for a cluster?'));
    const chosen =
      TARGETS.find((x) => x.id === target) ??
      (await s.ui.pick('clusterTarget', TARGETS, { placeHolder: t('Export {0} for which scheduler?', profile.name) }));
    if (!chosen) throw new Cancelled();
    const out = chosen.run(profile);
    const doc = await vscode.workspace.openTextDocument({ language: chosen.language, content: out.text });
    await vscode.window.showTextDocument(doc, { preview: false });
    showNotes(s, out);
    return out.text;
  },

  [Commands.importDevcontainer]: async (s, arg) => {
    const uri = await devcontainerFile(s, arg);
    let text: string;
    try {
      text = (await vscode.workspace.fs.readFile(uri)).toString();
    } catch (err) {
      throw new Error(t('Could not read {0}: {1}', uri.fsPath, (err as Error).message), { cause: err });
    }
    // The folder above .devcontainer names the profile when the file names none.
    const folder = path.basename(path.dirname(path.dirname(uri.fsPath))) || 'devcontainer';
    const { profile, problems } = importDevcontainer(text, folder);
    const errors = problems.filter((p) => p.severity === 'error');
    if (!profile || errors.length) {
      throw new Error(
        errors.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join(' ') || t('Nothing to import.'),
      );
    }
    if (problems.length) {
      const notes = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n');
      s.logger.warn(`devcontainer.json import notes:\n${notes}`);
      const go = t('Import');
      const a = await s.ui.ask(
        'importProblems',
        'info',
        t('The devcontainer.json was imported with notes.'),
        { modal: true, detail: notes },
        go,
      );
      if (a !== go) throw new Cancelled();
    }
    const name = await askName(s, profile.name);
    const settings = toProfileSettings({ ...profile, name });
    await saveProfileToSettings(s, settings);
    return settings;
  },
} satisfies CommandTable;
