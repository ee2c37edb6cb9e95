/**
 * The Docker backend's entry in the registry (`engineFactory.ts`): a dockerode client over the endpoint's
 * transport (unix socket, tcp with TLS, ssh through `docker system dial-stdio`) behind the `Engine` contract.
 * `openDockerode` is shared with the Podman backend, which brings its own ssh agent and engine class.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import Dockerode from 'dockerode';
import { t } from '../l10n';
import { createEngine, type CreateEngineOptions } from './dockerodeEngine';
import { dockerodeOptions } from './dockerodeOptions';
import type { Endpoint } from './endpoint';
import type { Engine } from './engineContract';
import type { Backend, BackendOpenOptions, OpenedEngine } from './engineFactory';
import { SshDialStdioAgent } from './sshTransport';

type SshAgent = http.Agent & { destroy(): void };

export function openDockerode(
  endpoint: Endpoint,
  opts: BackendOpenOptions,
  sshAgent: SshAgent | undefined,
  create: (docker: Dockerode, endpoint: Endpoint, o: CreateEngineOptions) => Engine,
): OpenedEngine {
  const problems: string[] = [];
  let docker: Dockerode;
  try {
    docker = new Dockerode(dockerodeOptions(endpoint, opts.readFileBytes ?? ((p) => fs.readFileSync(p)), { sshAgent }));
  } catch (err) {
    // dockerode also reads DOCKER_CERT_PATH itself and throws when its files are missing.
    opts.logger?.error('Could not set up the Docker client:', err);
    problems.push(t('Could not set up the Docker client for {0}: {1}', endpoint.host, String(err)));
    docker = new Dockerode({ socketPath: '/nonexistent/gpu-containers-invalid-endpoint.sock' });
  }
  const engine = create(docker, endpoint, {
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

export const dockerBackend: Backend = {
  describe: () => t('a Docker engine'),
  open: (endpoint, opts) =>
    openDockerode(
      endpoint,
      opts,
      endpoint.kind === 'ssh' ? new SshDialStdioAgent(endpoint, { env: opts.env }) : undefined,
      createEngine,
    ),
};
