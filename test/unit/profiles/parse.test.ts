import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProfiles, type Problem } from '../../../src/core/profiles';

const one = (o: Record<string, unknown>) => parseProfiles([{ name: 'p', ...o }], { source: 'user' });
const fieldsOf = (ps: Problem[], sev?: 'error' | 'warning') =>
  ps.filter((p) => !sev || p.severity === sev).map((p) => p.field);

void describe('parseProfiles: structure', () => {
  void it('never throws on junk and reports it', () => {
    for (const raw of [42, 'x', {}, true]) {
      const r = parseProfiles(raw);
      assert.equal(r.profiles.length, 0);
      assert.equal(r.problems.length, 1);
    }
    assert.deepEqual(parseProfiles(undefined), { profiles: [], problems: [] });
  });
  void it('drops entries without an object or a name, and duplicates', () => {
    const r = parseProfiles([null, 'x', { image: 'a' }, { name: ' ' }, { name: 'a' }, { name: 'a' }, { name: 5 }]);
    assert.deepEqual(
      r.profiles.map((p) => p.name),
      ['a'],
    );
    assert.equal(r.problems.length, 6);
    assert.ok(r.problems.every((p) => p.severity === 'error'));
  });
  void it('keeps a profile with a bad optional field and names the field', () => {
    const r = one({ shmSize: '16x', image: 'ubuntu:22.04' });
    assert.equal(r.profiles.length, 1);
    assert.equal(r.profiles[0].shmSize, undefined);
    assert.equal(r.profiles[0].image, 'ubuntu:22.04');
    assert.deepEqual(fieldsOf(r.problems), ['shmSize']);
    assert.equal(r.problems[0].profile, 'p');
    assert.match(r.problems[0].message, /16x/);
  });
  void it('suggests the right key for typos', () => {
    const r = one({ shm_size: '1g', gpu: 'all', volume: [] });
    assert.deepEqual(
      r.problems.map((p) => p.message.match(/did you mean "(\w+)"/)?.[1]),
      ['shmSize', 'gpus', 'volumes'],
    );
  });
  void it('carries source', () => assert.equal(one({}).profiles[0].source, 'user'));
  void it('defaults', () => {
    const p = one({}).profiles[0];
    assert.equal(p.gpus, 'none');
    assert.deepEqual([p.ports, p.volumes, p.env, p.autoRemove], [[], [], {}, false]);
  });
});

