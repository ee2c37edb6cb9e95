/**
 * What a Kubernetes cluster does not do through the engine contract, each saying so with the way out: images
 * (a cluster's nodes pull their own; the Images view says so), commit, and exec/attach/logs streams (terminals run
 * kubectl: core/kube/kubectlArgs.ts). KubeEngine extends it with what a cluster does.
 */
import type { EngineCapabilities } from '../docker/capabilities';
import type { Endpoint } from '../docker/endpoint';
import { EngineError } from '../docker/engineError';
import { t } from '../l10n';

/** What a cluster does of the optional operations: only launching, stopping and removing pods (no images). */
export const KUBE_CAPABILITIES: EngineCapabilities = Object.freeze({
  images: false,
  pull: false,
  build: false,
  saveLoad: false,
  push: false,
  commit: false,
  restartInPlace: false,
});

export abstract class KubeEngineBase {
  readonly capabilities: EngineCapabilities = KUBE_CAPABILITIES;
  constructor(readonly endpoint: Endpoint) {}

  protected unsupported(what: string): EngineError {
    return new EngineError(
      'unknown',
      t('{0} is not something a Kubernetes cluster does ({1}).', what, this.endpoint.host),
      t('Use a Docker or Podman host for it.'),
    );
  }

  commitContainer(): Promise<{ id: string }> {
    return Promise.reject(this.unsupported(t('Committing a pod to an image')));
  }

  logs(): Promise<void> {
    return Promise.reject(this.unsupported(t('Reading logs through the engine API')));
  }
  exec(): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return Promise.reject(this.unsupported(t('Running a command in a pod through the engine API')));
  }
  /** The terminal's `kubectl exec` tries bash, then sh (terminal.ts): nothing to probe here. */
  probeShell(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  /** Nodes pull their own images: a cluster has no image list to show. */
  listImages(): Promise<never[]> {
    return Promise.resolve([]);
  }
  inspectImage(ref: string): Promise<never> {
    return Promise.reject(
      new EngineError(
        'imageMissing',
        t('Images live on the nodes of {0}, not here.', this.endpoint.host),
        t('A pod names its image; its node pulls it.'),
        { image: ref },
      ),
    );
  }
  pullImage(): Promise<void> {
    return Promise.reject(this.unsupported(t('Pulling an image')));
  }
  removeImage(): Promise<void> {
    return Promise.reject(this.unsupported(t('Removing an image')));
  }
  tagImage(): Promise<void> {
    return Promise.reject(this.unsupported(t('Tagging an image')));
  }
  exportImages(): Promise<NodeJS.ReadableStream> {
    return Promise.reject(this.unsupported(t('Saving images')));
  }
  importImages(): Promise<NodeJS.ReadableStream> {
    return Promise.reject(this.unsupported(t('Loading images')));
  }
  pushImage(): Promise<NodeJS.ReadableStream> {
    return Promise.reject(this.unsupported(t('Pushing an image')));
  }
}
