/**
 * The GPUs view's smaller texts: holder names, "idle 3 h", the min/avg/max use lines of a tooltip, a holder's
 * lease, and a MIG device's row. gpuRows.ts builds the tree and the GPU, holder and process rows from them.
 */
import type { GpuHolder, GpuRow, MigRow } from '../gpu/gpuModel';
import type { UseStats } from '../gpu/history';
import type { ItemModel } from './containerRows';
import { english, formatGiB as gib, type Translate } from './format';
import { escapeMarkdown as md } from '../markdown';
import { leaseOf, leaseText } from '../gpu/lease';

/** Whose a holder is: its owner label, else the user running its GPU processes; undefined when unknown. */
export function holderOwner(h: GpuHolder): string | undefined {
  return h.container.owner || h.runBy || undefined;
}

/** `alice/bert`, or the name when its owner is not known. */
export function holderName(h: GpuHolder): string {
  const owner = holderOwner(h);
  return owner ? `${owner}/${h.container.name}` : h.container.name;
}

/** `idle 3 h`, `idle 45 min`, `idle 20 s`: how long a holder has left its GPUs idle. */
export function idleText(ms: number, t: Translate = english): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('idle {0} s', s);
  if (s < 3600) return t('idle {0} min', Math.floor(s / 60));
  return t('idle {0} h', Math.floor(s / 3600));
}

/** Plain lines for a tooltip: `Utilization (last 2 h): min 0% · avg 41% · max 97%` and the same for memory. */
export function useLines(st: UseStats | undefined, now: number, t: Translate = english): string[] {
  if (!st || st.samples < 2) return [];
  const span = formatSpan(now - st.from, t);
  const out: string[] = [];
  if (st.util)
    out.push(
      t(
        'Utilization (last {0}): min {1}% · avg {2}% · max {3}%',
        span,
        Math.round(st.util.min),
        Math.round(st.util.avg),
        Math.round(st.util.max),
      ),
    );
  if (st.mem)
    out.push(
      t(
        'Memory (last {0}): min {1} · avg {2} · max {3} GiB',
        span,
        gib(st.mem.min),
        gib(Math.round(st.mem.avg)),
        gib(st.mem.max),
      ),
    );
  return out;
}

function formatSpan(ms: number, t: Translate): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('{0} s', s);
  if (s < 3600) return t('{0} min', Math.floor(s / 60));
  return t('{0} h', Math.round((s / 3600) * 10) / 10);
}

/** `held by alice until 18:00` / `lease expired 10 minutes ago` for a holder with a lease; empty otherwise. */
export function holderLease(
  h: GpuHolder,
  now: number,
  t: Translate = english,
  extensions: Readonly<Record<string, number>> = {},
): string {
  const lease = leaseOf(h.container.labels, extensions[h.container.id]);
  return lease ? leaseText(lease, now, holderOwner(h), t) : '';
}

/** A MIG device's row: its profile, and who asked for it (or `free`). */
export function migItem(row: GpuRow, m: MigRow, t: Translate): ItemModel {
  const d = m.device;
  const users = m.holders.filter((h) => h.active).map(holderName);
  return {
    id: `gpu:${row.gpu.uuid}:mig:${d.uuid}`,
    label: `MIG ${row.gpu.index}:${d.deviceIndex}`,
    description: [d.profile, m.free ? t('free') : users.join(', ')].filter(Boolean).join(' · '),
    tooltip: [
      `**MIG ${row.gpu.index}:${d.deviceIndex}** ${md(d.profile)}`,
      `UUID: \`${d.uuid.replace(/`/g, '')}\``,
      m.free ? t('Free: no running container asked for this MIG device.') : '',
    ]
      .filter(Boolean)
      .join('  \n'),
    icon: m.free ? { id: 'pass', color: 'charts.green' } : { id: 'circle-large-filled', color: 'charts.orange' },
    contextValue: m.free ? 'gpuMig;free' : 'gpuMig;busy',
  };
}
