/**
 * Which endpoints are Podman's, and what their terminals need: the `podman` CLI with `CONTAINER_HOST`
 * (Podman's remote client reads that, not DOCKER_HOST). Pure.
 */
import * as path from 'node:path';

/** A socket named `podman.sock` (rootless `$XDG_RUNTIME_DIR/podman/podman.sock`, rootful `/run/podman/podman.sock`). */
export function isPodmanSocket(socketPath: string | undefined): boolean {
  return !!socketPath && path.posix.basename(socketPath) === 'podman.sock';
}

/** The rootless socket of the user whose runtime dir is `xdgRuntimeDir`. */
export function rootlessPodmanSocket(xdgRuntimeDir: string | undefined): string | undefined {
  const dir = xdgRuntimeDir?.trim();
  return dir && dir.startsWith('/') ? path.posix.join(dir, 'podman', 'podman.sock') : undefined;
}

/** What an endpoint on Podman carries: the backend, the terminal CLI and its environment. */
export function podmanEndpointTraits(host: string): {
  engine: 'podman';
  cli: string;
  terminalEnv: Record<string, string>;
} {
  return { engine: 'podman', cli: 'podman', terminalEnv: { CONTAINER_HOST: host } };
}
