/**
 * Which Docker container a process belongs to, from `/proc/<pid>/cgroup`. Lines are
 * `hierarchy:controllers:path`; Docker's id appears in the path as
 * - `/docker/<64 hex>` (cgroup v1 and v2 with the cgroupfs driver), or
 * - `…/docker-<64 hex>.scope` (systemd driver, v1 or v2, rootless too).
 * Kubernetes/containerd (`cri-containerd-<id>.scope`, `/kubepods/…/<id>`), Podman (`libpod-<id>.scope`)
 * and plain paths do not match. Docker-in-Docker paths (`/docker/<outer>/docker/<inner>`) give the
 * outermost id, the one the host's engine knows.
 */
const CGROUPFS = /(?:^|\/)docker\/([0-9a-f]{64})(?=\/|$)/i;
const SYSTEMD = /(?:^|\/)docker-([0-9a-f]{64})\.scope(?=\/|$)/i;

export function containerIdFromCgroup(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\d+:[^:]*:(.*)$/.exec(raw.trim());
    if (!m) continue;
    const path = m[1];
    const hits = [CGROUPFS.exec(path), SYSTEMD.exec(path)].filter((h): h is RegExpExecArray => h !== null);
    if (hits.length === 0) continue;
    hits.sort((a, b) => a.index - b.index);
    return hits[0][1].toLowerCase();
  }
  return undefined;
}
