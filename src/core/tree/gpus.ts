import type { GpuHolder, GpuProcess, GpuRow } from '../gpu/model';
import { english, type Translate } from './format';
import type { ItemModel } from './containers';
import { escapeMarkdown as md } from '../markdown';

/** Tree nodes of the GPUs view: a GPU row, or one of its holders/processes. */
export type GpuNode =
  | { kind: 'gpu'; row: GpuRow }
  | { kind: 'holder'; row: GpuRow; holder: GpuHolder; memoryMiB?: number }
  | { kind: 'process'; row: GpuRow; process: GpuProcess };

export function gpuChildren(row: GpuRow): GpuNode[] {
  const nodes: GpuNode[] = row.holders.map((holder) => ({
    kind: 'holder',
    row,
    holder,
    memoryMiB: row.memoryByContainer[holder.container.id],
  }));
  const held = new Set(row.holders.map((h) => h.container.id));
  for (const p of row.processes) {
    if (!p.containerId || !held.has(p.containerId)) nodes.push({ kind: 'process', row, process: p });
  }
  return nodes;
}

function mem(used?: number, total?: number): string {
  if (used === undefined && total === undefined) return '';
  const gib = (m: number): string => (m / 1024).toFixed(m >= 10240 ? 0 : 1);
  return `${used === undefined ? '?' : gib(used)}/${total === undefined ? '?' : gib(total)} GiB`;
}

export function gpuNodeItem(node: GpuNode, t: Translate = english): ItemModel {
  const g = node.row.gpu;
  if (node.kind === 'gpu') {
    const mig = g.migMode === 'Enabled';
    const parts = [
      mem(g.memoryUsedMiB, g.memoryTotalMiB),
      g.utilizationPct === undefined ? '' : `${g.utilizationPct}%`,
      g.temperatureC === undefined ? '' : `${g.temperatureC}°C`,
      mig ? t('MIG') : '',
      node.row.free ? t('free') : t('{0} container(s)', node.row.holders.length || node.row.processes.length),
    ].filter(Boolean);
    const tip = [
      `**GPU ${g.index}: ${md(g.name)}**`,
      '',
      `UUID: \`${g.uuid}\``,
      g.pciBusId ? `PCI: \`${g.pciBusId}\`` : '',
      `${t('Memory')}: ${g.memoryUsedMiB ?? '?'} / ${g.memoryTotalMiB ?? '?'} MiB`,
      g.utilizationPct === undefined ? '' : `${t('Utilization')}: ${g.utilizationPct}%`,
      g.temperatureC === undefined ? '' : `${t('Temperature')}: ${g.temperatureC}°C`,
      g.driverVersion ? `${t('Driver')}: ${g.driverVersion}` : '',
      mig
        ? `${t('MIG devices')}: ${(g.migDevices ?? []).map((d) => `${d.profile} (${d.uuid})`).join(', ') || '?'}`
        : '',
    ].filter(Boolean);
    return {
      id: `gpu:${g.uuid}`,
      label: `GPU ${g.index}: ${g.name}`,
      description: parts.join(' · '),
      tooltip: tip.join('  \n'),
      icon: node.row.free
        ? { id: 'circle-large-outline', color: 'charts.green' }
        : { id: 'circle-large-filled', color: 'charts.orange' },
      contextValue: node.row.free ? 'gpu;free' : 'gpu;busy',
    };
  }
  if (node.kind === 'holder') {
    const c = node.holder.container;
    const how =
      node.holder.how === 'all'
        ? t('all GPUs')
        : node.holder.how === 'count'
          ? t('by count')
          : node.holder.how === 'env'
            ? 'NVIDIA_VISIBLE_DEVICES'
            : t('device {0}', (node.holder.deviceIds ?? []).join(','));
    return {
      id: `gpu:${g.uuid}:c:${c.id}`,
      label: c.name,
      description: [
        c.owner ?? '',
        how,
        node.holder.active ? '' : t('stopped'),
        node.memoryMiB === undefined ? '' : `${node.memoryMiB} MiB`,
      ]
        .filter(Boolean)
        .join(' · '),
      tooltip: `**${md(c.name)}** (${md(c.image)})  \n${t('Status')}: ${md(c.status)}${c.owner ? `  \n${t('Owner')}: ${md(c.owner)}` : ''}`,
      icon: node.holder.active
        ? { id: 'vm-running', color: 'charts.green' }
        : { id: 'vm-outline', color: 'disabledForeground' },
      contextValue: 'gpuHolder',
    };
  }
  const p = node.process;
  return {
    id: `gpu:${g.uuid}:p:${p.pid}`,
    label: p.containerName ?? t('PID {0}', p.pid),
    description: [
      p.containerName ? `PID ${p.pid}` : t('not in a container'),
      p.usedMemoryMiB === undefined ? '' : `${p.usedMemoryMiB} MiB`,
    ]
      .filter(Boolean)
      .join(' · '),
    tooltip: t('Compute process {0} on GPU {1}', p.pid, g.index),
    icon: { id: 'pulse' },
    contextValue: 'gpuProcess',
  };
}
