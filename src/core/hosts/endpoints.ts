/**
 * Each configured host → the Docker endpoint it reaches, by the same resolution as the single engine
 * (`resolveEndpoint`), so TLS from the environment and docker contexts work the same way and every host's
 * terminals get their own `DOCKER_HOST` / `DOCKER_CONTEXT`. Pure.
 */
import { resolveEndpoint, type Endpoint, type EndpointInputs } from '../docker/endpoint';
import { t } from '../l10n';
import { withEngine } from '../podman/podmanEndpoint';
import { isLocalAddress } from './remotePaths';
import { defaultHostName, sshTargetOf, type HostSpec, type SshTarget } from './hostsSetting';

export interface ResolvedHost {
  name: string;
  spec: HostSpec;
  endpoint: Endpoint;
  /** The engine is on this machine (unix socket, npipe, tcp to loopback): same file system, same GPUs. */
  local: boolean;
  /** Where `ssh` connects, for ssh:// hosts (also a context whose endpoint is ssh://). */
  ssh?: SshTarget;
  /** This host cannot be used as configured (e.g. its docker context does not exist): show it unreachable. */
  error?: { message: string; fix: string };
  /** Notes from resolving (malformed ~/.docker/config.json …), for the log. */
  problems: string[];
  /** The host list was empty: this is the one endpoint resolved as before the hosts setting existed. */
  implicit: boolean;
}

/** A Kubernetes host's endpoint: `kubernetes://<context>/<namespace>` (names as written; absent = the kubeconfig's). */
export function kubernetesEndpoint(spec: HostSpec): Endpoint {
  const k = spec.kubernetes ?? {};
  return {
    source: 'setting',
    host: `kubernetes://${k.context ?? ''}/${k.namespace ?? ''}`,
    kind: 'kubernetes',
    engine: 'kubernetes',
    cli: 'kubectl',
    kube: { ...k },
    terminalEnv: k.kubeconfig ? { KUBECONFIG: k.kubeconfig } : {},
  };
}

function finish(spec: HostSpec, resolved: Endpoint, problems: string[], implicit: boolean): ResolvedHost {
  // A declared engine wins over the address (`podman.sock`) and over asking the version.
  const endpoint = spec.engine ? withEngine(resolved, spec.engine) : resolved;
  if (spec.socket && endpoint.kind === 'ssh') endpoint.remoteSocket = spec.socket;
  const host: ResolvedHost = {
    name: spec.name,
    spec,
    endpoint,
    local: endpoint.kind !== 'ssh' && endpoint.kind !== 'kubernetes' && isLocalAddress(endpoint.host),
    problems,
    implicit,
  };
  if (spec.ssh) host.ssh = spec.ssh;
  else if (endpoint.kind === 'ssh') {
    const target = sshTargetOf(endpoint.host);
    if (typeof target !== 'string') host.ssh = target;
  }
  return host;
}

/**
 * The hosts to show. An empty list gives the one endpoint of `gpuContainers.host` → `DOCKER_HOST` → docker
 * context → default socket, named after it ("local", the ssh alias, the context). A context host whose context
 * cannot be read is kept, with an `error`, rather than silently falling back to this machine's socket.
 */
export function resolveHosts(hosts: HostSpec[], inputs: EndpointInputs): ResolvedHost[] {
  if (hosts.length === 0) {
    const { endpoint, problems } = resolveEndpoint(inputs);
    const kind = endpoint.context ? 'context' : endpoint.kind;
    const spec: HostSpec = { name: '', kind, host: endpoint.host };
    if (endpoint.context) spec.context = endpoint.context;
    spec.name = defaultHostName(spec);
    return [finish(spec, endpoint, problems, true)];
  }
  return hosts.map((spec) => {
    if (spec.kind === 'kubernetes') return finish(spec, kubernetesEndpoint(spec), [], false);
    if (spec.kind === 'context') {
      const env = { ...inputs.env, DOCKER_HOST: undefined, DOCKER_CONTEXT: spec.context };
      const { endpoint, problems } = resolveEndpoint({ ...inputs, hostSetting: undefined, env });
      const host = finish(spec, endpoint, problems, false);
      if (spec.context !== 'default' && endpoint.source !== 'context') {
        host.error = {
          message: t('The docker context "{0}" could not be read.', spec.context ?? ''),
          fix: t('Check `docker context ls`, or give the host an address ("host": "ssh://…").'),
        };
      }
      return host;
    }
    const { endpoint, problems } = resolveEndpoint({ ...inputs, hostSetting: spec.host });
    return finish(spec, endpoint, problems, false);
  });
}
