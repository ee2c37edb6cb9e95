import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlExecArgs, kubectlLogsArgs, kubectlPortForwardArgs } from '../../../src/core/kube/kubectlArgs';
import { parseHostsSetting } from '../../../src/core/hosts/hostsSetting';
import { resolveHosts } from '../../../src/core/hosts/endpoints';

void describe('kubectl argv for terminals', () => {
  const ep = { kube: { context: 'lab', namespace: 'alice' } };
  void it('exec: context and namespace first, bash else sh run inside the pod', () => {
    assert.deepEqual(kubectlExecArgs(ep, 'bert'), [
      '--context',
      'lab',
      '--namespace',
      'alice',
      'exec',
      '-it',
      'bert',
      '-c',
      'main',
      '--',
      'sh',
      '-c',
      'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi',
    ]);
    assert.deepEqual(kubectlExecArgs({ kube: { kubeconfig: '/k' } }, 'bert', 'zsh'), [
      '--kubeconfig',
      '/k',
      'exec',
      '-it',
      'bert',
      '-c',
      'main',
      '--',
      'zsh',
    ]);
  });
  void it("logs -f and port-forward on the profile's local ports", () => {
    assert.deepEqual(kubectlLogsArgs(ep, 'bert').slice(4), ['logs', '-f', 'bert', '-c', 'main']);
    assert.deepEqual(kubectlPortForwardArgs(ep, 'bert', [{ containerPort: 8888, localPort: 18888 }]).slice(4), [
      'port-forward',
      'pod/bert',
      '18888:8888',
    ]);
  });
});

void describe('a Kubernetes host entry', () => {
  void it('parses, resolves to a kubernetes endpoint, and is not local', () => {
    const { hosts, problems } = parseHostsSetting(
      [{ name: 'cluster', kubernetes: { context: 'lab', namespace: 'alice' } }],
      'linux',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(hosts, [
      { name: 'cluster', kind: 'kubernetes', kubernetes: { context: 'lab', namespace: 'alice' } },
    ]);
    const [r] = resolveHosts(hosts, { env: {}, homedir: '/h', readFile: () => undefined });
    assert.equal(r.endpoint.kind, 'kubernetes');
    assert.equal(r.endpoint.engine, 'kubernetes');
    assert.equal(r.endpoint.host, 'kubernetes://lab/alice');
    assert.equal(r.local, false);
    assert.equal(parseHostsSetting([{ kubernetes: {} }], 'linux').hosts[0].name, 'kubernetes');
  });
  void it('bad entries are named with the fix, and never half-used', () => {
    const bad = [
      [{ name: 'c', kubernetes: 'lab' }, 'hosts[0].kubernetes'],
      [{ name: 'c', kubernetes: { namespace: 'Alice_NS' } }, 'hosts[0].kubernetes.namespace'],
      [{ name: 'c', kubernetes: { context: '' } }, 'hosts[0].kubernetes.context'],
      [{ name: 'c', kubernetes: {}, host: 'ssh://x' }, 'hosts[0]'],
    ] as const;
    for (const [entry, field] of bad) {
      const r = parseHostsSetting([entry], 'linux');
      assert.deepEqual(r.hosts, [], JSON.stringify(entry));
      assert.ok(
        r.problems.some((p) => p.field === `gpuContainers.${field}` && p.severity === 'error'),
        JSON.stringify(r.problems),
      );
    }
    const unknown = parseHostsSetting([{ name: 'c', kubernetes: { cluster: 'x' } }], 'linux');
    assert.equal(unknown.hosts.length, 1);
    assert.equal(unknown.problems[0].severity, 'warning');
  });
});
