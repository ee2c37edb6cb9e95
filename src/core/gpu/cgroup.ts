/**
 * Which container a process belongs to, from `/proc/<pid>/cgroup`. Lines are `hierarchy:controllers:path`;
 * the container's id appears in the path as
 * - Docker: `/docker/<64 hex>` (cgroup v1 and v2 with the cgroupfs driver), or `…/docker-<64 hex>.scope`
 *   (systemd driver, v1 or v2, rootless too);
 * - Podman: `…/libpod-<64 hex>.scope` (systemd manager: `machine.slice`, rootless under `user@<uid>.service`,
 *   often with a `/container` child), or `/libpod_parent/libpod-<64 hex>` (cgroupfs manager).
 * Podman's `libpod-conmon-<id>.scope` is its monitor, not the container. Kubernetes/containerd
 * (`cri-containerd-<id>.scope`, `/kubepods/…/<id>`) and plain paths do not match. Nested engines
 * (`/docker/<outer>/docker/<inner>`, `/docker/<outer>/libpod_parent/libpod-<inner>`) give the outermost id,
 * the one the host's engine knows.
 */
const PATTERNS = [
  /(?:^|\/)docker\/([0-9a-f]{64})(?=\/|$)/i,
  /(?:^|\/)docker-([0-9a-f]{64})\.scope(?=\/|$)/i,
  /(?:^|\/)libpod-([0-9a-f]{64})\.scope(?=\/|$)/i,
  /(?:^|\/)libpod_parent\/libpod-([0-9a-f]{64})(?=\/|$)/i,
];

export function containerIdFromCgroup(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\d+:[^:]*:(.*)$/.exec(raw.trim());
    if (!m) continue;
    const path = m[1];
    const hits = PATTERNS.map((re) => re.exec(path)).filter((h): h is RegExpExecArray => h !== null);
    if (hits.length === 0) continue;
    hits.sort((a, b) => a.index - b.index);
    return hits[0][1].toLowerCase();
  }
  return undefined;
}
