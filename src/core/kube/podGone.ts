/**
 * Waiting for a deleted pod to go (Start/Restart on a Kubernetes host delete the pod, then create one of the same
 * name): how long that may take, how often to look when the watch is not delivering, and what to say when it
 * does not go.
 */
import { t } from '../l10n';
import type { Pod } from './kubeTypes';

/** The API server's default terminationGracePeriodSeconds (a pod that says none). */
export const DEFAULT_GRACE_SECONDS = 30;
/**
 * After the grace, the kubelet kills what is left, tears the sandbox and volumes down and reports; the API server
 * then removes the object. Seconds on a healthy node, more on a loaded one: 30 s covers it with room to spare.
 */
export const POD_GONE_MARGIN_MS = 30_000;

/**
 * How long a deleted pod may take to go: its grace (the one its deletion set, else its spec's, else the API
 * server's default) plus a margin. Without the pod (it could not be read), the default grace.
 */
export function podGoneDeadlineMs(pod: Pod | undefined, marginMs = POD_GONE_MARGIN_MS): number {
  const grace =
    pod?.metadata.deletionGracePeriodSeconds ?? pod?.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  return Math.max(0, grace) * 1000 + Math.max(0, marginMs);
}

/**
 * While the watch is not delivering (the stream is down, or nothing is listening), the pod is read directly:
 * 1 s, 2 s, 4 s, then every 5 s.
 */
export function podGoneProbeDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), 5000);
}

/**
 * The error when the deadline passed: what still holds the pod (finalizers, a node that does not answer) or
 * that the cluster could not be asked, and what to do about it.
 */
export function podNotGoneMessage(
  name: string,
  namespace: string,
  waitedMs: number,
  last: { pod: Pod } | { error: string },
): string {
  const s = Math.round(waitedMs / 1000);
  if ('error' in last)
    return t(
      'The pod {0} was deleted, but after {1} s the cluster cannot say whether it is gone ({2}). Check it with kubectl get pod {0} -n {3}, then start it again.',
      name,
      s,
      last.error,
      namespace,
    );
  const finalizers = last.pod.metadata.finalizers ?? [];
  if (finalizers.length > 0)
    return t(
      'The pod {0} is still there {1} s after it was deleted: its finalizers ({2}) hold it until the controller that owns each removes it. Check it with kubectl get pod {0} -n {3} -o yaml; if that controller is gone, remove the finalizers (kubectl patch), then start it again.',
      name,
      s,
      finalizers.join(', '),
      namespace,
    );
  const node = last.pod.spec.nodeName;
  return t(
    'The pod {0} is still terminating {1} s after it was deleted; its node ({2}) may not be answering. Check it with kubectl get pod {0} -n {3} -o wide; a pod on a node that is gone stays until it is force-deleted (kubectl delete pod {0} -n {3} --grace-period=0 --force).',
    name,
    s,
    node || '?',
    namespace,
  );
}