void describe('parseProfiles: every field, good and bad', () => {
  const cases: {
    field: string;
    good: [unknown, (p: ReturnType<typeof one>['profiles'][0]) => unknown, unknown][];
    bad: unknown[];
  }[] = [
    {
      field: 'image',
      good: [
        ['nvcr.io/nvidia/pytorch:24.05-py3', (p) => p.image, 'nvcr.io/nvidia/pytorch:24.05-py3'],
        ['localhost:5000/a/b@sha256:' + 'a'.repeat(64), (p) => !!p.image, true],
      ],
      bad: [5, '', 'Upper', 'a b', 'x:'],
    },
    {
      field: 'gpus',
      good: [
        ['all', (p) => p.gpus, { all: true }],
        [2, (p) => p.gpus, { count: 2 }],
        [[0, 2], (p) => p.gpus, { devices: ['0', '2'] }],
        ['device=0,2', (p) => p.gpus, { devices: ['0', '2'] }],
        ['"device=1,3"', (p) => p.gpus, { devices: ['1', '3'] }],
        ['none', (p) => p.gpus, 'none'],
        [0, (p) => p.gpus, 'none'],
        [['GPU-abc-123'], (p) => p.gpus, { devices: ['GPU-abc-123'] }],
        ['count=2,capabilities=compute', (p) => [p.gpus, p.gpuCapabilities], [{ count: 2 }, ['compute']]],
      ],
      bad: ['some', 1.5, -2, {}, [true], 'count=x'],
    },
    {
      field: 'shmSize',
      good: [
        ['16g', (p) => p.shmSize, { bytes: 16 * 1024 ** 3, text: '16g' }],
        [67108864, (p) => p.shmSize?.bytes, 67108864],
      ],
      bad: ['16x', true, -1, ''],
    },
    { field: 'memory', good: [['64g', (p) => p.memory?.bytes, 64 * 1024 ** 3]], bad: ['lots'] },
    {
      field: 'cpus',
      good: [
        [1.5, (p) => p.cpus?.nanoCpus, 1.5e9],
        ['4', (p) => p.cpus?.nanoCpus, 4e9],
      ],
      bad: ['four', [], -1],
    },
    {
      field: 'ipc',
      good: [
        ['host', (p) => p.ipc, 'host'],
        ['container:x', (p) => p.ipc, 'container:x'],
      ],
      bad: ['hosts', 1],
    },
    {
      field: 'network',
      good: [
        ['host', (p) => p.network, 'host'],
        ['my-net', (p) => p.network, 'my-net'],
      ],
      bad: ['bad net!', false],
    },
    {
      field: 'ports',
      good: [[['8888:8888', 6006], (p) => p.ports.map((x) => x.text), ['8888:8888', '6006']]],
      bad: [['88888'], [{}], 'x'],
    },
    {
      field: 'volumes',
      good: [[['~/.cache/huggingface:/root/.cache/huggingface:ro'], (p) => p.volumes[0].readOnly, true]],
      bad: [['/a:rel'], [1]],
    },
    {
      field: 'mounts',
      good: [
        [
          [{ type: 'bind', source: '/data', target: '/data', readOnly: true }],
          (p) => p.mounts,
          [{ type: 'bind', source: '/data', target: '/data', readOnly: true }],
        ],
        [
          [{ type: 'tmpfs', target: '/tmp', tmpfsSize: '1g', tmpfsMode: '1777' }],
          (p) => [p.mounts[0].tmpfsSize?.bytes, p.mounts[0].tmpfsMode],
          [1024 ** 3, 0o1777],
        ],
      ],
      bad: [
        [{ type: 'bind', target: '/x' }],
        [{ type: 'nfs', target: '/x' }],
        ['/a:/b'],
        [{ target: 'rel' }],
        [{ type: 'volume', target: '/x', bindPropagation: 'shared' }],
      ],
    },
    {
      field: 'env',
      good: [
        [{ A: '1', B: null, C: 3 }, (p) => p.env, { A: '1', B: null, C: '3' }],
        [['A=1', 'B'], (p) => p.env, { A: '1', B: null }],
      ],
      bad: ['A=1', [''], { A: {} }],
    },
    {
      field: 'envFile',
      good: [
        ['.env', (p) => p.envFile, ['.env']],
        [['a', 'b'], (p) => p.envFile, ['a', 'b']],
      ],
      bad: [{}, [1]],
    },
    {
      field: 'user',
      good: [
        ['host', (p) => p.user, 'host'],
        ['1000:1000', (p) => p.user, '1000:1000'],
        ['root', (p) => p.user, 'root'],
      ],
      bad: ['a b', '1:2:3', 7],
    },
    { field: 'execUser', good: [['root', (p) => p.execUser, 'root']], bad: [''] },
    {
      field: 'workdir',
      good: [
        ['/workspace', (p) => p.workdir, '/workspace'],
        ['${workspaceFolder}', (p) => p.workdir, '${workspaceFolder}'],
      ],
      bad: ['workspace', 3],
    },
    {
      field: 'entrypoint',
      good: [
        ['/bin/bash', (p) => p.entrypoint, ['/bin/bash']],
        ['', (p) => p.entrypoint, ['']],
        [['python', '-m', 'x'], (p) => p.entrypoint, ['python', '-m', 'x']],
      ],
      bad: [3, [1], '"unclosed'],
    },
    {
      field: 'command',
      good: [
        ["bash -lc 'python train.py --lr $LR'", (p) => p.command, ['bash', '-lc', 'python train.py --lr $LR']],
        [['sleep', 'infinity'], (p) => p.command, ['sleep', 'infinity']],
      ],
      bad: [{}, "it's"],
    },
    { field: 'autoRemove', good: [[true, (p) => p.autoRemove, true]], bad: ['yes'] },
    { field: 'privileged', good: [[true, (p) => p.privileged, true]], bad: [1] },
    {
      field: 'restart',
      good: [['on-failure:3', (p) => p.restart, { name: 'on-failure', maximumRetryCount: 3 }]],
      bad: ['sometimes', 3],
    },
    {
      field: 'labels',
      good: [
        [{ team: 'nlp' }, (p) => p.labels, { team: 'nlp' }],
        [['a=b', 'c'], (p) => p.labels, { a: 'b', c: '' }],
      ],
      bad: ['a=b', { a: {} }],
    },
    {
      field: 'ulimits',
      good: [
        [
          { memlock: -1, stack: 67108864, nofile: { soft: 1024, hard: 65536 }, nproc: '10:20' },
          (p) => p.ulimits.map((u) => [u.name, u.soft, u.hard]),
          [
            ['memlock', -1, -1],
            ['stack', 67108864, 67108864],
            ['nofile', 1024, 65536],
            ['nproc', 10, 20],
          ],
        ],
        [['memlock=-1'], (p) => p.ulimits.length, 1],
      ],
      bad: [{ bogus: 1 }, { nofile: 'x' }, ['memlock'], { nofile: { soft: 10, hard: 5 } }],
    },
    {
      field: 'capAdd',
      good: [[['SYS_PTRACE'], (p) => p.capAdd, ['SYS_PTRACE']]],
      bad: [['not a cap'], 'SYS_PTRACE x'],
    },
    {
      field: 'securityOpt',
      good: [[['seccomp=unconfined', 'no-new-privileges'], (p) => p.securityOpt.length, 2]],
      bad: [['seccomp'], [3]],
    },
    {
      field: 'devices',
      good: [
        [['/dev/fuse'], (p) => p.devices[0].pathInContainer, '/dev/fuse'],
        [[{ pathOnHost: '/dev/a', pathInContainer: '/dev/b' }], (p) => p.devices[0].pathInContainer, '/dev/b'],
      ],
      bad: [['fuse'], [{}], [3]],
    },
    { field: 'hostname', good: [['trainer-1', (p) => p.hostname, 'trainer-1']], bad: ['bad host!', ''] },
    {
      field: 'extraHosts',
      good: [
        [['db=10.0.0.5'], (p) => p.extraHosts, ['db:10.0.0.5']],
        [{ db: '10.0.0.5' }, (p) => p.extraHosts, ['db:10.0.0.5']],
      ],
      bad: [['db'], ['db:nope']],
    },
    { field: 'runtime', good: [['nvidia', (p) => p.runtime, 'nvidia']], bad: ['bad runtime', 4] },
    {
      field: 'gpuCapabilities',
      good: [[['compute', 'utility'], (p) => p.gpuCapabilities, ['compute', 'utility']]],
      bad: [3, [4]],
    },
    { field: 'containerName', good: [['${user}-x', (p) => p.containerName, '${user}-x']], bad: [3, '${nope}'] },
    { field: 'init', good: [[true, (p) => p.init, true]], bad: ['true'] },
  ];
  for (const c of cases) {
    for (const [input, get, want] of c.good) {
      void it(`${c.field} = ${JSON.stringify(input)}`, () => {
        const r = one({ [c.field]: input });
        assert.deepEqual(
          r.problems.filter((p) => p.severity === 'error'),
          [],
        );
        assert.deepEqual(get(r.profiles[0]), want);
      });
    }
    for (const input of c.bad) {
      void it(`${c.field} = ${JSON.stringify(input)} is an error on that field`, () => {
        const r = one({ [c.field]: input });
        assert.equal(r.profiles.length, 1, 'profile kept');
        const errs = r.problems.filter((p) => p.severity === 'error');
        assert.ok(errs.length > 0, 'an error');
        assert.ok(
          errs.every((p) => p.profile === 'p' && p.field?.startsWith(c.field)),
          JSON.stringify(errs),
        );
      });
    }
  }
});

