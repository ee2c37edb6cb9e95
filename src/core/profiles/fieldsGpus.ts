/** `--gpus` as the docker CLI reads it, and GPU device ids. Returns a value or a localized message; never throws. */
import { t } from '../l10n';
import { splitCsv } from './fieldsMount';
import { fail, ok, type Parsed } from './fieldsSizePort';
import type { GpuSelection } from './profileTypes';

export interface GpuRequestParts {
  gpus: GpuSelection;
  capabilities?: string[];
  driver?: string;
  options?: Record<string, string>;
}

/** `--gpus` exactly as the docker CLI reads it (csv: all | N | count=N | device=… | capabilities=… | driver=… | options=…). */
export function parseGpusFlag(text: string): Parsed<GpuRequestParts> {
  const bad = (why: string) =>
    fail<GpuRequestParts>(
      t(
        '"{0}" is not a valid GPU request: {1}. Use all, a count, or \'"device=0,2"\' (quoted so the comma stays inside).',
        text,
        why,
      ),
    );
  const fields = splitCsv(text);
  const seen = new Set<string>();
  let count: number | undefined;
  let devices: string[] | undefined;
  const out: Omit<GpuRequestParts, 'gpus'> = {};
  const warnings: string[] = [];
  const parseCount = (s: string): number | undefined =>
    s === 'all' ? -1 : /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (seen.has(key)) return bad(t('"{0}" is given twice', key));
    seen.add(key);
    if (eq < 0) {
      if (seen.has('count') || (devices && /^\d+$/.test(key))) {
        // docker reads `device=0,2` (unquoted) as device 0 plus a count of 2: almost never what was meant.
        if (devices && /^\d+$/.test(key)) {
          warnings.push(
            t(
              'docker reads "{0}" as device {1} plus a count; assuming you meant devices {2}. Quote it as \'"device=…"\' to be exact.',
              text,
              devices.join(','),
              [...devices, key].join(','),
            ),
          );
          devices.push(key);
          continue;
        }
        return bad(t('the count is given twice'));
      }
      seen.add('count');
      const c = parseCount(key);
      if (c === undefined) return bad(t('"{0}" is not a count (an integer or all)', key));
      count = c;
      continue;
    }
    switch (key) {
      case 'driver':
        out.driver = val;
        break;
      case 'count': {
        const c = parseCount(val);
        if (c === undefined) return bad(t('count "{0}" is not an integer or all', val));
        count = c;
        break;
      }
      case 'device':
        devices = val.split(',');
        break;
      case 'capabilities':
        out.capabilities = val.split(',');
        break;
      case 'options': {
        const opts: Record<string, string> = {};
        for (const kv of splitCsv(val)) {
          const i = kv.indexOf('=');
          opts[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
        }
        out.options = opts;
        break;
      }
      default:
        return bad(t('unknown key "{0}"', key));
    }
  }
  if (count !== undefined && devices) return bad(t('give either a count or device IDs, not both'));
  let gpus: GpuSelection;
  if (devices) {
    if (devices.some((d) => d.trim() === '')) return bad(t('a device ID is empty'));
    gpus = { devices };
  } else if (count === undefined) gpus = { count: 1 };
  else if (count === -1) gpus = { all: true };
  else if (count > 0) gpus = { count };
  else return bad(t('the count must be at least 1 (use "none" for no GPUs)'));
  return ok({ gpus, ...out }, warnings);
}

export function checkGpuDevice(d: string): string | undefined {
  if (/^\d+$/.test(d) || /^(GPU|MIG)-[0-9a-zA-Z/-]+$/.test(d) || /^\d+:\d+$/.test(d) || d.includes('${'))
    return undefined;
  return t('"{0}" does not look like a GPU index or UUID (e.g. 0 or GPU-8a3c…).', d);
}
