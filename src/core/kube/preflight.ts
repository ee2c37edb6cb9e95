/**
 * What is checked on a cluster before a pod is created, all at once: the namespace exists, this user may create
 * pods (and secrets, when the profile has secret env) and exec into them, some Ready node has enough allocatable
 * GPUs at all, and whether enough are free now (else the pod waits Pending: said, and asked).
 */
import { t } from '../l10n';
import type { KubeEngine } from './kubeEngine';
import { clusterFit } from './clusterGpus';
import type { Node } from './kubeTypes';

export interface ClusterPreflight {
  /** Each blocks the launch: the pod could never run as asked. */
  errors: string[];
  /** The launch can go on, but the pod will wait Pending: ask first. */
  waits?: string;
}

type PreflightEngine = Pick<KubeEngine, 'namespace' | 'mayI' | 'namespaceExists' | 'nodes' | 'listPods' | 'endpoint'>;

export async function clusterPreflight(
  engine: PreflightEngine,
  want: { gpus: number; secrets: boolean; image: string },
): Promise<ClusterPreflight> {
  const errors: string[] = [];
  const ns = engine.namespace;
  if (!want.image.trim()) errors.push(t('A pod needs an image: set "image" in the profile.'));
  const exists = await engine.namespaceExists();
  if (exists === false) {
    errors.push(
      t(
        "The namespace {0} does not exist on {1}; ask the cluster's admin for it or pick another in gpuContainers.hosts.",
        ns,
        engine.endpoint.host,
      ),
    );
    return { errors };
  }
  const rights: Array<[string, string, string | undefined, boolean]> = [
    ['create', 'pods', undefined, true],
    ['create', 'pods', 'exec', true],
    ['create', 'secrets', undefined, want.secrets],
  ];
  const checked = await Promise.all(
    rights
      .filter((r) => r[3])
      .map(async ([verb, res, sub]) => ({ verb, res, sub, ok: await engine.mayI(verb, res, sub) })),
  );
  for (const r of checked)
    if (!r.ok)
      errors.push(
        r.sub === 'exec'
          ? t(
              "You may not open terminals in pods of the namespace {0} (create pods/exec); ask the cluster's admin for that right.",
              ns,
            )
          : r.res === 'secrets'
            ? t(
                'The profile has secret environment values, which go into a Secret, and you may not create secrets in the namespace {0}; ask for that right or pass them another way.',
                ns,
              )
            : t("You may not create pods in the namespace {0}; ask the cluster's admin for that right.", ns),
      );
  if (want.gpus > 0) {
    let nodes: Node[] | undefined;
    try {
      nodes = await engine.nodes();
    } catch {
      nodes = undefined; // may not read nodes: the scheduler will say (the pod's Pending reason).
    }
    if (nodes) {
      const fit = clusterFit(nodes, await engine.listPods().catch(() => []), want.gpus);
      if (!fit.anyNodeCanHold)
        errors.push(
          fit.total === 0
            ? t(
                'No Ready node of {0} offers nvidia.com/gpu, so a pod asking for GPUs could never start.',
                engine.endpoint.host,
              )
            : t(
                'No node of {0} has {1} GPUs, so this pod could never be scheduled; ask for fewer GPUs per pod.',
                engine.endpoint.host,
                want.gpus,
              ),
        );
      else if (fit.bestFree < want.gpus)
        return {
          errors,
          waits:
            want.gpus === 1
              ? t(
                  'No node of {0} has 1 free GPU now: the pod will wait Pending until the scheduler finds room.',
                  engine.endpoint.host,
                )
              : t(
                  'No node of {0} has {1} free GPUs now (at most {2} on one node): the pod will wait Pending until the scheduler finds room.',
                  engine.endpoint.host,
                  want.gpus,
                  fit.bestFree,
                ),
        };
    }
  }
  return { errors };
}
