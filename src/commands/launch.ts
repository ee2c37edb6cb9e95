import type { ContainerCreateOptions } from '../core/docker';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { toEngineError, type ContainerDetails } from '../core/docker';
import {
  defaultProfileSettings,
  needsShmWarning,
  requestsGpu,
  validateContainerName,
  withoutGpu,
  withShmSize,
} from '../core/launch';
import { parseProfiles, toCreateOptions, type Profile } from '../core/profiles';
import { profileContext, reportProfileProblems } from './profileFlows';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { attachTerminal } from './containers';
import type { CommandTable } from './index';
import { imageTarget, isImageRow } from './pick';
import { pullWithProgress } from './images';
import { blockInvalidProfile } from './profileProblems';
import { checkHostPaths, chooseLaunchHost } from '../hostsLaunch';

const t = vscode.l10n.t;

export interface LaunchResult {
  id: string;
  name: string;
  terminal?: vscode.Terminal;
}

async function chooseProfile(
  s: Services,
  byName: string | undefined,
  forImage: string | undefined,
): Promise<{ profile: Profile; unsaved?: Record<string, unknown> }> {
  const result = s.config.profiles();
  reportProfileProblems(s, result);
  let { profiles } = result;
  if (byName) {
    const p = profiles.find((x) => x.name === byName);
    if (!p)
      throw new Error(
        t('There is no launch profile named "{0}". Add it to gpuContainers.profiles or pick another.', byName),
      );
    return { profile: p };
  }
  if (forImage) profiles = profiles.filter((p) => p.image === forImage || p.image === undefined);
  const def = s.config.defaultProfile();
  if (profiles.length > 0) {
    const sorted = [...profiles].sort((a, b) => (a.name === def ? -1 : b.name === def ? 1 : 0));
    type Item = vscode.QuickPickItem & { profile?: Profile };
    const items: Item[] = sorted.map((p) => ({
      label: p.name,
      description: [
        p.image ?? forImage ?? t('image chosen at launch'),
        p.name === def ? t('default') : '',
        p.source === 'user' ? t('user settings') : t('workspace settings'),
      ]
        .filter(Boolean)
        .join(' · '),
      detail: describeProfile(p),
      profile: p,
    }));
    items.push({ label: `$(package) ${t('Choose an image without a profile…')}`, alwaysShow: true });
    const picked = await s.ui.pick('pickProfile', items, {
      placeHolder: t('Launch which profile?'),
      matchOnDescription: true,
    });
    if (!picked) throw new Cancelled();
    if (picked.profile) return { profile: picked.profile };
  }
  return defaultsFor(s, forImage);
}

function describeProfile(p: Profile): string {
  const gpus =
    p.gpus === 'none'
      ? t('no GPU')
      : 'all' in p.gpus
        ? t('all GPUs')
        : 'count' in p.gpus
          ? t('{0} GPUs', p.gpus.count)
          : 'free' in p.gpus
            ? t('{0} free GPUs', p.gpus.free.count)
            : t('GPUs {0}', p.gpus.devices.join(','));
  const parts = [gpus];
  if (p.shmSize) parts.push(`shm ${p.shmSize.text}`);
  if (p.ipc) parts.push(`ipc ${p.ipc}`);
  if (p.network) parts.push(`net ${p.network}`);
  if (p.volumes.length) parts.push(t('{0} volumes', p.volumes.length));
  if (p.ports.length) parts.push(t('ports {0}', p.ports.map((x) => x.text).join(', ')));
  return parts.join(' · ');
}

/** No profile: pick a local image and offer the usual GPU dev-box defaults. */
async function defaultsFor(
  s: Services,
  image: string | undefined,
): Promise<{ profile: Profile; unsaved: Record<string, unknown> }> {
  if (!image) {
    const row = await imageTarget(s, undefined, t('Launch a GPU container from which image?'));
    image = row.tag ?? row.image.id;
  }
  const info = await s.engines.engine.info().catch(() => undefined);
  const settings = defaultProfileSettings(image, {
    gpus: info?.hasNvidiaRuntime ?? false,
    hasWorkspace: !!vscode.workspace.workspaceFolders?.length,
  });
  const parsed = parseProfiles([settings], { source: 'workspace' });
  if (parsed.profiles.length === 0) throw new Error(parsed.problems.map((p) => p.message).join(' '));
  return { profile: parsed.profiles[0], unsaved: settings };
}

