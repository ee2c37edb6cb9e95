/**
 * The one error type of the Kubernetes client. HTTP failures carry the server's Status (reason, message: the
 * API server never puts credentials there); network failures carry node's code. `kind` is what callers branch on.
 */
import { t } from '../l10n';

export type KubeErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'gone'
  | 'invalid'
  | 'timeout'
  | 'cancelled'
  | 'other';

export interface KubeApiErrorInit {
  status: number;
  kind: KubeErrorKind;
  message: string;
  reason?: string;
  code?: string;
}

export class KubeApiError extends Error {
  /** The HTTP status; 0 when no answer came (network, timeout, cancelled). */
  readonly status: number;
  readonly kind: KubeErrorKind;
  /** The Status object's reason: NotFound, AlreadyExists, Forbidden, Unauthorized, Conflict, Gone, Expired… */
  readonly reason?: string;
  /** node's error code for network failures: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, CERT_HAS_EXPIRED… */
  readonly code?: string;

  constructor(init: KubeApiErrorInit) {
    super(init.message);
    this.name = 'KubeApiError';
    this.status = init.status;
    this.kind = init.kind;
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.code !== undefined) this.code = init.code;
  }
}

/** The kind of an HTTP answer, from its code and (where the code is shared) the Status reason. */
export function kindOfStatus(status: number, reason?: string): KubeErrorKind {
  if (reason === 'Expired' || reason === 'Gone') return 'gone';
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 410:
      return 'gone';
    case 400:
    case 422:
      return 'invalid';
    case 408:
    case 504:
      return 'timeout';
    default:
      return reason === 'Timeout' || reason === 'ServerTimeout' ? 'timeout' : 'other';
  }
}

/** A Kubernetes `Status` object (the body of a failed call, or the object of a watch ERROR event). */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** The error for an HTTP answer `status` whose body is `body` (a Status, usually; anything else is tolerated). */
export function errorFromResponse(status: number, body: string, server: string): KubeApiError {
  let parsed: KubeStatus | undefined;
  try {
    const v = JSON.parse(body) as unknown;
    if (v && typeof v === 'object' && (v as KubeStatus).kind === 'Status') parsed = v;
  } catch {
    // not JSON: a proxy's page or plain text; the status code says enough
  }
  return errorFromStatus(parsed ?? {}, status, server);
}

/** The error of a Status object (`fallbackCode` when it has no code). */
export function errorFromStatus(s: KubeStatus, fallbackCode: number, server: string): KubeApiError {
  const status = typeof s.code === 'number' && s.code > 0 ? s.code : fallbackCode;
  const reason = typeof s.reason === 'string' && s.reason ? s.reason : undefined;
  const message =
    typeof s.message === 'string' && s.message
      ? s.message
      : t('The Kubernetes API at {0} answered HTTP {1}{2}.', server, status, reason ? ` (${reason})` : '');
  return new KubeApiError({ status, kind: kindOfStatus(status, reason), message, ...(reason ? { reason } : {}) });
}

/** A network failure (no HTTP answer) of node's http/https/net/tls. */
export function networkError(e: NodeJS.ErrnoException, server: string): KubeApiError {
  const code = typeof e.code === 'string' ? e.code : undefined;
  const tlsProblem = code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|HOSTNAME/.test(code);
  const message = tlsProblem
    ? t(
        "The Kubernetes API at {0} failed the TLS check ({1}). Check the cluster's certificate-authority in the kubeconfig.",
        server,
        code ?? '',
      )
    : t('Cannot reach the Kubernetes API at {0} ({1}).', server, code ?? e.message);
  return new KubeApiError({ status: 0, kind: 'unreachable', message, ...(code ? { code } : {}) });
}

export const cancelledError = (server: string): KubeApiError =>
  new KubeApiError({
    status: 0,
    kind: 'cancelled',
    message: t('The call to the Kubernetes API at {0} was cancelled.', server),
  });

export const timeoutError = (server: string, ms: number): KubeApiError =>
  new KubeApiError({
    status: 0,
    kind: 'timeout',
    reason: 'Timeout',
    message: t('The Kubernetes API at {0} did not answer within {1} s.', server, Math.round(ms / 1000)),
  });
