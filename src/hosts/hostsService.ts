import os from 'node:os';
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { EndpointInputs } from '../core/docker';
import { pathExists, readTextFile } from '../core/files';
import {
  formatHostsProblem,
  hostsChange,
  hostsFromInspect,
  hostsReadKey,
  OPEN_REMOTE_SETTINGS_COMMAND,
  remoteHostsHint,
  resolveHosts,
  type HostGpuCount,
  type HostsProblem,
  type HostsRead,
  type HostStatus,
  type ResolvedHost,
} from '../core/hosts';
import type { Logger } from '../core/logger';
import { createHostParts, type Host, type HostDeps, type HostParts } from './host';
import type { GpuViewVisibility } from './hostGpus';
import { dispatchOnHost, pickHost } from './hostsDispatch';
import type { Services } from '../services';
import { safeText } from '../ui';
import { isHostNode } from '../core/hosts/hostNode';

const t = vscode.l10n.t;

/** The hosts of `gpuContainers.hosts` (user settings only), resolved; none configured → the one endpoint of today. */
export function configuredHosts(
  config: Config,
  inputs?: EndpointInputs,
): { hosts: ResolvedHost[]; problems: HostsProblem[] } {
  const parsed = hostsFromInspect(config.hostsInspected());
  const hosts = resolveHosts(
    parsed.hosts,
    inputs ?? {
      hostSetting: config.host(),
      env: process.env,
      homedir: os.homedir(),
      readFile: readTextFile,
      exists: pathExists,
    },
  );
  return { hosts, problems: parsed.problems };
}

/**
 * The hosts side by side, each one `Host` built by `createHostParts` (the first as any other: its own Engine,
 * refresh controller, terminals and GPUs). The first host's parts live as long as the window (its engine
 * re-resolves on a settings change); the others are rebuilt when `gpuContainers.hosts` changes.
 * Tree nodes remember their host (`of`), and commands run with services scoped to it (`dispatch`), so every
 * action — terminals, logs, inspect, lifecycle, images, save/load — acts on the node's own host.
 */
export class HostsService implements vscode.Disposable {
  private hosts: Host[] = [];
  private readonly nodes = new WeakMap<object, Host>();
  private readonly scoped = new WeakMap<object, Host>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The host list changed, or a host's state, containers, images or GPUs did. */
  readonly onDidChange = this.emitter.event;
  private readonly visible = new Set<string>();
  private extraSubs: vscode.Disposable[] = [];
  private readonly subs: vscode.Disposable[] = [];
  private lastProblems = '';
  private lastRead: HostsRead | undefined;
  /** The remote-window hint last shown (once per window), for tests. */
  remoteHint: string | undefined;

