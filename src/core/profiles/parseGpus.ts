/** Settings `gpus` in all its forms, including `{ "free": N, "minFreeMemory": "40g", "model": "H100" }`. */
import { t } from '../l10n';
import { parseHold } from '../gpu/lease';
import { checkGpuDevice, parseGpusFlag } from './fieldsGpus';
import { parseRamSize } from './fieldsSizePort';
import { describe, record, shorten, take, type Report } from './parseValues';
import type { FreeGpuRequest, Profile } from './profileTypes';
import { isMigProfile } from '../gpu/picker';

/** Settings `gpus`: "all", "none", a count, a list of indices/UUIDs, or docker's --gpus text ("device=0,2", "count=2"). */
export function gpusValue(v: unknown, report: Report, p: Profile): void {
  const field = 'gpus';
  const set = (devices: string[]) => {
    devices.forEach((d, i) => {
      const e = checkGpuDevice(d);
      if (e) report(`gpus[${i}]`, e, 'warning');
    });
    if (devices.length === 0) p.gpus = 'none';
    else p.gpus = { devices };
  };
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < -1)
      return report(field, t('gpus {0} is not a count; use a whole number, "all" or "none".', v));
    p.gpus = v === -1 ? { all: true } : v === 0 ? 'none' : { count: v };
    return;
  }
  if (Array.isArray(v)) {
    const ids: string[] = [];
    for (const [i, d] of v.entries()) {
      if (typeof d === 'number' && Number.isInteger(d) && d >= 0) ids.push(String(d));
      else if (typeof d === 'string' && d.trim() !== '') ids.push(d.trim());
      else
        return report(
          `gpus[${i}]`,
          t('{0} is not a GPU index or UUID; list indices such as 0 or UUIDs such as "GPU-…".', describe(d)),
        );
    }
    if (new Set(ids).size !== ids.length) report(field, t('gpus lists the same GPU twice.'), 'warning');
    return set(ids);
  }
  const free = record(v);
  if (free) return freeGpus(free, report, p);
  if (typeof v !== 'string')
    return report(
      field,
      t('gpus must be "all", "none", a count, a list of GPU indices or {"free": N}, not {0}.', describe(v)),
    );
  let text = v.trim();
  if (text === 'none' || text === '') {
    p.gpus = 'none';
    return;
  }
  if (/^'.*'$/.test(text)) text = text.slice(1, -1);
  const dev = /^"?device=([^="]*)"?$/.exec(text);
  if (dev) {
    const ids = dev[1]
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (ids.length === 0)
      return report(
        field,
        t(
          'gpus "{0}" names no GPU, so the container would start without one; list the GPUs, e.g. "device=0,1", or write "all" (or "none" for no GPU).',
          shorten(v),
        ),
      );
    return set(ids);
  }
  const r = take(field, parseGpusFlag(text), report);
  if (!r) return;
  p.gpus = r.gpus;
  if (r.capabilities) p.gpuCapabilities = r.capabilities;
  if (r.driver !== undefined) p.gpuDriver = r.driver;
  if (r.options) p.gpuOptions = r.options;
}

/** Keys of `{ free: N, … }` beyond the first three. */
const FREE_KEYS_MORE = ['mig', 'hold'];

/** `{ "free": 2, "minFreeMemory": "40g", "model": "H100", "hold": "8h" }`: N GPUs nobody is using, picked at launch. */
function freeGpus(o: Record<string, unknown>, report: Report, p: Profile): void {
  for (const k of Object.keys(o))
    if (!['free', 'minFreeMemory', 'model', ...FREE_KEYS_MORE].includes(k))
      report(
        `gpus.${shorten(k)}`,
        t(
          'unknown field "{0}"; known: {1}.',
          shorten(k),
          ['free', 'minFreeMemory', 'model', ...FREE_KEYS_MORE].join(', '),
        ),
        'warning',
      );
  const count = o.free;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    return report(
      'gpus.free',
      t('gpus.free must be how many free GPUs to take (a whole number, 1 or more), not {0}.', describe(count)),
    );
  const free: FreeGpuRequest = { count };
  if (o.minFreeMemory !== undefined) {
    const m = o.minFreeMemory;
    const size = typeof m === 'string' || typeof m === 'number' ? parseRamSize(m) : undefined;
    if (!size || size.error !== undefined || size.value.bytes <= 0)
      return report('gpus.minFreeMemory', t('gpus.minFreeMemory must be a size such as "40g", not {0}.', describe(m)));
    free.minFreeMemoryMiB = Math.floor(size.value.bytes / 1024 ** 2);
  }
  if (o.model !== undefined) {
    if (typeof o.model !== 'string' || o.model.trim() === '')
      return report(
        'gpus.model',
        t('gpus.model must be part of a GPU name such as "H100", not {0}.', describe(o.model)),
      );
    free.model = o.model.trim();
  }
  if (o.mig !== undefined) {
    if (!isMigProfile(o.mig))
      return report(
        'gpus.mig',
        t('gpus.mig must be a MIG profile as nvidia-smi -L lists it, such as "1g.10gb", not {0}.', describe(o.mig)),
      );
    free.mig = o.mig.trim();
  }
  if (o.hold !== undefined) {
    const ms = parseHold(o.hold);
    if (ms === undefined)
      return report(
        'gpus.hold',
        t(
          'gpus.hold must be how long the GPUs are held, such as "8h", "90m", "1d" or "1h30m" (at least 1 minute, at most 30 days), not {0}.',
          describe(o.hold),
        ),
      );
    free.holdMs = ms;
  }
  p.gpus = { free };
}
