/**
 * Launch preflight for paths on a remote host. Bind-mount sources are paths on the ENGINE's machine: a
 * `${workspaceFolder}:/workspace` volume resolves to this machine's folder, and on a remote host Docker would
 * mount whatever is at that path there — usually nothing, created empty and owned by root. This flags such
 * mounts with the fix instead. Pure: whether a path exists on the host is asked by the caller
 * (`remoteExistsArgv` over ssh) and handed in.
 */
import { t } from '../l10n';
import type { SshTarget } from './hostsSetting';
import { sshArgv, type SshOptions } from './ssh';

export interface BindSource {
  /** Absolute host path. */
  source: string;
  target: string;
}

export interface HostPathProblem extends BindSource {
  severity: 'error' | 'warning';
  message: string;
  fix: string;
}

/** The subset of container create options read here. */
export interface BindsOf {
  HostConfig?: { Binds?: string[]; Mounts?: unknown };
}

/**
 * Host paths the container would mount: `HostConfig.Binds` entries whose source is an absolute path (named
 * volumes are the engine's own) and `HostConfig.Mounts` of type bind.
 */
export function bindSources(options: BindsOf | undefined): BindSource[] {
  const out: BindSource[] = [];
  const hc = options?.HostConfig;
  for (const b of Array.isArray(hc?.Binds) ? hc.Binds : []) {
    if (typeof b !== 'string' || !b.startsWith('/')) continue;
    const [source, target = ''] = b.split(':');
    out.push({ source, target });
  }
  for (const m of Array.isArray(hc?.Mounts) ? (hc.Mounts as unknown[]) : []) {
    const mount = m as { Type?: unknown; Source?: unknown; Target?: unknown } | null;
    if (mount?.Type !== 'bind' || typeof mount.Source !== 'string' || !mount.Source.startsWith('/')) continue;
    out.push({ source: mount.Source, target: typeof mount.Target === 'string' ? mount.Target : '' });
  }
  return out;
}

function under(path: string, root: string): boolean {
  const r = root.replace(/\/+$/, '');
  return r !== '' && (path === r || path.startsWith(`${r}/`));
}

export interface HostPathInput {
  hostName: string;
  /** The engine runs on this machine (same file system): nothing to check. */
  local: boolean;
  binds: BindSource[];
  /** This machine's workspace folders (what `${workspaceFolder}` resolved to). */
  workspaceFolders: string[];
  /** Whether the path exists on the host: undefined when that could not be checked. */
  exists?: (path: string) => boolean | undefined;
}

/**
 * Problems of bind sources on a remote host. A path known to exist there is fine (a shared home or NFS
 * mount); a path known to be missing is an error; a local workspace folder that could not be checked
 * (a tcp:// host) is a warning. Empty for a local host.
 */
export function remotePathProblems(input: HostPathInput): HostPathProblem[] {
  if (input.local) return [];
  const host = input.hostName;
  const problems: HostPathProblem[] = [];
  const seen = new Set<string>();
  for (const b of input.binds) {
    if (seen.has(b.source)) continue;
    seen.add(b.source);
    const exists = input.exists?.(b.source);
    if (exists === true) continue;
    const workspace = input.workspaceFolders.some((root) => under(b.source, root));
    const fix = workspace
      ? t(
          'Use a path that exists on {0} (clone or copy the project there and mount that path), or launch on this machine.',
          host,
        )
      : t('Use a path that exists on {0}, or create it there first.', host);
    if (exists === false) {
      problems.push({
        ...b,
        severity: 'error',
        message: workspace
          ? t(
              '{0} is your workspace folder on this machine; it does not exist on {1}, so {2} would be an empty folder.',
              b.source,
              host,
              b.target,
            )
          : t('{0} does not exist on {1}, so {2} would be an empty folder.', b.source, host, b.target),
        fix,
      });
    } else if (workspace) {
      problems.push({
        ...b,
        severity: 'warning',
        message: t(
          '{0} is your workspace folder on this machine; {1} is remote, so {2} shows what is at that path on {1}, if anything.',
          b.source,
          host,
          b.target,
        ),
        fix,
      });
    }
  }
  return problems;
}

/**
 * `ssh … <host> -- sh -c '…' sh <paths…>`: prints one `1` or `0` line per path, in order (see
 * `parseExistsOutput`). One round trip for all of a profile's mounts.
 */
export function remoteExistsArgv(target: SshTarget, paths: string[], options: SshOptions = {}): string[] {
  const script = 'for p in "$@"; do if [ -e "$p" ]; then echo 1; else echo 0; fi; done';
  return sshArgv(target, ['sh', '-c', script, 'sh', ...paths], options);
}

/** Path → exists, from `remoteExistsArgv`'s output; empty (all unknown) when the output does not match. */
export function parseExistsOutput(stdout: unknown, paths: string[]): Map<string, boolean> {
  const result = new Map<string, boolean>();
  if (typeof stdout !== 'string') return result;
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length !== paths.length || lines.some((l) => l !== '0' && l !== '1')) return result;
  paths.forEach((p, i) => result.set(p, lines[i] === '1'));
  return result;
}

/** Whether a Docker address reaches an engine on this machine (same file system). */
export function isLocalAddress(address: string | undefined): boolean {
  if (!address) return true;
  if (/^(unix|npipe):\/\//i.test(address) || address.startsWith('/')) return true;
  const m = /^(?:tcp|https?):\/\/(\[[^\]]+\]|[^:/]+)/i.exec(address);
  if (!m) return false;
  const h = m[1].toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}