  private readonly deps: HostDeps;
  /** The first host's parts: built once, kept across settings changes. */
  private readonly first: HostParts;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    /** The GPUs view's visibility: every host reads its GPUs while it is visible. */
    gpuView: GpuViewVisibility,
    /** `vscode.env.remoteName` (tests may say another). */
    private readonly remoteName: () => string | undefined = () => vscode.env.remoteName,
  ) {
    this.deps = { config, logger, gpuView };
    this.first = createHostParts(() => this.hosts[0]?.name ?? '', this.deps, HostsService.firstEndpoint(config), {
      first: true,
      contact: true,
    });
    const fire = () => this.emitter.fire();
    this.subs.push(
      this.emitter,
      this.first.engines,
      this.first.refresh,
      this.first.terminals,
      this.first.gpus,
      this.first.refresh.onDidChangeState(fire),
      this.first.refresh.onDidChangeContainers(fire),
      this.first.gpus.onDidChangeRows(fire),
    );
    this.rebuild();
    this.subs.push(
      config.onDidChange((e) => {
        if (e.affectsConfiguration('gpuContainers.hosts') || e.affectsConfiguration('gpuContainers.host'))
          this.rebuild();
      }),
    );
  }

  /** The endpoint of the first host, for the extension's own EngineService. */
  static firstEndpoint(config: Config): (inputs: EndpointInputs) => ReturnType<typeof resolveHosts>[0] {
    return (inputs) => configuredHosts(config, inputs).hosts[0];
  }

  get list(): readonly Host[] {
    return this.hosts;
  }
  get multiple(): boolean {
    return this.hosts.length > 1;
  }
  get primary(): Host {
    return this.hosts[0];
  }

  byName(name: string): Host | undefined {
    const n = name.trim().toLowerCase();
    return this.hosts.find((h) => h.name.toLowerCase() === n);
  }

  private rebuild(): void {
    const { hosts, problems } = configuredHosts(this.config);
    this.report(problems);
    const read: HostsRead = {
      key: hostsReadKey(hosts),
      configured: hosts.filter((h) => !h.implicit).length,
      trusted: vscode.workspace.isTrusted,
    };
    const remoteName = this.remoteName();
    const change = hostsChange(this.lastRead, read, remoteName !== undefined);
    if (change.kind === 'same') return;
    if (change.kind === 'keep') {
      // A trust change cannot change a user setting: VS Code re-read its settings and lost ours (a remote window
      // ignores the local User value). Keep the hosts, and say where the setting must go.
      this.logger.warn(
        `gpuContainers.hosts read empty after a Workspace Trust change; keeping ${this.hosts.length} hosts`,
      );
      this.lastRead = { ...this.lastRead!, trusted: read.trusted };
      if (remoteName !== undefined) this.hintRemote(remoteName);
      return;
    }
    this.lastRead = read;
    if (change.vanishedInRemote && remoteName !== undefined) this.hintRemote(remoteName);
    for (const d of this.extraSubs) d.dispose();
    this.extraSubs = [];
    const [head, ...rest] = hosts;
    this.hosts = [
      { name: head.name, resolved: head, primary: true, ...this.first, node: { hostNode: true, name: head.name } },
      ...rest.map((r) => this.createHost(r)),
    ];
    this.first.refresh.setHostCapabilities(() => this.hosts.map((h) => h.engines.engine.capabilities));
    for (const h of this.hosts) {
      this.logger.info(
        `Docker host ${h.name}: ${h.resolved.endpoint.host}${h.resolved.error ? ` (${h.resolved.error.message})` : ''}`,
      );
    }
    this.emitter.fire();
  }

  /** Once per window: where `gpuContainers.hosts` must go in a remote window, with a button that opens it. */
  private hintRemote(remoteName: string): void {
    if (this.remoteHint !== undefined) return;
    const hint = remoteHostsHint(remoteName);
    this.remoteHint = hint;
    this.logger.warn(hint);
    const open = t('Open Remote Settings (JSON)');
    void vscode.window
      .showWarningMessage(safeText(hint), open)
      .then((a) => a === open && vscode.commands.executeCommand(OPEN_REMOTE_SETTINGS_COMMAND));
  }

  private report(problems: HostsProblem[]): void {
    const lines = problems.map(formatHostsProblem);
    for (const l of lines) this.logger.warn(l);
    const key = lines.join('\n');
    if (!key || key === this.lastProblems) return;
    this.lastProblems = key;
    const open = t('Open Settings');
    void vscode.window
      .showWarningMessage(safeText(t('gpuContainers.hosts has problems: {0}', lines[0])), open)
      .then(
        (a) => a === open && vscode.commands.executeCommand('workbench.action.openSettings', 'gpuContainers.hosts'),
      );
  }

  private createHost(r: ResolvedHost): Host {
    const parts = createHostParts(
      () => r.name,
      this.deps,
      () => r,
      { first: false, contact: !r.error },
    );
    const { engines, refresh, terminals, gpus } = parts;
    const fire = () => this.emitter.fire();
    this.extraSubs.push(
      engines,
      refresh,
      terminals,
      gpus,
      refresh.onDidChangeState(fire),
      refresh.onDidChangeContainers(fire),
      refresh.onDidChangeImages(fire),
      gpus.onDidChangeRows(fire),
    );
    // A host with a configuration error (unknown context) is shown unreachable and never contacted.
    if (!r.error) {
      for (const v of this.visible) refresh.setVisible(v, true);
      if (this.visible.size === 0) void refresh.refreshAll();
      void gpus.refresh();
    }
    return { name: r.name, resolved: r, primary: false, ...parts, node: { hostNode: true, name: r.name } };
  }

  /** Views report visibility; the first host's refresh is told by the views themselves. */
  setVisible(viewId: string, visible: boolean): void {
    if (visible) this.visible.add(viewId);
    else this.visible.delete(viewId);
    for (const h of this.hosts) if (!h.primary && !h.resolved.error) h.refresh.setVisible(viewId, visible);
  }

  /** The hosts other than the first refresh while this view is visible (the first host is told by the view). */
  followView(
    viewId: string,
    view: { visible: boolean; onDidChangeVisibility: vscode.Event<{ visible: boolean }> },
  ): vscode.Disposable {
    this.setVisible(viewId, view.visible);
    return view.onDidChangeVisibility((e) => this.setVisible(viewId, e.visible));
  }

  /** Remembers which host these tree elements belong to; returns them. */
  mark<A extends readonly unknown[]>(host: Host, items: A): A {
    for (const item of items) if (typeof item === 'object' && item !== null) this.nodes.set(item, host);
    return items;
  }

  /** The host of a tree element (a host node, or an element `mark`ed for it); the first host otherwise. */
  of(node: unknown): Host {
    if (isHostNode(node)) return this.byName(node.name) ?? this.primary;
    if (typeof node === 'object' && node !== null) return this.nodes.get(node) ?? this.primary;
    return this.primary;
  }

  /** The host of a tree element, when known (a host node or a `mark`ed element). */
  find(node: unknown): Host | undefined {
    if (isHostNode(node)) return this.byName(node.name);
    return typeof node === 'object' && node !== null ? this.nodes.get(node) : undefined;
  }

  /** The host a services object was scoped to by `scope`, if any. */
  scopedHost(s: Services): Host | undefined {
    return this.scoped.get(s);
  }

  /**
   * Services whose engine, refresh, terminals and GPUs are this host's. The views are shared: commands pass
   * `s.refresh` to what they read from them (pickers, reveal), so they read this host's rows. `ui` is the root's
   * (read and set through it), so a scoped object kept for long never talks to a replaced Ui.
   */
  scope(s: Services, host: Host): Services {
    if (host.primary && !this.multiple) return s;
    const scoped: Services = {
      ...s,
      engines: host.engines,
      refresh: host.refresh,
      terminals: host.terminals,
      gpus: host.gpus,
    };
    // `{...s}` copied the Ui of this moment: the Ui is the root's, always (tests and long-lived watchers).
    Object.defineProperty(scoped, 'ui', {
      get: () => s.ui,
      set: (next: Services['ui']) => {
        s.ui = next;
      },
      enumerable: true,
      configurable: true,
    });
    this.scoped.set(scoped, host);
    return scoped;
  }

  /** What a host node says, and the GPU counts for the status bar. */
  status(host: Host): HostStatus {
    const gpus = this.gpuCount(host);
    const base = { name: host.name, ...(gpus ? { gpus } : {}) };
    if (host.resolved.error)
      return {
        ...base,
        state: { kind: 'unreachable', reason: host.resolved.error.message, fix: host.resolved.error.fix },
      };
    const state = host.refresh.state;
    if (state === 'ok') return { ...base, state: { kind: 'ok' } };
    if (state === 'unknown') return { ...base, state: { kind: 'connecting' } };
    const e = host.refresh.lastError;
    return { ...base, state: { kind: 'unreachable', reason: e?.message ?? state, fix: e?.fix } };
  }

  private gpuCount(host: Host): HostGpuCount | undefined {
    const rows = host.gpus.rows();
    if (rows.length > 0) return { free: rows.filter((r) => r.free).length, total: rows.length };
    const snap = host.gpus.current;
    return snap.source !== 'none' && !snap.unavailable ? { free: 0, total: 0 } : undefined;
  }

  /** Asks which host (palette commands with several hosts). */
  pick(s: Services, placeHolder?: string): Promise<Host | undefined> {
    return pickHost(this, s, placeHolder);
  }

  /** Runs a command handler on the right host (see dispatchOnHost). */
  dispatch(
    s: Services,
    id: string,
    args: unknown[],
    call: (s: Services, args: unknown[]) => unknown,
  ): Promise<unknown> {
    return dispatchOnHost(this, s, id, args, call);
  }

  /** Refreshes every host in parallel (each host's rows appear as soon as that host answers). */
  async refreshAll(): Promise<void> {
    await Promise.allSettled(this.hosts.map((h) => Promise.all([h.refresh.refreshAll(), h.gpus.refresh()])));
  }

  dispose(): void {
    for (const d of this.extraSubs) d.dispose();
    for (const d of this.subs) d.dispose();
  }
}
