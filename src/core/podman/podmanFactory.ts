/**
 * The Podman backend's entry in the registry (`core/docker/engineFactory.ts`): the dockerode client over
 * Podman's Docker-compatible API (over ssh, a forward of Podman's socket: Podman has no `dial-stdio`), with
 * `PodmanEngine` behind the contract.
 */
import { openDockerode } from '../docker/dockerFactory';
import type { Backend } from '../docker/engineFactory';
import { t } from '../l10n';
import { createPodmanEngine } from './podmanEngine';
import { PodmanSshAgent } from './podmanSsh';

export const podmanBackend: Backend = {
  describe: () => t('a Podman engine'),
  open: (endpoint, opts) =>
    openDockerode(
      endpoint,
      opts,
      endpoint.kind === 'ssh' ? new PodmanSshAgent(endpoint, { env: opts.env }) : undefined,
      createPodmanEngine,
    ),
};
