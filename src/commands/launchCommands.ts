import * as vscode from 'vscode';
import { Commands } from '../constants';
import { gpuRequestText, needsShmWarning, withShmSize } from '../core/launchDecisions';
import { requestsGpu, withoutGpu } from '../core/docker/gpuRequests';
import type { Profile } from '../core/profiles';
import { planLaunch, type LaunchPlan } from '../core/launchPlan';
import { profileContext } from './profileFlows';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { attachTerminal } from './attachFlow';
import type { CommandTable } from './commandTypes';
import { imageTarget, isImageRow } from './pick';
import { blockInvalidProfile } from './profileProblems';
import { checkHostPaths, chooseLaunchHost } from '../hosts/hostsLaunch';
import { confirmFreeGpus, createWithFreeGpus, onGpuStartFailure, startGpuContainer, withGpuLabels } from './launchGpus';
import { LaunchedElsewhere, type Relaunch } from './notEnoughGpus';
import { resolveNameConflict, resolvePortConflicts } from './launchConflicts';
import { ensureImage, imageForm } from './runImage';
import { runCommand } from './errorReport';
import { saveProfileToSettings } from './profileSave';
import type { QueuedLaunch } from '../core/gpu/waitQueue';
import { isQueuedRow } from '../gpuQueue';
import { chooseProfile } from './launchPick';
import { launchOnCluster, onCluster } from './launchKube';

const t = vscode.l10n.t;

export interface LaunchResult {
  id: string;
  name: string;
  terminal?: vscode.Terminal;
}

export async function launch(
  s: Services,
  opts: { profile?: string; image?: string } = {},
): Promise<LaunchResult | undefined> {
  const { profile, unsaved } = await chooseProfile(s, opts.profile, opts.image);
  await blockInvalidProfile(s, profile);
  // Several hosts: where (the profile's pin, or ranked by what will work there).
  s = await chooseLaunchHost(s, profile, profile.image ?? opts.image);
  let image = profile.image ?? opts.image;
  // A cluster has no image list to pick from: the preflight says the profile needs one.
  if (!image && !onCluster(s)) {
    const row = await imageTarget(s, undefined, t('Launch {0} from which image?', profile.name));
    image = row.tag ?? row.image.id;
  }
  return launchProfile(s, profile, image ?? '', unsaved);
}

/**
 * Launch one profile with an image: the preflight (conflicts first, then everything about GPUs at once), create,
 * start. When not enough GPUs are free and the user launches on another host instead, that launch's result.
 */
async function launchProfile(
  s: Services,
  profile: Profile,
  image: string,
  unsaved?: Record<string, unknown>,
): Promise<LaunchResult | undefined> {
  try {
    return await launchProfileOnce(s, profile, image, unsaved);
  } catch (e) {
    if (e instanceof LaunchedElsewhere) return e.result as LaunchResult | undefined;
    throw e;
  }
}

async function launchProfileOnce(
  s: Services,
  profile: Profile,
  image: string,
  unsaved?: Record<string, unknown>,
): Promise<LaunchResult | undefined> {
  // A Kubernetes host: the profile as a pod (launchKube.ts) — the scheduler picks the node and the GPUs.
  if (onCluster(s)) return launchOnCluster(s, profile, image);
  // A profile from the settings can wait in the queue by name (a Run Image form cannot: it is not saved).
  const relaunch: Relaunch = Object.assign((on?: Services) => launchProfile(on ?? s, profile, image), {
    queueAs: unsaved ? undefined : { profile: profile.name, image, host: profile.host },
  });
  // 1. Decide (core): the create body, the name, the notes; a profile with errors stops here.
  const plan = planLaunch(profile, image, profileContext(s), {
    containerNameTemplate: s.config.containerNameTemplate(),
  });
  // What the launch changes or depends on: said, not asked — the launch is what the profile says.
  if (plan.notes.length > 0)
    void s.ui.ask('launchNotes', 'warning', t('Launching {0}: {1}', profile.name, plan.notes.join(' · ')), {});
  // 2. Ask what only the host can answer — every question before the progress notification opens.
  const asked = await askBeforeLaunch(s, plan, relaunch);
  if ('existing' in asked) return asked.existing;
  // 3. Execute.
  const result = await executeLaunch(s, asked, relaunch);
  if (unsaved) offerToSave(s, result, unsaved);
  return result;
}

/**
 * The questions of a launch, in order: name and host-port conflicts, paths on a remote host, the image (here,
 * pulled or loaded), everything about GPUs at once, then /dev/shm. The plan as answered, or the container of the
 * same name the user chose to open instead.
 */
