/**
 * Which Docker engine we talk to: a pure function of (setting, environment, files).
 * Order, as the docker CLI does it: the `gpuContainers.host` setting, then `DOCKER_HOST`
 * (+ `DOCKER_TLS_VERIFY` / `DOCKER_TLS` / `DOCKER_CERT_PATH`), then the current docker context
 * (`DOCKER_CONTEXT`, else `currentContext` in `<DOCKER_CONFIG or ~/.docker>/config.json`, resolved through
 * `contexts/meta/<sha256(name)>/meta.json`), then the platform's default socket.
 * The same resolution yields `terminalEnv`, so terminals running the docker CLI reach the same engine.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { t } from '../l10n';
import { isPodmanSocket, podmanEndpointTraits, rootlessPodmanSocket } from '../podman/podmanEndpoint';

export interface EndpointTls {
  caPath?: string;
  certPath?: string;
  keyPath?: string;
  verify: boolean;
}

export interface Endpoint {
  source: 'setting' | 'env' | 'context' | 'default';
  /** Normalized DOCKER_HOST-style url, e.g. unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  host: string;
  kind: 'unix' | 'tcp' | 'ssh' | 'npipe' | 'kubernetes';
  socketPath?: string;
  tls?: EndpointTls;
  /** The docker context this came from, when source is 'context'. */
  context?: string;
  /** Environment for terminals running the docker CLI, so they talk to the SAME engine. */
  terminalEnv: Record<string, string>;
  /**
   * The backend behind this address (see `engineFactory.ts`): `podman` when known from the address, the host
   * entry or the engine's version; `docker` when declared; absent: dockerd unless its version says otherwise.
   */
  engine?: 'docker' | 'podman' | 'kubernetes';
  /** The CLI terminals run for this engine when it is not `gpuContainers.dockerPath` (e.g. `podman`). */
  cli?: string;
  /** ssh:// Podman hosts: the API socket's path on that host, as the host entry declares it (else found there). */
  remoteSocket?: string;
  /** Kubernetes hosts (`kind: 'kubernetes'`): the kubeconfig context and namespace, as the host entry says. */
  kube?: { context?: string; namespace?: string; kubeconfig?: string };
}

export interface EndpointInputs {
  hostSetting?: string;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Reads a UTF-8 file; undefined = missing or unreadable. */
  readFile: (path: string) => string | undefined;
  platform?: NodeJS.Platform;
  /** Whether a socket file exists; given, a missing Docker socket falls back to the rootless Podman socket. */
  exists?: (path: string) => boolean;
}

export const DEFAULT_UNIX_HOST = 'unix:///var/run/docker.sock';
export const DEFAULT_NPIPE_HOST = 'npipe:////./pipe/docker_engine';

interface ParsedHost {
  host: string;
  kind: Endpoint['kind'];
  socketPath?: string;
  /** `https://` given explicitly. */
  https?: boolean;
}

/** Parses and normalizes a DOCKER_HOST-style address. Returns a problem string when it can't. */
export function parseHost(raw: string, platform: NodeJS.Platform = process.platform): ParsedHost | string {
  const value = raw.trim();
  if (!value) return t('empty host');
  if (value.startsWith('/')) {
    return { host: `unix://${value}`, kind: 'unix', socketPath: value };
  }
  if (/^\\\\\.\\pipe\\/i.test(value)) {
    const pipe = value.replace(/\\/g, '/');
    return { host: `npipe://${pipe}`, kind: 'npipe', socketPath: value };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const p = value.slice('unix://'.length);
    if (!p.startsWith('/'))
      return t('"{0}" is not a valid unix socket address (expected unix:///path/to/docker.sock)', value);
    return { host: `unix://${p}`, kind: 'unix', socketPath: p };
  }
  if (scheme === 'npipe') {
    const p = value.slice('npipe://'.length) || '//./pipe/docker_engine';
    const winPath = p.replace(/\//g, '\\');
    return { host: `npipe://${p.replace(/\\/g, '/')}`, kind: 'npipe', socketPath: platform === 'win32' ? winPath : p };
  }
  if (scheme === 'ssh') {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return t('"{0}" is not a valid ssh address (expected ssh://user@host[:port])', value);
    }
    if (!u.hostname) return `"${value}" has no host name`;
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const port = u.port ? `:${u.port}` : '';
    return { host: `ssh://${user}${u.hostname}${port}`, kind: 'ssh' };
  }
  if (scheme === undefined || scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const withScheme = scheme === undefined ? `tcp://${value}` : value;
    let u: URL;
    try {
      u = new URL(withScheme.replace(/^(https?|tcp):/i, 'tcp:'));
    } catch {
      return t('"{0}" is not a valid address (expected tcp://host:port)', value);
    }
    if (!u.hostname) return `"${value}" has no host name`;
    if (u.pathname && u.pathname !== '/') return t('"{0}" has a path; the engine address takes none', value);
    const isHttps = scheme === 'https';
    const port = u.port || (isHttps ? '2376' : '2375');
    return { host: `tcp://${u.hostname}:${port}`, kind: 'tcp', https: isHttps };
  }
  return t('"{0}" uses an unsupported scheme "{1}://" (use unix://, tcp://, ssh:// or npipe://)', value, scheme);
}

