import os from 'node:os';
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { Endpoint, Engine } from '../core/docker';
import { resolveEndpoint, type EndpointInputs } from '../core/docker/endpoint';
import { pathExists, readTextFile } from '../core/files';
import { gpuTargetOf, type GpuHostTarget, type HostSpec, type SshTarget } from '../core/hosts';
import type { Logger } from '../core/logger';
import { engineKinds, engineUnknown, withEngine } from '../core/podman/podmanEndpoint';

/** What an endpoint resolution gives: the endpoint, notes for the log, and (from the hosts setting) its ssh target. */
export interface EndpointResolution {
  endpoint: Endpoint;
  problems: string[];
  ssh?: SshTarget;
  spec?: Pick<HostSpec, 'nvidiaSmi'>;
}

/**
 * Owns the Engine for the current endpoint (setting → DOCKER_HOST → docker context → default socket)
 * and rebuilds it when `gpuContainers.host` changes. Terminals take `endpoint.terminalEnv` from here,
 * so the tree and the terminals always talk to the same engine. An Engine per host is one `openEngine`
 * call (src/core/docker/engineFactory.ts).
 */
export class EngineService implements vscode.Disposable {
  /** Built on first use (a view became visible, a command ran): activation loads no Docker client. */
  private current: Engine | undefined;
  private resolved: EndpointResolution | undefined;
  private readonly emitter = new vscode.EventEmitter<Engine>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    /** Where the endpoint comes from; default: the single-engine resolution. The hosts service passes its own. */
    private readonly resolveWith: (inputs: EndpointInputs) => EndpointResolution = resolveEndpoint,
  ) {
    this.subscription = config.onDidChange((e) => {
      if (e.affectsConfiguration('gpuContainers.host') || e.affectsConfiguration('gpuContainers.hosts')) {
        const previous = this.current;
        this.resolved = undefined;
        this.current = this.build();
        this.emitter.fire(this.current);
        previous?.dispose();
      }
    });
  }

  get engine(): Engine {
    return (this.current ??= this.build());
  }

  /** Resolved without building the client (the status bar shows the host at activation). */
  get endpoint(): Endpoint {
    return this.resolve().endpoint;
  }

  /** Where this host's GPUs are read: over ssh for an ssh host, here for a local engine, else the probe. */
  get gpuTarget(): GpuHostTarget {
    return gpuTargetOf(this.resolve());
  }

  private resolve(): EndpointResolution {
    if (this.resolved) return this.resolved;
    const resolution = this.resolveWith({
      hostSetting: this.config.host(),
      env: process.env,
      homedir: os.homedir(),
      readFile: readTextFile,
      exists: pathExists,
    });
    for (const p of resolution.problems) this.logger.warn(p);
    // An address whose version said Podman (asked once, see `recognise`) is Podman from then on.
    const kind = engineUnknown(resolution.endpoint) ? engineKinds.get(resolution.endpoint.host) : undefined;
    const endpoint = kind === 'podman' ? withEngine(resolution.endpoint, kind) : resolution.endpoint;
    this.logger.info(
      `Docker endpoint: ${endpoint.host} (from ${endpoint.source}${endpoint.context ? `, context ${endpoint.context}` : ''})`,
    );
    return (this.resolved = { ...resolution, endpoint });
  }

  private build(): Engine {
    const endpoint = this.resolve().endpoint;
    // Required here, not at the top: dockerode and docker-modem load on first use (issue 17).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load esbuild still bundles; import() would make build() async.
    const { openEngine } = require('../core/docker/engineFactory') as typeof import('../core/docker/engineFactory');
    const opened = openEngine(endpoint, { logger: this.logger });
    for (const p of opened.problems) this.logger.warn(p);
    if (engineUnknown(endpoint)) this.recognise(opened.engine, endpoint.host);
    return opened.engine;
  }

  /**
   * An address that does not say which engine it is (a Podman socket not named `podman.sock`, a tcp port) is
   * asked its version once, beside the first calls rather than before them: when it says Podman, the engine is
   * rebuilt as Podman's (GPUs through CDI, its events and errors, the `podman` CLI in terminals).
   */
  private recognise(engine: Engine, host: string): void {
    void engineKinds
      .check(host, () => engine.version())
      .then((kind) => {
        if (kind !== 'podman' || this.current !== engine || this.disposed) return;
        this.logger.info(`Docker endpoint ${host} is Podman (from its version)`);
        this.resolved = undefined;
        this.current = this.build();
        this.emitter.fire(this.current);
        engine.dispose();
      });
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.emitter.dispose();
    this.current?.dispose();
  }
}
