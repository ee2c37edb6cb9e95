import os from 'node:os';
import * as vscode from 'vscode';
import type { Handler } from './commands';
import { Config } from './config';
import { Commands, type CommandId } from './constants';
import { configureL10n } from './core/l10n';
import { GpuView } from './tree/gpuView';
import { HostsService } from './hosts/hostsService';
import { INSPECT_SCHEME, InspectProvider } from './inspect';
import { createLogger } from './log';
import { markOnce } from './core/perfMarks';
import type { Services, UserInfo } from './services';
import { StatusBar } from './statusBar';
import { watchRefusedProfiles } from './tree/trustNotice';
import { ContainersTree } from './tree/views';
import { ImagesTree } from './tree/imagesView';
import { safeUi, windowUi } from './ui';
import { GpuQueue } from './gpuQueue';
import { LeaseWatch } from './leaseWatch';
import { IdleWatches } from './idleWatch';

/** What activate() returns: the services, for extension-host tests and other extensions. */
export interface Api {
  services: Services;
  commandIds: string[];
  /** How long activate() itself took (ms), for the bench's activation split. */
  activateMs: number;
}

function currentUser(): UserInfo {
  const info = os.userInfo();
  return { name: process.env.USER || info.username, uid: info.uid, gid: info.gid, home: info.homedir };
}

/**
 * Every command is registered at activation and its implementation loaded on first use, so the command
 * modules (and yaml, shell-quote…) are not evaluated before the first tree row (issue 17). esbuild keeps
 * a dynamically imported module of the bundle lazy.
 */
function registerCommandsLazily(s: Services): vscode.Disposable[] {
  let table: Promise<{ run: typeof import('./commands').runCommand; handlers: Record<CommandId, Handler> }>;
  const load = (): typeof table =>
    (table ??= import('./commands').then((m) => ({ run: m.runCommand, handlers: m.commandTable() })));
  return Object.values(Commands).map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      const { run, handlers } = await load();
      // Each command acts on its node's host (services scoped to it); see HostsService.dispatch.
      return run(s, id, () => s.hosts.dispatch(s, id, args, (scoped, a) => handlers[id](scoped, ...a)));
    }),
  );
}

export function activate(context: vscode.ExtensionContext): Api {
  const started = performance.now();
  markOnce('activate');
  configureL10n(vscode.l10n.bundle);
  const output = vscode.window.createOutputChannel('GPU Containers', { log: true });
  const logger = createLogger(output);
  const config = new Config();
  // Every host, the first included, is one Host (src/hosts/host.ts); the views render them all.
  const gpuView = new GpuView();
  const hosts = new HostsService(config, logger, gpuView.view);
  const { engines, refresh, terminals, gpus } = hosts.primary;
  const containersTree = new ContainersTree(refresh, context.workspaceState, currentUser().name);
  const imagesTree = new ImagesTree(refresh, context.workspaceState);
  gpuView.attachHosts(hosts);
  containersTree.attachHosts(hosts);
  imagesTree.attachHosts(hosts);
  const gpuQueue = new GpuQueue(context.workspaceState, hosts, () => config.gpuRefreshIntervalMs());
  const leases = new LeaseWatch(context.globalState, hosts);
  gpuView.leaseExtensions = () => leases.extensions();
  containersTree.attachQueue(gpuQueue);
  let ui = safeUi(windowUi);
  const services: Services = {
    context,
    output,
    logger,
    config,
    engines,
    refresh,
    contextKeys: refresh.contextKeys,
    containersTree,
    imagesTree,
    gpus,
    gpuView,
    terminals,
    hosts,
    // Tests may swap the Ui; whatever is assigned still gets redaction and inert links.
    get ui() {
      return ui;
    },
    set ui(next) {
      ui = safeUi(next);
    },
    user: currentUser(),
    gpuQueue,
    leases,
  };
  gpuQueue.attach(services, async (scoped, q) => {
    const [{ launchQueued }, { runCommand }] = await Promise.all([
      import('./commands/launchCommands'),
      import('./commands'),
    ]);
    await runCommand(scoped, Commands.launch, () => launchQueued(scoped, q));
  });
  leases.attach(services);
  // Each host's idle policies on its own readings and containers, through its own engine.
  const idleWatches = new IdleWatches(hosts, services);
  leases.onDidChange(() => {
    for (const h of hosts.list) h.gpus.rerender();
  });
  context.subscriptions.push(
    output,
    config,
    containersTree,
    imagesTree,
    gpuView,
    hosts,
    gpuQueue,
    leases,
    idleWatches,
    new StatusBar(refresh, engines, hosts),
    watchRefusedProfiles(config, containersTree),
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectProvider(hosts)),
    ...registerCommandsLazily(services),
  );
  markOnce('activated');
  logger.info(`GPU Containers activated (VS Code ${vscode.version}, user ${services.user.name})`);
  return { services, commandIds: Object.values(Commands), activateMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
