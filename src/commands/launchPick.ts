import * as vscode from 'vscode';
import { pickFreeGpus, type GpuRow, type GpuTopology } from '../core/gpu';
import type { Profile } from '../core/profiles';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { describeFreePick } from './launchGpus';
import { reportProfileProblems } from './profileFlows';
import { imageForm } from './runImage';

const t = vscode.l10n.t;

/** Which profile to launch: by name, or picked (the default first, each with what it asks and why it cannot run). */
export async function chooseProfile(
  s: Services,
  byName: string | undefined,
  forImage: string | undefined,
): Promise<{ profile: Profile; unsaved?: Record<string, unknown> }> {
  const result = s.config.profiles();
  // Why the workspace's profiles are not in the pick (Restricted Mode): said as the pick opens.
  reportProfileProblems(s, { ...result, problems: [] });
  const chosen = await pickProfile(s, result.profiles, byName, forImage);
  // Only the launched profile's problems (and those of the setting as a whole): never another profile's.
  const name = 'unsaved' in chosen ? undefined : chosen.profile.name;
  const own = result.problems.filter((p) => !p.profile || p.profile === name);
  reportProfileProblems(s, { ...result, refused: [], problems: own });
  return chosen;
}

async function pickProfile(
  s: Services,
  all: Profile[],
  byName: string | undefined,
  forImage: string | undefined,
): Promise<{ profile: Profile; unsaved?: Record<string, unknown> }> {
  let profiles = all;
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
    // Which GPUs a free request would take is a host's answer: not shown before the host is chosen.
    const hostKnown = !s.hosts.multiple || s.hosts.scopedHost(s) !== undefined;
    const anyFree = hostKnown && sorted.some((p) => p.gpus !== 'none' && 'free' in p.gpus);
    const rows = anyFree ? await s.gpus.fresh().catch(() => []) : [];
    const items: Item[] = sorted.map((p) => ({
      label: p.name,
      description: [
        p.image ?? forImage ?? t('image chosen at launch'),
        p.name === def ? t('default') : '',
        p.source === 'user' ? t('user settings') : t('workspace settings'),
      ]
        .filter(Boolean)
        .join(' · '),
      detail: blockedDetail(p) ?? describeProfile(p, rows, s.gpus.current.topology),
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
  return imageForm(s, undefined, forImage);
}

/** A profile that cannot launch says why in the pick itself (picking it shows the problem with Open Setting). */
function blockedDetail(p: Profile): string | undefined {
  const first = p.errors?.[0];
  if (!first) return undefined;
  const what = `${first.field ? `${first.field}: ` : ''}${first.message}`;
  return p.errors!.length === 1
    ? t('$(error) Cannot launch until fixed: {0}', what)
    : t('$(error) Cannot launch until {0} problems are fixed: {1}', p.errors!.length, what);
}

function describeProfile(p: Profile, rows: GpuRow[], topology: GpuTopology | undefined): string {
  const gpus =
    p.gpus === 'none'
      ? t('no GPU')
      : 'all' in p.gpus
        ? t('all GPUs')
        : 'count' in p.gpus
          ? p.gpus.count === 1
            ? t('1 GPU')
            : t('{0} GPUs', p.gpus.count)
          : 'free' in p.gpus
            ? rows.length > 0
              ? describeFreePick(pickFreeGpus(rows, p.gpus.free, topology), p.gpus.free)
              : t('{0} free GPUs', p.gpus.free.count)
            : t('GPUs {0}', p.gpus.devices.join(','));
  const parts = [gpus];
  if (p.shmSize) parts.push(`shm ${p.shmSize.text}`);
  if (p.ipc) parts.push(`ipc ${p.ipc}`);
  if (p.network) parts.push(`net ${p.network}`);
  if (p.volumes.length) parts.push(p.volumes.length === 1 ? t('1 volume') : t('{0} volumes', p.volumes.length));
  if (p.ports.length) parts.push(t('ports {0}', p.ports.map((x) => x.text).join(', ')));
  return parts.join(' · ');
}