void describe('parseProfiles: variables, runArgs, cross-field', () => {
  void it('unknown variables are errors; known ones pass', () => {
    const r = one({
      volumes: ['${userHome}/a:/a', '${home}/b:/b'],
      env: { A: '${env:X}', B: '${env:}' },
      workdir: '${workspaceFolder}',
    });
    assert.deepEqual(fieldsOf(r.problems), ['volumes[1]', 'env.B']);
  });
  void it('runArgs are parsed as docker run flags; unknown ones are problems', () => {
    const r = one({
      runArgs: ['--cap-add', 'SYS_PTRACE', '--ulimit=nofile=65536', '--memory-swap', '1g', '--bogus', '-itd'],
    });
    const p = r.profiles[0];
    assert.deepEqual(p.capAdd, ['SYS_PTRACE']);
    assert.deepEqual(p.ulimits, [{ name: 'nofile', soft: 65536, hard: 65536 }]);
    assert.deepEqual(p.extra, { 'memory-swap': '1g' }, 'the long tail is stored, not refused (issue 15)');
    assert.deepEqual(fieldsOf(r.problems), ['runArgs (--bogus)']);
  });
  void it('runArgs as one string; a stray positional is a problem', () => {
    const r = one({ runArgs: "--shm-size 2g -e 'A=b c' ubuntu" });
    assert.equal(r.profiles[0].shmSize?.text, '2g');
    assert.deepEqual(r.profiles[0].env, { A: 'b c' });
    assert.deepEqual(fieldsOf(r.problems), ['runArgs']);
  });
  void it('--rm with a restart policy conflicts', () => {
    const r = one({ autoRemove: true, restart: 'always' });
    assert.equal(r.profiles[0].restart, undefined);
    assert.deepEqual(fieldsOf(r.problems), ['restart']);
  });
  void it('duplicate mount points are errors', () => {
    const r = one({ volumes: ['/a:/x'], mounts: [{ type: 'bind', source: '/b', target: '/x' }] });
    assert.deepEqual(fieldsOf(r.problems, 'error'), ['mounts[0]']);
  });
});
