import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExecCredentialCache,
  KubeApiError,
  parseExecCredential,
  type KubeExecConfig,
  type RunExec,
} from '../../../src/core/kube';

const V1 = 'client.authentication.k8s.io/v1';
const SECRET = 'sekr1t-T0KEN-value';
const cred = (status: unknown, apiVersion = V1): string =>
  JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

void describe('parseExecCredential', () => {
  void it('a token, a certificate and key, an expiry', () => {
    assert.deepEqual(parseExecCredential(cred({ token: SECRET }), V1, 'plug'), { token: SECRET });
    assert.deepEqual(
      parseExecCredential(
        cred({ clientCertificateData: 'C', clientKeyData: 'K', expirationTimestamp: '2030-01-02T03:04:05Z' }),
        V1,
        'plug',
      ),
      { clientCertificateData: 'C', clientKeyData: 'K', expiresAt: Date.parse('2030-01-02T03:04:05Z') },
    );
  });

  void it('malformed output is a problem naming the command, never the output', () => {
    const bad = [
      'not json ' + SECRET,
      JSON.stringify({ kind: 'Other', status: { token: SECRET } }),
      cred({ token: SECRET }, 'client.authentication.k8s.io/v1beta1'),
      cred({ clientCertificateData: SECRET }),
      cred({ token: SECRET, expirationTimestamp: 'soon' }),
      'null',
    ].map((s) => parseExecCredential(s, V1, 'plug'));
    const problems = bad.map((r) => {
      assert.ok('problem' in r, JSON.stringify(r));
      return r.problem;
    });
    assert.match(problems[0], /plug did not print an ExecCredential/);
    assert.match(
      problems[2],
      /answered with apiVersion "client.authentication.k8s.io\/v1beta1" but the kubeconfig asks for "client.authentication.k8s.io\/v1"/,
    );
    assert.match(problems[3], /neither a token nor a client certificate and key/);
    assert.match(problems[4], /expirationTimestamp that is not a date/);
    for (const p of problems) assert.ok(!p.includes(SECRET), p);
  });
});

void describe('ExecCredentialCache', () => {
  const exec: KubeExecConfig = {
    command: 'plug',
    args: ['token'],
    env: { PLUG_MODE: 'x' },
    apiVersion: V1,
    installHint: 'Install plug: apt install plug',
    interactiveMode: 'Never',
  };

  void it('runs the plugin once for concurrent callers, again after expiry or invalidate', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const calls: Array<{ args: string[]; env: Record<string, string> }> = [];
    const run: RunExec = async (_c, args, env) => {
      calls.push({ args, env });
      await Promise.resolve();
      return {
        stdout: cred({ token: `t${calls.length}`, expirationTimestamp: '2030-01-01T00:10:00Z' }),
        stderr: '',
        code: 0,
      };
    };
    const cache = new ExecCredentialCache(exec, run, () => now);
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    assert.equal(a.token, 't1');
    assert.equal(b.token, 't1');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0].args, ['token']);
    assert.equal(calls[0].env.PLUG_MODE, 'x');
    assert.deepEqual(JSON.parse(calls[0].env.KUBERNETES_EXEC_INFO), {
      apiVersion: V1,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    assert.equal((await cache.get()).token, 't1');
    now += 11 * 60_000;
    assert.equal((await cache.get()).token, 't2');
    cache.invalidate();
    assert.equal((await cache.get()).token, 't3');
  });

  void it('a caller that gives up stops waiting; the run still serves the others', async () => {
    let finish: (r: { stdout: string; stderr: string; code: number }) => void = () => undefined;
    let runs = 0;
    const run: RunExec = () => {
      runs++;
      return new Promise((r) => (finish = r));
    };
    const cache = new ExecCredentialCache(exec, run);
    const ac = new AbortController();
    const gaveUp = cache.get(ac.signal);
    const waits = cache.get(new AbortController().signal);
    const reason = new KubeApiError({ status: 0, kind: 'cancelled', message: 'cancelled' });
    ac.abort(reason);
    await assert.rejects(gaveUp, (e) => e === reason);
    finish({ stdout: cred({ token: 'late' }), stderr: '', code: 0 });
    assert.equal((await waits).token, 'late');
    assert.equal(runs, 1);
  });

  void it('a missing command, a failing one, one needing a terminal: unauthorized, naming the command and its hint', async () => {
    const fail = async (run: RunExec, e: KubeExecConfig = exec): Promise<KubeApiError> => {
      const err = await new ExecCredentialCache(e, run).get().then(
        () => assert.fail('resolved'),
        (x: unknown) => x,
      );
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.kind, 'unauthorized');
      return err;
    };
    const enoent = Object.assign(new Error('spawn plug ENOENT'), { code: 'ENOENT' });
    const missing = await fail(() => Promise.resolve({ stdout: '', stderr: '', code: null, error: enoent }));
    assert.equal(
      missing.message,
      'The credential plugin plug of the kubeconfig is not installed (not found in PATH). Install plug: apt install plug',
    );
    const exit = await fail(() => Promise.resolve({ stdout: SECRET, stderr: SECRET, code: 3 }));
    assert.match(exit.message, /plug failed \(exit code 3\)/);
    assert.ok(!exit.message.includes(SECRET));
    const garbage = await fail(() => Promise.resolve({ stdout: SECRET, stderr: '', code: 0 }));
    assert.ok(!garbage.message.includes(SECRET));
    const always = await fail(() => assert.fail('must not run'), { ...exec, interactiveMode: 'Always' });
    assert.match(always.message, /needs a terminal/);
  });
});
