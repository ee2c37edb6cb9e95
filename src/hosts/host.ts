import type { Config } from '../config';
import type { EndpointInputs } from '../core/docker';
import type { ResolvedHost } from '../core/hosts';
import type { HostNode } from '../core/hosts/hostNode';
import type { Logger } from '../core/logger';
import { Terminals } from '../terminal';
import { RefreshManager } from '../tree/refresh';
import { EngineService, type EndpointResolution } from './engineService';
import { HostGpus, type GpuViewVisibility } from './hostGpus';

/**
 * One host — the first as much as any other: its engine (through the backend registry), its container and image
 * stores with their refresh, its terminals and its GPUs. Commands get services scoped to one host
 * (`HostsService.scope`); the views render every host's.
 */
export interface Host {
  readonly name: string;
  readonly resolved: ResolvedHost;
  /** The first host: with a single host the views show its rows without a host level. */
  readonly primary: boolean;
  readonly engines: EngineService;
  readonly refresh: RefreshManager;
  readonly terminals: Terminals;
  readonly gpus: HostGpus;
  readonly node: HostNode;
}

/** What a host owns, apart from its name and settings entry. */
export type HostParts = Pick<Host, 'engines' | 'refresh' | 'terminals' | 'gpus'>;

export interface HostDeps {
  config: Config;
  logger: Logger;
  /** The GPUs view's visibility: every host reads its GPUs while it is visible. */
  gpuView: GpuViewVisibility;
}

/**
 * The parts of one host, built the same way for every host. `resolve` is where its endpoint comes from (the
 * first host re-resolves on each settings change and keeps its parts; the others are rebuilt). `first`: this
 * host's refresh sets the window's context keys (the view titles' buttons follow the first host).
 */
export function createHostParts(
  name: () => string,
  deps: HostDeps,
  resolve: (inputs: EndpointInputs) => EndpointResolution,
  o: { first: boolean; contact: boolean },
): HostParts {
  const engines = new EngineService(deps.config, deps.logger, resolve);
  const refresh = new RefreshManager(engines, deps.logger, { setsContextKeys: o.first });
  const terminals = new Terminals(deps.config, engines);
  const gpus = new HostGpus(name, deps.config, engines, refresh, deps.logger, deps.gpuView, o.contact);
  return { engines, refresh, terminals, gpus };
}
