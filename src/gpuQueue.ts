/**
 * Queued launches ("launch when 2 GPUs are free on any host"): kept in workspaceState (a window reload keeps
 * them), shown in the status bar and as rows at the top of the Containers view, re-checked on every GPU
 * snapshot of every host (and polled while any is queued, since the GPUs view may be hidden); the first host
 * that fits launches it through the normal launch (claim protocol). Logic in core/gpu/waitQueue.ts.
 */
import * as vscode from 'vscode';
import { Views } from './constants';
import { dequeue, enqueue, nextToLaunch, queuedText, readQueue, type QueuedLaunch } from './core/gpu/waitQueue';
import type { HostsService } from './hosts/hostsService';
import type { Services } from './services';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

const STATE_KEY = 'gpuContainers.queuedLaunches';

/** A row of the Containers view for one queued launch. */
export interface QueuedRow {
  queuedLaunch: QueuedLaunch;
}

export function isQueuedRow(v: unknown): v is QueuedRow {
  return typeof v === 'object' && v !== null && 'queuedLaunch' in v;
}

export class GpuQueue implements vscode.Disposable {
  private entries: QueuedLaunch[];
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly item = vscode.window.createStatusBarItem('gpuContainers.queue', vscode.StatusBarAlignment.Left, 49);
  private readonly subs: vscode.Disposable[] = [];
  private readonly rowSubs: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private launch?: (scoped: Services, q: QueuedLaunch) => Promise<unknown>;
  private checking = false;
  private services: Services | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly hosts: HostsService,
    private readonly intervalMs: () => number,
  ) {
    this.entries = readQueue(state.get(STATE_KEY));
    this.item.name = t('GPU Containers: queued launches');
    this.item.command = `${Views.containers}.focus`;
  }

  /**
   * Starts watching once the services exist. `launch` runs a queued launch with services scoped to its host
   * (extension.ts hands in the launch command's code, loaded on first use: this module imports no command).
   */
  attach(s: Services, launch: (scoped: Services, q: QueuedLaunch) => Promise<unknown>): void {
    this.services = s;
    this.launch = launch;
    this.subs.push(this.hosts.onDidChange(() => this.watch()));
    this.watch();
  }

  get list(): readonly QueuedLaunch[] {
    return this.entries;
  }

  rows(): QueuedRow[] {
    return this.entries.map((queuedLaunch) => ({ queuedLaunch }));
  }

  text(q: QueuedLaunch): string {
    return queuedText(q, t);
  }

  async add(entry: Omit<QueuedLaunch, 'id' | 'queuedAt'>): Promise<void> {
    await this.save(enqueue(this.entries, { ...entry, queuedAt: Date.now() }));
    this.services?.logger.info(`queue: ${entry.profile} waits for ${entry.need.count} free GPU(s)`);
  }

  async cancel(id: string): Promise<void> {
    await this.save(dequeue(this.entries, id));
  }

  private async save(next: QueuedLaunch[]): Promise<void> {
    this.entries = next;
    await this.state.update(STATE_KEY, next);
    this.watch();
    this.emitter.fire();
  }

  /** Subscribed to every host's GPU rows and polling only while something is queued. */
  private watch(): void {
    for (const d of this.rowSubs.splice(0)) d.dispose();
    this.updateItem();
    if (this.entries.length === 0 || !this.services) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    for (const h of this.hosts.list) this.rowSubs.push(h.gpus.onDidChangeRows(() => void this.check()));
    // The poll keeps its rhythm (host changes come often; they only re-check what is known).
    this.timer ??= setInterval(() => void this.poll(), Math.max(1000, this.intervalMs()));
    void this.check();
  }

  private async poll(): Promise<void> {
    await Promise.allSettled(this.hosts.list.map((h) => h.gpus.fresh()));
    await this.check();
  }

  /** Launch the oldest queued request that fits on some host now (one at a time). */
  private async check(): Promise<void> {
    const s = this.services;
    if (this.checking || !s || this.entries.length === 0) return;
    this.checking = true;
    try {
      const hosts = this.hosts.list
        .filter((h) => this.hosts.status(h).state.kind === 'ok' || !this.hosts.multiple)
        .map((h) => ({ name: h.name, rows: h.gpus.rows(), topology: h.gpus.current.topology, host: h }));
      const next = nextToLaunch(this.entries, hosts);
      if (!next) return;
      const host = hosts.find((h) => h.name === next.host)!.host;
      await this.save(dequeue(this.entries, next.entry.id));
      s.logger.info(`queue: launching ${next.entry.profile} on ${next.host}`);
      await this.launch?.(this.hosts.scope(s, host), next.entry);
    } finally {
      this.checking = false;
    }
  }

  private updateItem(): void {
    const n = this.entries.length;
    if (n === 0) {
      this.item.hide();
      return;
    }
    this.item.text = n === 1 ? `$(watch) ${this.text(this.entries[0])}` : `$(watch) ${t('{0} launches queued', n)}`;
    this.item.tooltip = this.entries.map((q) => this.text(q)).join('\n');
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of [...this.subs, ...this.rowSubs]) d.dispose();
    this.item.dispose();
    this.emitter.dispose();
  }
}
