import os from 'node:os';
import * as vscode from 'vscode';
import { Commands, Settings } from '../constants';
import {
  exportNotice,
  importDockerRun,
  problemLine,
  profileFromInspect,
  toDevcontainerJson,
  toPortableCompose,
  toPortableDockerRun,
  toProfileSettings,
  savableProfile,
  type ContainerInspectJson,
  type ExportResult,
  type ImageInspectJson,
  type Profile,
} from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';
import { profileNameValidator, reportProfileProblems } from './profileFlows';
import { newProfileWizard } from './profileWizard';
import { saveProfileToSettings } from './profileSave';
import { containerTargets } from './pick';

const t = vscode.l10n.t;
/** Host paths under this machine's home folder are saved and exported as `~/…`. */
const EXPORT_OPTIONS = { userHome: os.homedir() };

export async function pickProfile(s: Services, arg: unknown, placeHolder: string): Promise<Profile> {
  const result = s.config.profiles();
  reportProfileProblems(s, result);
  if (typeof arg === 'string') {
    const p = result.profiles.find((x) => x.name === arg);
    if (p) return p;
  }
  if (result.profiles.length === 0) {
    const create = t('New Launch Profile…');
    const a = await s.ui.ask('noProfiles', 'info', t('There are no launch profiles yet.'), {}, create);
    if (a === create) await vscode.commands.executeCommand(Commands.newProfile);
    throw new Cancelled();
  }
  const picked = await s.ui.pick(
    'pickProfile',
    result.profiles.map((p) => ({ label: p.name, description: p.image ?? '', profile: p })),
    { placeHolder },
  );
  if (!picked) throw new Cancelled();
  return picked.profile;
}

/** Saves a settings-shaped profile (see saveProfileToSettings: nothing already in settings is lost). */
async function saveProfile(s: Services, settings: Record<string, unknown>): Promise<void> {
  await saveProfileToSettings(s, settings);
}

export async function askName(s: Services, value: string): Promise<string> {
  const name = await s.ui.input('profileName', {
    prompt: t('Name of the launch profile'),
    value,
    validateInput: profileNameValidator(s),
  });
  if (!name?.trim()) throw new Cancelled();
  return name.trim();
}

