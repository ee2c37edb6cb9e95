/**
 * Pure readers of the engine's newline-delimited JSON answers for load and push: results, progress,
 * and the errors the engine reports INSIDE a 200 stream ({"error": …, "errorDetail": {"message": …}}).
 */
import { EngineError } from '../docker/engineError';
import { FIX } from '../docker/errorFixes';

/** One parsed line of a JSON progress stream; undefined when the line is not a JSON object. */
export function parseStreamLine(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The error a stream message carries, if any. */
export function streamErrorOf(msg: Record<string, unknown> | undefined): string | undefined {
  if (!msg) return undefined;
  const detail = msg.errorDetail;
  if (detail && typeof detail === 'object') {
    const m = (detail as { message?: unknown }).message;
    if (typeof m === 'string' && m.trim()) return m.trim();
  }
  if (typeof msg.error === 'string' && msg.error.trim()) return msg.error.trim();
  return undefined;
}

/**
 * What a `POST /images/load` message says was loaded: "repo:tag" for `Loaded image: repo:tag`,
 * "sha256:…" for `Loaded image ID: sha256:…` (untagged images).
 */
export function loadedFromMessage(msg: Record<string, unknown> | undefined): string[] {
  if (!msg || typeof msg.stream !== 'string') return [];
  const out: string[] = [];
  for (const line of msg.stream.split(/\r?\n/)) {
    const m = /^Loaded image(?: ID)?:\s*(\S+)\s*$/.exec(line.trim());
    if (m) out.push(m[1]);
  }
  return out;
}

/** The manifest digest a push reports at the end ("aux.Digest", or "tag: digest: sha256:… size: N"). */
export function pushDigestOf(msg: Record<string, unknown> | undefined): string | undefined {
  if (!msg) return undefined;
  const aux = msg.aux;
  if (aux && typeof aux === 'object') {
    const d = (aux as { Digest?: unknown }).Digest;
    if (typeof d === 'string' && /^sha256:[0-9a-f]{64}$/.test(d)) return d;
  }
  if (typeof msg.status === 'string') {
    const m = /digest: (sha256:[0-9a-f]{64})/.exec(msg.status);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Rolls the per-layer messages of a push into one percentage that never goes back. Layers count by
 * their `Pushing` fraction; "Pushed", "Layer already exists" and "Mounted from …" complete a layer.
 */
export class PushProgress {
  private readonly layers = new Map<string, number>();
  private percent = 0;
  private status = '';

  update(message: unknown): { percent: number; status: string } {
    const m = message && typeof message === 'object' ? (message as Record<string, unknown>) : {};
    const id = typeof m.id === 'string' ? m.id : undefined;
    const status = typeof m.status === 'string' ? m.status : '';
    const detail =
      m.progressDetail && typeof m.progressDetail === 'object'
        ? (m.progressDetail as { current?: unknown; total?: unknown })
        : {};
    const current = typeof detail.current === 'number' ? detail.current : undefined;
    const total = typeof detail.total === 'number' && detail.total > 0 ? detail.total : undefined;

    if (id && /^[0-9a-f]{12,64}$/i.test(id)) {
      const before = this.layers.get(id) ?? 0;
      let now = before;
      if (/^Pushing/i.test(status) && current !== undefined && total !== undefined) {
        now = Math.min(1, Math.max(0, current / total));
      } else if (/^(Pushed|Layer already exists|Mounted from)/i.test(status)) {
        now = 1;
      }
      this.layers.set(id, Math.max(before, now));
    }
    if (status) this.status = id && /^[0-9a-f]{12,64}$/i.test(id) ? `${status} ${id}` : status;
    if (this.layers.size > 0) {
      let sum = 0;
      for (const f of this.layers.values()) sum += f;
      this.percent = Math.max(this.percent, Math.min(99, Math.floor((sum / this.layers.size) * 100)));
    }
    return { percent: this.percent, status: this.status };
  }

  complete(): { percent: number; status: string } {
    this.percent = 100;
    return { percent: 100, status: this.status || 'Pushed' };
  }
}

function oneLine(s: string, max = 240): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A short reason for a network failure, from a Go error text. */
function networkReason(message: string): string | undefined {
  const checks: [RegExp, string][] = [
    [/connection refused/i, 'connection refused'],
    [/no such host/i, 'no such host'],
    [/server misbehaving|Temporary failure in name resolution/i, 'the host name cannot be resolved'],
    [/network is unreachable/i, 'network is unreachable'],
    [/no route to host/i, 'no route to host'],
    [/i\/o timeout|Client\.Timeout exceeded|TLS handshake timeout|deadline exceeded/i, 'timed out'],
    [/connection reset by peer/i, 'connection reset'],
    [/EOF$/, 'the connection was closed'],
  ];
  for (const [re, reason] of checks) if (re.test(message)) return reason;
  return undefined;
}

/**
 * Turns a push failure the engine reported (in the stream or as an HTTP error) into an `EngineError`
 * that names the image and the registry and says what to do. `note` (from `authFor`) is appended to
 * authentication failures.
 */
export function pushError(
  ref: string,
  registry: string,
  engineMessage: string,
  note?: string,
  cause?: unknown,
): EngineError {
  const details = { cause, image: ref, engineMessage };
  const msg = engineMessage;
  if (/server gave HTTP response to HTTPS client/i.test(msg)) {
    return new EngineError(
      'unknown',
      `Could not push ${ref}: the registry ${registry} speaks plain HTTP, and the Docker engine only allows HTTPS for it.`,
      `Add "${registry}" to "insecure-registries" in the engine's daemon.json and restart Docker, or use Save Image to File.`,
      details,
    );
  }
  if (/x509|certificate|tls:/i.test(msg) && !/timeout/i.test(msg)) {
    return new EngineError(
      'unknown',
      `Could not push ${ref}: the TLS certificate of the registry ${registry} is not trusted (${oneLine(msg, 120)}).`,
      `Install the registry's CA certificate under /etc/docker/certs.d/${registry}/ca.crt on the engine's host, or use Save Image to File.`,
      details,
    );
  }
  const reason = networkReason(msg);
  if (reason && /dial tcp|lookup |Get "|Head "|Post "|Put "|https?:\/\//i.test(msg)) {
    return new EngineError(
      'unknown',
      `Could not push ${ref}: the registry ${registry} cannot be reached (${reason}).`,
      'Check the network and the registry address and port, or use Save Image to File and Load it where it is needed.',
      details,
    );
  }
  if (
    /unauthorized|authentication required|requested access to the resource is denied|denied:|insufficient_scope|no basic auth credentials/i.test(
      msg,
    )
  ) {
    const extra = note ? ` ${note}` : '';
    return new EngineError(
      'unknown',
      `Could not push ${ref}: the registry ${registry} refused access (${oneLine(msg, 120)}).${extra}`,
      `Log in with "docker login ${registry}" in a terminal (or check that you may push to this repository), then push again.`,
      details,
    );
  }
  if (/does not exist locally|No such image|reference does not exist/i.test(msg)) {
    return new EngineError(
      'imageMissing',
      `Could not push ${ref}: there is no local image with that tag.`,
      FIX.imageMissing,
      details,
    );
  }
  return new EngineError(
    'unknown',
    `Could not push ${ref} to ${registry}: ${oneLine(msg)}`,
    'Check the image name and the registry, or use Save Image to File.',
    details,
  );
}