async function askBeforeLaunch(
  s: Services,
  plan: LaunchPlan,
  relaunch: Relaunch,
): Promise<LaunchPlan | { existing: LaunchResult }> {
  const { profile, image } = plan;
  let { options, free } = plan;
  // 1. Name and host-port conflicts, before anything else.
  const resolved = await resolveNameConflict(s, plan.name);
  if ('existing' in resolved) {
    const c = resolved.existing;
    const id = c.state === 'running' ? c.id : await startGpuContainer(s, c);
    await s.refresh.refreshContainer(id);
    await s.containersTree.reveal(id, s.refresh).catch(() => false);
    const details = id === c.id ? c : await s.engines.engine.inspectContainer(id);
    const terminal = await s.terminals.exec(details);
    return { existing: { id, name: c.name, terminal } };
  }
  options = await resolvePortConflicts(s, options);
  // 2. Paths: a local folder mounted on a remote host would be empty there.
  await checkHostPaths(s, options);
  // 3. The image: here, pulled or loaded.
  await ensureImage(s, image);
  // 4. Everything about GPUs at once: runtime, CUDA, GPUs that don't exist here, holders; then /dev/shm.
  if (requestsGpu(options)) {
    const info = await s.engines.engine.info().catch(() => undefined);
    const findings = await s.gpus.findings(image, options, info?.hasNvidiaRuntime, free !== undefined);
    if (findings.length > 0) {
      const message = findings.map((f) => f.message).join('\n');
      const noRuntime = findings.some((f) => f.code === 'noRuntime');
      const without = t('Launch without GPU');
      const anyway = t('Launch Anyway');
      const a = noRuntime
        ? await s.ui.ask('noNvidiaRuntime', 'warning', message, { modal: true }, without, anyway)
        : await s.ui.ask('gpuPreflight', 'warning', message, { modal: true }, anyway);
      if (a === without) options = withoutGpu(options);
      else if (a !== anyway) throw new Cancelled();
    }
  }
  if (free && requestsGpu(options)) free = await confirmFreeGpus(s, free, relaunch);
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
  return { ...plan, name: resolved.name, options, ...(free ? { free } : { free: undefined }) };
}

/** Create (claiming free GPUs when asked), start, reveal the row, open a terminal — under one progress. */
async function executeLaunch(s: Services, plan: LaunchPlan, relaunch: Relaunch): Promise<LaunchResult> {
  const { name, free } = plan;
  let options = plan.options;
  const engine = s.engines.engine;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Launching {0}', name), cancellable: true },
    async (progress, token): Promise<LaunchResult> => {
      if (token.isCancellationRequested) throw new Cancelled();
      progress.report({ message: t('creating {0}', name) });
      let id: string;
      if (free && requestsGpu(options)) {
        const created = await createWithFreeGpus(s, options, name, free, relaunch);
        id = created.id;
      } else {
        const rows = requestsGpu(options) ? s.gpus.rows() : [];
        options = withGpuLabels(options, requestsGpu(options) ? gpuRequestText(plan.profile.gpus) : undefined, rows);
        id = await engine.createContainer({ ...options, name });
      }
      progress.report({ message: t('starting {0}', name) });
      try {
        await engine.startContainer(id);
      } catch (err) {
        id = await onGpuStartFailure(s, err, id, options, name);
      }
      await s.refresh.refreshContainer(id);
      await s.containersTree.reveal(id, s.refresh).catch(() => false);
      progress.report({ message: t('opening a terminal') });
      const details = await engine.inspectContainer(id);
      const terminal = await attachTerminal(s, details);
      return { id, name, terminal };
    },
  );
}

/** A launch from the Run Image form (default settings): offer to keep them as a workspace profile. */
function offerToSave(s: Services, result: LaunchResult, unsaved: Record<string, unknown>): void {
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
      if (a === save) await runCommand(s, 'saveDefaults', () => saveProfileToSettings(s, unsaved));
    });
}

/** Launch a profile by name on the host of `s` (Start of an ended pod on a cluster: it runs again from its profile). */
export async function relaunchByName(s: Services, name: string, image?: string): Promise<LaunchResult | undefined> {
  const profile = s.config.profiles().profiles.find((p) => p.name === name);
  if (!profile) throw new Error(t('{0} cannot be launched again: no launch profile has that name any more.', name));
  await blockInvalidProfile(s, profile);
  const img = profile.image ?? image ?? '';
  return launchProfile(await chooseLaunchHost(s, profile, img), profile, img);
}

/** A queued launch whose GPUs are free now (gpuQueue.ts): the profile by name, on the host that fits (`s`). */
export async function launchQueued(s: Services, q: QueuedLaunch): Promise<LaunchResult | undefined> {
  const profile = s.config.profiles().profiles.find((p) => p.name === q.profile);
  if (!profile)
    throw new Error(t('The queued launch of {0} cannot start: no launch profile has that name any more.', q.profile));
  void s.ui.ask('queuedLaunchStarts', 'info', t('Launching {0}: its GPUs are free now.', q.profile), {});
  const img = q.image ?? profile.image ?? '';
  return launchProfile(await chooseLaunchHost(s, profile, img), profile, img);
}

export const launchCommands = {
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
    const form = await imageForm(s, node);
    return launchProfile(await chooseLaunchHost(s, form.profile, form.image), form.profile, form.image, form.unsaved);
  },
  [Commands.cancelQueuedLaunch]: async (s, node) => {
    const row = isQueuedRow(node)
      ? node
      : await s.ui
          .pick(
            'pickQueuedLaunch',
            s.gpuQueue.rows().map((r) => ({ label: s.gpuQueue.text(r.queuedLaunch), row: r })),
            { placeHolder: t('Cancel which queued launch?') },
          )
          .then((p) => p?.row);
    if (row) await s.gpuQueue.cancel(row.queuedLaunch.id);
  },
} satisfies CommandTable;
