import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadKubeconfig, resolveContext, type Kubeconfig, type KubeconfigInputs } from '../../../src/core/kube';

const HOME = '/home/ann';
const SECRET = 'sekr1t-T0KEN-value';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function load(files: Record<string, string>, over: Partial<KubeconfigInputs> = {}) {
  return loadKubeconfig({ env: {}, homedir: HOME, readFile: (p) => files[p], ...over });
}

function config(files: Record<string, string>, over: Partial<KubeconfigInputs> = {}): Kubeconfig {
  const r = load(files, over);
  assert.ok(r.config, r.problems.join('; '));
  return r.config;
}

const A = `/cfg/a.yaml`;
const B = `/cfg/sub/b.yaml`;
const FILE_A = `
apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab
  cluster: { server: "https://a.example:6443/", certificate-authority: ca.crt }
contexts:
- name: lab
  context: { cluster: lab, user: alice, namespace: alice }
- name: other
  context: { cluster: lab, user: bob }
users:
- name: alice
  user: { token: ${SECRET} }
`;
const FILE_B = `
current-context: from-b
clusters:
- name: lab
  cluster: { server: "https://b.example:6443" }
- name: lab-b
  cluster: { server: "http://127.0.0.1:8080", certificate-authority-data: ${b64('PEM-CA')}, insecure-skip-tls-verify: true, tls-server-name: kube }
contexts:
- name: lab
  context: { cluster: lab-b, user: bob }
- name: b-only
  context: { cluster: lab-b, user: bob }
users:
- name: bob
  user: { client-certificate: certs/bob.crt, client-key: /abs/bob.key }
`;

void describe('loadKubeconfig', () => {
  void it('reads ~/.kube/config when KUBECONFIG is unset', () => {
    const c = config({ [`${HOME}/.kube/config`]: FILE_A });
    assert.deepEqual(c.files, [`${HOME}/.kube/config`]);
    assert.equal(c.currentContext, 'lab');
  });

  void it('merges KUBECONFIG as kubectl does: first file setting a name wins, first current-context wins', () => {
    const env = { KUBECONFIG: ['', A, '/missing.yaml', B, A].join(path.delimiter) };
    const c = config({ [A]: FILE_A, [B]: FILE_B }, { env });
    assert.deepEqual(c.files, [A, B]);
    assert.equal(c.currentContext, 'lab');
    assert.equal(c.clusters.get('lab')?.file, A);
    assert.equal(c.clusters.get('lab-b')?.file, B);
    assert.equal(c.contexts.get('lab')?.value.cluster, 'lab');
    assert.deepEqual([...c.contexts.keys()], ['lab', 'other', 'b-only']);
    assert.equal(c.users.get('bob')?.file, B);
  });

  void it('takes current-context from a later file when the first has none', () => {
    const c = config({ [A]: 'clusters: []\n', [B]: FILE_B }, { env: { KUBECONFIG: `${A}${path.delimiter}${B}` } });
    assert.equal(c.currentContext, 'from-b');
  });

  void it('an explicit path wins over KUBECONFIG', () => {
    const c = config({ [A]: FILE_A, [B]: FILE_B }, { env: { KUBECONFIG: A }, path: B });
    assert.deepEqual(c.files, [B]);
  });

  void it('says which file is missing or broken, and the fix', () => {
    assert.match(load({}).problems.join(), /No kubeconfig at \/home\/ann\/.kube\/config\. Create it/);
    assert.match(
      load({}, { env: { KUBECONFIG: `/x${path.delimiter}/y` } }).problems.join(),
      /None of the files in KUBECONFIG/,
    );
    const bad = load({ [A]: 'clusters: [\n' }, { path: A });
    assert.equal(bad.config?.files.length ?? 0, 0);
    assert.match(bad.problems.join(), /\/cfg\/a\.yaml is not valid YAML/);
    const notList = load({ [A]: 'clusters: { a: 1 }\ncontexts:\n- context: {}\n' }, { path: A });
    assert.match(notList.problems[0], /"clusters" in \/cfg\/a\.yaml is not a list/);
    assert.match(notList.problems[1], /An entry of "contexts" in \/cfg\/a\.yaml has no name/);
    assert.deepEqual(load({ [A]: '' }, { path: A }).problems, [], 'an empty file is allowed');
  });
});

