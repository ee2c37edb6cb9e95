/**
 * The `gpuContainers.hosts` setting → the Docker hosts the sidebar shows. Never throws: each problem names the
 * field, the value and the fix, and a bad entry is left out while the others are kept.
 *
 * A host is `{ "name": "gpubox", "host": "ssh://gpubox" }` (`ssh://alias`, `ssh://user@host:port`,
 * `unix:///path`, `tcp://host:port`) or `{ "name": "lab", "context": "<docker context>" }`.
 * An empty list means "the one endpoint resolved today" (setting `gpuContainers.host` → `DOCKER_HOST` →
 * docker context → default socket), so a user with one engine sees exactly what they saw before.
 *
 * Only the user's own settings count: a workspace (trusted or not) cannot add an engine to talk to, because
 * an engine is root on its machine and a cloned repository must not be able to point the sidebar at one.
 */
import { parseHost } from '../docker/endpoint';
import { t } from '../l10n';
import { validRemoteSocket } from '../podman/podmanEndpoint';
import { hasControlChar, show } from './settingText';
import { parseKubernetes, type KubernetesTarget } from './kubeHostSetting';

export type HostKind = 'unix' | 'tcp' | 'ssh' | 'npipe' | 'context' | 'kubernetes';

/** Where `ssh` connects for an ssh:// host: the alias or host name as written, the user and port when given. */
export interface SshTarget {
  /** `gpubox` or `ann@gpubox.example.org`: what `ssh` takes, so `~/.ssh/config` applies to an alias. */
  destination: string;
  port?: number;
}

export interface HostSpec {
  /** Unique (case-insensitive) among the hosts; shown in the tree and the Launch picker. */
  name: string;
  kind: HostKind;
  /** Normalized DOCKER_HOST-style address; absent for a context host. */
  host?: string;
  /** The docker context, for a context host. */
  context?: string;
  /** For ssh:// hosts. */
  ssh?: SshTarget;
  /** nvidia-smi on that host when not on its non-interactive PATH (e.g. `/usr/local/nvidia/bin/nvidia-smi`). */
  nvidiaSmi?: string;
  /** The engine as declared (`"engine": "podman"`); absent: known from the address, else from its version. */
  engine?: HostEngine;
  /** ssh:// Podman hosts: the API socket's path on that host (default: found there once). */
  socket?: string;
  /** A Kubernetes host: which cluster (kubeconfig context) and namespace. */
  kubernetes?: KubernetesTarget;
}

/** What a host entry may declare as its engine. */
export type HostEngine = 'docker' | 'podman';
const ENGINES: readonly HostEngine[] = ['docker', 'podman'];

export interface HostsProblem {
  /** `gpuContainers.hosts[1].host` */
  field: string;
  /** The offending value as written (short). */
  value?: string;
  message: string;
  fix: string;
  severity: 'error' | 'warning';
}

export interface HostsSetting {
  /** Empty: use the one endpoint resolved as today (see `resolveEndpoint`). */
  hosts: HostSpec[];
  problems: HostsProblem[];
}

export const HOSTS_SETTING = 'gpuContainers.hosts';
const KEYS = new Set(['name', 'host', 'context', 'kubernetes', 'engine', 'socket', 'nvidiaSmi']);
const NAME_MAX = 64;
/** Docker's rule for context names. */
const CONTEXT_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/** `ssh://[user@]host[:port]` → what the system `ssh` takes; a problem sentence when it can't. */
export function sshTargetOf(address: string): SshTarget | string {
  let u: URL;
  try {
    u = new URL(address.trim());
  } catch {
    return t('{0} is not a valid ssh address.', address);
  }
  if (u.protocol !== 'ssh:') return t('{0} is not an ssh:// address.', address);
  if (!u.hostname) return t('{0} has no host name.', address);
  if (u.pathname && u.pathname !== '/') return t('{0} has a path; an ssh host address takes none.', address);
  if (u.search || u.hash) return t('{0} has a query or fragment; an ssh host address takes none.', address);
  if (u.password) return t('The address contains a password; ssh hosts log in with keys or the ssh agent.');
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  const target: SshTarget = { destination: `${user}${u.hostname}` };
  if (u.port) target.port = Number(u.port);
  return target;
}