function defaultHost(platform: NodeJS.Platform): ParsedHost {
  return platform === 'win32'
    ? { host: DEFAULT_NPIPE_HOST, kind: 'npipe', socketPath: '\\\\.\\pipe\\docker_engine' }
    : { host: DEFAULT_UNIX_HOST, kind: 'unix', socketPath: '/var/run/docker.sock' };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** sha256 hex of a context name: the directory name docker uses under contexts/meta and contexts/tls. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex');
}

function build(
  parsed: ParsedHost,
  source: Endpoint['source'],
  tls: EndpointTls | undefined,
  extra: { context?: string; terminalEnv: Record<string, string> },
): Endpoint {
  const ep: Endpoint = { source, host: parsed.host, kind: parsed.kind, terminalEnv: extra.terminalEnv };
  if (parsed.socketPath) ep.socketPath = parsed.socketPath;
  if (tls) ep.tls = tls;
  if (extra.context) ep.context = extra.context;
  if (parsed.kind === 'unix' && !extra.context && isPodmanSocket(parsed.socketPath))
    Object.assign(ep, podmanEndpointTraits(parsed.host));
  return ep;
}

/** TLS from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH, as the docker CLI reads them (non-empty = on). */
function envTls(env: EndpointInputs['env'], dockerDir: string, forceTls: boolean): EndpointTls | undefined {
  const verify = nonEmpty(env.DOCKER_TLS_VERIFY) !== undefined;
  const tlsOn = verify || nonEmpty(env.DOCKER_TLS) !== undefined || forceTls;
  if (!tlsOn) return undefined;
  const certDir = nonEmpty(env.DOCKER_CERT_PATH) ?? dockerDir;
  return {
    caPath: path.join(certDir, 'ca.pem'),
    certPath: path.join(certDir, 'cert.pem'),
    keyPath: path.join(certDir, 'key.pem'),
    verify,
  };
}

function tlsEnv(tls: EndpointTls | undefined, env: EndpointInputs['env']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!tls) return out;
  if (tls.verify) out.DOCKER_TLS_VERIFY = '1';
  else out.DOCKER_TLS = '1';
  const certPath = nonEmpty(env.DOCKER_CERT_PATH);
  if (certPath) out.DOCKER_CERT_PATH = certPath;
  return out;
}

