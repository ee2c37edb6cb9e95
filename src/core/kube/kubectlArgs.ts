/**
 * kubectl argv for the terminals of a Kubernetes host (never a shell string on our side): the host's context,
 * namespace and kubeconfig first, so a terminal reaches the same cluster and namespace as the tree.
 */
import type { Endpoint } from '../docker/endpoint';

/** The pod's one container, as podSpec.ts names it. */
export const POD_CONTAINER = 'main';

/** `bash` when the image has it, else `sh`: run by the shell inside the container, the argv stays an argv. */
export const BASH_ELSE_SH = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

export function kubectlBase(ep: Pick<Endpoint, 'kube'>): string[] {
  const k = ep.kube ?? {};
  return [
    ...(k.kubeconfig ? ['--kubeconfig', k.kubeconfig] : []),
    ...(k.context ? ['--context', k.context] : []),
    ...(k.namespace ? ['--namespace', k.namespace] : []),
  ];
}

/** `kubectl exec -it POD -c main -- bash` (else sh), or the configured shell. */
export function kubectlExecArgs(ep: Pick<Endpoint, 'kube'>, pod: string, shell?: string): string[] {
  return [...kubectlBase(ep), 'exec', '-it', pod, '-c', POD_CONTAINER, '--', ...(shell ? [shell] : BASH_ELSE_SH)];
}

export function kubectlAttachArgs(ep: Pick<Endpoint, 'kube'>, pod: string): string[] {
  return [...kubectlBase(ep), 'attach', '-it', pod, '-c', POD_CONTAINER];
}

export function kubectlLogsArgs(ep: Pick<Endpoint, 'kube'>, pod: string): string[] {
  return [...kubectlBase(ep), 'logs', '-f', pod, '-c', POD_CONTAINER];
}

/** `kubectl port-forward pod/NAME LOCAL:REMOTE …` on loopback, as the profile published the ports. */
export function kubectlPortForwardArgs(
  ep: Pick<Endpoint, 'kube'>,
  pod: string,
  ports: ReadonlyArray<{ containerPort: number; localPort: number }>,
): string[] {
  return [...kubectlBase(ep), 'port-forward', `pod/${pod}`, ...ports.map((p) => `${p.localPort}:${p.containerPort}`)];
}
