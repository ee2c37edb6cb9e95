/**
 * Creating a pod of a plan (podSpec.ts): its secret env first, in a Secret the pod names; then the pod; then the
 * Secret is made the pod's own, so the cluster's garbage collector deletes it with the pod. A pod that could not be
 * created takes its Secret back. Every request goes through the engine's `call` (errors as EngineErrors).
 */
import { t } from '../l10n';
import type { KubeRequestOptions } from './kubeErrors';
import type { Pod } from './kubeTypes';
import type { PodPlan } from './podSpec';

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';
export type KubeCall = <T>(
  operation: string,
  path: string,
  init: KubeRequestOptions & { method: Method },
  name?: string,
) => Promise<T>;

export async function createPodOfPlan(plan: PodPlan, namespace: string, call: KubeCall): Promise<string> {
  const ns = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  const name = plan.pod.metadata.name ?? '';
  const secret = `${ns}/secrets/${encodeURIComponent(plan.secretName)}`;
  const secrets = Object.keys(plan.secretEnv).length > 0;
  if (secrets)
    await call(
      t('create secret'),
      `${ns}/secrets`,
      {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: plan.secretName, labels: { 'gpu-containers.created-by': 'gpu-containers' } },
          type: 'Opaque',
          stringData: plan.secretEnv,
        },
      },
      plan.secretName,
    );
  let created: Pod;
  try {
    created = await call<Pod>(t('create pod'), `${ns}/pods`, { method: 'POST', body: plan.pod }, name);
  } catch (err) {
    if (secrets) await call(t('delete secret'), secret, { method: 'DELETE' }).catch(() => undefined);
    throw err;
  }
  if (secrets)
    await call(
      t('own secret'),
      secret,
      {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: {
          metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: created.metadata.uid ?? '' }] },
        },
      },
      plan.secretName,
    );
  return name;
}