/** Pure; never throws. A malformed config.json or a missing context yields a problem and the next fallback. */
export function resolveEndpoint(inputs: EndpointInputs): { endpoint: Endpoint; problems: string[] } {
  const problems: string[] = [];
  const platform = inputs.platform ?? process.platform;
  const env = inputs.env ?? {};
  const dockerDir = nonEmpty(env.DOCKER_CONFIG) ?? path.join(inputs.homedir, '.docker');

  const fromHost = (raw: string, source: 'setting' | 'env', label: string): Endpoint | undefined => {
    const parsed = parseHost(raw, platform);
    if (typeof parsed === 'string') {
      problems.push(t('{0}: {1}; ignoring it.', label, parsed));
      return undefined;
    }
    const tls = parsed.kind === 'tcp' ? envTls(env, dockerDir, parsed.https === true) : undefined;
    return build(parsed, source, tls, { terminalEnv: { DOCKER_HOST: parsed.host, ...tlsEnv(tls, env) } });
  };

  try {
    const setting = nonEmpty(inputs.hostSetting);
    if (setting) {
      const ep = fromHost(setting, 'setting', t('Setting gpuContainers.host'));
      if (ep) return { endpoint: ep, problems };
    }
    const dockerHost = nonEmpty(env.DOCKER_HOST);
    if (dockerHost) {
      const ep = fromHost(dockerHost, 'env', 'DOCKER_HOST');
      if (ep) return { endpoint: ep, problems };
    }

    let contextName = nonEmpty(env.DOCKER_CONTEXT);
    if (!contextName) {
      const configPath = path.join(dockerDir, 'config.json');
      const text = inputs.readFile(configPath);
      if (text !== undefined && text.trim() !== '') {
        try {
          const config = JSON.parse(text) as unknown;
          if (config && typeof config === 'object' && !Array.isArray(config)) {
            const cc = (config as { currentContext?: unknown }).currentContext;
            if (typeof cc === 'string' && cc.trim()) contextName = cc.trim();
            else if (cc !== undefined && typeof cc !== 'string') {
              problems.push(t('{0}: "currentContext" is not a string; ignoring it.', configPath));
            }
          } else {
            problems.push(t('{0} is not a JSON object; ignoring it.', configPath));
          }
        } catch (e) {
          problems.push(t('{0} is not valid JSON ({1}); ignoring it.', configPath, (e as Error).message));
        }
      }
    }

    if (contextName && contextName !== 'default') {
      const ep = fromContext(contextName, dockerDir, inputs, platform, problems);
      if (ep) return { endpoint: ep, problems };
    }
  } catch (e) {
    problems.push(t('Could not resolve the Docker endpoint ({0}); using the default socket.', String(e)));
  }

  let def = defaultHost(platform);
  const rootless = platform === 'linux' ? rootlessPodmanSocket(env.XDG_RUNTIME_DIR) : undefined;
  if (inputs.exists && rootless && def.socketPath && !inputs.exists(def.socketPath) && inputs.exists(rootless))
    def = { host: `unix://${rootless}`, kind: 'unix', socketPath: rootless };
  return { endpoint: build(def, 'default', undefined, { terminalEnv: { DOCKER_HOST: def.host } }), problems };
}

function fromContext(
  name: string,
  dockerDir: string,
  inputs: EndpointInputs,
  platform: NodeJS.Platform,
  problems: string[],
): Endpoint | undefined {
  const dir = contextDirName(name);
  const metaPath = path.join(dockerDir, 'contexts', 'meta', dir, 'meta.json');
  const text = inputs.readFile(metaPath);
  if (text === undefined) {
    problems.push(
      t(
        'Docker context "{0}" not found ({1} is missing); using the default socket. Pick one of `docker context ls` (docker context use NAME) or unset DOCKER_CONTEXT.',
        name,
        metaPath,
      ),
    );
    return undefined;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (e) {
    problems.push(t('{0} is not valid JSON ({1}); using the default socket.', metaPath, (e as Error).message));
    return undefined;
  }
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } } | null)?.Endpoints
    ?.docker;
  if (!docker || typeof docker.Host !== 'string' || !docker.Host.trim()) {
    problems.push(
      t('Docker context "{0}" has no docker endpoint host ({1}); using the default socket.', name, metaPath),
    );
    return undefined;
  }
  const parsed = parseHost(docker.Host, platform);
  if (typeof parsed === 'string') {
    problems.push(t('Docker context "{0}": {1}; using the default socket.', name, parsed));
    return undefined;
  }
  let tls: EndpointTls | undefined;
  if (parsed.kind === 'tcp') {
    const tlsDir = path.join(dockerDir, 'contexts', 'tls', dir, 'docker');
    const ca = path.join(tlsDir, 'ca.pem');
    const cert = path.join(tlsDir, 'cert.pem');
    const key = path.join(tlsDir, 'key.pem');
    const has = (p: string): boolean => inputs.readFile(p) !== undefined;
    const skip = docker.SkipTLSVerify === true;
    if (has(ca) || has(cert) || parsed.https) {
      tls = {
        caPath: has(ca) ? ca : undefined,
        certPath: has(cert) ? cert : undefined,
        keyPath: has(key) ? key : undefined,
        verify: !skip,
      };
    }
  }
  return build(parsed, 'context', tls, { context: name, terminalEnv: { DOCKER_CONTEXT: name } });
}
