import os from 'node:os';
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import type { Config } from './config';
import { createEngine, dockerodeOptions, resolveEndpoint, type Endpoint, type Engine } from './core/docker';
import { readTextFile } from './core/files';
import type { Logger } from './core/logger';

/**
 * Owns the Engine for the current endpoint (setting → DOCKER_HOST → docker context → default socket)
 * and rebuilds it when `gpuContainers.host` changes. Terminals take `endpoint.terminalEnv` from here,
 * so the tree and the terminals always talk to the same engine.
 */
export class EngineService implements vscode.Disposable {
  /** Built on first use (a view became visible, a command ran): activation loads no Docker client. */
  private current: Engine | undefined;
  private client!: Dockerode;
  private problems: string[] = [];
  private resolved: Endpoint | undefined;
  private readonly emitter = new vscode.EventEmitter<Engine>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    this.subscription = config.onDidChange((e) => {
      if (e.affectsConfiguration('gpuContainers.host')) {
        this.resolved = undefined;
        this.current = this.build();
        this.emitter.fire(this.current);
      }
    });
  }

  get engine(): Engine {
    return (this.current ??= this.build());
  }
  /** The Dockerode client of the current endpoint (image transfers in src/core/images take it directly). */
  get docker(): Dockerode {
    this.current ??= this.build();
    return this.client;
  }
  /** Resolved without building the client (the status bar shows the host at activation). */
  get endpoint(): Endpoint {
    return this.resolve();
  }
  /** Problems found while resolving the endpoint (malformed ~/.docker/config.json, unknown context…). */
  get endpointProblems(): readonly string[] {
    this.resolve();
    return this.problems;
  }

  private resolve(): Endpoint {
    if (this.resolved) return this.resolved;
    const { endpoint, problems } = resolveEndpoint({
      hostSetting: this.config.host(),
      env: process.env,
      homedir: os.homedir(),
      readFile: readTextFile,
    });
    this.problems = problems;
    for (const p of problems) this.logger.warn(p);
    this.logger.info(
      `Docker endpoint: ${endpoint.host} (from ${endpoint.source}${endpoint.context ? `, context ${endpoint.context}` : ''})`,
    );
    return (this.resolved = endpoint);
  }

  private build(): Engine {
    const endpoint = this.resolve();
    const problems = this.problems;
    // Required here, not at the top: dockerode, docker-modem and ssh2 load on first use (issue 17).
    const Dockerode = require('dockerode') as typeof import('dockerode');
    let docker: Dockerode;
    try {
      docker = new Dockerode(dockerodeOptions(endpoint));
    } catch (err) {
      // dockerode also reads DOCKER_CERT_PATH itself and throws when its files are missing.
      this.logger.error('Could not set up the Docker client:', err);
      this.problems = [...problems, `Could not set up the Docker client for ${endpoint.host}: ${String(err)}`];
      docker = new Dockerode({ socketPath: '/nonexistent/gpu-containers-invalid-endpoint.sock' });
    }
    this.client = docker;
    return createEngine(docker, endpoint, { logger: this.logger });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
