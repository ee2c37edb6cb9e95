/**
 * What a backend can do beyond the contract's core (list, inspect, create, start, stop, remove, events): declared
 * by each engine as `Engine.capabilities`, read by the UI to hide what a host cannot do (row and host
 * `contextValue`s carry `can-<name>`, menus match it; the Images view's title actions read `gpuContainers.no.<name>`)
 * and by the command dispatcher to refuse a palette command with one sentence before any engine call.
 */
import { t } from '../l10n';

/** The optional operations, each named by what the UI offers. */
export interface EngineCapabilities {
  /** An image list of its own: the Images view's rows, Remove and Tag Image. */
  readonly images: boolean;
  /** Pull Image. */
  readonly pull: boolean;
  /** Build Image (the docker CLI against the engine). */
  readonly build: boolean;
  /** Save Images to a tar, Load Images from one. */
  readonly saveLoad: boolean;
  /** Push Image. */
  readonly push: boolean;
  /** Commit Container to an image. */
  readonly commit: boolean;
  /** Restart a container in place (Restart). */
  readonly restartInPlace: boolean;
}

export type Capability = keyof EngineCapabilities;

export const CAPABILITIES: readonly Capability[] = [
  'images',
  'pull',
  'build',
  'saveLoad',
  'push',
  'commit',
  'restartInPlace',
];

/** Everything: the Docker Engine API (and Podman's, which serves the same operations). */
export const ALL_CAPABILITIES: EngineCapabilities = Object.freeze({
  images: true,
  pull: true,
  build: true,
  saveLoad: true,
  push: true,
  commit: true,
  restartInPlace: true,
});

/**
 * The capability each gated command needs, by command id (package.json's ids; a unit test checks that every
 * menu entry of these commands matches `can-<capability>` or hides on `gpuContainers.no.<capability>`).
 */
export const COMMAND_CAPABILITY: Readonly<Record<string, Capability>> = {
  'gpuContainers.pullImage': 'pull',
  'gpuContainers.buildImage': 'build',
  'gpuContainers.buildImageWithOptions': 'build',
  'gpuContainers.saveImage': 'saveLoad',
  'gpuContainers.loadImage': 'saveLoad',
  'gpuContainers.pushImage': 'push',
  'gpuContainers.tagImage': 'images',
  'gpuContainers.removeImage': 'images',
  'gpuContainers.commitContainer': 'commit',
  'gpuContainers.restart': 'restartInPlace',
};

export function missingCapabilities(caps: EngineCapabilities): Capability[] {
  return CAPABILITIES.filter((c) => !caps[c]);
}

/** The `can-<name>` flags a row or host node's contextValue carries (menus match `viewItem =~ /;can-commit(;|$)/`). */
export function capabilityFlags(caps: EngineCapabilities): string[] {
  return CAPABILITIES.filter((c) => caps[c]).map((c) => `can-${c}`);
}

/** The context key that is true when no host can do `c` (the Images view's title actions hide on it). */
export function lackingContextKey(c: Capability): string {
  return `gpuContainers.no.${c}`;
}

/**
 * `<host> is a Kubernetes cluster: it has no images to save; …`: why a command cannot run on a host, said
 * before any engine call. `kind` is the backend's words for the host ("a Kubernetes cluster").
 */
export function cannotMessage(c: Capability, host: string, kind: string): string {
  switch (c) {
    case 'images':
      return t('{0} is {1}: it has no image list of its own; its nodes pull the images its pods name.', host, kind);
    case 'pull':
      return t(
        '{0} is {1}: it has no images to pull into; its nodes pull the image a pod names when it starts.',
        host,
        kind,
      );
    case 'build':
      return t(
        '{0} is {1}: it has no images to build into; build on a Docker or Podman host and push to a registry.',
        host,
        kind,
      );
    case 'saveLoad':
      return t('{0} is {1}: it has no images to save or load; use a Docker or Podman host for it.', host, kind);
    case 'push':
      return t('{0} is {1}: it has no images to push; push from a Docker or Podman host.', host, kind);
    case 'commit':
      return t('{0} is {1}: a pod cannot be committed to an image; use a Docker or Podman host for it.', host, kind);
    case 'restartInPlace':
      return t('{0} is {1}: a pod cannot be restarted in place; stop it and launch it again.', host, kind);
  }
}
