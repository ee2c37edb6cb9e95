/**
 * Which endpoints are Podman's, and what their terminals need: the `podman` CLI with `CONTAINER_HOST`
 * (Podman's remote client reads that, not DOCKER_HOST). Pure.
 */
import * as path from 'node:path';
import type { Endpoint } from '../docker/endpoint';
import type { EngineVersion } from '../docker/engineTypes';

/** A socket named `podman.sock` (rootless `$XDG_RUNTIME_DIR/podman/podman.sock`, rootful `/run/podman/podman.sock`). */
export function isPodmanSocket(socketPath: string | undefined): boolean {
  return !!socketPath && path.posix.basename(socketPath) === 'podman.sock';
}

/** The rootless socket of the user whose runtime dir is `xdgRuntimeDir`. */
export function rootlessPodmanSocket(xdgRuntimeDir: string | undefined): string | undefined {
  const dir = xdgRuntimeDir?.trim();
  return dir && dir.startsWith('/') ? path.posix.join(dir, 'podman', 'podman.sock') : undefined;
}

/** A remote socket path ssh's `-L local:remote` can carry: absolute, no `:` (the separator), no spaces or controls. */
export function validRemoteSocket(p: string): boolean {
  return p.startsWith('/') && !/[:\s\p{Cc}]/u.test(p);
}

/**
 * The CLI a terminal runs on an ssh:// host, through the host's login: `docker`, or `podman` (with `--url` when
 * the host entry names its socket, so the terminal reaches the same engine as the sidebar).
 */
export function remoteCli(ep: Pick<Endpoint, 'engine' | 'remoteSocket'>): string[] {
  if (ep.engine !== 'podman') return ['docker'];
  return ep.remoteSocket ? ['podman', '--url', `unix://${ep.remoteSocket}`] : ['podman'];
}

/** What an endpoint on Podman carries: the backend, the terminal CLI and its environment. */
export function podmanEndpointTraits(host: string): {
  engine: 'podman';
  cli: string;
  terminalEnv: Record<string, string>;
} {
  return { engine: 'podman', cli: 'podman', terminalEnv: { CONTAINER_HOST: host } };
}

/**
 * `ep` as the given engine: Podman's traits (CLI `podman`, `CONTAINER_HOST`), or dockerd's (the docker CLI with
 * `DOCKER_HOST`, where a `podman.sock` address had made it Podman). `docker` is kept so nothing asks again.
 */
export function withEngine(ep: Endpoint, engine: 'docker' | 'podman'): Endpoint {
  if (engine === 'podman') return { ...ep, ...podmanEndpointTraits(ep.host) };
  const out: Endpoint = { ...ep, engine: 'docker' };
  if (ep.engine === 'podman') {
    delete out.cli;
    out.terminalEnv = ep.context ? { DOCKER_CONTEXT: ep.context } : { DOCKER_HOST: ep.host };
  }
  return out;
}

/** Podman answers `GET /version` with a `Podman Engine` component (Docker's is `Engine`). */
export function isPodmanVersion(v: Pick<EngineVersion, 'components'>): boolean {
  return (v.components ?? []).some((c) => /^podman engine$/i.test(c.trim()));
}

/**
 * Whether this endpoint's engine is still to be recognised from its version: not declared, not known from the
 * address, and a unix socket or tcp (an ssh:// engine is reached through `docker system dial-stdio`: dockerd).
 */
export function engineUnknown(ep: Endpoint): boolean {
  return !ep.engine && (ep.kind === 'unix' || ep.kind === 'tcp');
}

/**
 * What each address's version said, asked once per address (Podman's `version` takes 0.3–3 s): a failed
 * call is not remembered, so the next engine built for that address asks again.
 */
export class EngineKinds {
  private readonly known = new Map<string, 'docker' | 'podman'>();
  private readonly asking = new Map<string, Promise<'docker' | 'podman' | undefined>>();

  get(host: string): 'docker' | 'podman' | undefined {
    return this.known.get(host);
  }

  check(
    host: string,
    version: () => Promise<Pick<EngineVersion, 'components'>>,
  ): Promise<'docker' | 'podman' | undefined> {
    const known = this.known.get(host);
    if (known) return Promise.resolve(known);
    let p = this.asking.get(host);
    if (!p) {
      p = version().then(
        (v) => {
          const kind = isPodmanVersion(v) ? 'podman' : 'docker';
          this.known.set(host, kind);
          return kind;
        },
        () => undefined,
      );
      const done = p;
      this.asking.set(host, p);
      void p.then(() => {
        if (this.asking.get(host) === done) this.asking.delete(host);
      });
    }
    return p;
  }
}

/** The extension's one memory of engine kinds, shared by every host's EngineService. */
export const engineKinds = new EngineKinds();