/** A name for a host entry written without one: the ssh alias or host name, the socket's file name, the context. */
export function defaultHostName(spec: {
  host?: string;
  context?: string;
  kind: HostKind;
  kubernetes?: KubernetesTarget;
}): string {
  if (spec.kubernetes) return spec.kubernetes.context ?? 'kubernetes';
  if (spec.context) return spec.context;
  const host = spec.host ?? '';
  if (spec.kind === 'unix' || spec.kind === 'npipe') return 'local';
  try {
    return new URL(host.replace(/^tcp:/, 'http:')).hostname || host;
  } catch {
    return host;
  }
}

function parseEntry(
  raw: unknown,
  i: number,
  platform: NodeJS.Platform,
  problems: HostsProblem[],
): HostSpec | undefined {
  const at = `${HOSTS_SETTING}[${i}]`;
  const example = '{ "name": "gpubox", "host": "ssh://gpubox" }';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      field: at,
      value: show(raw),
      severity: 'error',
      message: t('A host must be an object with a name and an address.'),
      fix: t('Write it as {0}.', example),
    });
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key))
      problems.push({
        field: `${at}.${key}`,
        value: show(o[key]),
        severity: 'warning',
        message: t('Unknown host field "{0}"; it is ignored.', key),
        fix: t('A host has "name", one of "host", "context" or "kubernetes", and optionally "engine" and "nvidiaSmi".'),
      });
  }
  const hasHost = o.host !== undefined;
  const hasContext = o.context !== undefined;
  let spec: Omit<HostSpec, 'name'>;
  if (o.kubernetes !== undefined) {
    const k = parseKubernetes(o.kubernetes, `${at}.kubernetes`, problems);
    if (!k) return undefined;
    if (hasHost || hasContext) {
      problems.push({
        field: at,
        value: show(raw),
        severity: 'error',
        message: t('A host has "kubernetes" and also "host" or "context"; it is left out.'),
        fix: t(
          'A Kubernetes host has only "name" and "kubernetes": {0}.',
          '{ "context": "lab", "namespace": "alice" }',
        ),
      });
      return undefined;
    }
    spec = { kind: 'kubernetes', kubernetes: k };
  } else if (hasHost === hasContext) {
    problems.push({
      field: at,
      value: show(raw),
      severity: 'error',
      message: hasHost
        ? t('A host has both "host" and "context"; it is left out.')
        : t('A host has neither "host" nor "context"; it is left out.'),
      fix: t('Give exactly one: "host": "ssh://gpubox" (or unix://, tcp://) or "context": "<docker context>".'),
    });
    return undefined;
  } else if (hasContext) {
    const ctx = typeof o.context === 'string' ? o.context.trim() : '';
    if (!CONTEXT_RE.test(ctx)) {
      problems.push({
        field: `${at}.context`,
        value: show(o.context),
        severity: 'error',
        message: t('"{0}" is not a docker context name; the host is left out.', show(o.context)),
        fix: t('Use a name from `docker context ls`.'),
      });
      return undefined;
    }
    spec = { kind: 'context', context: ctx };
  } else {
    const address = typeof o.host === 'string' ? o.host.trim() : '';
    const fix = t(
      'Use ssh://alias (a Host in ~/.ssh/config), ssh://user@host:port, unix:///path/to/docker.sock or tcp://host:port.',
    );
    const bad = (message: string): undefined => {
      problems.push({ field: `${at}.host`, value: show(o.host), severity: 'error', message, fix });
      return undefined;
    };
    if (!address) return bad(t('The host address is empty; the host is left out.'));
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return bad(t('"{0}" has no scheme; the host is left out.', address));
    const parsed = parseHost(address, platform);
    if (typeof parsed === 'string')
      return bad(t('"{0}" is not a Docker host address ({1}); the host is left out.', address, parsed));
    spec = { kind: parsed.kind, host: parsed.host };
    if (parsed.kind === 'ssh') {
      const target = sshTargetOf(address);
      if (typeof target === 'string') return bad(target);
      spec.ssh = target;
    }
  }

  let name = typeof o.name === 'string' ? o.name.trim() : '';
  if (o.name !== undefined && (typeof o.name !== 'string' || !name)) {
    problems.push({
      field: `${at}.name`,
      value: show(o.name),
      severity: 'warning',
      message: t('The host name is not a non-empty string; using "{0}".', defaultHostName(spec)),
      fix: t('Give the host a short name, e.g. "gpubox".'),
    });
    name = '';
  }
  // Control characters would break the tree and the quick pick; long names the status bar.
  if (name && (hasControlChar(name) || name.length > NAME_MAX)) {
    problems.push({
      field: `${at}.name`,
      value: show(o.name),
      severity: 'warning',
      message: t(
        'The host name has control characters or is longer than {0} characters; using "{1}".',
        NAME_MAX,
        defaultHostName(spec),
      ),
      fix: t('Give the host a short name, e.g. "gpubox".'),
    });
    name = '';
  }
  const result: HostSpec = { name: name || defaultHostName(spec), ...spec };
  if (o.nvidiaSmi !== undefined) {
    const smi = typeof o.nvidiaSmi === 'string' ? o.nvidiaSmi.trim() : '';
    if (smi && !hasControlChar(smi)) result.nvidiaSmi = smi;
    else
      problems.push({
        field: `${at}.nvidiaSmi`,
        value: show(o.nvidiaSmi),
        severity: 'warning',
        message: t('"nvidiaSmi" is not a path; nvidia-smi is looked up on the host\'s PATH.'),
        fix: t('Give the path of nvidia-smi on that host, e.g. "/usr/bin/nvidia-smi".'),
      });
  }
  if (o.engine !== undefined) {
    const engine = typeof o.engine === 'string' ? o.engine.trim().toLowerCase() : '';
    if ((ENGINES as readonly string[]).includes(engine)) result.engine = engine as HostEngine;
    else
      problems.push({
        field: `${at}.engine`,
        value: show(o.engine),
        severity: 'warning',
        message: t('"engine" is neither "docker" nor "podman"; it is ignored.'),
        fix: t('Write "engine": "podman" for a Podman socket, or leave it out: the engine is recognised.'),
      });
  }
  if (o.socket !== undefined) {
    const socket = typeof o.socket === 'string' ? o.socket.trim() : '';
    const applies = result.kind === 'ssh' && result.engine === 'podman';
    if (applies && validRemoteSocket(socket)) result.socket = socket;
    else
      problems.push({
        field: `${at}.socket`,
        value: show(o.socket),
        severity: 'warning',
        message: applies
          ? t('"socket" is not an absolute path without spaces or ":"; it is ignored.')
          : t('"socket" is for ssh:// hosts with "engine": "podman"; it is ignored.'),
        fix: t('Write the path of Podman\'s socket on that host, e.g. "/run/user/1000/podman/podman.sock".'),
      });
  }
  return result;
}

