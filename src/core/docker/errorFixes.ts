/** The fix sentences of engine errors: what the user can do, translated when read. */
import { t } from '../l10n';

/** The fix sentences, translated when read (core's bundle is configured after module load). */
export const FIX = {
  get unreachable(): string {
    return t('Start Docker (sudo systemctl start docker) or set gpuContainers.host.');
  },
  get permissionDenied(): string {
    return t(
      'Add yourself to the docker group (sudo usermod -aG docker $USER) and log in again, or use the rootless socket unix:///run/user/UID/docker.sock in gpuContainers.host.',
    );
  },
  get notFound(): string {
    return t('Refresh the view; it was probably removed outside the editor.');
  },
  get nameConflict(): string {
    return t('Attach to or start the existing container, or remove it and create a new one.');
  },
  get imageMissing(): string {
    return t('Pull the image, or Load it from a file (docker load) if no registry is reachable.');
  },
  get gpuUnavailable(): string {
    return t('Install the NVIDIA Container Toolkit and restart Docker, or launch without GPUs.');
  },
  get timeout(): string {
    return t('Check that Docker is responsive (docker info) and try again.');
  },
  get apiTooNew(): string {
    return t('Upgrade Docker Engine on that host, or point gpuContainers.host at a newer engine.');
  },
  get apiTooOldClient(): string {
    return t('Update the GPU Containers extension.');
  },
  get cancelled(): string {
    return t('Run the action again if you still want it.');
  },
  get unknown(): string {
    return t('See the GPU Containers log for details.');
  },
  get registryUnreachable(): string {
    return t('Load the image from a file (docker save on a machine that has it), or check the network of that host.');
  },
  get tls(): string {
    return t('Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY for that host.');
  },
  get plainToTls(): string {
    return t("Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use the engine's plain-HTTP port.");
  },
};

/**
 * What to do when the engine cannot be reached, by the kind of address: systemctl only helps a local
 * socket; a tcp:// engine needs its host and port checked; an ssh:// one, the ssh login and docker there.
 */
export function unreachableFix(endpoint: string | undefined): string {
  const e = endpoint ?? '';
  if (e.startsWith('tcp://') || e.startsWith('http://') || e.startsWith('https://')) {
    return t(
      'Check that the Docker engine at {0} is running and that its port can be reached from this machine (VPN, firewall), or change gpuContainers.host.',
      e,
    );
  }
  if (e.startsWith('ssh://')) {
    const host = e
      .slice('ssh://'.length)
      .replace(/^[^@]*@/, '')
      .replace(/[:/].*$/, '');
    return t(
      'Check that `ssh {0} docker version` works in a terminal (network, VPN, Docker running on that host), or change gpuContainers.host.',
      host,
    );
  }
  return FIX.unreachable;
}
