import { t } from '../l10n';
import { FIX, unreachableFix } from './errorFixes';
import { EngineError, type EngineErrorContext } from './engineError';

interface ErrLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  reason?: unknown;
  json?: unknown;
  errno?: unknown;
  syscall?: unknown;
  address?: unknown;
}

/** The engine's own message from a dockerode error: `json.message`, else the text after "(HTTP code N) reason - ". */
export function engineMessageOf(err: unknown): string {
  if (!err || typeof err !== 'object') return typeof err === 'string' ? err : String(err);
  const e = err as ErrLike;
  const json = e.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  if (Buffer.isBuffer(json) && json.length > 0) {
    const text = json.toString('utf8').trim();
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message.trim();
    } catch {
      /* not JSON */
    }
    return text;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a non-Error object without a message: String() is the last resort, as before.
  const msg = typeof e.message === 'string' ? e.message : String(err);
  const m = /^\(HTTP code \d+\)\s+[^-]*?-\s+([\s\S]*)$/.exec(msg);
  return (m ? m[1] : msg).trim();
}

function oneLine(s: string, max = 300): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Classify anything dockerode / node threw into an `EngineError`. Never throws. */
export function toEngineError(err: unknown, context: EngineErrorContext = {}): EngineError {
  if (err instanceof EngineError) return err;
  const e: ErrLike = err && typeof err === 'object' ? err : {};
  const endpoint = context.endpoint ?? t('the configured address');
  const code = typeof e.code === 'string' ? e.code : undefined;
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const rawMessage = typeof e.message === 'string' ? e.message : typeof err === 'string' ? err : String(err);
  const base = { cause: err, statusCode } as const;

  // Cancellation (AbortController) – the engine wrapper turns its own timer's aborts into 'timeout'.
  if (e.name === 'AbortError' || code === 'ABORT_ERR') {
    const what = context.operation ? t('{0} was cancelled.', context.operation) : t('The request was cancelled.');
    return new EngineError('cancelled', what, FIX.cancelled, base);
  }

  if (statusCode === undefined) {
    switch (code) {
      case 'ENOENT':
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ENOTSOCK':
        return new EngineError(
          'unreachable',
          t('Cannot reach the Docker engine at {0} ({1}). Is Docker running?', endpoint, code),
          unreachableFix(context.endpoint),
          base,
        );
      case 'EACCES':
      case 'EPERM':
        return new EngineError(
          'permissionDenied',
          t('Permission denied opening the Docker socket at {0}.', endpoint),
          FIX.permissionDenied,
          base,
        );
      case 'ETIMEDOUT':
      case 'ESOCKETTIMEDOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new EngineError(
          'timeout',
          t('The Docker engine at {0} did not answer in time.', endpoint),
          FIX.timeout,
          base,
        );
    }
    if (code && /^(ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL|EPROTO)/.test(code)) {
      return new EngineError(
        'unreachable',
        t('TLS handshake with the Docker engine at {0} failed ({1}).', endpoint, code),
        FIX.tls,
        base,
      );
    }
    if (/socket hang up/i.test(rawMessage)) {
      return new EngineError(
        'unreachable',
        t('The Docker engine at {0} closed the connection.', endpoint),
        unreachableFix(context.endpoint),
        base,
      );
    }
  }

  const msg = engineMessageOf(err);
  const detail = { ...base, engineMessage: msg };

  // API version mismatch (engine answers 400 or in older versions 404/500).
  const tooNew = /client version (\S+) is too new\. Maximum supported API version is ([^\s,]+)/i.exec(msg);
  if (tooNew) {
    return new EngineError(
      'apiTooOld',
      t(
        'The Docker engine at {0} is too old: it supports API up to {1}, this client asked for {2}.',
        endpoint,
        tooNew[2],
        tooNew[1],
      ),
      FIX.apiTooNew,
      detail,
    );
  }
  const tooOld = /client version (\S+) is too old\. Minimum supported API version is ([^\s,]+)/i.exec(msg);
  if (tooOld) {
    return new EngineError(
      'apiTooOld',
      t(
        'The Docker engine at {0} requires API {1} or newer; this client asked for {2}.',
        endpoint,
        tooOld[2],
        tooOld[1],
      ),
      FIX.apiTooOldClient,
      detail,
    );
  }

  // GPU: no nvidia driver/runtime registered in the engine.
  if (
    /could not select device driver .* with capabilities: \[\[gpu\]\]/i.test(msg) ||
    /unknown or invalid runtime name: nvidia/i.test(msg) ||
    /nvidia-container-cli: initialization error/i.test(msg)
  ) {
    return new EngineError(
      'gpuUnavailable',
      t('The Docker engine at {0} cannot give this container GPUs: {1}', endpoint, oneLine(msg, 160)),
      FIX.gpuUnavailable,
      detail,
    );
  }

  if (/client sent an HTTP request to an HTTPS server/i.test(msg)) {
    return new EngineError('unreachable', t('The Docker engine at {0} expects TLS.', endpoint), FIX.plainToTls, detail);
  }

  const bind = /bind source path does not exist:?\s*(\S+)?/i.exec(msg);
  if (bind) {
    const where = bind[1] ?? '';
    return new EngineError(
      'bindSourceMissing',
      t('The folder {0} to mount does not exist on the Docker host {1}.', where, endpoint),
      t(
        'Create the folder on that host (mkdir -p {0}), or change the volume in the profile to a path that exists there.',
        where,
      ),
      detail,
    );
  }
  if (/no space left on device/i.test(msg)) {
    return new EngineError(
      'noSpace',
      t('The Docker host {0} has no space left: {1}', endpoint, oneLine(msg, 160)),
      t('Free space on that host (remove unused images and stopped containers: docker system df), then try again.'),
      detail,
    );
  }

  const registry = unreachableRegistry(msg);
  if (registry) {
    return new EngineError(
      'registryUnreachable',
      t('The Docker host {0} cannot reach {1} — offline?', endpoint, registry),
      FIX.registryUnreachable,
      { ...detail, image: context.image, registry },
    );
  }

  if (statusCode === 404 || /^No such (image|container)/i.test(msg)) {
    const noImage = /No such image:?\s*(\S+)?/i.exec(msg);
    if (noImage) {
      const image = context.image ?? noImage[1];
      return new EngineError(
        'imageMissing',
        image ? t('Image {0} is not available locally.', image) : t('The image is not available locally.'),
        FIX.imageMissing,
        { ...detail, image },
      );
    }
    const noContainer = /No such container:?\s*(\S+)?/i.exec(msg);
    const what = noContainer ? (context.containerName ?? noContainer[1]?.slice(0, 12)) : undefined;
    const message = noContainer
      ? t('The container {0} no longer exists.', what ?? '')
      : msg
        ? t('Not found: {0}', oneLine(msg))
        : t('Not found.');
    return new EngineError('notFound', message, FIX.notFound, {
      ...detail,
      statusCode: statusCode ?? 404,
    });
  }

  const port =
    /Bind for \S*?:(\d+) failed: port is already allocated|listen \w+ \S*?:(\d+): bind: address already in use/i.exec(
      msg,
    );
  if (port) {
    const n = port[1] ?? port[2];
    return new EngineError(
      'conflict',
      t('Host port {0} is already in use on the Docker host {1}.', n, endpoint),
      t('Publish another host port in the profile, or stop what uses port {0} (docker ps --filter publish={0}).', n),
      detail,
    );
  }

  if (statusCode === 409) {
    const name = /container name "\/?([^"]+)" is already in use/i.exec(msg);
    if (name) {
      return new EngineError('conflict', t('The container name {0} is already in use.', name[1]), FIX.nameConflict, {
        ...detail,
        containerName: name[1],
      });
    }
    if (/is not running|is paused|is restarting/i.test(msg)) {
      return new EngineError('conflict', oneLine(msg), t('Start (or unpause) the container first.'), detail);
    }
    return new EngineError('conflict', oneLine(msg), t('Resolve the conflict shown and try again.'), detail);
  }

  if (statusCode === 401 || statusCode === 403) {
    return new EngineError(
      'permissionDenied',
      oneLine(msg),
      t("Check the engine's authorization settings for your user."),
      detail,
    );
  }

  if (statusCode !== undefined) {
    return new EngineError(
      'unknown',
      t('The Docker engine answered {0}: {1}', statusCode, oneLine(msg)),
      FIX.unknown,
      detail,
    );
  }
  return new EngineError('unknown', oneLine(msg) || t('Unknown Docker error.'), FIX.unknown, detail);
}

