/**
 * KubeClient's HTTP behaviour against a local node:http server standing in for the API server: what the real
 * cluster cannot be made to do on demand (a 401 that a fresh plugin credential cures, a watch stream split
 * mid-line, an ERROR event, a dropped connection). The real API server is in test/engine/kube/client.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeApiError, KubeClient, type ResolvedContext, type RunExec, type WatchEvent } from '../../../src/core/kube';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = () => undefined;
const server = http.createServer((req, res) => handler(req, res));
let base = '';

const status = (res: http.ServerResponse, code: number, reason: string, message: string): void => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
};

const ctx = (auth: ResolvedContext['auth'], server = base): ResolvedContext => ({
  contextName: 'c',
  clusterName: 'k',
  server,
  namespace: 'ns',
  tls: { insecureSkipVerify: false },
  auth,
  file: '/cfg/a.yaml',
});

async function rejects(p: Promise<unknown>): Promise<KubeApiError> {
  const e = await p.then(
    () => assert.fail('resolved'),
    (x: unknown) => x,
  );
  assert.ok(e instanceof KubeApiError, String(e));
  return e;
}

void describe('KubeClient over HTTP', () => {
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  after(() => server.close());

  void it('sends JSON with the token, query and path prefix; parses the answer', async () => {
    let seen: { url?: string; auth?: string; type?: string; body?: string; method?: string } = {};
    handler = (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = {
          url: req.url,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          body,
          method: req.method,
        };
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('{"kind":"Pod","metadata":{"name":"p"}}');
      });
    };
    const c = new KubeClient(ctx({ kind: 'token', token: 'tok' }));
    try {
      const pod = await c.request<{ kind: string }>('PATCH', '/api/v1/namespaces/ns/pods/p', {
        body: { a: 1 },
        query: { fieldManager: 'gpuc' },
        contentType: 'application/merge-patch+json',
      });
      assert.equal(pod.kind, 'Pod');
      assert.deepEqual(seen, {
        url: '/prefix/api/v1/namespaces/ns/pods/p?fieldManager=gpuc',
        auth: 'Bearer tok',
        type: 'application/merge-patch+json',
        body: '{"a":1}',
        method: 'PATCH',
      });
    } finally {
      c.dispose();
    }
  });

  void it('maps Status answers to kinds with the server message and reason', async () => {
    const c = new KubeClient(ctx({ kind: 'basic', username: 'u', password: 'p' }));
    try {
      for (const [code, reason, kind] of [
        [404, 'NotFound', 'notFound'],
        [409, 'AlreadyExists', 'conflict'],
        [403, 'Forbidden', 'forbidden'],
        [422, 'Invalid', 'invalid'],
        [410, 'Expired', 'gone'],
        [500, 'InternalError', 'other'],
      ] as const) {
        handler = (_req, res) => status(res, code, reason, `m${code}`);
        const e = await rejects(c.request('GET', '/x'));
        assert.deepEqual([e.status, e.reason, e.kind, e.message], [code, reason, kind, `m${code}`]);
      }
      handler = (_req, res) => {
        res.writeHead(502);
        res.end('<html>bad gateway</html>');
      };
      const e = await rejects(c.request('GET', '/x'));
      assert.equal(e.message, `The Kubernetes API at ${base} answered HTTP 502.`);
    } finally {
      c.dispose();
    }
  });

  void it('a 401 runs the exec plugin once more and retries once', async () => {
    let runs = 0;
    const run: RunExec = () => {
      runs++;
      const status = { token: `t${runs}` };
      return Promise.resolve({
        stdout: JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }),
        stderr: '',
        code: 0,
      });
    };
    const exec = {
      command: 'plug',
      args: [],
      env: {},
      apiVersion: 'client.authentication.k8s.io/v1',
      interactiveMode: 'Never' as const,
    };
    let valid = 't2';
    handler = (req, res) =>
      req.headers.authorization === `Bearer ${valid}`
        ? res.end('{"ok":true}')
        : status(res, 401, 'Unauthorized', 'Unauthorized');
    const c = new KubeClient(ctx({ kind: 'exec', exec }), { runExec: run });
    try {
      assert.deepEqual(await c.request('GET', '/x'), { ok: true });
      assert.equal(runs, 2);
      assert.deepEqual(await c.request('GET', '/x'), { ok: true });
      assert.equal(runs, 2, 'cached');
      valid = 'never';
      const e = await rejects(c.request('GET', '/x'));
      assert.equal(e.kind, 'unauthorized');
      assert.equal(runs, 3, 'one more run, one retry, then the 401 stands');
    } finally {
      c.dispose();
    }
  });

  void it('timeout, cancel and a refused connection', async () => {
    handler = () => undefined; // never answers
    const c = new KubeClient(ctx({ kind: 'none' }));
    try {
      assert.equal((await rejects(c.request('GET', '/x', { timeoutMs: 50 }))).kind, 'timeout');
      const ac = new AbortController();
      const p = c.request('GET', '/x', { signal: ac.signal });
      ac.abort();
      assert.equal((await rejects(p)).kind, 'cancelled');
    } finally {
      c.dispose();
    }
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const d = new KubeClient(ctx({ kind: 'none' }, `http://127.0.0.1:${port}`));
    const e = await rejects(d.request('GET', '/x'));
    assert.deepEqual([e.kind, e.status, e.code], ['unreachable', 0, 'ECONNREFUSED']);
    d.dispose();
  });

  void it('a watch streams events split mid-line, returns the last resourceVersion, rejects gone on an ERROR 410', async () => {
    const lines = [
      { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '11' } } },
      { type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } },
    ]
      .map((e) => JSON.stringify(e) + '\n')
      .join('');
    let url = '';
    handler = (req, res) => {
      url = req.url ?? '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const bytes = Buffer.from(lines);
      const step = (i: number): void => {
        if (i >= bytes.length) return void res.end();
        res.write(bytes.subarray(i, i + 7), () => step(i + 7));
      };
      step(0);
    };
    const c = new KubeClient(ctx({ kind: 'none' }));
    try {
      const seen: WatchEvent[] = [];
      const r = await c.watch('/api/v1/namespaces/ns/pods?labelSelector=a%3Db', {
        resourceVersion: '10',
        timeoutSeconds: 5,
        signal: new AbortController().signal,
        onEvent: (e) => seen.push(e),
      });
      assert.deepEqual(r, { resourceVersion: '12' });
      assert.deepEqual(
        seen.map((e) => e.type),
        ['ADDED', 'BOOKMARK'],
      );
      const q = new URL(url, 'http://x').searchParams;
      assert.deepEqual(Object.fromEntries(q), {
        labelSelector: 'a=b',
        watch: '1',
        allowWatchBookmarks: 'true',
        resourceVersion: '10',
        timeoutSeconds: '5',
      });

      handler = (_req, res) => {
        res.writeHead(200);
        res.write(
          JSON.stringify({
            type: 'ERROR',
            object: { kind: 'Status', message: 'too old resource version: 1 (99)', reason: 'Expired', code: 410 },
          }) + '\n',
        );
      };
      const gone = await rejects(c.watch('/x', { signal: new AbortController().signal, onEvent: () => undefined }));
      assert.deepEqual([gone.kind, gone.status, gone.reason], ['gone', 410, 'Expired']);

      handler = (_req, res) => {
        res.writeHead(200);
        res.write(lines.slice(0, 30), () => res.destroy());
      };
      const cut = await rejects(c.watch('/x', { signal: new AbortController().signal, onEvent: () => undefined }));
      assert.equal(cut.kind, 'unreachable');

      handler = (_req, res) => {
        res.writeHead(200);
        res.write(lines);
      };
      const ac = new AbortController();
      const w = c.watch('/x', { signal: ac.signal, onEvent: () => ac.abort() });
      assert.equal((await rejects(w)).kind, 'cancelled');
    } finally {
      c.dispose();
    }
  });
});
