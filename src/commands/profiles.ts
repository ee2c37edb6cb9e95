import * as vscode from 'vscode';
import { Commands, Settings } from '../constants';
import {
  importDockerRun,
  nameFromImage,
  parseProfiles,
  problemLine,
  profileFromInspect,
  toDevcontainerJson,
  toPortableCompose,
  toPortableDockerRun,
  toProfileSettings,
  looksSecret as looksSecretValue,
  type ExportResult,
  type Profile,
} from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import type { CommandTable } from './commandTypes';
import { reportProfileProblems } from './profileFlows';
import { containerTargets } from './pick';

const t = vscode.l10n.t;

async function pickProfile(s: Services, arg: unknown, placeHolder: string): Promise<Profile> {
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

/** Saves a settings-shaped profile to the workspace, asking before it replaces one of the same name. */
async function saveProfile(s: Services, settings: Record<string, unknown>): Promise<void> {
  const name = String(settings.name);
  const existing = s.config.profiles().profiles.find((p) => p.name === name && p.source !== 'user');
  if (existing) {
    const replace = t('Replace');
    const a = await s.ui.ask(
      'replaceProfile',
      'warning',
      t('A launch profile named {0} already exists in this workspace. Replace it?', name),
      { modal: true },
      replace,
    );
    if (a !== replace) throw new Cancelled();
  }
  await s.config.saveWorkspaceProfile(settings);
  const launch = t('Launch Now');
  const open = t('Open Settings');
  void s.ui
    .ask('profileSaved', 'info', t('Saved launch profile {0} to the workspace settings.', name), {}, launch, open)
    .then((a) => {
      if (a === launch) void vscode.commands.executeCommand(Commands.launch, name);
      if (a === open) void vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
    });
}

async function askName(s: Services, value: string): Promise<string> {
  const taken = new Set(s.config.profiles().profiles.map((p) => p.name));
  const name = await s.ui.input('profileName', {
    prompt: t('Name of the launch profile'),
    value,
    validateInput: (v) =>
      !v.trim()
        ? t('Enter a name.')
        : taken.has(v.trim())
          ? t('{0} exists already; saving replaces it.', v.trim())
          : undefined,
  });
  if (!name?.trim()) throw new Cancelled();
  return name.trim();
}

export const profileCommands = {
  [Commands.newProfile]: async (s) => {
    if (s.refresh.images.all().length === 0) await s.refresh.refreshAll().catch(() => undefined);
    const images = s.refresh.images.all().flatMap((i) => i.tags);
    const typeOwn = t('Type an image name…');
    const imagePick = await s.ui.pick(
      'newProfileImage',
      [...images.map((tag) => ({ label: tag })), { label: typeOwn, alwaysShow: true }],
      { placeHolder: t('Image for the profile') },
    );
    if (!imagePick) throw new Cancelled();
    let image = imagePick.label;
    if (image === typeOwn) {
      const typed = await s.ui.input('newProfileImageName', {
        prompt: t('Image name, e.g. nvcr.io/nvidia/pytorch:24.05-py3'),
      });
      if (!typed?.trim()) throw new Cancelled();
      image = typed.trim();
    }
    const info = await s.engines.engine.info().catch(() => undefined);
    const gpuChoice = await s.ui.pick(
      'newProfileGpus',
      [
        { label: t('All GPUs'), value: 'all' as unknown, picked: info?.hasNvidiaRuntime },
        { label: t('No GPU'), value: 'none' as unknown },
        { label: t('Specific GPUs…'), value: 'devices' as unknown },
        { label: t('A number of GPUs…'), value: 'count' as unknown },
      ],
      { placeHolder: t('GPUs') },
    );
    if (!gpuChoice) throw new Cancelled();
    let gpus: unknown = gpuChoice.value;
    if (gpus === 'devices' || gpus === 'count') {
      const text = await s.ui.input('newProfileGpuList', {
        prompt: gpus === 'devices' ? t('GPU indices or UUIDs, comma-separated (e.g. 0,2)') : t('How many GPUs'),
        validateInput: (v) =>
          gpus === 'count'
            ? /^\d+$/.test(v.trim())
              ? undefined
              : t('Enter a whole number.')
            : v.trim()
              ? undefined
              : t('Enter at least one GPU.'),
      });
      if (!text) throw new Cancelled();
      gpus =
        gpus === 'count'
          ? Number(text.trim())
          : text
              .split(',')
              .map((x) => (/^\d+$/.test(x.trim()) ? Number(x.trim()) : x.trim()))
              .filter((x) => x !== '');
    }
    const shm = await s.ui.input('newProfileShm', {
      prompt: t("Size of /dev/shm (Docker's 64m is too small for PyTorch DataLoader workers)"),
      value: '16g',
    });
    if (shm === undefined) throw new Cancelled();
    const hasWorkspace = !!vscode.workspace.workspaceFolders?.length;
    const name = await askName(s, nameFromImage(image));
    const settings: Record<string, unknown> = { name, image, gpus, ...(shm.trim() ? { shmSize: shm.trim() } : {}) };
    if (hasWorkspace) {
      settings.volumes = ['${workspaceFolder}:/workspace'];
      settings.workdir = '/workspace';
    }
    const check = parseProfiles([settings]);
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((p) => `${p.field ?? ''}: ${p.message}`).join(' '));
    await saveProfile(s, settings);
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
      const keep = t('Import the Rest');
      const text = problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n');
      s.logger.warn(`docker run import problems:\n${text}`);
      const a = await s.ui.ask(
        'importProblems',
        errors.length ? 'warning' : 'info',
        errors.length
          ? t('{0} part(s) of the command cannot be imported.', errors.length)
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
    const settings = toProfileSettings({ ...profile, name });
    await saveProfile(s, settings);
  },

  // Exports are portable and secret-safe: variables stay variables, paths stay relative, no secret value.
  [Commands.copyProfileAsDockerRun]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Copy which profile as docker run?'));
    const out = toPortableDockerRun(profile);
    await vscode.env.clipboard.writeText(out.text);
    showNotes(s, out, t('Copied the docker run command of {0}.', profile.name));
    return out.text;
  },

  [Commands.exportProfileAsCompose]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Export which profile as Compose YAML?'));
    const out = toPortableCompose(profile);
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: out.text });
    await vscode.window.showTextDocument(doc, { preview: false });
    showNotes(s, out);
    return out.text;
  },

  [Commands.exportProfileAsDevcontainer]: async (s, arg) => {
    const profile = await pickProfile(s, arg, t('Export which profile as devcontainer.json?'));
    const out = toDevcontainerJson(profile);
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
    const out = toPortableDockerRun(profile);
    await vscode.env.clipboard.writeText(out.text);
    showNotes(s, out, t('Copied a docker run command that recreates {0}.', profile.name));
    return out.text;
  },

  [Commands.saveContainerAsProfile]: async (s, node, nodes) => {
    const profile = await containerProfile(s, node, nodes, t('Save which container as a launch profile?'));
    const name = await askName(s, profile.name);
    // Secret values in the container's environment are not written to settings: they come from the environment.
    const env = Object.fromEntries(
      Object.entries(profile.env).map(([k, v]) => [k, v !== null && looksSecretValue(k, v) ? `\${env:${k}}` : v]),
    );
    const settings = toProfileSettings({ ...profile, env, name, containerName: undefined });
    await saveProfile(s, settings);
    return settings;
  },
} satisfies CommandTable;

/** The profile that reproduces a container (ours or not). */
async function containerProfile(s: Services, node: unknown, nodes: unknown, placeHolder: string): Promise<Profile> {
  const [c] = await containerTargets(s, node, nodes, () => true, placeHolder);
  const details = await s.engines.engine.inspectContainer(c.id);
  const raw = details.raw as { Config?: { Image?: string }; Image?: string };
  const image = await s.engines.engine
    .inspectImage(raw.Image ?? raw.Config?.Image ?? '')
    .then((i) => i.raw as Record<string, unknown>)
    .catch(() => undefined);
  return profileFromInspect(raw as Record<string, unknown>, image);
}

/** What an export left out or could not express: logged, and one line to the user. Never holds a secret. */
function showNotes(s: Services, out: ExportResult, done?: string): void {
  if (out.notes.length) s.logger.info(`export notes:\n${out.notes.map(problemLine).join('\n')}`);
  const text = [done, ...out.notes.map((n) => `${n.field ? `${n.field}: ` : ''}${n.message}`)].filter(Boolean);
  if (text.length) void s.ui.ask('exportNotes', 'info', text.join(' '), {});
}
