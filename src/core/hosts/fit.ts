/**
 * How well a host fits a profile's GPU request, from that host's GPU rows: the `fit` that `rankHosts` takes.
 * "N free GPUs" goes through the GPU picker (free, enough memory, the model); a count, `all` or named devices
 * are checked against what is free now. Pure.
 */
import { pickFreeGpus, resolveDeviceId, type GpuRow } from '../gpu';
import { t } from '../l10n';
import type { GpuSelection } from '../profiles/profileTypes';
import type { HostFit } from './rank';

/**
 * `rows`: the host's GPUs with holders and processes; `unknownWhy`: why the rows are missing (nvidia-smi
 * failed, no probe for a tcp:// host), when they are.
 */
export function gpuFit(selection: GpuSelection, rows: GpuRow[], unknownWhy?: string): HostFit {
  const free = rows.filter((r) => r.free).length;
  const total = rows.length;
  if (selection === 'none') return { fits: true, free, why: t('no GPU needed') };
  if (total === 0)
    return { fits: false, free: 0, why: unknownWhy ? t('GPUs unknown: {0}', unknownWhy) : t('no GPUs found') };
  if ('free' in selection) {
    const need = selection.free;
    const pick = pickFreeGpus(rows, need);
    const fitting = pick.fitting.length;
    if (pick.ok) {
      const why =
        total === 1
          ? t('{0} of 1 GPU free and fitting', fitting)
          : t('{0} of {1} GPUs free and fitting', fitting, total);
      return { fits: true, free: fitting, why };
    }
    const why =
      fitting === 1
        ? t('1 GPU fits the request, {0} needed (free, memory, model)', need.count)
        : t('{0} GPUs fit the request, {1} needed (free, memory, model)', fitting, need.count);
    return { fits: false, free: fitting, why };
  }
  if ('all' in selection) {
    if (total === 1) {
      return free === 1
        ? { fits: true, free, why: t('the only GPU is free') }
        : { fits: false, free, why: t('the only GPU is in use') };
    }
    return free === total
      ? { fits: true, free, why: t('all {0} GPUs free', total) }
      : { fits: false, free, why: t('{0} of {1} GPUs in use', total - free, total) };
  }
  if ('count' in selection) {
    if (free >= selection.count) {
      return {
        fits: true,
        free,
        why: total === 1 ? t('{0} of 1 GPU free', free) : t('{0} of {1} GPUs free', free, total),
      };
    }
    const why =
      free === 1 ? t('1 free GPU, {0} needed', selection.count) : t('{0} free GPUs, {1} needed', free, selection.count);
    return { fits: false, free, why };
  }
  const gpus = rows.map((r) => r.gpu);
  const missing = selection.devices.filter((id) => !resolveDeviceId(id, gpus));
  if (missing.length > 0) return { fits: false, free, why: t('no GPU {0} on this host', missing.join(', ')) };
  const busy = selection.devices.filter((id) => {
    const uuid = resolveDeviceId(id, gpus)?.gpu.uuid;
    return rows.some((r) => r.gpu.uuid === uuid && !r.free);
  });
  return busy.length > 0
    ? { fits: false, free, why: t('GPU {0} in use', busy.join(', ')) }
    : { fits: true, free, why: t('GPU {0} free', selection.devices.join(', ')) };
}
