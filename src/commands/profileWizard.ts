import * as vscode from 'vscode';
import { nameFromImage, parsePortSpec, parseProfiles } from '../core/profiles';
import type { Services } from '../services';
import { isGoBack } from '../uiStep';
import { Cancelled } from './cancel';
import { profileNameValidator } from './profileFlows';

const t = vscode.l10n.t;

/** What the New Launch Profile wizard has gathered so far (kept across Back). */
interface Answers {
  image?: string;
  gpus?: unknown;
  ipc?: 'host';
  shm?: string;
  ports?: string[];
  hfCache?: boolean;
  name?: string;
}

/** The Hugging Face cache of the user, mounted where the libraries look for it as root. */
export const HF_CACHE_VOLUME = '~/.cache/huggingface:/root/.cache/huggingface';

/** One question (or two, when a choice needs a value); resolves false when it was skipped. */
type Step = (
  s: Services,
  a: Answers,
  step: { step: number; totalSteps: number; title: string },
) => Promise<boolean | void>;

const need = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Cancelled();
  return v;
};

const imageStep: Step = async (s, a, step) => {
  if (s.refresh.images.all().length === 0) await s.refresh.refreshAll().catch(() => undefined);
  const images = s.refresh.images.all().flatMap((i) => i.tags);
  const typeOwn = t('Type an image name…');
  const pick = need(
    await s.ui.pick(
      'newProfileImage',
      [...images.map((tag) => ({ label: tag, picked: tag === a.image })), { label: typeOwn, alwaysShow: true }],
      { placeHolder: t('Image for the profile'), title: step.title, step },
    ),
  );
  if (pick.label !== typeOwn) {
    a.image = pick.label;
    return;
  }
  const typed = await s.ui.input('newProfileImageName', {
    prompt: t('Image name, e.g. nvcr.io/nvidia/pytorch:24.05-py3'),
    value: a.image,
    title: step.title,
    step,
  });
  if (!typed?.trim()) throw new Cancelled();
  a.image = typed.trim();
};

const gpuStep: Step = async (s, a, step) => {
  const info = await s.engines.engine.info().catch(() => undefined);
  const choice = need(
    await s.ui.pick(
      'newProfileGpus',
      [
        {
          label: t('N free GPUs…'),
          description: t('recommended'),
          detail: t('Each launch takes GPUs that no one uses at that moment.'),
          value: 'free',
          picked: info?.hasNvidiaRuntime,
        },
        { label: t('All GPUs'), value: 'all' },
        { label: t('No GPU'), value: 'none' },
        { label: t('Specific GPUs…'), value: 'devices' },
        { label: t('A number of GPUs…'), value: 'count' },
      ],
      { placeHolder: t('GPUs'), title: step.title, step },
    ),
  );
  const kind = choice.value;
  if (kind !== 'devices' && kind !== 'count' && kind !== 'free') {
    a.gpus = kind;
    return;
  }
  const text = await s.ui.input('newProfileGpuList', {
    prompt:
      kind === 'devices'
        ? t('GPU indices or UUIDs, comma-separated (e.g. 0,2)')
        : kind === 'free'
          ? t('How many free GPUs each launch takes')
          : t('How many GPUs'),
    value: kind === 'free' ? '1' : undefined,
    title: step.title,
    step,
    validateInput: (v) =>
      kind === 'free'
        ? /^[1-9]\d*$/.test(v.trim())
          ? undefined
          : t('Enter a whole number of 1 or more.')
        : kind === 'count'
          ? /^\d+$/.test(v.trim())
            ? undefined
            : t('Enter a whole number.')
          : v.trim()
            ? undefined
            : t('Enter at least one GPU.'),
  });
  if (!text) throw new Cancelled();
  a.gpus =
    kind === 'free'
      ? { free: Number(text.trim()) }
      : kind === 'count'
        ? Number(text.trim())
        : text
            .split(',')
            .map((x) => (/^\d+$/.test(x.trim()) ? Number(x.trim()) : x.trim()))
            .filter((x) => x !== '');
};