/**
 * The registry an engine could not reach, from its resolver / dialer message: `Get "https://nvcr.io/v2/": dial
 * tcp: lookup nvcr.io on 10.0.0.53:53: no such host` → `nvcr.io`. Undefined when the message is not a network
 * failure towards a registry (a missing tag, a refused login, a manifest unknown).
 */
export function unreachableRegistry(message: string): string | undefined {
  const network =
    /dial tcp|no such host|server misbehaving|Temporary failure in name resolution|i\/o timeout|network is unreachable|connection refused|no route to host|TLS handshake timeout|request canceled while waiting for connection|Client\.Timeout exceeded/i;
  if (!network.test(message)) return undefined;
  const url = /"?https?:\/\/([^/"\s:]+)(?::\d+)?\//i.exec(message);
  if (url) return url[1];
  const lookup = /lookup ([^\s:]+)(?: on \S+)?: (?:no such host|server misbehaving|Temporary failure)/i.exec(message);
  return lookup?.[1];
}

/** A timeout `EngineError` for an operation the engine wrapper gave up on. */
export function timeoutError(operation: string, endpoint: string, ms: number): EngineError {
  return new EngineError(
    'timeout',
    t('The Docker engine at {0} did not answer "{1}" within {2}.', endpoint, operation, formatSeconds(ms)),
    FIX.timeout,
  );
}

/** A cancellation `EngineError`. */
export function cancelledError(operation: string, cause?: unknown): EngineError {
  return new EngineError('cancelled', t('"{0}" was cancelled.', operation), FIX.cancelled, { cause });
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