async function ensureImage(
  s: Services,
  image: string,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
): Promise<void> {
  try {
    await s.engines.engine.inspectImage(image);
    return;
  } catch (err) {
    const e = toEngineError(err, { image });
    if (e.kind !== 'notFound' && e.kind !== 'imageMissing') throw e;
  }
  const pull = t('Pull');
  const load = t('Load from File…');
  const answer = await s.ui.ask(
    'imageMissing',
    'warning',
    t('The image {0} is not on this machine.', image),
    {
      modal: true,
      detail: t(
        'Pull it from its registry, or load it from a file made with docker save (for servers without internet).',
      ),
    },
    pull,
    load,
  );
  if (answer === pull) {
    progress.report({ message: t('pulling {0}', image) });
    await pullWithProgress(s, image, { progress, token });
  } else if (answer === load) {
    await vscode.commands.executeCommand(Commands.loadImage);
    await s.engines.engine.inspectImage(image).catch(() => {
      throw new Error(t('The loaded file did not contain {0}.', image));
    });
  } else {
    throw new Cancelled();
  }
}

/** Name already in use: Attach / Start existing / Recreate (confirmed) / New name. */
async function resolveNameConflict(
  s: Services,
  name: string,
): Promise<{ name: string } | { existing: ContainerDetails }> {
  let existing: ContainerDetails;
  try {
    existing = await s.engines.engine.inspectContainer(name);
  } catch (err) {
    if (toEngineError(err).kind === 'notFound') return { name };
    throw err;
  }
  const attach = t('Attach');
  const start = t('Start Existing');
  const recreate = t('Recreate…');
  const rename = t('New Name…');
  const running = existing.state === 'running';
  const answer = await s.ui.ask(
    'nameConflict',
    'warning',
    t('A container named {0} already exists ({1}).', name, existing.status || existing.state),
    {
      modal: true,
      detail: t(
        'Attach to it, start it, remove it and create it again from the profile, or launch under another name.',
      ),
    },
    ...(running ? [attach] : [start]),
    recreate,
    rename,
  );
  if (answer === attach || answer === start) return { existing };
  if (answer === recreate) {
    const yes = t('Remove and Recreate');
    const confirm = await s.ui.ask(
      'confirmRecreate',
      'warning',
      t('Remove {0} and create it again?', name),
      { modal: true, detail: t('Files written inside the container outside mounted volumes are lost.') },
      yes,
    );
    if (confirm !== yes) throw new Cancelled();
    await s.engines.engine.removeContainer(existing.id, { force: true });
    return { name };
  }
  if (answer === rename) {
    const taken = new Set(s.refresh.containers.all().map((c) => c.name));
    const next = await s.ui.input('newContainerName', {
      prompt: t('Name for the new container'),
      value: `${name}-2`,
      validateInput: (v) => validateContainerName(v) ?? (taken.has(v) ? t('{0} is already in use.', v) : undefined),
    });
    if (!next) throw new Cancelled();
    const problem = validateContainerName(next);
    if (problem) throw new Error(problem);
    return resolveNameConflict(s, next);
  }
  throw new Cancelled();
}

