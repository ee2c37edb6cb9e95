/**
 * The Podman backend: Podman's Docker-compatible API through the dockerode backend, differing where
 * Podman does: GPU containers are created through the libpod API with CDI device names (the compat API
 * drops `--gpus`), a removed container's `remove` event is the contract's `destroy`, errors are read by
 * `classifyPodmanError`, image tags drop Podman's `localhost/` prefix, and the slow `version` / `info`
 * (0.3–3 s) are cached.
 */
import type Dockerode from 'dockerode';
import { DockerodeEngine, type CreateEngineOptions } from '../docker/dockerodeEngine';
import { normalizeCreateOptions } from '../docker/dockerodeContainers';
import type { Endpoint } from '../docker/endpoint';
import type {
  CallOptions,
  ContainerCreateOptions,
  Engine,
  EventsOptions,
  Subscription,
} from '../docker/engineContract';
import { EngineError } from '../docker/engineError';
import type {
  ContainerDetails,
  EngineEvent,
  EngineInfo,
  EngineVersion,
  ImageDetails,
  ImageSummary,
} from '../docker/engineTypes';
import { gpuRequestFrom } from '../gpu/request';
import { t } from '../l10n';
import { cdiDevicesFor, toLibpodSpec } from './libpodSpec';
import { classifyPodmanError } from './podmanErrors';

/** The libpod API version every Podman 4.x and 5.x serves. */
const LIBPOD = '/v4.0.0/libpod';
const INFO_TTL_MS = 10_000;
/**
 * The CDI devices a GPU container was created with, comma-separated: Podman's inspect shows neither the
 * request nor the devices, so this label is how the tree and the GPUs view know what it holds.
 */
export const CDI_DEVICES_LABEL = 'gpu-containers.cdi-devices';

interface Modem {
  dial(opts: object, cb: (err: Error | null, data: unknown) => void): void;
}

/** `localhost/name:tag` → `name:tag`: how Podman stores an image that came without a registry. */
export function displayTag(tag: string): string {
  return tag.startsWith('localhost/') ? tag.slice('localhost/'.length) : tag;
}

/** Podman's event names, in the contract's (Docker's) words. */
export function toContractEvent(e: EngineEvent): EngineEvent {
  return e.type === 'container' && e.action === 'remove' ? { ...e, action: 'destroy', change: 'removed' } : e;
}

class PodmanEngine extends DockerodeEngine {
  private versionCache: Promise<EngineVersion> | undefined;
  private infoCache: { at: number; value: Promise<EngineInfo> } | undefined;

  constructor(docker: Dockerode, endpoint: Endpoint, opts: CreateEngineOptions) {
    super(docker, endpoint, { ...opts, classifyError: classifyPodmanError });
  }

  override version(o?: CallOptions): Promise<EngineVersion> {
    const cached = this.versionCache;
    if (cached) return cached;
    const p = super.version(o);
    this.versionCache = p;
    p.catch(() => {
      if (this.versionCache === p) this.versionCache = undefined;
    });
    return p;
  }

  override info(o?: CallOptions): Promise<EngineInfo> {
    const c = this.infoCache;
    if (c && this.now() - c.at < INFO_TTL_MS) return c.value;
    // GPUs reach Podman's containers through CDI, not an `nvidia` runtime: the GPUs view and the launch checks
    // must not say "no NVIDIA runtime" (a missing CDI spec is told when the container is created).
    const value = super.info(o).then((i) => ({ ...i, hasNvidiaRuntime: true }));
    const entry = { at: this.now(), value };
    this.infoCache = entry;
    value.catch(() => {
      if (this.infoCache === entry) this.infoCache = undefined;
    });
    return value;
  }

  override async listImages(
    opts: { all?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ImageSummary[]> {
    return (await super.listImages(opts)).map((i) => ({ ...i, tags: i.tags.map(displayTag) }));
  }

  override async inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails> {
    const d = await super.inspectImage(ref, o);
    return { ...d, tags: d.tags.map(displayTag) };
  }

  override async inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails> {
    const d = await super.inspectContainer(idOrName, o);
    const cdi = d.labels[CDI_DEVICES_LABEL];
    if (d.gpu || !cdi) return d;
    const gpu = gpuRequestFrom([{ Driver: 'cdi', DeviceIDs: cdi.split(',') }], []);
    return gpu ? { ...d, gpu } : d;
  }

  override async createContainer(options: ContainerCreateOptions, o?: CallOptions): Promise<string> {
    const devices = cdiDevicesFor(options.HostConfig?.DeviceRequests);
    if (devices.length === 0) return super.createContainer(options, o);
    const labelled = { ...options, Labels: { ...options.Labels, [CDI_DEVICES_LABEL]: devices.join(',') } };
    const body = toLibpodSpec(normalizeCreateOptions(labelled), devices);
    if ('unsupported' in body) {
      throw new EngineError(
        'unknown',
        t('On Podman, a GPU container cannot be created with {0} yet.', body.unsupported.join(', ')),
        t('Remove these settings from the profile, or launch it on a Docker host.'),
      );
    }
    const modem = (this.docker as unknown as { modem: Modem }).modem;
    const ctx = this.run.ctx('create container', { image: options.Image, containerName: options.name });
    const res = await this.run.call(
      o,
      ctx,
      (abortSignal) =>
        new Promise<unknown>((resolve, reject) =>
          modem.dial(
            {
              path: `${LIBPOD}/containers/create`,
              method: 'POST',
              options: { _query: {}, _body: body.spec },
              abortSignal,
              statusCodes: {
                200: true,
                201: true,
                400: 'bad parameter',
                404: 'not found',
                409: 'conflict',
                500: 'server error',
              },
            },
            // docker-modem's errors carry statusCode and json: the error readers need them as they are.
            (err, data) => (err ? reject(err) : resolve(data)),
          ),
        ),
    );
    const id = (res as { Id?: unknown } | undefined)?.Id;
    if (typeof id !== 'string' || !id) {
      throw new EngineError('unknown', t('The engine did not return the new container id.'), t('Try again.'));
    }
    return id;
  }

  override events(onEvent: (e: EngineEvent) => void, opts: EventsOptions = {}): Subscription {
    const wanted = opts.filters?.event;
    const filters =
      wanted?.includes('destroy') && opts.filters ? { ...opts.filters, event: [...wanted, 'remove'] } : opts.filters;
    return super.events((e) => onEvent(toContractEvent(e)), { ...opts, ...(filters ? { filters } : {}) });
  }
}

/** The Podman implementation of the Engine contract; the Dockerode instance is injected. */
export function createPodmanEngine(docker: Dockerode, endpoint: Endpoint, opts: CreateEngineOptions = {}): Engine {
  return new PodmanEngine(docker, endpoint, opts);
}
