/**
 * KubeClient against the rig's real cluster (scripts/rig/k8s.sh): alice's token, exec-plugin and client-cert
 * contexts, a user with no rights, pod create/get/delete, a watch that sees its pod come, change and go, and a
 * watch from a compacted resourceVersion. Pods are named per run and labelled with the run; the admin context
 * deletes them by that label. Skips, saying why, where the rig was never set up.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeApiError, KubeClient, loadKubeconfig, resolveContext, type WatchEvent } from '../../../src/core/kube';
import * as rig from './rig';

const kubeconfig = rig.kubeconfig;
const skip = rig.skip;

const RUN = `kc${randomBytes(3).toString('hex')}`;
const LABEL = 'gpu-containers-test/run';
const NS = 'alice';
const PODS = `/api/v1/namespaces/${NS}/pods`;

const clients: KubeClient[] = [];
function client(context: string): KubeClient {
  const { config, problems } = loadKubeconfig({
    env: {},
    homedir: os.homedir(),
    readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined),
    path: kubeconfig,
  });
  assert.ok(config, problems.join('; '));
  const r = resolveContext(config, context);
  assert.ok(!('problem' in r), 'problem' in r ? r.problem : '');
  const c = new KubeClient(r);
  clients.push(c);
  return c;
}

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { [LABEL]: RUN } as Record<string, string> },
  spec: {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 0,
    containers: [
      {
        name: 'main',
        image: 'gpu-containers-test/busybox:1',
        imagePullPolicy: 'IfNotPresent',
        command: ['sleep', '3600'],
      },
    ],
  },
});

async function rejects(p: Promise<unknown>): Promise<KubeApiError> {
  const e = await p.then(
    () => assert.fail('resolved'),
    (x: unknown) => x,
  );
  assert.ok(e instanceof KubeApiError, String(e));
  return e;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface PodList {
  kind: string;
  metadata: { resourceVersion: string };
  items: Array<{ metadata: { name: string } }>;
}

void describe('KubeClient on the rig cluster', { skip }, () => {
  after(async () => {
    try {
      await client('gpuc-admin').request('DELETE', PODS, {
        query: { labelSelector: `${LABEL}=${RUN}`, gracePeriodSeconds: '0' },
      });
    } finally {
      for (const c of clients) c.dispose();
    }
  });

  void it('alice lists, creates, gets and deletes a pod with her token', async () => {
    const alice = client('gpuc-alice');
    assert.equal(alice.context.namespace, NS);
    const list = await alice.request<PodList>('GET', PODS, { query: { labelSelector: `${LABEL}=${RUN}` } });
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.items, []);
    const name = `gpuc-${RUN}-crud`;
    const created = await alice.request<{ metadata: { uid: string } }>('POST', PODS, { body: pod(name) });
    assert.ok(created.metadata.uid);
    const again = await rejects(alice.request('POST', PODS, { body: pod(name) }));
    assert.deepEqual([again.kind, again.status, again.reason], ['conflict', 409, 'AlreadyExists']);
    const got = await alice.request<{ metadata: { uid: string; labels: Record<string, string> } }>(
      'GET',
      `${PODS}/${name}`,
    );
    assert.equal(got.metadata.uid, created.metadata.uid);
    assert.equal(got.metadata.labels[LABEL], RUN);
    await alice.request('DELETE', `${PODS}/${name}`, { query: { gracePeriodSeconds: '0' } });
    await waitFor('the pod to be gone', async () => {
      const e = await alice.request('GET', `${PODS}/${name}`).then(
        () => undefined,
        (x: unknown) => x,
      );
      return e instanceof KubeApiError && e.kind === 'notFound' && e.reason === 'NotFound';
    });
  });

  void it('a user without rights gets forbidden with the server message; a bad token unauthorized', async () => {
    const e = await rejects(client('gpuc-nobody').request('GET', PODS));
    assert.deepEqual([e.kind, e.status, e.reason], ['forbidden', 403, 'Forbidden']);
    assert.match(e.message, /User "nobody" cannot list resource "pods"/);
    const alice = client('gpuc-alice');
    const wrong = new KubeClient({ ...alice.context, auth: { kind: 'token', token: 'not-a-token' } });
    clients.push(wrong);
    const u = await rejects(wrong.request('GET', PODS));
    assert.deepEqual([u.kind, u.status, u.reason], ['unauthorized', 401, 'Unauthorized']);
    assert.ok(!u.message.includes('not-a-token'));
    const team = await rejects(alice.request('GET', '/api/v1/namespaces/team-empty/pods'));
    assert.equal(team.kind, 'forbidden');
  });

  void it('the exec-plugin and client-certificate contexts are alice too', async () => {
    for (const ctx of ['gpuc-alice-exec', 'gpuc-alice-cert']) {
      const c = client(ctx);
      const list = await c.request<PodList>('GET', PODS);
      assert.equal(list.kind, 'PodList', ctx);
      const review = await c.request<{ status: { allowed: boolean } }>(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace: NS, verb: 'create', resource: 'pods', subresource: 'exec' } },
          },
        },
      );
      assert.equal(review.status.allowed, true, ctx);
    }
    const exec = client('gpuc-alice-exec').context;
    assert.equal(exec.auth.kind, 'exec');
    if (exec.auth.kind !== 'exec') return;
    const missing = new KubeClient({
      ...exec,
      auth: {
        kind: 'exec',
        exec: {
          ...exec.auth.exec,
          command: `gpuc-no-such-plugin-${RUN}`,
          installHint: 'Install it from the lab wiki.',
        },
      },
    });
    clients.push(missing);
    const e = await rejects(missing.request('GET', PODS));
    assert.equal(e.kind, 'unauthorized');
    assert.match(
      e.message,
      new RegExp(`gpuc-no-such-plugin-${RUN} of the kubeconfig is not installed.*Install it from the lab wiki\\.`),
    );
  });

  void it('relative CA, token-file and client-certificate paths of a kubeconfig elsewhere; a wrong CA fails TLS', async () => {
    const alice = client('gpuc-alice').context;
    const cert = client('gpuc-alice-cert').context;
    assert.ok(alice.auth.kind === 'token' && alice.tls.caData && cert.tls.certData && cert.tls.keyData);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-kube-'));
    try {
      fs.mkdirSync(path.join(dir, 'creds'));
      fs.writeFileSync(path.join(dir, 'creds', 'ca.crt'), alice.tls.caData);
      fs.writeFileSync(path.join(dir, 'creds', 'token'), `${alice.auth.token}\n`, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, 'creds', 'alice.crt'), cert.tls.certData);
      fs.writeFileSync(path.join(dir, 'creds', 'alice.key'), cert.tls.keyData, { mode: 0o600 });
      const file = path.join(dir, 'config');
      fs.writeFileSync(
        file,
        [
          'clusters: [{ name: k, cluster: { server: "' + alice.server + '", certificate-authority: creds/ca.crt } }]',
          'users:',
          '- { name: f, user: { tokenFile: creds/token } }',
          '- { name: c, user: { client-certificate: creds/alice.crt, client-key: creds/alice.key } }',
          'contexts:',
          '- { name: by-file, context: { cluster: k, user: f, namespace: alice } }',
          '- { name: by-cert, context: { cluster: k, user: c, namespace: alice } }',
        ].join('\n'),
      );
      const { config } = loadKubeconfig({
        env: { KUBECONFIG: file },
        homedir: os.homedir(),
        readFile: (p) => fs.readFileSync(p, 'utf8'),
      });
      assert.ok(config);
      for (const name of ['by-file', 'by-cert']) {
        const r = resolveContext(config, name);
        assert.ok(!('problem' in r), 'problem' in r ? r.problem : '');
        const c = new KubeClient(r);
        clients.push(c);
        assert.equal((await c.request<PodList>('GET', PODS)).kind, 'PodList', name);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const noCa = new KubeClient({ ...alice, tls: { insecureSkipVerify: false } });
    clients.push(noCa);
    const e = await rejects(noCa.request('GET', PODS));
    assert.equal(e.kind, 'unreachable');
    assert.match(e.code ?? '', /CERT|SELF_SIGNED|UNABLE_TO/);
    assert.match(e.message, /failed the TLS check/);
  });

  void it('a watch sees its pod added, modified and deleted, and ends when the server ends it', async () => {
    const alice = client('gpuc-alice');
    const admin = client('gpuc-admin');
    const name = `gpuc-${RUN}-watch`;
    const selector = `${LABEL}=${RUN},gpu-containers-test/name=${name}`;
    const list = await alice.request<PodList>('GET', PODS, { query: { labelSelector: selector } });
    const seen: WatchEvent[] = [];
    const ac = new AbortController();
    const watching = alice.watch(`${PODS}?labelSelector=${encodeURIComponent(selector)}`, {
      resourceVersion: list.metadata.resourceVersion,
      signal: ac.signal,
      onEvent: (e) => seen.push(e),
    });
    const types = (): string[] => seen.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type);
    try {
      const body = pod(name);
      body.metadata.labels['gpu-containers-test/name'] = name;
      await alice.request('POST', PODS, { body });
      await waitFor('ADDED', () => types().includes('ADDED'));
      // alice may not patch; the admin changes a label, which alice's watch sees.
      await admin.request('PATCH', `${PODS}/${name}`, {
        body: { metadata: { labels: { 'gpu-containers-test/touched': 'yes' } } },
        contentType: 'application/merge-patch+json',
      });
      await waitFor('MODIFIED with the label', () =>
        seen.some((e) => e.type === 'MODIFIED' && e.object.metadata.labels['gpu-containers-test/touched'] === 'yes'),
      );
      await alice.request('DELETE', `${PODS}/${name}`, { query: { gracePeriodSeconds: '0' } });
      await waitFor('DELETED', () => types().includes('DELETED'));
      assert.equal(types()[0], 'ADDED');
      assert.ok(seen.every((e) => e.object.metadata.name === name || e.type === 'BOOKMARK'));
    } finally {
      ac.abort();
    }
    const stopped = await rejects(watching);
    assert.equal(stopped.kind, 'cancelled');

    const ended = await alice.watch(PODS, {
      resourceVersion: list.metadata.resourceVersion,
      timeoutSeconds: 1,
      signal: new AbortController().signal,
      onEvent: () => undefined,
    });
    assert.match(
      ended.resourceVersion ?? '',
      /^\d+$/,
      'the server ended the stream; the last resourceVersion came back',
    );
  });

  void it('a watch from a compacted resourceVersion is gone', async () => {
    const e = await rejects(
      client('gpuc-alice').watch(PODS, {
        resourceVersion: '1',
        signal: new AbortController().signal,
        onEvent: () => undefined,
      }),
    );
    assert.deepEqual([e.kind, e.status], ['gone', 410]);
    // The API server (v1.34, watch cache) answers HTTP 200 and then an ERROR event: a Status 410 Expired.
    assert.equal(e.reason, 'Expired');
  });
});
