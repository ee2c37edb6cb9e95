/**
 * The GPU steps of a launch: the preflight (everything wrong said at once), picking "N free GPUs" with a
 * claim so two launches never get the same GPU, what to do when not enough are free (fewer / wait / cancel),
 * and starting a GPU container that the engine cannot give GPUs to.
 */
import type { ContainerCreateOptions } from '../core/docker';
import * as vscode from 'vscode';
import { toEngineError, type ContainerDetails } from '../core/docker';
import { GPU_REQUEST_LABEL, GPU_UUIDS_LABEL } from '../core/docker/labels';
import {
  classifyGpuStartError,
  createClaimed,
  freeMemoryMiB,
  NVIDIA_TOOLKIT_URL,
  pickFreeGpus,
  pickFreeMig,
  pickedUuids,
  resolveDeviceId,
  type FreeGpuNeed,
  type GpuPick,
  type GpuRow,
  type UnfitGpu,
} from '../core/gpu';
import { holderLease, holderName } from '../core/tree/gpuRows';
import { isExpired, leaseLabels, leaseOf } from '../core/gpu/lease';
import { recreateWithoutGpu, withoutGpu } from '../core/launchDecisions';
import { discardHalfCreated, removeHalfCreated } from '../core/halfCreated';
import type { Host } from '../hostsService';
import type { Services } from '../services';
import { Cancelled } from './cancel';

const t = vscode.l10n.t;

function gib(mib: number | undefined): string {
  return mib === undefined ? '?' : String(Math.round(mib / 1024));
}

/** How many of what was asked for fit: MIG devices for a `mig` need, else whole GPUs. */
function fitCount(pick: GpuPick): number {
  return pick.fittingMig?.length ?? pick.fitting.length;
}

