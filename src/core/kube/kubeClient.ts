/**
 * A small Kubernetes API client over node:http(s) (not @kubernetes/client-node: 2.x fails at require on
 * Node 20, which older VS Code extension hosts run). JSON in and out, one keep-alive agent per client, the
 * kubeconfig's TLS and auth (token, token file, basic, client certificate, exec plugins with client-go's
 * "ask again once on 401"), and watches streamed as newline-delimited JSON. Every failure is a KubeApiError.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import { ExecCredentialCache, defaultRunExec, type RunExec } from './execCredential';
import type { ResolvedContext } from './kubeContext';
import { KubeApiError, errorFromResponse, errorFromStatus, networkError, type KubeStatus } from './kubeError';
import { callSignal, failure, makeAgent, open, readBody, type AgentTls } from './kubeHttp';
import { WatchLines, parseWatchEvent, type WatchEvent } from './watchLines';
import { t } from '../l10n';

export type KubeMethod = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

export interface KubeRequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal;
  /** Default: the client's `defaultTimeoutMs` (30 s). */
  timeoutMs?: number;
  /** Default application/json; PATCH takes e.g. application/merge-patch+json. */
  contentType?: string;
}

export interface KubeWatchOptions {
  resourceVersion?: string;
  signal: AbortSignal;
  /** Asks the server to end the watch after this long (it then ends the stream and `watch` resolves). */
  timeoutSeconds?: number;
  onEvent: (e: WatchEvent) => void;
}

export interface KubeClientOptions {
  /** Reads a file of the kubeconfig (CA, client certificate/key, token file). Default: fs.readFileSync. */
  readFileBytes?: (p: string) => Buffer;
  /** Runs an exec credential plugin. Default: child_process.execFile (argv, no shell). */
  runExec?: RunExec;
  defaultTimeoutMs?: number;
  now?: () => number;
}

/** Idle time before TCP keep-alive probes on a watch's connection. */
const WATCH_KEEPALIVE_MS = 15_000;

export class KubeClient {
  /** The server as messages show it: scheme, host and path prefix (never userinfo). */
  readonly server: string;
  private readonly base: URL;
  private readonly readFileBytes: (p: string) => Buffer;
  private readonly exec?: ExecCredentialCache;
  private readonly defaultTimeoutMs: number;
  private agent?: http.Agent;
  /** The client certificate the agent was made with (exec plugins may rotate it). */
  private agentCert?: string;
  private readonly retired: http.Agent[] = [];
  private disposed = false;

  constructor(
    readonly context: ResolvedContext,
    opts: KubeClientOptions = {},
  ) {
    this.base = new URL(context.server);
    this.server = this.base.origin + this.base.pathname.replace(/\/+$/, '');
    this.readFileBytes = opts.readFileBytes ?? ((p) => fs.readFileSync(p));
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 30_000;
    if (context.auth.kind === 'exec')
      this.exec = new ExecCredentialCache(context.auth.exec, opts.runExec ?? defaultRunExec, opts.now);
  }

