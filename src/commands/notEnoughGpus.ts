/**
 * Not enough free GPUs for a launch: who holds them (and whose lease ran out), and Use Fewer / Launch on
 * <another host where they fit> / Wait (in the queue, or until they free up) / cancel.
 */
import * as vscode from 'vscode';
import { pickFreeGpus, type FreeGpuNeed, type GpuPick, type GpuRow, type UnfitGpu } from '../core/gpu';
import { holderLease, holderName } from '../core/tree/gpuTexts';
import { isExpired, leaseOf } from '../core/gpu/lease';
import type { Host } from '../hosts/host';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

/** How many of what was asked for fit: MIG devices for a `mig` need, else whole GPUs. */
export function fitCount(pick: GpuPick): number {
  return pick.fittingMig?.length ?? pick.fitting.length;
}

/** One line per GPU that does not fit: who holds it and since when, or whose process runs on it. */
function whoHolds(s: Services, unfit: UnfitGpu[]): string[] {
  return unfit.map((u) => {
    if (u.reason === 'held')
      return t(
        'GPU {0}: {1}',
        u.gpu.index,
        u.holders
          .map((h) => {
            // An expired lease is named: the holder may be asked to let go (nothing is freed by itself).
            const lease = leaseOf(h.container.labels, s.leases.extensions()[h.container.id]);
            const expired =
              lease && isExpired(lease, Date.now()) ? `, ${holderLease(h, Date.now(), t, s.leases.extensions())}` : '';
            return `${holderName(h)} (${s.containersTree.statusOf(h.container)}${expired})`;
          })
          .join(', '),
      );
    if (u.reason === 'process')
      return t(
        'GPU {0}: {1}',
        u.gpu.index,
        u.processes
          .map((p) =>
            p.containerName
              ? `${p.containerName} (PID ${p.pid})`
              : p.user
                ? t('{0} (PID {1}, not in a container)', p.user, p.pid)
                : t('PID {0}, not in a container', p.pid),
          )
          .join(', '),
      );
    if (u.reason === 'memory') return t('GPU {0}: not enough free memory', u.gpu.index);
    if (u.reason === 'model') return t('GPU {0}: {1} does not match the model asked for', u.gpu.index, u.gpu.name);
    return t('GPU {0}: in MIG mode', u.gpu.index);
  });
}

/** Launches the same profile again; `on`: on another host (services scoped to it), else on the same one. */
export type Relaunch = ((on?: Services) => Promise<unknown>) & {
  /** How the launch waits in the queue (a saved profile); without it, Wait offers the launch when GPUs free up. */
  queueAs?: { profile: string; image?: string; host?: string };
};

/** Thrown out of a launch that was redone on another host ("Launch on gpubox2"): carries that launch's result. */
export class LaunchedElsewhere extends Error {
  constructor(readonly result: unknown) {
    super('launched on another host');
  }
}

/** The other reachable hosts where `want` fits now (several hosts), most fitting GPUs first; at most two. */
async function otherHostsThatFit(s: Services, want: FreeGpuNeed): Promise<Array<{ host: Host; free: number }>> {
  const hosts = s.hosts;
  if (!hosts.multiple) return [];
  const here = hosts.scopedHost(s) ?? hosts.primary;
  const others = hosts.list.filter((h) => h !== here && hosts.status(h).state.kind === 'ok');
  const fits = await Promise.all(
    others.map(async (host) => {
      const rows = await host.gpus.fresh().catch(() => [] as GpuRow[]);
      const pick = pickFreeGpus(rows, want, host.gpus.current.topology);
      return { host, free: fitCount(pick), ok: pick.ok };
    }),
  );
  return fits
    .filter((f) => f.ok)
    .sort((a, b) => b.free - a.free)
    .slice(0, 2)
    .map(({ host, free }) => ({ host, free }));
}

/** Wait in the background until `need` fits, then offer to launch (a notification). */
function waitForFree(s: Services, need: FreeGpuNeed, relaunch: Relaunch): void {
  let stopped = false;
  s.context.subscriptions.push({ dispose: () => (stopped = true) });
  const deadline = Date.now() + 12 * 3600_000;
  const tick = async (): Promise<void> => {
    if (stopped || Date.now() > deadline) return;
    const rows = await s.gpus.fresh().catch(() => [] as GpuRow[]);
    if (pickFreeGpus(rows, need, s.gpus.current.topology).ok) {
      const launch = t('Launch');
      const a = await s.ui.ask(
        'gpusFree',
        'info',
        need.count === 1 ? t('1 GPU is free now.') : t('{0} GPUs are free now.', need.count),
        {},
        launch,
      );
      if (a === launch) await relaunch();
      return;
    }
    setTimeout(() => void tick(), s.config.gpuRefreshIntervalMs());
  };
  setTimeout(() => void tick(), s.config.gpuRefreshIntervalMs());
}

/**
 * Not enough free GPUs: who holds them, and Use Fewer / Launch on <another host where they are free> / Wait /
 * cancel (Wait and cancel end the launch; another host throws LaunchedElsewhere with that launch's result).
 */
export async function askNotEnough(s: Services, want: FreeGpuNeed, relaunch: Relaunch): Promise<FreeGpuNeed> {
  const now = pickFreeGpus(await s.gpus.fresh(), want, s.gpus.current.topology);
  const fewer =
    fitCount(now) > 0 ? (fitCount(now) === 1 ? t('Use 1 Free GPU') : t('Use {0} Free GPUs', fitCount(now))) : undefined;
  const elsewhere = (await otherHostsThatFit(s, want)).map((o) => ({
    ...o,
    label: o.free === 1 ? t('Launch on {0} (1 free)', o.host.name) : t('Launch on {0} ({1} free)', o.host.name, o.free),
  }));
  const wait = t('Wait');
  const lines = whoHolds(s, now.unfit);
  const a = await s.ui.ask(
    'notEnoughGpus',
    'warning',
    want.count === 1
      ? t('1 free GPU is needed, none is free.')
      : fitCount(now) === 1
        ? t('{0} free GPUs are needed, 1 is free.', want.count)
        : t('{0} free GPUs are needed, {1} are free.', want.count, fitCount(now)),
    { modal: true, detail: lines.join('\n') },
    ...(fewer ? [fewer] : []),
    ...elsewhere.map((o) => o.label),
    wait,
  );
  if (a === fewer && fewer) return { ...want, count: fitCount(now) };
  const other = elsewhere.find((o) => o.label === a);
  if (other) throw new LaunchedElsewhere(await relaunch(s.hosts.scope(s, other.host)));
  if (a === wait) {
    const q = relaunch.queueAs;
    const need = { count: want.count, minFreeMemoryMiB: want.minFreeMemoryMiB, model: want.model };
    if (q) await s.gpuQueue.add({ ...q, need });
    else waitForFree(s, want, relaunch);
  }
  throw new Cancelled();
}
