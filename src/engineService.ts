import os from 'node:os';
import * as vscode from 'vscode';
import type { Config } from './config';
import { openEngine, resolveEndpoint, type Endpoint, type Engine, type EndpointInputs } from './core/docker';
import { readTextFile } from './core/files';
import type { Logger } from './core/logger';

/**
 * Owns the Engine for the current endpoint (setting → DOCKER_HOST → docker context → default socket)
 * and rebuilds it when `gpuContainers.host` changes. Terminals take `endpoint.terminalEnv` from here,
 * so the tree and the terminals always talk to the same engine. An Engine per host is one `openEngine`
 * call (src/core/docker/engineFactory.ts).
 */
export class EngineService implements vscode.Disposable {
  private current: Engine;
  private readonly emitter = new vscode.EventEmitter<Engine>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    /** Where the endpoint comes from; default: the single-engine resolution. The hosts service passes its own. */
    private readonly resolve: (inputs: EndpointInputs) => { endpoint: Endpoint; problems: string[] } = resolveEndpoint,
  ) {
    this.current = this.build();
    this.subscription = config.onDidChange((e) => {
      if (e.affectsConfiguration('gpuContainers.host') || e.affectsConfiguration('gpuContainers.hosts')) {
        const previous = this.current;
        this.current = this.build();
        this.emitter.fire(this.current);
        previous.dispose();
      }
    });
  }

  get engine(): Engine {
    return this.current;
  }
  get endpoint(): Endpoint {
    return this.current.endpoint;
  }

  private build(): Engine {
    const { endpoint, problems } = this.resolve({
      hostSetting: this.config.host(),
      env: process.env,
      homedir: os.homedir(),
      readFile: readTextFile,
    });
    for (const p of problems) this.logger.warn(p);
    this.logger.info(
      `Docker endpoint: ${endpoint.host} (from ${endpoint.source}${endpoint.context ? `, context ${endpoint.context}` : ''})`,
    );
    const opened = openEngine(endpoint, { logger: this.logger });
    for (const p of opened.problems) this.logger.warn(p);
    return opened.engine;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
    this.current.dispose();
  }
}
