import * as vscode from 'vscode';
import type { Config } from './config';
import {
  attachArgs,
  DETACH_KEYS_LABEL,
  execArgs,
  logsArgs,
  ProbedShells,
  SHELL_CANDIDATES,
  sshTerminalArgv,
} from './core/terminalArgs';
import type { ContainerSummary } from './core/docker';
import { sshHostOf, sshMasters } from './core/docker/sshMaster';
import { remoteCli } from './core/podman/podmanEndpoint';
import { numberedName } from './core/tree/format';
import { kubectlAttachArgs, kubectlExecArgs, kubectlLogsArgs, kubectlPortForwardArgs } from './core/kube/kubectlArgs';
import type { EngineService } from './hosts/engineService';

const t = vscode.l10n.t;

/**
 * Integrated terminals whose process is the docker CLI (or podman/nerdctl, `gpuContainers.dockerPath`),
 * started with an argv — `createTerminal({ shellPath, shellArgs })` — and the same endpoint as the tree
 * (`DOCKER_HOST` / `DOCKER_CONTEXT` from the endpoint resolution). On an ssh:// host the process is `ssh`
 * on the extension's login to that host, running `docker …` there: no new login per terminal.
 */
export class Terminals implements vscode.Disposable {
  /** Terminals by container id, so stopping or removing a container can close them quietly first. */
  private readonly byContainer = new Map<string, Set<vscode.Terminal>>();
  private readonly sub: vscode.Disposable;
  private readonly shells = new ProbedShells();

  constructor(
    private readonly config: Config,
    private readonly engines: EngineService,
  ) {
    this.sub = vscode.window.onDidCloseTerminal((term) => {
      for (const set of this.byContainer.values()) set.delete(term);
    });
  }

  private track(id: string, terminal: vscode.Terminal): vscode.Terminal {
    let set = this.byContainer.get(id);
    if (!set) this.byContainer.set(id, (set = new Set()));
    set.add(terminal);
    terminal.show();
    return terminal;
  }

  /**
   * Closes our terminals into these containers (before the user's Stop / Restart / Remove), so VS Code does
   * not report their `docker exec` ending with exit code 137 as an error.
   */
  closeFor(ids: readonly string[]): void {
    for (const id of ids) {
      for (const term of this.byContainer.get(id) ?? []) term.dispose();
      this.byContainer.delete(id);
    }
  }

  dispose(): void {
    this.sub.dispose();
  }

  private env(): Record<string, string> {
    return { ...this.engines.endpoint.terminalEnv };
  }

  /** The process of a terminal running `docker ...args` against the tree's engine: argv, never a shell string. */
  private async process(
    args: string[],
  ): Promise<{ shellPath: string; shellArgs: string[]; env?: Record<string, string> }> {
    const ep = this.engines.endpoint;
    // A Kubernetes host: the args are kubectl's own (kubectlArgs.ts), with the host's context and namespace.
    if (ep.kind === 'kubernetes') return { shellPath: this.config.kubectlPath(), shellArgs: args, env: this.env() };
    if (ep.kind === 'ssh') {
      const host = sshHostOf(ep.host);
      const controlPath = await sshMasters.ensure(host).catch(() => undefined);
      return { shellPath: 'ssh', shellArgs: sshTerminalArgv(host, controlPath, args, remoteCli(ep)) };
    }
    // A Podman endpoint names its CLI (`podman`, with CONTAINER_HOST in its env).
    return { shellPath: ep.cli ?? this.config.dockerPath(), shellArgs: args, env: this.env() };
  }

  /** One terminal whose process is `<dockerPath> ...args`, talking to the tree's engine. */
  private async open(
    c: Pick<ContainerSummary, 'id'>,
    name: string,
    args: string[],
    icon: string,
    message?: string,
  ): Promise<vscode.Terminal> {
    const terminal = vscode.window.createTerminal({
      name: numberedName(
        name,
        vscode.window.terminals.map((x) => x.name),
      ),
      ...(await this.process(args)),
      iconPath: new vscode.ThemeIcon(icon),
      message,
    });
    return this.track(c.id, terminal);
  }

  /** `docker exec -it` into a running container, with the shell probed (bash → sh) unless configured. */
  async exec(
    c: Pick<ContainerSummary, 'id' | 'name'> & Partial<Pick<ContainerSummary, 'imageId'>>,
    opts: { user?: string; workdir?: string } = {},
  ): Promise<vscode.Terminal> {
    const ep = this.engines.endpoint;
    if (ep.kind === 'kubernetes')
      return this.open(c, c.name, kubectlExecArgs(ep, c.id, this.config.shell()), 'vm-connect');
    // The probe (bash, else sh) is asked once per image on this host.
    const shell =
      this.config.shell() ??
      (await this.shells.shellFor(c.imageId, () => this.engines.engine.probeShell(c.id, SHELL_CANDIDATES))) ??
      'sh';
    return this.open(
      c,
      c.name,
      execArgs({ containerId: c.id, shell, user: opts.user, workdir: opts.workdir }),
      'vm-connect',
    );
  }

  attach(c: Pick<ContainerSummary, 'id' | 'name'>): Promise<vscode.Terminal> {
    const hint = t(
      'Attached to the main process of {0}. Detach with {1} (not Ctrl+P Ctrl+Q: VS Code takes Ctrl+P); Ctrl+C or exit stops the container.',
      c.name,
      DETACH_KEYS_LABEL,
    );
    const ep = this.engines.endpoint;
    const args = ep.kind === 'kubernetes' ? kubectlAttachArgs(ep, c.id) : attachArgs(c.id);
    return this.open(c, t('{0} (main process)', c.name), args, 'plug', hint);
  }

  logs(c: Pick<ContainerSummary, 'id' | 'name'>): Promise<vscode.Terminal> {
    const ep = this.engines.endpoint;
    const args = ep.kind === 'kubernetes' ? kubectlLogsArgs(ep, c.id) : logsArgs(c.id);
    return this.open(c, t('{0} (logs)', c.name), args, 'output');
  }

  /** `kubectl port-forward` to a pod's ports, on the local ports the profile published them on (Kubernetes hosts). */
  portForward(
    c: Pick<ContainerSummary, 'id' | 'name'>,
    ports: ReadonlyArray<{ containerPort: number; localPort: number }>,
  ): Promise<vscode.Terminal> {
    const args = kubectlPortForwardArgs(this.engines.endpoint, c.id, ports);
    return this.open(c, t('{0} (port-forward)', c.name), args, 'plug');
  }
}
