/**
 * One context of a merged kubeconfig resolved into what a client needs: the API server, the namespace, TLS
 * material and how to authenticate. Pure. Problems name the context (and file) and the fix in one sentence and
 * never carry a credential (only names and paths).
 */
import { kubePath, type KubeEntry, type Kubeconfig } from './kubeconfig';
import { t } from '../l10n';

export interface KubeTls {
  /** PEM text of the cluster's CA (certificate-authority-data, decoded). */
  caData?: string;
  /** Absolute path of the cluster's CA file (certificate-authority). */
  caPath?: string;
  insecureSkipVerify: boolean;
  /** tls-server-name: the name the server's certificate is checked against. */
  serverName?: string;
  certData?: string;
  certPath?: string;
  keyData?: string;
  keyPath?: string;
}

export interface KubeExecConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** client.authentication.k8s.io/v1 or /v1beta1: the ExecCredential version the plugin speaks. */
  apiVersion: string;
  installHint?: string;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

export type KubeAuth =
  | { kind: 'token'; token: string }
  | { kind: 'tokenFile'; path: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'exec'; exec: KubeExecConfig }
  | { kind: 'none' };

export interface ResolvedContext {
  contextName: string;
  clusterName: string;
  userName?: string;
  /** The API server's URL, e.g. https://10.0.0.1:6443 (may carry a path prefix). */
  server: string;
  namespace: string;
  tls: KubeTls;
  auth: KubeAuth;
  /** The kubeconfig file the context came from (for messages). */
  file: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** base64 → text (PEM); undefined when absent. */
const decoded = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
};

function execConfig(user: KubeEntry, raw: Record<string, unknown>): KubeExecConfig | { problem: string } {
  const command = str(raw.command);
  if (!command)
    return {
      problem: t('User "{0}" in {1} has an exec plugin without a "command". Add the command.', user.name, user.file),
    };
  const apiVersion = str(raw.apiVersion) ?? '';
  if (!/^client\.authentication\.k8s\.io\/v1(beta1)?$/.test(apiVersion))
    return {
      problem: t(
        'User "{0}" in {1}: exec plugin apiVersion "{2}" is not supported. Use client.authentication.k8s.io/v1 or v1beta1.',
        user.name,
        user.file,
        apiVersion,
      ),
    };
  const env: Record<string, string> = {};
  if (Array.isArray(raw.env))
    for (const e of raw.env as Array<Record<string, unknown>>)
      if (e && typeof e.name === 'string') env[e.name] = typeof e.value === 'string' ? e.value : '';
  const mode = str(raw.interactiveMode);
  const interactiveMode = mode === 'Never' || mode === 'Always' || mode === 'IfAvailable' ? mode : 'IfAvailable';
  // kubectl resolves a command with a path separator against the kubeconfig's folder; a bare name is looked up in PATH.
  const resolved = /[\\/]/.test(command) ? kubePath(user, command) : command;
  return {
    command: resolved,
    args: Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [],
    env,
    apiVersion,
    installHint: str(raw.installHint),
    interactiveMode,
  };
}

function authOf(user: KubeEntry | undefined): KubeAuth | { problem: string } {
  if (!user) return { kind: 'none' };
  const u = user.value;
  if (u['auth-provider'] !== undefined) {
    const name = str((u['auth-provider'] as Record<string, unknown> | null)?.name) ?? '?';
    return {
      problem: t(
        'User "{0}" in {1} uses the legacy auth-provider "{2}", which is not supported: use an exec plugin (e.g. gke-gcloud-auth-plugin, kubelogin).',
        user.name,
        user.file,
        name,
      ),
    };
  }
  // client-go's order: a token wins over a token file; exec and basic apply when neither is set.
  const token = str(u.token);
  if (token) return { kind: 'token', token };
  const tokenFile = str(u.tokenFile);
  if (tokenFile) return { kind: 'tokenFile', path: kubePath(user, tokenFile) };
  if (u.exec !== undefined && u.exec !== null) {
    const exec = execConfig(user, (typeof u.exec === 'object' ? u.exec : {}) as Record<string, unknown>);
    return 'problem' in exec ? exec : { kind: 'exec', exec };
  }
  const username = str(u.username);
  if (username) return { kind: 'basic', username, password: str(u.password) ?? '' };
  return { kind: 'none' };
}

