/**
 * What the sidebar says about each host and about the fleet: pure, from each host's state and GPU counts.
 * "gpubox · 5 of 8 GPUs free", "gpubox · unreachable: ssh: connect to host gpubox port 22: Connection refused",
 * and for the status bar "GPU 11/24 free · 3 hosts".
 */
import { t } from '../l10n';

export type HostState = { kind: 'connecting' } | { kind: 'ok' } | { kind: 'unreachable'; reason: string; fix?: string };

/** GPU counts of a host: undefined when unknown (not read yet, or the host has no readable GPUs). */
export interface HostGpuCount {
  free: number;
  total: number;
}

export interface HostStatus {
  name: string;
  state: HostState;
  gpus?: HostGpuCount;
}

export interface HostNodeText {
  label: string;
  /** Shown after the label (TreeItem.description). */
  description: string;
  /** `label · description`, or the label alone. */
  text: string;
  /** Longer text for the tooltip: the whole reason and its fix when unreachable. */
  tooltip: string;
}

const REASON_MAX = 100;

/** The first non-empty line of a message, trimmed and clipped, so a node stays one line. */
export function oneLine(message: string, max = REASON_MAX): string {
  const line =
    String(message ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const flat = line.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "5 of 8 GPUs free", "1 of 1 GPU free", "no GPUs": the GPU part of a host node. */
export function gpuCountText(gpus: HostGpuCount | undefined): string {
  if (!gpus) return '';
  if (gpus.total === 0) return t('no GPUs');
  return gpus.total === 1 ? t('{0} of 1 GPU free', gpus.free) : t('{0} of {1} GPUs free', gpus.free, gpus.total);
}

export function hostNodeText(host: HostStatus): HostNodeText {
  const label = host.name;
  let description: string;
  let tooltip: string;
  switch (host.state.kind) {
    case 'connecting':
      description = t('connecting…');
      tooltip = t('{0}: connecting…', label);
      break;
    case 'unreachable': {
      const reason = oneLine(host.state.reason);
      description = reason ? t('unreachable: {0}', reason) : t('unreachable');
      tooltip = [t('{0} is unreachable.', label), host.state.reason.trim(), host.state.fix?.trim() ?? '']
        .filter(Boolean)
        .join('\n');
      break;
    }
    case 'ok':
      description = gpuCountText(host.gpus);
      tooltip = description ? `${label}: ${description}` : label;
      break;
  }
  return { label, description, text: description ? `${label} · ${description}` : label, tooltip };
}

export interface FleetSummary {
  /** "GPU 11/24 free · 3 hosts"; "GPU 5/8 free" with one host; "" when no host has GPUs and all are reachable. */
  text: string;
  /** One line per host: "gpubox · 5 of 8 GPUs free". */
  tooltip: string;
  free: number;
  total: number;
  unreachable: number;
}

/**
 * The fleet in one line for the status bar. GPUs count only on reachable hosts whose GPUs were read; an
 * unreachable host is counted apart ("· 1 unreachable") so a dead box is seen, not silently left out.
 */
export function fleetSummary(hosts: HostStatus[]): FleetSummary {
  let free = 0;
  let total = 0;
  let withGpus = 0;
  let unreachable = 0;
  for (const h of hosts) {
    if (h.state.kind === 'unreachable') unreachable++;
    else if (h.state.kind === 'ok' && h.gpus && h.gpus.total > 0) {
      free += h.gpus.free;
      total += h.gpus.total;
      withGpus++;
    }
  }
  const parts: string[] = [];
  if (withGpus > 0) parts.push(t('GPU {0}/{1} free', free, total));
  if (hosts.length > 1) parts.push(t('{0} hosts', hosts.length));
  if (unreachable > 0 && hosts.length > 1) parts.push(t('{0} unreachable', unreachable));
  return {
    text: parts.join(' · '),
    tooltip: hosts.map((h) => hostNodeText(h).text).join('\n'),
    free,
    total,
    unreachable,
  };
}
