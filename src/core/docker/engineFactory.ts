/**
 * One Engine per endpoint, in one call: `openEngine(endpoint)` looks the host's backend up in `BACKENDS`, keyed
 * by the endpoint's `engine` (docker, podman, kubernetes), and opens it. A new backend is its own folder,
 * exporting a `Backend`, plus one line in `BACKENDS`. Several hosts = several calls.
 */
import type { Logger } from '../logger';
import type { Endpoint } from './endpoint';
import type { Engine } from './engineContract';
import { dockerBackend } from './dockerFactory';
import { podmanBackend } from '../podman/podmanFactory';
import { kubeBackend } from '../kube/kubeFactory';

export interface OpenEngineOptions {
  logger?: Logger;
  defaultTimeoutMs?: number;
  /** Environment of the ssh children (SSH_AUTH_SOCK, PATH…); process.env unless given. */
  env?: Record<string, string | undefined>;
  /** Reads TLS material; fs.readFileSync unless given. */
  readFileBytes?: (p: string) => Buffer;
}

/** What a backend's `open` gets: the options, with the environment resolved. */
export type BackendOpenOptions = OpenEngineOptions & { env: Record<string, string | undefined> };

export interface OpenedEngine {
  engine: Engine;
  /** Why the client could not be set up as asked (the engine then fails every call as unreachable). */
  problems: string[];
}

/** One kind of host: how to open its engine, and the host in words ("a Kubernetes cluster") for messages. */
export interface Backend {
  /** Never throws: a client that cannot be built yields an engine that fails every call, with `problems`. */
  open(endpoint: Endpoint, opts: BackendOpenOptions): OpenedEngine;
  describe(): string;
}

export type BackendKind = NonNullable<Endpoint['engine']>;

/** The registry: one line per backend. */
const BACKENDS: Readonly<Record<BackendKind, Backend>> = {
  docker: dockerBackend,
  podman: podmanBackend,
  kubernetes: kubeBackend,
};

/** The backend of an endpoint (dockerd when the address does not say). */
export function backendOf(endpoint: Endpoint): Backend {
  return BACKENDS[endpoint.engine ?? 'docker'] ?? dockerBackend;
}

/** An Engine for `endpoint`. Never throws: a client that cannot be built yields an engine that fails every call. */
export function openEngine(endpoint: Endpoint, opts: OpenEngineOptions = {}): OpenedEngine {
  return backendOf(endpoint).open(endpoint, { ...opts, env: opts.env ?? process.env });
}

/** The host in words for a message ("a Kubernetes cluster"). */
export function describeBackend(endpoint: Endpoint): string {
  return backendOf(endpoint).describe();
}
