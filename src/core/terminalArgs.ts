/**
 * argv arrays for the docker CLI processes that VS Code terminals run. Never shell strings: each
 * argument reaches the CLI as it is, whatever quotes or spaces a name, user or path contains.
 */
import { controlClientOptions, type SshHost } from './docker/sshMaster';
import { shellQuote } from './hosts/ssh';

export interface ExecTarget {
  containerId: string;
  shell: string;
  user?: string;
  workdir?: string;
}

/** `docker exec -it [-u USER] [-w DIR] <id> <shell>` */
export function execArgs(t: ExecTarget): string[] {
  const args = ['exec', '-it'];
  if (t.user) args.push('-u', t.user);
  if (t.workdir) args.push('-w', t.workdir);
  args.push(t.containerId, t.shell);
  return args;
}

/**
 * Docker's default detach keys, Ctrl+P Ctrl+Q, never reach an attached process in VS Code: Ctrl+P opens
 * Quick Open. Ctrl+] then Q is bound to nothing in VS Code's terminal (nor in the shells people run).
 */
export const DETACH_KEYS = 'ctrl-],q';
/** The same sequence in words, for the terminal's hint. */
export const DETACH_KEYS_LABEL = 'Ctrl+] Q';

/** `docker attach --detach-keys ctrl-],q <id>` — the main process's stdio; Ctrl+] Q detaches without stopping it. */
export function attachArgs(containerId: string): string[] {
  return ['attach', '--detach-keys', DETACH_KEYS, containerId];
}

/** `docker logs -f --tail N <id>` */
export function logsArgs(containerId: string, tail = 500): string[] {
  return ['logs', '-f', '--tail', String(tail), containerId];
}

/** The shells tried, in order, when `gpuContainers.shell` is not set. */
export const SHELL_CANDIDATES = ['bash', 'sh'];

/**
 * `ssh … -t <host> -- docker <args>` (argv after `ssh`; `cli` is `podman …` on a Podman host, see `remoteCli`) for a terminal on an ssh:// host: a channel on the
 * extension's login to the host (`controlPath`, see core/docker/sshMaster.ts), so opening it logs in nowhere.
 * ssh joins the words after the host with spaces and the remote shell parses them again: each word is quoted
 * for that shell here, so a name, user, path or shell with quotes, `$()`, `;` or spaces stays one word.
 * `-e none`: no ssh escape character, every key reaches the container.
 */
export function sshTerminalArgv(
  host: SshHost,
  controlPath: string | undefined,
  dockerArgs: string[],
  cli: string[] = ['docker'],
): string[] {
  const argv = controlPath ? controlClientOptions(controlPath) : [];
  argv.push('-e', 'none', '-t');
  if (host.port !== undefined) argv.push('-p', String(host.port));
  argv.push('--', host.destination, ...[...cli, ...dockerArgs].map(shellQuote));
  return argv;
}

/**
 * The shell each image was found to have (bash, else sh), asked once per image: a second terminal into a
 * container of the same image starts without a probe. One per host (images differ between hosts).
 */
export class ProbedShells {
  private readonly byImage = new Map<string, string>();

  async shellFor(imageId: string | undefined, probe: () => Promise<string | undefined>): Promise<string | undefined> {
    const known = imageId ? this.byImage.get(imageId) : undefined;
    if (known) return known;
    const shell = await probe();
    if (shell && imageId) this.byImage.set(imageId, shell);
    return shell;
  }
}
