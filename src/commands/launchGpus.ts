/**
 * The GPU steps of a launch: the preflight (everything wrong said at once), picking "N free GPUs" with a
 * claim so two launches never get the same GPU (when not enough are free: notEnoughGpus.ts), and starting a
 * GPU container that the engine cannot give GPUs to.
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
} from '../core/gpu';
import { leaseLabels } from '../core/gpu/lease';
import { recreateWithoutGpu } from '../core/launchDecisions';
import { requestedDeviceIds, withoutGpu } from '../core/docker/gpuRequests';
import { discardHalfCreated, removeHalfCreated } from '../core/halfCreated';
import type { Services } from '../services';
import { Cancelled } from './cancel';
import { askNotEnough, fitCount, type Relaunch } from './notEnoughGpus';

const t = vscode.l10n.t;

function gib(mib: number | undefined): string {
  return mib === undefined ? '?' : String(Math.round(mib / 1024));
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

/** Labels recording an explicit GPU request, and its UUIDs when the host's GPUs are known. */
export function withGpuLabels(
  options: ContainerCreateOptions,
  requestText: string | undefined,
  rows: GpuRow[],
): ContainerCreateOptions {
  if (!requestText) return options;
  const labels: Record<string, string> = { ...options.Labels, [GPU_REQUEST_LABEL]: requestText };
  const ids = requestedDeviceIds(options);
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