  /** One call, JSON in and out; the parsed answer (undefined for an empty one). */
  async request<T>(method: KubeMethod, path: string, opts: KubeRequestOptions = {}): Promise<T> {
    const call = callSignal(this.server, opts.signal, opts.timeoutMs ?? this.defaultTimeoutMs);
    try {
      const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
      const res = await this.send(method, this.url(path, opts.query), body, opts.contentType, call.signal);
      const text = await readBody(res, call.signal, this.server);
      if (!text.trim()) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new KubeApiError({
          status: res.statusCode ?? 0,
          kind: 'other',
          message: t(
            'The Kubernetes API at {0} answered {1} {2} with something that is not JSON.',
            this.server,
            method,
            path,
          ),
        });
      }
    } finally {
      call.done();
    }
  }

  /**
   * Watches `path` (a list URL, optionally with its own query such as labelSelector) from `resourceVersion`,
   * calling `onEvent` for each event. Resolves when the server ends the stream, with the last resourceVersion
   * seen (bookmarks included); rejects KubeApiError `gone` when that version is too old (HTTP 410 or an ERROR
   * event with a 410 Status), `cancelled` when `signal` aborts.
   */
  async watch(path: string, opts: KubeWatchOptions): Promise<{ resourceVersion?: string }> {
    const call = callSignal(this.server, opts.signal, undefined);
    const query: Record<string, string> = { watch: '1', allowWatchBookmarks: 'true' };
    if (opts.resourceVersion) query.resourceVersion = opts.resourceVersion;
    if (opts.timeoutSeconds) query.timeoutSeconds = String(opts.timeoutSeconds);
    try {
      const res = await this.send('GET', this.url(path, query), undefined, undefined, call.signal, WATCH_KEEPALIVE_MS);
      return await this.stream(res, call.signal, opts);
    } finally {
      call.done();
    }
  }

  /** Closes the agent's connections; the client is unusable afterwards. */
  dispose(): void {
    this.disposed = true;
    this.agent?.destroy();
    for (const a of this.retired) a.destroy();
    this.agent = undefined;
  }

  private stream(
    res: http.IncomingMessage,
    signal: AbortSignal,
    opts: KubeWatchOptions,
  ): Promise<{ resourceVersion?: string }> {
    return new Promise((resolve, reject) => {
      let resourceVersion = opts.resourceVersion;
      let settled = false;
      const lines = new WatchLines();
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        res.destroy();
        reject(e instanceof KubeApiError ? e : failure(signal, e, this.server));
      };
      const onAbort = (): void => fail(failure(signal, undefined, this.server));
      const handle = (line: string): void => {
        const ev = parseWatchEvent(line);
        if (!ev || settled) return;
        if (ev.type === 'ERROR') return fail(errorFromStatus(ev.object as KubeStatus, 500, this.server));
        const rv: unknown = (ev.object as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
        if (typeof rv === 'string' && rv) resourceVersion = rv;
        try {
          opts.onEvent(ev);
        } catch (e) {
          fail(e);
        }
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      res.on('data', (chunk: Buffer) => lines.push(chunk).forEach(handle));
      res.on('end', () => {
        lines.end().forEach(handle);
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(resourceVersion === undefined ? {} : { resourceVersion });
      });
      res.on('error', fail);
      // A connection cut mid-stream closes without 'end'.
      res.on('close', () => {
        if (!res.complete) fail(networkError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), this.server));
      });
    });
  }

  private url(path: string, query?: Record<string, string>): URL {
    const url = new URL(this.server + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url;
  }

  /** Sends with credentials; a 2xx answer's head, else the answer's Status as a KubeApiError. */
  private async send(
    method: KubeMethod,
    url: URL,
    body: Buffer | undefined,
    contentType: string | undefined,
    signal: AbortSignal,
    keepAliveMs?: number,
  ): Promise<http.IncomingMessage> {
    if (this.disposed)
      throw new KubeApiError({
        status: 0,
        kind: 'cancelled',
        message: t('The Kubernetes client of {0} was closed.', this.server),
      });
    for (let attempt = 0; ; attempt++) {
      const { headers, cert } = await this.credentials(signal);
      headers.Accept = 'application/json';
      headers['User-Agent'] = 'gpu-containers';
      if (body) {
        headers['Content-Type'] = contentType ?? 'application/json';
        headers['Content-Length'] = String(body.length);
      }
      const agent = this.agentFor(cert);
      const res = await open(
        { method, url, headers, agent, signal, keepAliveMs, ...(body ? { body } : {}) },
        this.server,
      );
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      const text = await readBody(res, signal, this.server);
      // client-go: a 401 with an exec plugin's credential asks the plugin once more, then retries once.
      if (status === 401 && this.exec && attempt === 0) {
        this.exec.invalidate();
        continue;
      }
      throw errorFromResponse(status, text, this.server);
    }
  }

  private async credentials(
    signal: AbortSignal,
  ): Promise<{ headers: Record<string, string>; cert?: { cert: string; key: string } }> {
    const auth = this.context.auth;
    switch (auth.kind) {
      case 'token':
        return { headers: { Authorization: `Bearer ${auth.token}` } };
      case 'tokenFile': {
        // Read on each call, as client-go rereads it: a projected token file rotates.
        const token = this.read(auth.path, 'tokenFile').toString('utf8').trim();
        return { headers: { Authorization: `Bearer ${token}` } };
      }
      case 'basic':
        return {
          headers: { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` },
        };
      case 'exec': {
        const c = await this.exec!.get(signal);
        const headers: Record<string, string> = c.token ? { Authorization: `Bearer ${c.token}` } : {};
        return c.clientCertificateData && c.clientKeyData
          ? { headers, cert: { cert: c.clientCertificateData, key: c.clientKeyData } }
          : { headers };
      }
      default:
        return { headers: {} };
    }
  }

  private read(p: string, what: string): Buffer {
    try {
      return this.readFileBytes(p);
    } catch (e) {
      throw new KubeApiError({
        status: 0,
        kind: what === 'tokenFile' ? 'unauthorized' : 'other',
        code: (e as NodeJS.ErrnoException).code,
        message: t(
          'Cannot read {0} ({1} of context "{2}" in {3}). Fix the path in the kubeconfig.',
          p,
          what,
          this.context.contextName,
          this.context.file,
        ),
      });
    }
  }

  private agentFor(execCert?: { cert: string; key: string }): http.Agent {
    const certKey = execCert?.cert ?? '';
    if (this.agent && this.agentCert === certKey) return this.agent;
    if (this.agent) this.retired.push(this.agent); // in-flight calls (a watch) keep their sockets until dispose
    const tls = this.context.tls;
    const opts: AgentTls = { rejectUnauthorized: !tls.insecureSkipVerify };
    if (tls.serverName) opts.servername = tls.serverName;
    if (tls.caData) opts.ca = tls.caData;
    else if (tls.caPath) opts.ca = this.read(tls.caPath, 'certificate-authority');
    if (execCert) {
      opts.cert = execCert.cert;
      opts.key = execCert.key;
    } else {
      if (tls.certData) opts.cert = tls.certData;
      else if (tls.certPath) opts.cert = this.read(tls.certPath, 'client-certificate');
      if (tls.keyData) opts.key = tls.keyData;
      else if (tls.keyPath) opts.key = this.read(tls.keyPath, 'client-key');
    }
    this.agent = makeAgent(this.base.protocol, opts);
    this.agentCert = certKey;
    return this.agent;
  }
}
