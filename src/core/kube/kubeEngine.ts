/**
 * A Kubernetes namespace behind the `Engine` contract: pods are the containers (listed, inspected, watched,
 * deleted), the cluster's nodes are its GPUs (clusterGpus.ts). What has no meaning on a cluster — images, commit,
 * exec streams — fails with an EngineError that says so; launching goes through `launchPod` (a PodPlan from
 * podSpec.ts), Start/Restart relaunch from the profile in glue (a pod is never started twice).
 */
import type {
  CallOptions,
  ContainerCreateOptions,
  Engine,
  EventsOptions,
  Subscription,
} from '../docker/engineContract';
import type { Endpoint } from '../docker/endpoint';
import { EngineError } from '../docker/engineError';
import type { ContainerDetails, ContainerSummary, EngineEvent, EngineInfo, EngineVersion } from '../docker/engineTypes';
import { t } from '../l10n';
import type { Logger } from '../logger';
import type { List, Node, Pod } from './kubeTypes';
import { podState, toPodDetails, toPodSummary } from './podMapping';
import type { PodPlan } from './podSpec';
import { GPU_RESOURCE } from './podSpec';
import { kubeEngineError, type KubeApi } from './kubeErrors';
import { SlotBook } from './clusterGpus';
import { createPodOfPlan } from './kubeLaunch';
import { KubeEngineBase } from './kubeUnsupported';
import { parseQuantity } from './clusterGpus';
import { watchPods } from './kubeWatch';

export interface KubeEngineOptions {
  logger?: Logger;
  defaultTimeoutMs?: number;
  now?: () => number;
}

export class KubeEngine extends KubeEngineBase implements Engine {
  readonly namespace: string;
  private disposed = false;
  /** Which GPU slots of its node each pod holds (the GPUs view's rows; see clusterGpus.ts). */
  private readonly slots = new SlotBook();

  constructor(
    endpoint: Endpoint,
    private readonly api: KubeApi,
    namespace: string,
    private readonly o: KubeEngineOptions = {},
  ) {
    super(endpoint);
    this.namespace = namespace;
  }

  private get pods(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
  }

  private async call<T>(
    operation: string,
    fn: (signal: AbortSignal | undefined, timeoutMs: number) => Promise<T>,
    o?: CallOptions,
    name?: string,
  ): Promise<T> {
    try {
      return await fn(o?.signal, o?.timeoutMs ?? this.o.defaultTimeoutMs ?? 30_000);
    } catch (err) {
      throw kubeEngineError(err, {
        endpoint: this.endpoint.host,
        operation,
        namespace: this.namespace,
        containerName: name,
      });
    }
  }

  ping(o?: CallOptions): Promise<void> {
    return this.call(
      t('ping'),
      (signal, timeoutMs) => this.api.request('GET', '/version', { signal, timeoutMs }).then(() => undefined),
      o,
    );
  }

  async version(o?: CallOptions): Promise<EngineVersion> {
    const v = await this.call(
      t('version'),
      (signal, timeoutMs) =>
        this.api.request<{ gitVersion?: string; platform?: string }>('GET', '/version', { signal, timeoutMs }),
      o,
    );
    const [os, arch] = (v.platform ?? 'linux/amd64').split('/');
    return { version: v.gitVersion ?? '', apiVersion: 'v1', os, arch, components: ['Kubernetes'] };
  }

  /** The nodes this user may read (a user without that right still gets the pods' counts). */
  async nodes(o?: CallOptions): Promise<Node[]> {
    const l = await this.call(
      t('list nodes'),
      (signal, timeoutMs) => this.api.request<List<Node>>('GET', '/api/v1/nodes', { signal, timeoutMs }),
      o,
    );
    return l.items;
  }