export async function launch(
  s: Services,
  opts: { profile?: string; image?: string } = {},
): Promise<LaunchResult | undefined> {
  const { profile, unsaved } = await chooseProfile(s, opts.profile, opts.image);
  await blockInvalidProfile(s, profile);
  s = await chooseLaunchHost(s, profile); // several hosts: where (ranked by GPU fit, or the profile's pin)
  let image = profile.image ?? opts.image;
  if (!image) {
    const row = await imageTarget(s, undefined, t('Launch {0} from which image?', profile.name));
    image = row.tag ?? row.image.id;
  }
  const ctx = profileContext(s);
  const built = toCreateOptions({ ...profile, image }, ctx, {
    containerNameTemplate: s.config.containerNameTemplate(),
  });
  const errors = built.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0)
    throw new Error(
      t(
        'Profile {0} cannot be launched: {1}',
        profile.name,
        errors.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join(' '),
      ),
    );
  let options: ContainerCreateOptions = built.options;
  let name = built.name;
  await checkHostPaths(s, options); // a local folder mounted on a remote host would be empty there

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Launching {0}', name), cancellable: true },
    async (progress, token): Promise<LaunchResult> => {
      const engine = s.engines.engine;
      progress.report({ message: t('checking the image') });
      await ensureImage(s, image, progress, token);

      if (requestsGpu(options)) {
        const info = await engine.info();
        if (!info.hasNvidiaRuntime) {
          const without = t('Launch without GPU');
          const a = await s.ui.ask(
            'noNvidiaRuntime',
            'warning',
            t('The profile asks for GPUs, but the Docker engine reports no NVIDIA runtime.'),
            {
              modal: true,
              detail: t(
                'Install the NVIDIA Container Toolkit and run `sudo nvidia-ctk runtime configure --runtime=docker`, then restart Docker.',
              ),
            },
            without,
          );
          if (a !== without) throw new Cancelled();
          options = withoutGpu(options);
        }
      }
      if (requestsGpu(options)) {
        const warnings = await s.gpus.preflight(image, options);
        if (warnings.length > 0) {
          const anyway = t('Launch Anyway');
          const a = await s.ui.ask('gpuPreflight', 'warning', warnings.join(' '), { modal: true }, anyway);
          if (a !== anyway) throw new Cancelled();
        }
      }
      if (needsShmWarning(options)) {
        const use16 = t('Use 16g for This Launch');
        const anyway = t('Launch Anyway');
        const a = await s.ui.ask(
          'shmWarning',
          'warning',
          t(
            '{0} asks for GPUs but keeps Docker\'s default 64 MB /dev/shm. PyTorch DataLoader workers and NCCL often crash with "bus error" or "unable to write to file </torch_…>".',
            profile.name,
          ),
          { modal: true, detail: t('Fix it in the profile with "shmSize": "16g" or "ipc": "host".') },
          use16,
          anyway,
        );
        if (a === use16) options = withShmSize(options, 16 * 1024 ** 3);
        else if (a !== anyway) throw new Cancelled();
      }
      if (token.isCancellationRequested) throw new Cancelled();

      const resolved = await resolveNameConflict(s, name);
      if ('existing' in resolved) {
        const c = resolved.existing;
        if (c.state !== 'running') await engine.startContainer(c.id);
        await s.refresh.refreshContainer(c.id);
        await s.containersTree.reveal(c.id).catch(() => false);
        const terminal = await s.terminals.exec(c);
        return { id: c.id, name: c.name, terminal };
      }
      name = resolved.name;

      progress.report({ message: t('creating {0}', name) });
      let id = await engine.createContainer({ ...options, name });
      progress.report({ message: t('starting {0}', name) });
      try {
        await engine.startContainer(id);
      } catch (err) {
        const e = toEngineError(err);
        if (e.kind !== 'gpuUnavailable') {
          await engine.removeContainer(id, { force: true }).catch(() => undefined);
          throw e;
        }
        const without = t('Launch without GPU');
        const a = await s.ui.ask('gpuUnavailable', 'error', `${e.message} ${e.fix}`, { modal: true }, without);
        await engine.removeContainer(id, { force: true }).catch(() => undefined);
        if (a !== without) throw new Cancelled();
        options = withoutGpu(options);
        id = await engine.createContainer({ ...options, name });
        await engine.startContainer(id);
      }
      await s.refresh.refreshContainer(id);
      await s.containersTree.reveal(id).catch(() => false);
      progress.report({ message: t('opening a terminal') });
      const details = await engine.inspectContainer(id);
      const terminal = await attachTerminal(s, details);
      return { id, name, terminal };
    },
  );

  if (unsaved && result) {
    const save = t('Save as Workspace Profile');
    void s.ui
      .ask(
        'saveDefaults',
        'info',
        t('Launched {0} with default settings. Save them as a launch profile for this workspace?', result.name),
        {},
        save,
      )
      .then(async (a) => {
        if (a === save) await s.config.saveWorkspaceProfile(unsaved);
      });
  }
  return result;
}

export const launchCommands: CommandTable = {
  [Commands.launch]: (s, arg) => {
    const opts =
      typeof arg === 'string'
        ? { profile: arg }
        : typeof arg === 'object' && arg !== null && !isImageRow(arg)
          ? (arg as { profile?: string; image?: string })
          : {};
    return launch(s, opts);
  },
  [Commands.runImage]: async (s, node) => {
    const row = await imageTarget(s, node, t('Run which image?'));
    return launch(s, { image: row.tag ?? row.image.id });
  },
};
