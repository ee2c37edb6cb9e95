/**
 * argv arrays for the docker CLI processes that VS Code terminals run. Never shell strings: each
 * argument reaches the CLI as it is, whatever quotes or spaces a name, user or path contains.
 */

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
