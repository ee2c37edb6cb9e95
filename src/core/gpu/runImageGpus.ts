/**
 * Run Image's GPU question, decided without VS Code: which "N free GPUs" choices to offer, whose GPU
 * containers are running here, and the order of the choices. "All GPUs" is never the default (never first):
 * when the GPU rows cannot be read, nobody can tell whether colleagues use the GPUs (their containers may carry
 * no owner label, and processes outside containers are invisible), so "No GPU" comes first.
 */
import type { ContainerSummary } from '../docker/engineTypes';
import { ownership } from '../ownership';
import { isActiveContainer, type GpuRow } from './gpuModel';
import { pickFreeGpus } from './picker';
import type { GpuTopology } from './topology';

export type RunImageGpuKind = 'free' | 'none' | 'all';

export interface RunImageGpuChoices {
  /** GPUs free now (0 when the rows are unknown). */
  free: number;
  /** The "N free GPUs" choices: 1 … the GPUs free now (at most 8); none when the rows are unknown. */
  freeCounts: number[];
  /** Running GPU containers that are not the user's (`owner/name`, or the name when unlabelled). */
  others: string[];
  /** The order of the choices in the pick; `all` is always last. */
  order: RunImageGpuKind[];
}

export function runImageGpuChoices(input: {
  rows: readonly GpuRow[];
  containers: readonly ContainerSummary[];
  user: string;
  topology?: GpuTopology;
}): RunImageGpuChoices {
  const fitting = pickFreeGpus([...input.rows], { count: 1 }, input.topology).fitting.length;
  const freeCounts = Array.from({ length: Math.min(fitting, 8) }, (_, i) => i + 1);
  const others = [
    ...new Set(
      input.containers
        .filter((c) => c.gpu && isActiveContainer(c) && ownership(c, input.user) === 'others')
        .map((c) => (c.owner ? `${c.owner}/${c.name}` : c.name)),
    ),
  ];
  const order: RunImageGpuKind[] = freeCounts.length > 0 ? ['free', 'none', 'all'] : ['none', 'all'];
  return { free: fitting, freeCounts, others, order };
}
