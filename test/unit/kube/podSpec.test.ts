import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeProblems, podNameOf, toPod } from '../../../src/core/kube/podSpec';
import { parseProfiles, toCreateOptions, type Profile, type ProfileContext } from '../../../src/core/profiles';
import { parseVolumeSpec } from '../../../src/core/profiles/fieldsMount';

const ctx: ProfileContext = {
  userHome: '/home/alice',
  user: 'alice',
  uid: 1000,
  gid: 1000,
  env: { HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz', PLAIN: 'x' },
  workspaceFolder: '/home/alice/proj',
};

function profile(raw: Record<string, unknown>): Profile {
  const r = parseProfiles([{ name: 'bert', image: 'pytorch:24', ...raw }], { source: 'user' });
  assert.deepEqual(
    r.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return r.profiles[0];
}

function plan(raw: Record<string, unknown>) {
  const p = profile(raw);
  const built = toCreateOptions(p, ctx, { forKubernetes: true });
  assert.deepEqual(
    built.problems.filter((x) => x.severity === 'error'),
    [],
  );
  return { p, ...toPod(p, built.options, { uid: ctx.uid, gid: ctx.gid }) };
}

void describe('kubeProblems: every field that has no pod equivalent, named before anything is created', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['gpus all', { gpus: 'all' }, 'gpus'],
    ['gpu ids', { gpus: 'device=0,2' }, 'gpus'],
    ['free with memory', { gpus: { free: 1, minFreeMemory: '40g' } }, 'gpus.minFreeMemory'],
    ['free with model', { gpus: { free: 1, model: 'H100' } }, 'gpus.model'],
    ['ipc container:x', { ipc: 'container:other' }, 'ipc'],
    ['docker network', { network: 'mynet' }, 'network'],
    ['named volume', { volumes: ['cache:/root/.cache'] }, 'volumes[0]'],
    ['local folder', { volumes: ['${workspaceFolder}:/workspace'] }, 'volumes[0]'],
    ['home folder', { volumes: ['~/.cache/huggingface:/root/.cache/huggingface'] }, 'volumes[0]'],
    ['exec user', { execUser: 'root' }, 'execUser'],
    ['user by name', { user: 'alice' }, 'user'],
    ['auto remove', { autoRemove: true }, 'autoRemove'],
    ['ulimits', { ulimits: ['nofile=1024:2048'] }, 'ulimits'],
    ['init', { init: true }, 'init'],
    ['devices', { devices: ['/dev/fuse'] }, 'devices'],
    ['seccomp profile file', { securityOpt: ['apparmor=unconfined'] }, 'securityOpt[0]'],
  ];
  for (const [what, raw, field] of cases)
    void it(`${what} → a "${field}" error`, () => {
      const ps = kubeProblems(profile(raw));
      assert.ok(
        ps.some((p) => p.field === field && p.severity === 'error' && p.message.length > 20),
        JSON.stringify(ps),
      );
    });

  void it('a profile of mapped fields has none', () => {
    const p = profile({
      gpus: 2,
      shmSize: '16g',
      ipc: 'host',
      env: { A: '1' },
      ports: ['30000:30000'],
      volumes: ['/data/models:/models:ro', 'pvc:datasets:/data', '/scratch'],
      user: '1000:1000',
      workdir: '/workspace',
      cpus: '4',
      memory: '32g',
      capAdd: ['SYS_PTRACE'],
      securityOpt: ['no-new-privileges'],
      extraHosts: ['db:10.0.0.2'],
      command: ['python', 'train.py'],
    });
    assert.deepEqual(kubeProblems(p), []);
  });
});