const ipcStep: Step = async (s, a, step) => {
  const host = t("Share the host's IPC namespace (--ipc host)");
  const own = t('Own IPC namespace with a /dev/shm size (Docker default)');
  const pick = need(
    await s.ui.pick(
      'newProfileIpc',
      [
        {
          label: host,
          detail: t('PyTorch DataLoader workers and NCCL share memory freely; the /dev/shm size no longer matters.'),
          picked: a.ipc === 'host',
        },
        { label: own, picked: a.ipc !== 'host' },
      ],
      { placeHolder: t('Shared memory for worker processes'), title: step.title, step },
    ),
  );
  a.ipc = pick.label === host ? 'host' : undefined;
};

const shmStep: Step = async (s, a, step) => {
  if (a.ipc === 'host') {
    a.shm = undefined;
    return false;
  }
  a.shm = need(
    await s.ui.input('newProfileShm', {
      prompt: t("Size of /dev/shm (Docker's 64m is too small for PyTorch DataLoader workers)"),
      value: a.shm ?? '16g',
      title: step.title,
      step,
    }),
  ).trim();
};

const portsStep: Step = async (s, a, step) => {
  const text = need(
    await s.ui.input('newProfilePorts', {
      prompt: t('Ports to publish, comma-separated (e.g. 8888:8888 for Jupyter); leave empty for none'),
      value: (a.ports ?? []).join(', '),
      title: step.title,
      step,
      validateInput: (v) => {
        for (const p of v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)) {
          const r = parsePortSpec(p);
          if (r.error !== undefined) return r.error;
        }
        return undefined;
      },
    }),
  );
  a.ports = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
};

const hfStep: Step = async (s, a, step) => {
  const yes = t('Mount the Hugging Face cache');
  const no = t('No cache mount');
  const pick = need(
    await s.ui.pick(
      'newProfileHfCache',
      [
        { label: yes, description: HF_CACHE_VOLUME, picked: a.hfCache !== false },
        { label: no, picked: a.hfCache === false },
      ],
      { placeHolder: t('Reuse downloaded models and datasets?'), title: step.title, step },
    ),
  );
  a.hfCache = pick.label === yes;
};

const nameStep: Step = async (s, a, step) => {
  const name = await s.ui.input('profileName', {
    prompt: t('Name of the launch profile'),
    value: a.name ?? nameFromImage(a.image),
    title: step.title,
    step,
    validateInput: profileNameValidator(s),
  });
  if (!name?.trim()) throw new Cancelled();
  a.name = name.trim();
};

const STEPS: Step[] = [imageStep, gpuStep, ipcStep, shmStep, portsStep, hfStep, nameStep];

/**
 * The New Launch Profile wizard: image, GPUs, IPC, /dev/shm, ports, Hugging Face cache, name — "step n of m"
 * with Back. Returns the profile in settings form, checked.
 */
export async function newProfileWizard(s: Services): Promise<Record<string, unknown>> {
  const a: Answers = {};
  const visited: number[] = [];
  let i = 0;
  while (i < STEPS.length) {
    try {
      const title = t('New Launch Profile');
      if ((await STEPS[i](s, a, { step: i + 1, totalSteps: STEPS.length, title })) !== false) visited.push(i);
      i++;
    } catch (e) {
      if (!isGoBack(e)) throw e;
      i = visited.pop() ?? 0;
    }
  }
  const settings: Record<string, unknown> = { name: a.name, image: a.image, gpus: a.gpus };
  if (a.ipc) settings.ipc = a.ipc;
  if (a.shm) settings.shmSize = a.shm;
  if (a.ports?.length) settings.ports = a.ports;
  const volumes: string[] = [];
  if (vscode.workspace.workspaceFolders?.length) {
    volumes.push('${workspaceFolder}:/workspace');
    settings.workdir = '/workspace';
  }
  if (a.hfCache) volumes.push(HF_CACHE_VOLUME);
  if (volumes.length) settings.volumes = volumes;
  const check = parseProfiles([settings]);
  const errors = check.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((p) => `${p.field ?? ''}: ${p.message}`).join(' '));
  return settings;
}
