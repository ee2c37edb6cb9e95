/**
 * The node:http(s) plumbing under KubeClient: one call opened on an agent, its body read, aborts (the caller's
 * signal or our deadline) turned into the KubeApiError they mean.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { cancelledError, KubeApiError, networkError, timeoutError } from './kubeError';

/** A signal that aborts with a KubeApiError: `cancelled` when `outer` aborts, `timeout` after `timeoutMs`. */
export function callSignal(
  server: string,
  outer: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal; done: () => void } {
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(cancelledError(server));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs && timeoutMs > 0 ? setTimeout(() => ctl.abort(timeoutError(server, timeoutMs)), timeoutMs) : undefined;
  return {
    signal: ctl.signal,
    done: () => {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** Why a call stopped: the signal's KubeApiError when it was aborted, else the network failure. */
export function failure(signal: AbortSignal, e: unknown, server: string): KubeApiError {
  if (signal.aborted) return signal.reason instanceof KubeApiError ? signal.reason : cancelledError(server);
  return e instanceof KubeApiError ? e : networkError(e as NodeJS.ErrnoException, server);
}

export interface OpenCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  agent: http.Agent;
  signal: AbortSignal;
  /** TCP keep-alive probes after this much idle time (a watch notices a dead connection without polling). */
  keepAliveMs?: number;
}

/** Sends the call; resolves with the answer's head (any status), rejects with a KubeApiError. */
export function open(call: OpenCall, server: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (call.signal.aborted) return reject(failure(call.signal, undefined, server));
    const mod = call.url.protocol === 'http:' ? http : https;
    const req = mod.request(call.url, { method: call.method, headers: call.headers, agent: call.agent }, (res) => {
      call.signal.removeEventListener('abort', onAbort);
      resolve(res);
    });
    const onAbort = (): void => {
      req.destroy();
      reject(failure(call.signal, undefined, server));
    };
    call.signal.addEventListener('abort', onAbort, { once: true });
    if (call.keepAliveMs) req.on('socket', (s) => s.setKeepAlive(true, call.keepAliveMs));
    req.on('error', (e) => {
      call.signal.removeEventListener('abort', onAbort);
      reject(failure(call.signal, e, server));
    });
    req.end(call.body);
  });
}

/** The whole body of an answer as text. */
export function readBody(res: http.IncomingMessage, signal: AbortSignal, server: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onAbort = (): void => {
      res.destroy();
      reject(failure(signal, undefined, server));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(failure(signal, e, server));
    });
  });
}

/** TLS options of the agent: PEM text or bytes read from the kubeconfig's paths. */
export interface AgentTls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** One keep-alive agent per client (per client certificate, for exec plugins that hand out certificates). */
export function makeAgent(protocol: string, tls: AgentTls): http.Agent {
  if (protocol === 'http:') return new http.Agent({ keepAlive: true, keepAliveMsecs: 15_000 });
  return new https.Agent({ keepAlive: true, keepAliveMsecs: 15_000, ...tls });
}
