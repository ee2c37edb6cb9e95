/**
 * The owner's side of launch profiles' idle policies (core/gpu/idlePolicy.ts), on every host (`IdleWatches`: one
 * `IdleWatch` per host, on that host's readings, containers and engine): after each GPU reading of a host, each
 * of the user's OWN running containers on it (owner label = this user) that carries an idle
 * policy label is checked against the use history. A notice first; for `stop` / `commit-and-stop` an undo
 * window (`gpus.idleGraceSeconds`) with Keep running / Stop now, then the stop. Nobody else's container is
 * touched: the owner label is checked again, on a fresh inspect, right before anything is done.
 */
import * as vscode from 'vscode';
import type { ContainerSummary } from './core/docker';
import { OWNER_LABEL } from './core/docker/labels';
import {
  decideIdle,
  idleImageName,
  idleNoticeText,
  idlePolicyOf,
  type ContainerIdlePolicy,
  type IdleNotice,
} from './core/gpu/idlePolicy';
import { commitContainer } from './core/images/transferPush';
import { ownership } from './core/ownership';
import type { HostGpus } from './hosts/hostGpus';
import type { HostsService } from './hosts/hostsService';
import type { Services } from './services';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

/** While the GPUs view is hidden (it reads nothing then), a reading this often when a policy is to be applied. */
const BACKGROUND_READ_MS = 30_000;

interface Pending extends IdleNotice {
  image?: string;
  timer?: ReturnType<typeof setTimeout>;
}

export class IdleWatch implements vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly subs: vscode.Disposable[] = [];
  private background: ReturnType<typeof setInterval> | undefined;
  private services: Services | undefined;

  constructor(
    private readonly gpus: HostGpus,
    private readonly now: () => number = Date.now,
    /** The host's name, for the log. */
    private readonly hostName: () => string = () => '',
  ) {}

  attach(s: Services): void {
    this.services = s;
    this.subs.push(this.gpus.onDidRecord(() => this.check()));
    this.background = setInterval(
      () => {
        if (!this.gpus.view.visible && this.candidates().length > 0) void this.gpus.refresh();
      },
      Math.max(BACKGROUND_READ_MS, s.config.gpuRefreshIntervalMs()),
    );
  }

  /** The user's own running containers on this watch's host that carry an idle policy. */
  private candidates(): Array<{ c: ContainerSummary; policy: ContainerIdlePolicy }> {
    const s = this.services;
    if (!s) return [];
    return s.refresh.containers.all().flatMap((c) => {
      if (c.state !== 'running' || ownership(c, s.user.name) !== 'mine') return [];
      const policy = idlePolicyOf(c.labels);
      return policy ? [{ c, policy }] : [];
    });
  }

  check(): void {
    const s = this.services;
    if (!s) return;
    const now = this.now();
    const grace = s.config.gpuIdleGraceMs();
    const live = new Set<string>();
    for (const { c, policy } of this.candidates()) {
      live.add(c.id);
      const idleMs = this.gpus.history.containerIdleMs(c.id, policy.belowPct);
      const notice = this.pending.get(c.id);
      const d = decideIdle(now, idleMs, policy, notice, grace);
      if (d.kind === 'clear') this.forget(c.id);
      else if (d.kind === 'notify') {
        this.pending.set(c.id, { runStart: d.runStart });
        void s.ui.ask('idlePolicy', 'info', idleNoticeText(c.name, policy, idleMs ?? 0, grace), {});
      } else if (d.kind === 'schedule-stop') {
        const image = policy.then === 'commit-and-stop' ? idleImageName(c.name, now) : undefined;
        // Checked again when the window ends, whether or not a GPU reading comes then.
        const timer = setTimeout(() => this.check(), Math.max(0, d.at - now) + 50);
        const p: Pending = { runStart: d.runStart, stopAt: d.at, image, timer };
        this.pending.set(c.id, p);
        void this.ask(c, policy, p, idleMs ?? 0, grace);
      } else if (d.kind === 'stop') {
        const p = this.pending.get(c.id)!;
        p.done = true;
        void this.stop(c, policy, p.image).catch((e: unknown) =>
          s.logger.warn(`idle policy: stopping ${c.name} failed: ${String(e)}`),
        );
      }
    }
    for (const id of [...this.pending.keys()]) if (!live.has(id)) this.forget(id);
  }

  private forget(id: string): void {
    clearTimeout(this.pending.get(id)?.timer);
    this.pending.delete(id);
  }

  private async ask(
    c: ContainerSummary,
    policy: ContainerIdlePolicy,
    p: Pending,
    idleMs: number,
    grace: number,
  ): Promise<void> {
    const s = this.services!;
    const keep = t('Keep running');
    const now = t('Stop now');
    const a = await s.ui.ask(
      'idlePolicy',
      'warning',
      idleNoticeText(c.name, policy, idleMs, grace, p.image),
      {},
      keep,
      now,
    );
    // An answer after the window (or after the run ended) changes nothing.
    if (this.pending.get(c.id) !== p || p.done) return;
    if (a === keep) {
      p.kept = true;
      clearTimeout(p.timer);
      s.logger.info(`idle policy: ${c.name} kept running`);
    } else if (a === now) {
      p.done = true;
      clearTimeout(p.timer);
      await this.stop(c, policy, p.image);
    }
  }

  /** Stops (committing first for commit-and-stop) — only a running container whose owner label is this user. */
  private async stop(c: ContainerSummary, policy: ContainerIdlePolicy, image: string | undefined): Promise<void> {
    const s = this.services!;
    const engine = s.engines.engine;
    const fresh = await engine.inspectContainer(c.id).catch(() => undefined);
    if (!fresh || fresh.state !== 'running' || fresh.labels?.[OWNER_LABEL] !== s.user.name || !s.user.name) return;
    if (policy.then === 'commit-and-stop' && image) {
      await commitContainer(engine, c.id, { repo: image, message: 'gpu-containers idle policy' });
      s.logger.info(`idle policy: committed ${c.name} to ${image}:latest`);
    }
    await engine.stopContainer(c.id);
    s.logger.info(`idle policy: stopped ${c.name} on ${this.hostName() || 'the host'}`);
    await s.refresh.refreshContainer(c.id);
    void s.ui.ask(
      'idlePolicy',
      'info',
      image
        ? t('Committed {0} to {1} and stopped it (its idle policy).', c.name, image)
        : t('Stopped {0} (its idle policy).', c.name),
      {},
    );
  }

  dispose(): void {
    if (this.background) clearInterval(this.background);
    for (const id of [...this.pending.keys()]) this.forget(id);
    for (const d of this.subs) d.dispose();
  }
}