  /** SelfSubjectAccessReview: may this user `verb` `resource` (`/subresource`) in the namespace? */
  async mayI(verb: string, resource: string, subresource?: string, o?: CallOptions): Promise<boolean> {
    const r = await this.call(
      t('check your rights'),
      (signal, timeoutMs) =>
        this.api.request<{ status?: { allowed?: boolean } }>(
          'POST',
          '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          {
            signal,
            timeoutMs,
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  namespace: this.namespace,
                  verb,
                  resource,
                  ...(subresource ? { subresource } : {}),
                },
              },
            },
          },
        ),
      o,
    );
    return r.status?.allowed === true;
  }

  /** Whether the namespace exists: true/false, or undefined when this user may not read namespaces. */
  async namespaceExists(o?: CallOptions): Promise<boolean | undefined> {
    try {
      await this.call(
        t('read the namespace'),
        (signal, timeoutMs) =>
          this.api.request('GET', `/api/v1/namespaces/${encodeURIComponent(this.namespace)}`, { signal, timeoutMs }),
        o,
      );
      return true;
    } catch (err) {
      if (err instanceof EngineError && err.kind === 'notFound') return false;
      if (err instanceof EngineError && err.kind === 'permissionDenied' && err.statusCode === 403) return undefined;
      throw err;
    }
  }

  async info(o?: CallOptions): Promise<EngineInfo> {
    const [v, nodes, pods] = await Promise.all([
      this.version(o),
      this.nodes(o).catch(() => [] as Node[]),
      this.listPods(o).catch(() => [] as Pod[]),
    ]);
    const sum = (k: string) => nodes.reduce((a, n) => a + parseQuantity(n.status?.allocatable?.[k]), 0);
    return {
      serverVersion: v.version,
      operatingSystem: 'Kubernetes',
      ncpu: Math.round(sum('cpu')),
      memTotal: sum('memory'),
      containers: pods.length,
      containersRunning: pods.filter((p) => p.status?.phase === 'Running').length,
      images: 0,
      runtimes: [],
      defaultRuntime: '',
      hasNvidiaRuntime: sum(GPU_RESOURCE) > 0,
    };
  }

  async listPods(o?: CallOptions & { labelSelector?: string }): Promise<Pod[]> {
    const query: Record<string, string> = {};
    if (o?.labelSelector) query.labelSelector = o.labelSelector;
    const l = await this.call(
      t('list pods'),
      (signal, timeoutMs) => this.api.request<List<Pod>>('GET', this.pods, { signal, timeoutMs, query }),
      o,
    );
    return l.items;
  }

  async listContainers(
    opts: { all?: boolean; filters?: Record<string, string[]> } & CallOptions = {},
  ): Promise<ContainerSummary[]> {
    const now = (this.o.now ?? Date.now)();
    const pods = await this.listPods(opts);
    this.slots.assignAll(pods);
    const rows = pods.map((p) => toPodSummary(p, now, this.slots.slotsOf(p)));
    const f = opts.filters ?? {};
    return rows.filter((r) => {
      if (!opts.all && r.state !== 'running') return false;
      if (f.id && !f.id.includes(r.id)) return false;
      if (f.name && !f.name.some((n) => r.name.includes(n))) return false;
      for (const l of f.label ?? []) {
        const eq = l.indexOf('=');
        if (eq < 0 ? !(l in r.labels) : r.labels[l.slice(0, eq)] !== l.slice(eq + 1)) return false;
      }
      return true;
    });
  }

  async getPod(name: string, o?: CallOptions): Promise<Pod> {
    return this.call(
      t('inspect pod'),
      (signal, timeoutMs) =>
        this.api.request<Pod>('GET', `${this.pods}/${encodeURIComponent(name)}`, { signal, timeoutMs }),
      o,
      name,
    );
  }

  async inspectContainer(idOrName: string, o?: CallOptions): Promise<ContainerDetails> {
    const pod = await this.getPod(idOrName, o);
    return toPodDetails(pod, (this.o.now ?? Date.now)(), this.slots.slotsOf(pod));
  }

  createContainer(_options: ContainerCreateOptions): Promise<string> {
    return Promise.reject(
      new EngineError(
        'unknown',
        t('Pods on {0} are launched from a launch profile.', this.endpoint.host),
        t('Use Launch GPU Container with a profile.'),
      ),
    );
  }

  /**
   * Creates the pod of a plan: its secret env first (a Secret the pod names), then the pod, then the Secret is
   * made the pod's own (deleted with it by the cluster's garbage collector). Resolves with the pod's name.
   */
  launchPod(plan: PodPlan, o?: CallOptions): Promise<string> {
    return createPodOfPlan(plan, this.namespace, (op, path, init, name) =>
      this.call(
        op,
        (signal, timeoutMs) => this.api.request(init.method, path, { ...init, signal, timeoutMs }),
        o,
        name,
      ),
    );
  }

  /** A pod runs once: "start" succeeds only for a pod that has not ended (Start relaunches from the profile in glue). */
  async startContainer(id: string, o?: CallOptions): Promise<void> {
    const pod = await this.getPod(id, o);
    if (podState(pod).state === 'exited')
      throw new EngineError(
        'unknown',
        t('The pod {0} has ended; a pod is never started again.', id),
        t('Start relaunches it from its launch profile.'),
      );
  }

  async stopContainer(id: string, opts: { timeoutSeconds?: number } & CallOptions = {}): Promise<void> {
    await this.deletePod(id, opts.timeoutSeconds, opts);
  }

  restartContainer(id: string): Promise<void> {
    return Promise.reject(this.unsupported(t('Restarting the pod {0} in place', id)));
  }

  async removeContainer(id: string, opts: { force?: boolean } & CallOptions = {}): Promise<void> {
    await this.deletePod(id, opts.force ? 0 : undefined, opts);
  }

  async deletePod(name: string, graceSeconds: number | undefined, o?: CallOptions): Promise<void> {
    const query: Record<string, string> =
      graceSeconds !== undefined ? { gracePeriodSeconds: String(graceSeconds) } : {};
    await this.call(
      t('delete pod'),
      (signal, timeoutMs) =>
        this.api.request('DELETE', `${this.pods}/${encodeURIComponent(name)}`, { signal, timeoutMs, query }),
      o,
      name,
    );
  }

  /**
   * The namespace's pods as engine events, from one watch (kubeWatch.ts): no polling, no pings.
   */
  events(onEvent: (e: EngineEvent) => void, opts: EventsOptions = {}): Subscription {
    return watchPods(
      {
        api: this.api,
        path: this.pods,
        endpoint: this.endpoint.host,
        namespace: this.namespace,
        logger: this.o.logger,
        disposed: () => this.disposed,
        forget: (n) => this.slots.forget(n),
      },
      onEvent,
      opts,
    );
  }

  dispose(): void {
    this.disposed = true;
    this.api.dispose();
  }
}