/**
 * Parses the user-level value of `gpuContainers.hosts`. `undefined`, `null` and `[]` give no hosts (use the
 * resolved endpoint). Later entries whose name repeats an earlier one (case-insensitive) are left out.
 */
export function parseHostsSetting(raw: unknown, platform: NodeJS.Platform = process.platform): HostsSetting {
  const problems: HostsProblem[] = [];
  if (raw === undefined || raw === null) return { hosts: [], problems };
  if (!Array.isArray(raw)) {
    problems.push({
      field: HOSTS_SETTING,
      value: show(raw),
      severity: 'error',
      message: t('The hosts setting must be a list; it is ignored.'),
      fix: t('Write it as [{0}].', '{ "name": "gpubox", "host": "ssh://gpubox" }'),
    });
    return { hosts: [], problems };
  }
  const hosts: HostSpec[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry, i) => {
    const spec = parseEntry(entry, i, platform, problems);
    if (!spec) return;
    const key = spec.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        field: `${HOSTS_SETTING}[${i}].name`,
        value: spec.name,
        severity: 'error',
        message: t('The host name "{0}" is already used by entry {1}; this entry is left out.', spec.name, first),
        fix: t('Give every host a different name.'),
      });
      return;
    }
    seen.set(key, i);
    hosts.push(spec);
  });
  return { hosts, problems };
}
