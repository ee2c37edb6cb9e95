/**
 * One Engine per endpoint, in one call: `openEngine(endpoint)` builds the transport (unix socket, tcp
 * with TLS, ssh) and the dockerode client behind the `Engine` contract. Several hosts = several calls.
 */
import * as fs from 'node:fs';
import Dockerode from 'dockerode';
import { t } from '../l10n';
import type { Logger } from '../logger';
import { createEngine } from './dockerodeEngine';
import { dockerodeOptions } from './dockerodeOptions';
import type { Endpoint } from './endpoint';
import type { Engine } from './engineContract';
import { SshDialStdioAgent } from './sshTransport';
import { createPodmanEngine } from '../podman/podmanEngine';
import { PodmanSshAgent } from '../podman/podmanSsh';
import { openKubeEngine } from '../kube/kubeFactory';

export interface OpenEngineOptions {
  logger?: Logger;
  defaultTimeoutMs?: number;
  /** Environment of the ssh children (SSH_AUTH_SOCK, PATH…); process.env unless given. */
  env?: Record<string, string | undefined>;
  /** Reads TLS material; fs.readFileSync unless given. */
  readFileBytes?: (p: string) => Buffer;
}

export interface OpenedEngine {
  engine: Engine;
  /** Why the client could not be set up as asked (the engine then fails every call as unreachable). */
  problems: string[];
}

/** An Engine for `endpoint`. Never throws: a client that cannot be built yields an engine that fails every call. */
export function openEngine(endpoint: Endpoint, opts: OpenEngineOptions = {}): OpenedEngine {
  const env = opts.env ?? process.env;
  // A Kubernetes namespace: its own engine over the Kubernetes API (core/kube), no dockerode.
  if (endpoint.engine === 'kubernetes') return openKubeEngine(endpoint, { ...opts, env });
  const problems: string[] = [];
  let docker: Dockerode;
  // ssh://: dockerd through `docker system dial-stdio`; Podman (no dial-stdio) through a forward of its socket.
  const sshAgent =
    endpoint.kind !== 'ssh'
      ? undefined
      : endpoint.engine === 'podman'
        ? new PodmanSshAgent(endpoint, { env })
        : new SshDialStdioAgent(endpoint, { env });
  try {
    docker = new Dockerode(dockerodeOptions(endpoint, opts.readFileBytes ?? ((p) => fs.readFileSync(p)), { sshAgent }));
  } catch (err) {
    // dockerode also reads DOCKER_CERT_PATH itself and throws when its files are missing.
    opts.logger?.error('Could not set up the Docker client:', err);
    problems.push(t('Could not set up the Docker client for {0}: {1}', endpoint.host, String(err)));
    docker = new Dockerode({ socketPath: '/nonexistent/gpu-containers-invalid-endpoint.sock' });
  }
  const engine = (endpoint.engine === 'podman' ? createPodmanEngine : createEngine)(docker, endpoint, {
    logger: opts.logger,
    defaultTimeoutMs: opts.defaultTimeoutMs,
    onDispose: () => sshAgent?.destroy(),
    // The docker-over-ssh transport reads a timeout through its master (Podman's forward agent has no such probe).
    ...(sshAgent instanceof SshDialStdioAgent
      ? { readTimeout: () => sshAgent.readTimeout(), timeoutReading: () => sshAgent.timeoutReading() }
      : {}),
  });
  return { engine, problems };
}
