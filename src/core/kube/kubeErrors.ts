/**
 * What the Kubernetes engine needs of its REST client (kubeClient.ts implements it), and its failures as the
 * engine contract's EngineError: one sentence that names the cluster and the fix. Server messages (a Status's
 * `message`, never credentials) are kept as the engine's own words.
 */
import { EngineError, type EngineErrorKind } from '../docker/engineError';
import { t } from '../l10n';

export interface KubeRequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  contentType?: string;
}

export interface KubeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

export interface KubeApi {
  request<T>(method: 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT', path: string, opts?: KubeRequestOptions): Promise<T>;
  watch(
    path: string,
    opts: {
      resourceVersion?: string;
      signal: AbortSignal;
      timeoutSeconds?: number;
      onEvent: (e: KubeWatchEvent) => void;
    },
  ): Promise<{ resourceVersion?: string }>;
  dispose(): void;
}

interface KubeFailure {
  kind?: string;
  status?: number;
  reason?: string;
  message?: string;
  code?: string;
}

export function kubeEngineError(
  err: unknown,
  ctx: { endpoint: string; operation: string; namespace: string; containerName?: string },
): EngineError {
  if (err instanceof EngineError) return err;
  const f = (err ?? {}) as KubeFailure;
  const msg = f.message ?? String(err);
  const details = { statusCode: f.status, cause: err, engineMessage: msg, containerName: ctx.containerName };
  const make = (kind: EngineErrorKind, message: string, fix: string) => new EngineError(kind, message, fix, details);
  switch (f.kind) {
    case 'config':
      return make(
        'unreachable',
        msg,
        t('Fix the kubeconfig, or the host\'s "kubernetes" entry in gpuContainers.hosts.'),
      );
    case 'unreachable':
      return make(
        'unreachable',
        t('Cannot reach the Kubernetes API server of {0} ({1}).', ctx.endpoint, msg),
        t("Check that the cluster is up and that the kubeconfig's server address is right."),
      );
    case 'unauthorized':
      return make(
        'permissionDenied',
        t('The cluster {0} did not accept your credentials: {1}', ctx.endpoint, msg),
        t("Log in again (renew the kubeconfig's token, certificate or exec plugin login)."),
      );
    case 'forbidden':
      return make(
        'permissionDenied',
        t('The cluster refused to {0}: {1}', ctx.operation, msg),
        t("Ask the cluster's admin for that right in the namespace {0}.", ctx.namespace),
      );
    case 'notFound':
      return make(
        'notFound',
        ctx.containerName ? t('{0} no longer exists on {1}.', ctx.containerName, ctx.endpoint) : msg,
        t('Refresh the view.'),
      );
    case 'conflict':
      return make(
        'conflict',
        ctx.containerName ? t('A pod named {0} already exists in {1}.', ctx.containerName, ctx.namespace) : msg,
        t('Pick another name or remove that pod.'),
      );
    case 'timeout':
      return make(
        'timeout',
        t('The cluster {0} did not answer in time ({1}).', ctx.endpoint, ctx.operation),
        t("Try again; check the cluster's health."),
      );
    case 'cancelled':
      return make('cancelled', t('Cancelled: {0}.', ctx.operation), '');
    default:
      return make(
        'unknown',
        t('The cluster could not {0}: {1}', ctx.operation, msg),
        t('Fix what the cluster says, then try again.'),
      );
  }
}