/** "GPUs 5,6 (free, 80 GiB each)", "MIG 0:2 (1g.10gb, free)" — what a free request will take now; or why it can't. */
export function describeFreePick(pick: GpuPick, need: FreeGpuNeed): string {
  if (!pick.ok)
    return need.count === 1
      ? t('1 free GPU wanted, none free now')
      : t('{0} free GPUs wanted, {1} free now', need.count, fitCount(pick));
  if (pick.pickedMig)
    return t(
      'MIG {0} ({1}, free)',
      pick.pickedMig.map((m) => `${m.parentIndex}:${m.deviceIndex}`).join(', '),
      need.mig ?? '',
    );
  const ids = pick.picked.map((g) => g.index).join(',');
  const mem = new Set(pick.picked.map((g) => gib(freeMemoryMiB(g))));
  const each = mem.size === 1 ? [...mem][0] : '?';
  return pick.picked.length === 1
    ? t('GPU {0} (free, {1} GiB)', ids, each)
    : t('GPUs {0} (free, {1} GiB each)', ids, each);
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
 * Create a container with `need.count` free GPUs, claimed (see core/gpu/claim.ts). When not enough are free:
 * who holds them, and Use Fewer / Wait / cancel. Returns the created container's id.
 */
export async function createWithFreeGpus(
  s: Services,
  options: ContainerCreateOptions,
  name: string,
  need: FreeGpuNeed,
  relaunch: Relaunch,
): Promise<{ id: string; uuids: string[] }> {
  let want = need;
  // A hold: the claim also says until when (core/gpu/lease.ts), counted from the claim.
  const hold = (need as { holdMs?: number }).holdMs;
  if (hold) options = { ...options, Labels: { ...options.Labels, ...leaseLabels(hold, Date.now()) } };
  for (;;) {
    const rows = await s.gpus.fresh();
    const topology = s.gpus.current.topology;
    const result = await createClaimed(s.engines.engine, {
      options,
      name,
      requestText: want.mig ? `free=${want.count},mig=${want.mig}` : `free=${want.count}`,
      pick: (excluded) => {
        // MIG: the claims name MIG devices, so those are excluded, not their parent GPUs.
        const p =
          want.mig !== undefined
            ? pickFreeMig(rows, want, excluded)
            : pickFreeGpus(
                rows.filter((r) => !excluded.has(r.gpu.uuid.toLowerCase())),
                want,
                topology,
              );
        return p.ok ? pickedUuids(p) : undefined;
      },
    });
    if (result.ok) return result;
    want = await askNotEnough(s, want, relaunch); // taken between the check and the claim
  }
}

/**
 * Before any progress opens: are `need.count` GPUs free now? If not, ask (Use Fewer / Wait / cancel) and return
 * what to ask the claim for. The claim itself re-checks at create time.
 */
export async function confirmFreeGpus(s: Services, need: FreeGpuNeed, relaunch: Relaunch): Promise<FreeGpuNeed> {
  const now = pickFreeGpus(await s.gpus.fresh(), need, s.gpus.current.topology);
  return now.ok ? need : askNotEnough(s, need, relaunch);
}

/**
 * Not enough free GPUs: who holds them, and Use Fewer / Launch on <another host where they are free> / Wait /
 * cancel (Wait and cancel end the launch; another host throws LaunchedElsewhere with that launch's result).
 */
async function askNotEnough(s: Services, want: FreeGpuNeed, relaunch: Relaunch): Promise<FreeGpuNeed> {
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

/** Labels recording an explicit GPU request, and its UUIDs when the host's GPUs are known. */
export function withGpuLabels(
  options: ContainerCreateOptions,
  requestText: string | undefined,
  rows: GpuRow[],
): ContainerCreateOptions {
  if (!requestText) return options;
  const labels: Record<string, string> = { ...options.Labels, [GPU_REQUEST_LABEL]: requestText };
  const ids = options.HostConfig?.DeviceRequests?.flatMap((r) => r.DeviceIDs ?? []) ?? [];
  const gpus = rows.map((r) => r.gpu);
  // A MIG device is claimed by its own UUID (two slices of one GPU are two claims that do not overlap).
  const uuids = ids.map((id) => {
    const r = resolveDeviceId(id, gpus);
    return r?.mig ? r.mig.uuid : r?.gpu.uuid;
  });
  if (ids.length > 0 && uuids.every(Boolean)) labels[GPU_UUIDS_LABEL] = [...new Set(uuids)].join(',');
  return { ...options, Labels: labels };
}

/** A start that failed because of GPUs: the message and fix, or undefined when it is something else. */
function gpuStartProblem(err: unknown): { message: string; fix: string } | undefined {
  const e = toEngineError(err);
  const text = `${String((err as Error)?.message ?? err)} ${e.engineMessage ?? ''}`;
  const c = classifyGpuStartError(text);
  if (c) return { message: c.message, fix: c.fix };
  return e.kind === 'gpuUnavailable' ? { message: e.message, fix: e.fix } : undefined;
}

/**
 * Start an existing GPU container; when the engine cannot give it GPUs, offer "Start without GPU (recreate)"
 * and the NVIDIA Container Toolkit instructions. Returns the id of the container that runs.
 */
export async function startGpuContainer(s: Services, c: ContainerDetails): Promise<string> {
  try {
    await s.engines.engine.startContainer(c.id);
    return c.id;
  } catch (err) {
    const p = gpuStartProblem(err);
    if (!p || !c.gpu) throw err;
    const recreate = t('Start without GPU (recreate)');
    const docs = t('Open the NVIDIA Container Toolkit instructions');
    const a = await s.ui.ask('startWithoutGpu', 'error', `${p.message} ${p.fix}`, { modal: true }, recreate, docs);
    if (a === docs) {
      await vscode.env.openExternal(vscode.Uri.parse(NVIDIA_TOOLKIT_URL));
      throw new Cancelled();
    }
    if (a !== recreate) throw new Cancelled();
    const options = recreateWithoutGpu(c);
    await s.engines.engine.removeContainer(c.id, { force: true });
    const id = await s.engines.engine.createContainer(options);
    await s.engines.engine.startContainer(id);
    return id;
  }
}

/**
 * The engine did not answer when a failed launch tried to remove its container (a daemon killed between
 * create and start): remove it once the host's rows load again (engine state back to ok), and say so.
 */
function removeWhenAnswering(s: Services, id: string, name: string): void {
  s.logger.warn(`launch: ${name} was created but not started, and Docker is not answering; removing it later`);
  const sub = s.refresh.onDidChangeState((state) => {
    if (state !== 'ok') return;
    void removeHalfCreated(s.engines.engine, id).then(
      async (outcome) => {
        if (outcome === 'unanswered') return;
        sub.dispose();
        s.logger.info(`launch: the half-created container ${name}: ${outcome}`);
        if (outcome !== 'removed') return;
        await s.refresh.refreshContainer(id);
        void s.ui.ask(
          'halfCreatedRemoved',
          'info',
          t('Removed {0}: the launch created it, then Docker stopped before it could start.', name),
          {},
        );
      },
      (err: unknown) => {
        sub.dispose();
        s.logger.error(`launch: removing the half-created container ${name} failed:`, err);
      },
    );
  });
  s.context.subscriptions.push(sub);
}

/** A new container whose start failed for GPUs: Launch without GPU / instructions / cancel. */
export async function onGpuStartFailure(
  s: Services,
  err: unknown,
  id: string,
  options: ContainerCreateOptions,
  name: string,
): Promise<string> {
  const p = gpuStartProblem(err);
  const engine = s.engines.engine;
  if (!p) throw await discardHalfCreated(engine, err, { id, name }, () => removeWhenAnswering(s, id, name));
  const without = t('Launch without GPU');
  const docs = t('Open the NVIDIA Container Toolkit instructions');
  const a = await s.ui.ask('gpuUnavailable', 'error', `${p.message} ${p.fix}`, { modal: true }, without, docs);
  await engine.removeContainer(id, { force: true }).catch(() => undefined);
  if (a === docs) await vscode.env.openExternal(vscode.Uri.parse(NVIDIA_TOOLKIT_URL));
  if (a !== without) throw new Cancelled();
  const next = await engine.createContainer({ ...withoutGpu(options), name });
  await engine.startContainer(next);
  return next;
}
