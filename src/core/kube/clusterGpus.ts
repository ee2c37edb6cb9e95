/**
 * A cluster's GPUs in the GPU layer's shapes, so the GPUs view, the fleet summary's free counts and the launch's
 * host ranking read a cluster like a host: one GPU per allocatable `nvidia.com/gpu` of each Ready node
 * (`clusterSnapshot`), named "nvidia.com/gpu on <node>", and each scheduled pod holding its count of them
 * (`SlotBook`). The API says how many GPUs a pod holds on which node, not which device: a pod's slots are numbered
 * in the order its node's pods were seen, so the rows' counts per node are exact and the slot numbers are not
 * device ids (never shown as such).
 */
import type { GpuSnapshot } from '../gpu/snapshot';
import type { Node, Pod } from './kubeTypes';
import { GPU_RESOURCE } from './podSpec';

export function slotId(node: string, i: number): string {
  return `${node}/${GPU_RESOURCE}/${i}`;
}

export function nodeReady(n: Node): boolean {
  return !n.spec?.unschedulable && (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function allocatableGpus(n: Node): number {
  return Number(n.status?.allocatable?.[GPU_RESOURCE] ?? 0) || 0;
}

/** GPUs a pod asks for (whole GPUs and MIG slices alike). */
export function podGpuCount(pod: Pod): number {
  let n = 0;
  for (const c of pod.spec.containers)
    for (const [k, v] of Object.entries(c.resources?.limits ?? {}))
      if (k === GPU_RESOURCE || k.startsWith('nvidia.com/mig-')) n += Number(v) || 0;
  return n;
}

/** Scheduled and not ended: it holds its GPUs now. */
export function podHoldsGpus(pod: Pod): boolean {
  return (
    !!pod.spec.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && podGpuCount(pod) > 0
  );
}

/** One GPU per allocatable slot of each Ready, schedulable node, in node-name order. */
export function clusterSnapshot(nodes: Node[]): GpuSnapshot {
  let index = 0;
  const gpus = [...nodes]
    .filter((n) => nodeReady(n) && allocatableGpus(n) > 0)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .flatMap((n) =>
      Array.from({ length: allocatableGpus(n) }, (_, i) => ({
        index: index++,
        uuid: slotId(n.metadata.name ?? '', i),
        name: `${GPU_RESOURCE} on ${n.metadata.name ?? ''}`,
      })),
    );
  return { gpus, apps: [], pidToContainerId: new Map(), pidToUser: new Map(), source: 'host' };
}

/** Which slots of its node each holding pod has: kept across lists, so a pod keeps its slots while it runs. */
export class SlotBook {
  private readonly byPod = new Map<string, { node: string; ids: string[] }>();

  /** After a full list: pods that no longer hold GPUs give theirs back; new ones take the lowest free slots. */
  assignAll(pods: Pod[]): void {
    const holding = new Set(pods.filter(podHoldsGpus).map((p) => p.metadata.name ?? ''));
    for (const name of [...this.byPod.keys()]) if (!holding.has(name)) this.byPod.delete(name);
    const sorted = [...pods].sort(
      (a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
    for (const p of sorted) this.slotsOf(p);
  }

  /** The slot ids of one pod (assigned now if it has none); undefined when it holds no GPU. */
  slotsOf(pod: Pod): string[] | undefined {
    const name = pod.metadata.name ?? '';
    if (!podHoldsGpus(pod)) {
      this.byPod.delete(name);
      return undefined;
    }
    const node = pod.spec.nodeName ?? '';
    const known = this.byPod.get(name);
    if (known && known.node === node) return known.ids;
    const taken = new Set([...this.byPod.values()].filter((v) => v.node === node).flatMap((v) => v.ids));
    const ids: string[] = [];
    for (let i = 0; ids.length < podGpuCount(pod); i++) if (!taken.has(slotId(node, i))) ids.push(slotId(node, i));
    this.byPod.set(name, { node, ids });
    return ids;
  }

  forget(name: string): void {
    this.byPod.delete(name);
  }
}

/**
 * Before a launch: whether any Ready node has `want` allocatable GPUs at all (else no pod of this size can ever
 * be scheduled: say so before creating it), and how many are free on the best node now (from the pods we see).
 */
export function clusterFit(
  nodes: Node[],
  pods: Pod[],
  want: number,
): { anyNodeCanHold: boolean; bestFree: number; total: number } {
  let best = 0;
  let total = 0;
  let canHold = false;
  for (const n of nodes) {
    if (!nodeReady(n)) continue;
    const alloc = allocatableGpus(n);
    total += alloc;
    if (alloc >= want) canHold = true;
    const used = pods
      .filter((p) => p.spec.nodeName === n.metadata.name && podHoldsGpus(p))
      .reduce((a, p) => a + podGpuCount(p), 0);
    best = Math.max(best, alloc - used);
  }
  return { anyNodeCanHold: canHold, bestFree: best, total };
}

/** A Kubernetes quantity (`4`, `500m`, `16Gi`) as a number. */
export const parseQuantity = (q: string | undefined): number => {
  if (!q) return 0;
  const m = /^(\d+(?:\.\d+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(q);
  if (!m) return 0;
  const mult: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    Ki: 1024,
    M: 1e6,
    Mi: 1024 ** 2,
    G: 1e9,
    Gi: 1024 ** 3,
    T: 1e12,
    Ti: 1024 ** 4,
  };
  return Number(m[1]) * (m[2] ? mult[m[2]] : 1);
};