export const profileCommands = {
  [Commands.newProfile]: async (s) => {
    await saveProfile(s, await newProfileWizard(s));
  },

  [Commands.importDockerRun]: async (s, arg) => {
    const line =
      typeof arg === 'string'
        ? arg
        : await s.ui.input('dockerRunLine', {
            prompt: t('Paste a docker run command line'),
            placeHolder:
              'docker run -it --gpus all --shm-size 16g -v ~/.cache/huggingface:/root/.cache/huggingface IMAGE bash',
          });
    if (!line?.trim()) throw new Cancelled();
    const { profile, problems } = importDockerRun(line);
    const errors = problems.filter((p) => p.severity === 'error');
    if (problems.length > 0) {
      // "Import the Rest" only when something was dropped; notes alone import everything.
      const keep = errors.length ? t('Import the Rest') : t('Import');
      const text = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n');
      s.logger.warn(`docker run import problems:\n${text}`);
      const a = await s.ui.ask(
        'importProblems',
        errors.length ? 'warning' : 'info',
        errors.length
          ? errors.length === 1
            ? t('1 part of the command cannot be imported.')
            : t('{0} parts of the command cannot be imported.', errors.length)
          : t('The command was imported with notes.'),
        { modal: true, detail: text },
        keep,
      );
      if (a !== keep) throw new Cancelled();
    }
    if (!profile.image)
      throw new Error(
        t('The command names no image. Add the image after the flags, e.g. docker run --gpus all IMAGE.'),
      );
    const name = await askName(s, profile.name);
    // As Save as Launch Profile: a secret (-e HF_TOKEN=hf_…, --db-pass=…) is written as ${env:NAME}, never its value.
    const safe = savableProfile({ ...profile, name }, EXPORT_OPTIONS);
    const settings = toProfileSettings(safe.profile);
    await saveProfile(s, settings);
    showNotes(s, { text: '', notes: safe.notes });
  },

  // Exports are portable and secret-safe: variables stay variables, paths stay relative, no secret value.
  [Commands.copyProfileAsDockerRun]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Copy which profile as docker run?'));
    const out = toPortableDockerRun(profile, EXPORT_OPTIONS);
    await vscode.env.clipboard.writeText(out.text);
    showNotes(s, out, t('Copied the docker run command of {0}.', profile.name));
    return out.text;
  },

  [Commands.exportProfileAsCompose]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Export which profile as Compose YAML?'));
    const out = toPortableCompose(profile, EXPORT_OPTIONS);
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: out.text });
    await vscode.window.showTextDocument(doc, { preview: false });
    showNotes(s, out);
    return out.text;
  },

  [Commands.exportProfileAsDevcontainer]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Export which profile as devcontainer.json?'));
    const out = toDevcontainerJson(profile, EXPORT_OPTIONS);
    const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: out.text });
    await vscode.window.showTextDocument(doc, { preview: false });
    showNotes(s, out);
    return out.text;
  },

  [Commands.setDefaultProfile]: async (s) => {
    const { profiles } = s.config.profiles();
    const current = s.config.defaultProfile();
    const none = t('No default (ask every time)');
    const picked = await s.ui.pick(
      'defaultProfile',
      [
        ...profiles.map((p) => ({
          label: p.name,
          description: [p.image ?? '', p.name === current ? t('current default') : ''].filter(Boolean).join(' · '),
        })),
        { label: none },
      ],
      { placeHolder: t('Launch which profile without asking?') },
    );
    if (!picked) throw new Cancelled();
    const value = picked.label === none ? undefined : picked.label;
    await vscode.workspace
      .getConfiguration(Settings.section)
      .update(Settings.defaultProfile, value, vscode.ConfigurationTarget.Global);
    return value;
  },

  // From a container back: its inspect, minus the image's and Docker's defaults.
  [Commands.copyContainerAsDockerRun]: async (s, node, nodes) => {
    const profile = await containerProfile(s, node, nodes, t('Copy which container as docker run?'));
    const out = toPortableDockerRun(profile, EXPORT_OPTIONS);
    await vscode.env.clipboard.writeText(out.text);
    showNotes(s, out, t('Copied a docker run command that recreates {0}.', profile.name));
    return out.text;
  },

  [Commands.saveContainerAsProfile]: async (s, node, nodes) => {
    const profile = await containerProfile(s, node, nodes, t('Save which container as a launch profile?'));
    const name = await askName(s, profile.name);
    // Secret values in the container's environment are not written to settings: they come from the environment.
    const safe = savableProfile(profile, EXPORT_OPTIONS);
    const settings = toProfileSettings({ ...safe.profile, name, containerName: undefined });
    await saveProfile(s, settings);
    showNotes(s, { text: '', notes: safe.notes });
    return settings;
  },
} satisfies CommandTable;

/** The profile that reproduces a container (ours or not). */
async function containerProfile(s: Services, node: unknown, nodes: unknown, placeHolder: string): Promise<Profile> {
  const [c] = await containerTargets(s, node, nodes, () => true, placeHolder);
  const details = await s.engines.engine.inspectContainer(c.id);
  const raw = details.raw as ContainerInspectJson;
  const [image, info] = await Promise.all([
    s.engines.engine
      .inspectImage(raw.Image ?? raw.Config?.Image ?? '')
      .then((i) => i.raw as ImageInspectJson)
      .catch(() => undefined),
    // Its cgroup version says which cgroupns mode is the default (and so left out).
    s.engines.engine.info().catch(() => undefined),
  ]);
  return profileFromInspect(raw, image, { cgroupVersion: info?.cgroupVersion });
}

/** What an export left out or could not express: logged, and one line to the user. Never holds a secret. */
export function showNotes(s: Services, out: ExportResult, done?: string): void {
  if (out.notes.length) s.logger.info(`export notes:\n${out.notes.map(problemLine).join('\n')}`);
  const text = exportNotice(done, out.notes);
  if (text) void s.ui.ask('exportNotes', 'info', text, {});
}
