/** The Kubernetes client: kubeconfig, contexts, API calls and watches (plain Node, no client library). */
export {
  loadKubeconfig,
  kubePath,
  type Kubeconfig,
  type KubeconfigInputs,
  type KubeconfigResult,
  type KubeEntry,
} from './kubeconfig';
export { resolveContext, type KubeAuth, type KubeExecConfig, type KubeTls, type ResolvedContext } from './kubeContext';
export { KubeApiError, kindOfStatus, type KubeErrorKind, type KubeStatus } from './kubeError';
export {
  ExecCredentialCache,
  defaultRunExec,
  parseExecCredential,
  type ExecCredential,
  type ExecResult,
  type RunExec,
} from './execCredential';
export {
  KubeClient,
  type KubeClientOptions,
  type KubeMethod,
  type KubeRequestOptions,
  type KubeWatchOptions,
} from './kubeClient';
export { WatchLines, parseWatchEvent, type WatchEvent, type WatchEventType } from './watchLines';