/**
 * One `IdleWatch` per host, keyed by the host's `HostGpus` (the first host's lives as long as the window; the
 * others' are rebuilt when `gpuContainers.hosts` changes), each attached to services scoped to its host: its
 * readings, its containers, its engine. Reconciled on every change of the host list; a host with a
 * configuration error (never contacted) gets none.
 */
export class IdleWatches implements vscode.Disposable {
  private readonly watches = new Map<HostGpus, IdleWatch>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly hosts: HostsService,
    private readonly services: Services,
    private readonly now: () => number = Date.now,
  ) {
    this.sub = hosts.onDidChange(() => this.reconcile());
    this.reconcile();
  }

  /** The host names watched, in host order (for tests). */
  watched(): string[] {
    return this.hosts.list.filter((h) => this.watches.has(h.gpus)).map((h) => h.name);
  }

  private reconcile(): void {
    const wanted = new Set(this.hosts.list.filter((h) => !h.resolved.error).map((h) => h.gpus));
    for (const [gpus, w] of [...this.watches])
      if (!wanted.has(gpus)) {
        w.dispose();
        this.watches.delete(gpus);
      }
    for (const h of this.hosts.list) {
      if (!wanted.has(h.gpus) || this.watches.has(h.gpus)) continue;
      // The first host's parts outlive its name (which follows the settings).
      const w = new IdleWatch(h.gpus, this.now, h.primary ? () => this.hosts.primary?.name ?? '' : () => h.name);
      w.attach(this.hosts.scope(this.services, h));
      this.watches.set(h.gpus, w);
    }
  }

  dispose(): void {
    this.sub.dispose();
    for (const w of this.watches.values()) w.dispose();
    this.watches.clear();
  }
}