void describe('resolveContext', () => {
  const both = config({ [A]: FILE_A, [B]: FILE_B }, { env: { KUBECONFIG: `${A}${path.delimiter}${B}` } });

  void it('resolves the current context: server, namespace, paths relative to the file that set them', () => {
    const r = resolveContext(both);
    assert.ok(!('problem' in r));
    assert.equal(r.contextName, 'lab');
    assert.equal(r.server, 'https://a.example:6443');
    assert.equal(r.namespace, 'alice');
    assert.deepEqual(r.tls, { insecureSkipVerify: false, caPath: '/cfg/ca.crt' });
    assert.deepEqual(r.auth, { kind: 'token', token: SECRET });
    assert.equal(r.file, A);
  });

  void it('namespace: the override, else the context, else "default"; data fields decoded', () => {
    const r = resolveContext(both, 'b-only', 'team');
    assert.ok(!('problem' in r));
    assert.equal(r.namespace, 'team');
    assert.deepEqual(r.tls, {
      insecureSkipVerify: true,
      caData: 'PEM-CA',
      serverName: 'kube',
      certPath: '/cfg/sub/certs/bob.crt',
      keyPath: '/abs/bob.key',
    });
    assert.deepEqual(r.auth, { kind: 'none' });
    const d = resolveContext(both, 'other');
    assert.ok(!('problem' in d));
    assert.equal(d.namespace, 'default');
  });

  const user = (u: string) =>
    config(
      {
        [A]: `current-context: c\nclusters: [{ name: k, cluster: { server: "https://k:6443" } }]\ncontexts: [{ name: c, context: { cluster: k, user: u } }]\nusers:\n- name: u\n  user: ${u}\n`,
      },
      { path: A },
    );
  const auth = (u: string) => {
    const r = resolveContext(user(u));
    return 'problem' in r ? r : r.auth;
  };

  void it('every auth kind', () => {
    assert.deepEqual(auth(`{ token: ${SECRET}, tokenFile: t }`), { kind: 'token', token: SECRET });
    assert.deepEqual(auth('{ tokenFile: tok/en }'), { kind: 'tokenFile', path: '/cfg/tok/en' });
    assert.deepEqual(auth(`{ username: ann, password: ${SECRET} }`), {
      kind: 'basic',
      username: 'ann',
      password: SECRET,
    });
    assert.deepEqual(auth('{}'), { kind: 'none' });
    assert.deepEqual(
      auth(
        '{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ./bin/plug, args: [get, -o, json], env: [{ name: A, value: b }], installHint: "apt install plug", interactiveMode: Never } }',
      ),
      {
        kind: 'exec',
        exec: {
          command: '/cfg/bin/plug',
          args: ['get', '-o', 'json'],
          env: { A: 'b' },
          apiVersion: 'client.authentication.k8s.io/v1',
          installHint: 'apt install plug',
          interactiveMode: 'Never',
        },
      },
    );
    const bare = auth('{ exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin } }');
    assert.ok(!('problem' in bare) && bare.kind === 'exec');
    assert.equal(bare.exec.command, 'kubelogin', 'a bare name is looked up in PATH');
    assert.equal(bare.exec.interactiveMode, 'IfAvailable');
  });

  void it('client certificate data of the user', () => {
    const r = resolveContext(user(`{ client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')} }`));
    assert.ok(!('problem' in r));
    assert.equal(r.tls.certData, 'CERT');
    assert.equal(r.tls.keyData, 'KEY');
  });

  void it('problems name the context or file and the fix, never a credential', () => {
    const problems = [
      auth(`{ token: ${SECRET}, auth-provider: { name: oidc, config: { id-token: ${SECRET} } } }`),
      auth(`{ password: ${SECRET}, exec: { apiVersion: client.authentication.k8s.io/v1alpha1, command: x } }`),
      auth(`{ password: ${SECRET}, exec: { apiVersion: client.authentication.k8s.io/v1 } }`),
      resolveContext(both, 'nope'),
      resolveContext(config({ [A]: 'clusters: []\n' }, { path: A })),
      resolveContext(config({ [A]: 'contexts: [{ name: c, context: { cluster: k, user: u } }]\n' }, { path: A }), 'c'),
      resolveContext(config({ [A]: 'contexts: [{ name: c, context: { user: u } }]\n' }, { path: A }), 'c'),
      resolveContext(
        config(
          { [A]: `clusters: [{ name: k, cluster: {} }]\ncontexts: [{ name: c, context: { cluster: k } }]\n` },
          { path: A },
        ),
        'c',
      ),
      resolveContext(
        config(
          {
            [A]: `clusters: [{ name: k, cluster: { server: "k:6443" } }]\ncontexts: [{ name: c, context: { cluster: k } }]\n`,
          },
          { path: A },
        ),
        'c',
      ),
      resolveContext(
        config(
          {
            [A]: `clusters: [{ name: k, cluster: { server: "https://k" } }]\ncontexts: [{ name: c, context: { cluster: k, user: gone } }]\nusers: [{ name: u, user: { token: ${SECRET} } }]\n`,
          },
          { path: A },
        ),
        'c',
      ),
    ].map((p) => {
      assert.ok('problem' in p, JSON.stringify(p));
      return p.problem;
    });
    assert.match(problems[0], /User "u" in \/cfg\/a\.yaml uses the legacy auth-provider "oidc".*use an exec plugin/);
    assert.match(problems[1], /exec plugin apiVersion "client.authentication.k8s.io\/v1alpha1" is not supported/);
    assert.match(problems[2], /without a "command"/);
    assert.match(
      problems[3],
      /There is no context "nope" in \/cfg\/a\.yaml, \/cfg\/sub\/b\.yaml\. Use one of: lab, other, b-only\./,
    );
    assert.match(problems[4], /sets no current-context/);
    assert.match(problems[5], /names cluster "k", which is not defined/);
    assert.match(problems[6], /names no cluster/);
    assert.match(problems[7], /Cluster "k" in \/cfg\/a\.yaml has no "server"/);
    assert.match(problems[8], /not an https:\/\/ or http:\/\/ URL/);
    assert.match(problems[9], /names user "gone", which is not defined/);
    for (const p of problems) assert.ok(!p.includes(SECRET), p);
  });
});
