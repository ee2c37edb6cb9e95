/**
 * `nvidia-smi topo -m`: how each pair of GPUs is connected. Pure; never throws. Example (tabs between cells):
 * ```
 *         GPU0    GPU1    GPU2    CPU Affinity    NUMA Affinity
 * GPU0     X      NV18    SYS     0-55            0
 * GPU1    NV18     X      SYS     0-55            0
 * ```
 * The legend below the matrix (`X = Self`, `SYS = …`, `NV# = …`) is ignored.
 */

export type LinkKind = 'self' | 'nvlink' | 'PIX' | 'PXB' | 'PHB' | 'NODE' | 'SYS' | 'unknown';

export interface GpuLink {
  kind: LinkKind;
  /** Number of bonded NVLinks (`NV18` → 18). */
  nvlinks?: number;
  /** As printed (`NV18`, `PIX`). */
  text: string;
}

export interface GpuTopology {
  /** GPU indices in matrix order. */
  gpus: number[];
  /** `links.get(a)?.get(b)`: the connection between GPUs `a` and `b` (by index). */
  links: Map<number, Map<number, GpuLink>>;
}

export function parseLink(cell: string): GpuLink {
  const text = cell.trim();
  if (text === 'X') return { kind: 'self', text };
  const nv = /^NV(\d+)$/i.exec(text);
  if (nv) return { kind: 'nvlink', nvlinks: Number(nv[1]), text };
  if (text === 'PIX' || text === 'PXB' || text === 'PHB' || text === 'NODE' || text === 'SYS')
    return { kind: text, text };
  // Older drivers printed SOC for what is now SYS.
  if (text === 'SOC') return { kind: 'SYS', text };
  return { kind: 'unknown', text };
}

/** Higher is closer: NVLink (more links better), then one PCIe switch, several switches, host bridge, NUMA node, system. */
export function linkScore(link: GpuLink | undefined): number {
  if (!link) return 0;
  switch (link.kind) {
    case 'self':
      return 100;
    case 'nvlink':
      return 50 + Math.min(link.nvlinks ?? 1, 40);
    case 'PIX':
      return 40;
    case 'PXB':
      return 30;
    case 'PHB':
      return 20;
    case 'NODE':
      return 10;
    case 'SYS':
      return 5;
    default:
      return 0;
  }
}

export function parseTopology(text: unknown): GpuTopology {
  const topo: GpuTopology = { gpus: [], links: new Map() };
  if (typeof text !== 'string') return topo;
  // Strip ANSI colour codes (newer drivers colour the matrix on a terminal).
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => /^\s+GPU\d+(\s|$)/.test(l));
  if (headerAt < 0) return topo;
  const columns = lines[headerAt].trim().split(/\t+|\s{2,}|\s(?=GPU\d)|\s(?=NIC\d)/);
  const gpuColumns = columns
    .map((c, i) => ({ i, m: /^GPU(\d+)$/.exec(c.trim()) }))
    .filter((x): x is { i: number; m: RegExpExecArray } => x.m !== null)
    .map((x) => ({ at: x.i, index: Number(x.m[1]) }));
  for (const line of lines.slice(headerAt + 1)) {
    const row = /^GPU(\d+)\s+(.*)$/.exec(line.trim());
    if (!row) {
      if (line.trim() === '' || /^Legend/i.test(line.trim())) break;
      continue;
    }
    const a = Number(row[1]);
    const cells = row[2].trim().split(/\s+/);
    const links = new Map<number, GpuLink>();
    for (const col of gpuColumns) {
      const cell = cells[col.at];
      if (cell === undefined) continue;
      links.set(col.index, parseLink(cell));
    }
    if (links.size === 0) continue;
    topo.gpus.push(a);
    topo.links.set(a, links);
  }
  return topo;
}

/** How close a set of GPUs is: the sum of the scores of every pair (0 for one GPU or no topology). */
export function groupScore(indices: number[], topo: GpuTopology | undefined): number {
  if (!topo) return 0;
  let sum = 0;
  for (let i = 0; i < indices.length; i++)
    for (let j = i + 1; j < indices.length; j++) sum += linkScore(topo.links.get(indices[i])?.get(indices[j]));
  return sum;
}
