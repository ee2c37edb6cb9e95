/**
 * Run Image… as a short form, never a silent start: the image (picked, or typed — not here: Pull or Load),
 * the GPUs (with what is free now; never `all` by default when other users' GPU containers exist), the
 * name (from the image, unique), then the launch. Also the "no profile" path of Launch.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { toEngineError } from '../core/docker';
import { pickFreeGpus, runImageGpuChoices, type GpuRow } from '../core/gpu';
import { defaultProfileSettings, runImageContainerName, validateContainerName } from '../core/launchDecisions';
import { parseProfiles, type Profile } from '../core/profiles';
import { shortId } from '../core/tree/format';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { pullWithProgress } from './pullFlow';
import { describeFreePick } from './launchGpus';
import { isImageRow } from './pick';
import { profileContext } from './profileFlows';

const t = vscode.l10n.t;

type GpuChoice = { kind: 'none' } | { kind: 'all' } | { kind: 'free'; count: number };

/**
 * The image is here, or the user chose how to get it: Pull (with its own progress, closed before any error is
 * shown) or Load. No progress notification is open while the question is asked.
 */
export async function ensureImage(s: Services, image: string): Promise<void> {
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
    await pullWithProgress(s, image);
  } else if (answer === load) {
    await vscode.commands.executeCommand(Commands.loadImage);
    await s.engines.engine.inspectImage(image).catch(() => {
      throw new Error(t('The loaded file did not contain {0}.', image));
    });
  } else {
    throw new Cancelled();
  }
}

async function chooseImage(s: Services, node: unknown, image: string | undefined): Promise<string> {
  if (image) return image;
  if (isImageRow(node)) return node.tag ?? node.image.id;
  if (s.refresh.images.all().length === 0) await s.refresh.refreshAll().catch(() => undefined);
  type Item = vscode.QuickPickItem & { ref?: string };
  const typed = `$(edit) ${t('Type an image name…')}`;
  const items: Item[] = s.imagesTree.rows(s.refresh).map((r) => ({
    label: r.tag ?? `<none> ${shortId(r.image.id)}`,
    description: shortId(r.image.id),
    ref: r.tag ?? r.image.id,
  }));
  items.push({ label: typed, alwaysShow: true });
  const picked = await s.ui.pick('runImagePick', items, { placeHolder: t('Run which image?') });
  if (!picked) throw new Cancelled();
  if (picked.ref) return picked.ref;
  const name = await s.ui.input('runImageName', {
    prompt: t('Image to run (for example nvcr.io/nvidia/pytorch:24.05-py3)'),
    validateInput: (v) => (v.trim() ? undefined : t('Enter an image name.')),
  });
  if (!name?.trim()) throw new Cancelled();
  const ref = name.trim();
  await ensureImage(s, ref);
  return ref;
}

async function chooseGpus(s: Services): Promise<GpuChoice> {
  const rows: GpuRow[] = await s.gpus.fresh().catch(() => []);
  const topology = s.gpus.current.topology;
  const plan = runImageGpuChoices({ rows, containers: s.refresh.containers.all(), user: s.user.name, topology });
  type Item = vscode.QuickPickItem & { choice: GpuChoice };
  const free: Item[] = plan.freeCounts.map((n) => {
    const need = { count: n };
    return {
      label: n === 1 ? t('1 free GPU') : t('{0} free GPUs', n),
      description: describeFreePick(pickFreeGpus(rows, need, topology), need),
      choice: { kind: 'free', count: n },
    };
  });
  const none: Item = { label: t('No GPU'), choice: { kind: 'none' } };
  const all: Item = {
    label: t('All GPUs'),
    description:
      plan.others.length > 0
        ? t('also the GPUs other users hold: {0}', plan.others.slice(0, 3).join(', '))
        : rows.length > 0
          ? t('{0} GPUs, {1} free', rows.length, plan.free)
          : t('which GPUs are in use here is not known'),
    choice: { kind: 'all' },
  };
  const items = plan.order.flatMap((k) => (k === 'free' ? free : k === 'none' ? [none] : [all]));
  const picked = await s.ui.pick('runImageGpus', items, { placeHolder: t('GPUs for this container') });
  if (!picked) throw new Cancelled();
  return picked.choice;
}

/** The form; returns the profile to launch (not saved) and its settings (to offer saving them). */
export async function imageForm(
  s: Services,
  node?: unknown,
  givenImage?: string,
): Promise<{ profile: Profile; image: string; unsaved: Record<string, unknown> }> {
  const image = await chooseImage(s, node, givenImage);
  const gpus = await chooseGpus(s);
  const taken = new Set(s.refresh.containers.all().map((c) => c.name));
  // The containerNameTemplate setting, as a launch uses it (`${profile}`: the name made from the image).
  const suggested = runImageContainerName(image, profileContext(s), s.config.containerNameTemplate(), taken);
  const name = await s.ui.input('runImageContainerName', {
    prompt: t('Name for the new container'),
    value: suggested,
    validateInput: (v) => validateContainerName(v) ?? (taken.has(v) ? t('{0} is already in use.', v) : undefined),
  });
  if (!name) throw new Cancelled();
  const problem = validateContainerName(name);
  if (problem) throw new Error(problem);
  const settings: Record<string, unknown> = {
    ...defaultProfileSettings(image, {
      gpus: gpus.kind === 'all',
      hasWorkspace: !!vscode.workspace.workspaceFolders?.length,
    }),
    containerName: name,
  };
  const parsed = parseProfiles([settings], { source: 'workspace' });
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (parsed.profiles.length === 0 || errors.length > 0)
    throw new Error(
      t(
        'These settings cannot be launched: {0}',
        (errors.length > 0 ? errors : parsed.problems)
          .map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`)
          .join(' '),
      ),
    );
  let profile = parsed.profiles[0];
  if (gpus.kind === 'free') {
    profile = { ...profile, gpus: { free: { count: gpus.count } } };
    settings.gpus = { free: gpus.count };
  }
  return { profile, image, unsaved: settings };
}