function tlsOf(cluster: KubeEntry, user: KubeEntry | undefined): KubeTls {
  const c = cluster.value;
  const u = user?.value ?? {};
  const tls: KubeTls = { insecureSkipVerify: c['insecure-skip-tls-verify'] === true };
  tls.caData = decoded(c['certificate-authority-data']);
  const ca = str(c['certificate-authority']);
  if (!tls.caData && ca) tls.caPath = kubePath(cluster, ca);
  tls.serverName = str(c['tls-server-name']);
  tls.certData = decoded(u['client-certificate-data']);
  const cert = str(u['client-certificate']);
  if (!tls.certData && cert && user) tls.certPath = kubePath(user, cert);
  tls.keyData = decoded(u['client-key-data']);
  const key = str(u['client-key']);
  if (!tls.keyData && key && user) tls.keyPath = kubePath(user, key);
  for (const k of Object.keys(tls) as Array<keyof KubeTls>) if (tls[k] === undefined) delete tls[k];
  return tls;
}

/**
 * Resolves a context (the current one when `contextName` is absent). The namespace is `namespaceOverride`,
 * else the context's, else "default".
 */
export function resolveContext(
  config: Kubeconfig,
  contextName?: string,
  namespaceOverride?: string,
): ResolvedContext | { problem: string } {
  const files = config.files.join(', ');
  const name = contextName || config.currentContext;
  if (!name)
    return {
      problem: t(
        '{0} sets no current-context. Name a context in the host entry or run kubectl config use-context.',
        files,
      ),
    };
  const ctx = config.contexts.get(name);
  if (!ctx) {
    const known = [...config.contexts.keys()];
    return {
      problem: known.length
        ? t('There is no context "{0}" in {1}. Use one of: {2}.', name, files, known.join(', '))
        : t(
            'There is no context "{0}" in {1}, which defines no contexts. Add one with kubectl config set-context.',
            name,
            files,
          ),
    };
  }
  const clusterName = str(ctx.value.cluster);
  const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
  if (!clusterName || !cluster)
    return {
      problem: clusterName
        ? t(
            'Context "{0}" in {1} names cluster "{2}", which is not defined. Add it with kubectl config set-cluster.',
            name,
            ctx.file,
            clusterName,
          )
        : t('Context "{0}" in {1} names no cluster. Set its "cluster".', name, ctx.file),
    };
  const server = str(cluster.value.server);
  if (!server || !/^https?:\/\/[^/]/i.test(server))
    return {
      problem: server
        ? t(
            'Cluster "{0}" in {1} has server "{2}", which is not an https:// or http:// URL. Fix its "server".',
            clusterName,
            cluster.file,
            server,
          )
        : t(
            'Cluster "{0}" in {1} has no "server". Set the API server\'s URL (https://HOST:6443).',
            clusterName,
            cluster.file,
          ),
    };
  const userName = str(ctx.value.user);
  const user = userName ? config.users.get(userName) : undefined;
  if (userName && !user)
    return {
      problem: t(
        'Context "{0}" in {1} names user "{2}", which is not defined. Add it with kubectl config set-credentials.',
        name,
        ctx.file,
        userName,
      ),
    };
  const auth = authOf(user);
  if ('problem' in auth) return auth;
  return {
    contextName: name,
    clusterName,
    ...(userName ? { userName } : {}),
    server: server.replace(/\/+$/, ''),
    namespace: namespaceOverride || str(ctx.value.namespace) || 'default',
    tls: tlsOf(cluster, user),
    auth,
    file: ctx.file,
  };
}