void describe('toPod', () => {
  void it("maps the researcher's docker run as a pod", () => {
    const { pod, secretEnv, ports } = plan({
      gpus: { free: 2 },
      shmSize: '16g',
      env: { HF_TOKEN: '${env:HF_TOKEN}', PLAIN: '${env:PLAIN}', MODE: 'train' },
      ports: ['30000:30000'],
      volumes: ['/data/models:/models:ro', 'pvc:datasets:/data', '/scratch'],
      user: '1000:1001',
      workdir: '/workspace',
      cpus: '1.5',
      memory: '8g',
    });
    const c = pod.spec.containers[0];
    assert.equal(c.image, 'pytorch:24');
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(c.resources?.limits, { 'nvidia.com/gpu': '2', cpu: '1500m', memory: String(8 * 1024 ** 3) });
    assert.deepEqual(c.securityContext, { runAsUser: 1000, runAsGroup: 1001 });
    assert.equal(c.workingDir, '/workspace');
    assert.equal(c.tty, true);
    assert.equal(c.stdin, true);
    // The token is never a literal of the pod: it is a Secret reference.
    assert.ok(!JSON.stringify(pod).includes('hf_abcdefghijklmnopqrstuvwxyz'));
    assert.deepEqual(secretEnv, { HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz' });
    assert.deepEqual(
      c.env?.find((e) => e.name === 'HF_TOKEN'),
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: `${pod.metadata.name}-env`, key: 'HF_TOKEN' } } },
    );
    assert.deepEqual(
      c.env?.find((e) => e.name === 'PLAIN'),
      { name: 'PLAIN', value: 'x' },
    );
    const byPath = Object.fromEntries(
      (c.volumeMounts ?? []).map((m) => [m.mountPath, pod.spec.volumes?.find((v) => v.name === m.name)]),
    );
    assert.deepEqual(byPath['/dev/shm']?.emptyDir, { medium: 'Memory', sizeLimit: String(16 * 1024 ** 3) });
    assert.deepEqual(byPath['/models']?.hostPath, { path: '/data/models' });
    assert.deepEqual(byPath['/data']?.persistentVolumeClaim, { claimName: 'datasets' });
    assert.deepEqual(byPath['/scratch']?.emptyDir, {});
    assert.equal(c.volumeMounts?.find((m) => m.mountPath === '/models')?.readOnly, true);
    assert.deepEqual(ports, [{ containerPort: 30000, localPort: 30000 }]);
    assert.equal(pod.spec.restartPolicy, 'Never');
    // Ours are labels where the value fits, annotations always.
    assert.equal(pod.metadata.labels?.['gpu-containers.owner'], 'alice');
    assert.equal(pod.metadata.annotations?.['gpu-containers.profile'], 'bert');
  });

  void it('gpus N is a limit of nvidia.com/gpu; a MIG request names its MIG resource', () => {
    assert.deepEqual(plan({ gpus: 1 }).pod.spec.containers[0].resources?.limits, { 'nvidia.com/gpu': '1' });
    assert.deepEqual(plan({ gpus: { free: 1, mig: '1g.10gb' } }).pod.spec.containers[0].resources?.limits, {
      'nvidia.com/mig-1g.10gb': '1',
    });
    assert.equal(plan({}).pod.spec.containers[0].resources, undefined);
  });

  void it('host IPC and network, capabilities and no-new-privileges, host aliases, a command', () => {
    const { pod } = plan({
      ipc: 'host',
      network: 'host',
      capAdd: ['CAP_SYS_PTRACE'],
      securityOpt: ['no-new-privileges'],
      extraHosts: ['db:10.0.0.2'],
      command: ['python', 'train.py'],
      restart: 'always',
    });
    assert.equal(pod.spec.hostIPC, true);
    assert.equal(pod.spec.hostNetwork, true);
    assert.deepEqual(pod.spec.containers[0].securityContext, {
      capabilities: { add: ['SYS_PTRACE'] },
      allowPrivilegeEscalation: false,
    });
    assert.deepEqual(pod.spec.hostAliases, [{ ip: '10.0.0.2', hostnames: ['db'] }]);
    assert.deepEqual(pod.spec.containers[0].args, ['python', 'train.py']);
    assert.equal(pod.spec.restartPolicy, 'Always');
  });

  void it('a name a pod cannot have becomes one it can, and the user is told', () => {
    assert.equal(podNameOf('Tom_BERT.run'), 'tom-bert-run');
    assert.equal(podNameOf('___'), 'gpu-container');
    assert.equal(podNameOf('a'.repeat(80)).length, 63);
    const { pod, notes } = plan({ containerName: 'Tom_Bert' });
    assert.equal(pod.metadata.name, 'tom-bert');
    assert.equal(notes[0]?.field, 'containerName');
  });
});

void describe('pvc volumes', () => {
  void it('pvc:NAME:/path parses; Docker refuses it with the fix', () => {
    const v = parseVolumeSpec('pvc:datasets:/data:ro');
    assert.deepEqual(v.value, {
      text: 'pvc:datasets:/data:ro',
      kind: 'volume',
      source: 'datasets',
      pvc: true,
      target: '/data',
      mode: 'ro',
      readOnly: true,
    });
    assert.ok(parseVolumeSpec('pvc:Bad_Name:/data').error);
    assert.ok(parseVolumeSpec('pvc:data:rel').error);
    const p = profile({ volumes: ['pvc:datasets:/data'] });
    const e = toCreateOptions(p, ctx).problems.find((x) => x.field === 'volumes[0]');
    assert.equal(e?.severity, 'error');
    assert.match(e?.message ?? '', /PersistentVolumeClaim/);
  });
});
