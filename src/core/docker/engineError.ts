/**
 * The one error type of the engine layer. Everything it throws is an `EngineError` with a `kind`,
 * a one-line `message` and a `fix` sentence; `toEngineError` (errors.ts) classifies whatever dockerode /
 * node threw.
 */
export type EngineErrorKind =
  | 'unreachable'
  | 'permissionDenied'
  | 'notFound'
  | 'conflict'
  | 'imageMissing'
  | 'gpuUnavailable'
  | 'timeout'
  | 'apiTooOld'
  | 'cancelled'
  /** A bind mount's source path does not exist on the engine's host. */
  | 'bindSourceMissing'
  /** A file given to Load is not (or no longer) a valid `docker save` archive. */
  | 'corruptArchive'
  /** No space left: on the local disk (save) or on the engine's host (pull, load, commit). */
  | 'noSpace'
  /** The engine's host cannot reach a registry (DNS, network, timeout): a pull on an offline server. */
  | 'registryUnreachable'
  | 'unknown';

export interface EngineErrorContext {
  /** DOCKER_HOST-style address of the engine, for messages ("unix:///var/run/docker.sock"). */
  endpoint?: string;
  image?: string;
  containerName?: string;
  /** What we were doing ("start container", "ping"), used in timeout/cancel messages. */
  operation?: string;
}

/** Which ssh failure an error of an ssh:// engine is (sshErrors.ts), so the view can say it as one. */
export type SshProblem =
  | 'hostKeyUnknown'
  | 'hostKeyChanged'
  | 'auth'
  | 'resolve'
  | 'refused'
  | 'noAnswer'
  | 'dockerMissing'
  | 'dockerDenied'
  | 'dockerDown'
  | 'closed';

export interface EngineErrorDetails {
  /** For failures of the ssh transport: which one. */
  ssh?: SshProblem;
  statusCode?: number;
  cause?: unknown;
  /** For kind 'conflict' caused by a name clash: the name in use, so the caller can offer attach/start/recreate. */
  containerName?: string;
  /** For kind 'imageMissing': the image reference. */
  image?: string;
  /** The engine's own message, unmodified, when there was one. */
  engineMessage?: string;
  /** For kind 'registryUnreachable': the registry's host name (`nvcr.io`, `registry-1.docker.io`). */
  registry?: string;
}

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly fix: string;
  readonly statusCode?: number;
  override readonly cause?: unknown;
  readonly containerName?: string;
  readonly image?: string;
  readonly engineMessage?: string;
  readonly registry?: string;
  readonly ssh?: SshProblem;

  constructor(kind: EngineErrorKind, message: string, fix: string, details: EngineErrorDetails = {}) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.fix = fix;
    this.statusCode = details.statusCode;
    this.cause = details.cause;
    this.containerName = details.containerName;
    this.image = details.image;
    this.engineMessage = details.engineMessage;
    this.registry = details.registry;
    if (details.ssh) this.ssh = details.ssh;
  }
}

export function isEngineError(err: unknown): err is EngineError {
  return err instanceof EngineError;
}
