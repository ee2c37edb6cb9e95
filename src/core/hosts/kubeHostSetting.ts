/**
 * A host entry's `kubernetes` object (`{ "context": "lab", "namespace": "alice", "kubeconfig": "…" }`): each
 * field checked, a problem per bad one with the fix; a bad context, namespace or file leaves the host out.
 */
import { t } from '../l10n';
import type { HostsProblem } from './hostsSetting';
import { hasControlChar, show } from './settingText';

/** A Kubernetes namespace as a host: `{ "name": "cluster", "kubernetes": { "context": "lab", "namespace": "alice" } }`. */
export interface KubernetesTarget {
  /** A context of the kubeconfig (`KUBECONFIG` / ~/.kube/config); absent: its current context. */
  context?: string;
  /** Absent: the context's namespace, else `default`. */
  namespace?: string;
  /** A kubeconfig file to read instead of `KUBECONFIG` / ~/.kube/config. */
  kubeconfig?: string;
}

const KUBE_KEYS = new Set(['context', 'namespace', 'kubeconfig']);
/** A namespace is a DNS-1123 label. */
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseKubernetes(raw: unknown, at: string, problems: HostsProblem[]): KubernetesTarget | undefined {
  const example = '{ "context": "lab", "namespace": "alice" }';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      field: at,
      value: show(raw),
      severity: 'error',
      message: t('"kubernetes" must be an object; the host is left out.'),
      fix: t("Write it as {0} (both optional: the kubeconfig's current context and its namespace).", example),
    });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  const out: KubernetesTarget = {};
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (!KUBE_KEYS.has(key)) {
      problems.push({
        field: `${at}.${key}`,
        value: show(v),
        severity: 'warning',
        message: t('Unknown field "{0}"; it is ignored.', key),
        fix: t('"kubernetes" has "context", "namespace" and "kubeconfig".'),
      });
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    const bad =
      !text || hasControlChar(text) || (key === 'namespace' && !NAMESPACE_RE.test(text))
        ? key === 'namespace'
          ? t(
              '"{0}" is not a namespace name (lower-case letters, digits and -, at most 63); the host is left out.',
              show(v),
            )
          : t('"{0}" must be a non-empty string; the host is left out.', key)
        : undefined;
    if (bad) {
      problems.push({
        field: `${at}.${key}`,
        value: show(v),
        severity: 'error',
        message: bad,
        fix: t('Write it as {0}.', example),
      });
      return undefined;
    }
    out[key as keyof KubernetesTarget] = text;
  }
  return out;
}
