/**
 * The owner's side of GPU leases (core/gpu/lease.ts): 15 minutes before one of the user's own containers'
 * lease ends, a notification with Extend / Stop. Extend keeps the later end in globalState (Docker cannot
 * relabel a container, and recreating it would kill its work), so only this user's windows see it; Stop stops
 * the container, and only one that is the user's by its owner label.
 */
import * as vscode from 'vscode';
import {
  clockTime,
  extendedLease,
  holdText,
  leaseOf,
  leasesToWarn,
  readExtensions,
  writeExtensions,
  type Lease,
} from './core/gpu/lease';
import { formatAge } from './core/tree/format';
import { ownership } from './core/ownership';
import type { Host } from './hosts/host';
import type { HostsService } from './hosts/hostsService';
import type { Services } from './services';

const t = (message: string, ...args: Array<string | number | boolean>): string => vscode.l10n.t(message, ...args);

const STATE_KEY = 'gpuContainers.leaseExtensions';
const CHECK_MS = 60_000;

export class LeaseWatch implements vscode.Disposable {
  private readonly warned = new Set<string>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  /** An extension changed (the GPUs view re-renders its holder rows). */
  readonly onDidChange = this.emitter.event;
  private timer: ReturnType<typeof setInterval> | undefined;
  private services: Services | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly hosts: HostsService,
    /** The clock (tests of core use a fake one; the glue reads the real time). */
    private readonly now: () => number = Date.now,
  ) {}

  attach(s: Services): void {
    this.services = s;
    this.subs.push(this.hosts.onDidChange(() => this.check()));
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.check();
  }

  /** The user's extensions: container id → when the lease now ends (ms). */
  extensions(): Record<string, number> {
    return readExtensions(this.state.get(STATE_KEY));
  }

  /** The user's own running containers with a lease, on every host. */
  private ownLeases(): Array<{ id: string; lease: Lease; name: string; host: Host }> {
    const s = this.services;
    if (!s) return [];
    const ext = this.extensions();
    return this.hosts.list.flatMap((host) =>
      host.refresh.containers
        .all()
        .filter((c) => (c.state === 'running' || c.state === 'paused') && ownership(c, s.user.name) === 'mine')
        .flatMap((c) => {
          const lease = leaseOf(c.labels, ext[c.id]);
          return lease ? [{ id: c.id, lease, name: c.name, host }] : [];
        }),
    );
  }

  check(): void {
    const now = this.now();
    const own = this.ownLeases();
    for (const due of leasesToWarn(own, now, this.warned)) {
      this.warned.add(due.key);
      const found = own.find((o) => o.id === due.id)!;
      void this.warn(found, now);
    }
  }

  private async warn(o: { id: string; lease: Lease; name: string; host: Host }, now: number): Promise<void> {
    const s = this.services!;
    const hold = o.lease.holdMs;
    const extend = hold ? t('Extend by {0}', holdText(hold)) : undefined;
    const stop = t('Stop');
    const message =
      now >= o.lease.until
        ? t(
            'The GPU lease of {0} ended {1}. Others see it as expired; it keeps its GPUs until stopped.',
            o.name,
            formatAge(o.lease.until, now, t),
          )
        : t('The GPU lease of {0} ends at {1}.', o.name, clockTime(o.lease.until, now));
    const a = await s.ui.ask('leaseEnding', 'warning', message, {}, ...(extend ? [extend] : []), stop);
    if (a === extend && hold) {
      const ext = this.extensions();
      ext[o.id] = extendedLease(o.lease, hold, this.now());
      await this.state.update(STATE_KEY, writeExtensions(ext));
      s.logger.info(`lease: ${o.name} extended until ${new Date(ext[o.id]).toISOString()}`);
      this.emitter.fire();
    } else if (a === stop) {
      // Only the user's own container, re-checked now (its owner label), is ever stopped.
      const c = o.host.refresh.containers.all().find((x) => x.id === o.id);
      if (!c || ownership(c, s.user.name) !== 'mine') return;
      await o.host.engines.engine.stopContainer(o.id);
      await o.host.refresh.refreshContainer(o.id);
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.subs) d.dispose();
    this.emitter.dispose();
  }
}
