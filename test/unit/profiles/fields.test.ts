import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpus, parsePortSpec, parseRamSize } from '../../../src/core/profiles/fieldsSizePort';
import {
  parseDevice,
  parseExtraHost,
  parseRestart,
  parseUlimit,
  parseEnvFile,
  normalizeCaps,
} from '../../../src/core/profiles/fields';
import { parseGpusFlag } from '../../../src/core/profiles/fieldsGpus';
import { parseVolumeSpec, splitCsv } from '../../../src/core/profiles/fieldsMount';

void describe('parseRamSize (go-units RAMInBytes)', () => {
  const G = 1024 ** 3;
  const good: [string | number, number][] = [
    ['16g', 16 * G],
    ['16G', 16 * G],
    ['16gb', 16 * G],
    ['16GB', 16 * G],
    ['16GiB', 16 * G],
    ['16gib', 16 * G],
    ['1.5g', 1610612736],
    ['512m', 512 * 1024 ** 2],
    ['64k', 65536],
    ['100', 100],
    ['100b', 100],
    ['100B', 100],
    ['2t', 2 * 1024 ** 4],
    ['1p', 1024 ** 5],
    ['16 g', 16 * G],
    ['0.5k', 512],
    ['1.9b', 1],
    [1048576, 1048576],
    ['.5g', G / 2],
  ];
  for (const [input, bytes] of good)
    void it(`${JSON.stringify(input)} → ${bytes}`, () => assert.equal(parseRamSize(input).value?.bytes, bytes));
  const bad: (string | number)[] = [
    '',
    'g',
    '16x',
    '16gg',
    '16gbb',
    '16gi',
    '16kibb',
    '-1g',
    'abc',
    '16 gb x',
    '1..5g',
    'sixteen',
    -5,
    1.5,
    Infinity,
    '16bb',
  ];
  for (const input of bad) void it(`rejects ${JSON.stringify(input)}`, () => assert.ok(parseRamSize(input).error));
  void it('keeps the text as written', () => assert.equal(parseRamSize('16GB').value?.text, '16GB'));
});

void describe('parseCpus', () => {
  for (const [t, n] of [
    ['2', 2e9],
    ['1.5', 1.5e9],
    ['0.25', 2.5e8],
    [3, 3e9],
    ['.5', 5e8],
    ['0.000000001', 1],
  ] as const) {
    void it(`${t} → ${n}`, () => assert.equal(parseCpus(t).value?.nanoCpus, n));
  }
  for (const t of ['', 'x', '1.2.3', '-1', '0.0000000001', '1e3'])
    void it(`rejects ${JSON.stringify(t)}`, () => assert.ok(parseCpus(t).error));
});

void describe('parsePortSpec (go-connections/nat)', () => {
  const b = (containerPort: string, hostIp: string, hostPort: string) => ({ containerPort, hostIp, hostPort });
  const good: [string | number, ReturnType<typeof b>[]][] = [
    ['8888:8888', [b('8888/tcp', '', '8888')]],
    [8888, [b('8888/tcp', '', '')]],
    ['127.0.0.1:8888:8888/tcp', [b('8888/tcp', '127.0.0.1', '8888')]],
    ['127.0.0.1::8888', [b('8888/tcp', '127.0.0.1', '')]],
    ['[::1]:80:80', [b('80/tcp', '::1', '80')]],
    ['::1:80:80', [b('80/tcp', '::1', '80')]],
    ['53:53/udp', [b('53/udp', '', '53')]],
    ['53:53/UDP', [b('53/udp', '', '53')]],
    ['9000/sctp', [b('9000/sctp', '', '')]],
    ['8000-8001:8000-8001', [b('8000/tcp', '', '8000'), b('8001/tcp', '', '8001')]],
    ['8000-8010:80', [b('80/tcp', '', '8000-8010')]],
    ['7000-7001', [b('7000/tcp', '', ''), b('7001/tcp', '', '')]],
  ];
  for (const [t, bindings] of good) void it(`${t}`, () => assert.deepEqual(parsePortSpec(t).value?.bindings, bindings));
  const bad = [
    '',
    ':',
    '8888:',
    'abc',
    '70000',
    '1.2.3.4.5:80:80',
    '8000-8001:9000-9005',
    '80/icmp',
    '9-1',
    'localhost:80:80',
    '[::1:80:80',
    'target=80,published=8080',
    '80:80:80:x',
  ];
  for (const t of bad) void it(`rejects ${JSON.stringify(t)}`, () => assert.ok(parsePortSpec(t).error, t));
});

void describe('parseVolumeSpec', () => {
  const good: [string, object][] = [
    [
      '~/.cache/huggingface:/root/.cache/huggingface:ro',
      { kind: 'bind', source: '~/.cache/huggingface', target: '/root/.cache/huggingface', mode: 'ro', readOnly: true },
    ],
    ['/data:/data', { kind: 'bind', source: '/data', target: '/data', mode: undefined, readOnly: false }],
    ['/data:/data:rw,z', { kind: 'bind', mode: 'rw,z', readOnly: false }],
    ['/data:/data:ro,rslave', { kind: 'bind', readOnly: true }],
    ['/data:/data:shared', { kind: 'bind' }],
    ['/data:/data:Z', { kind: 'bind' }],
    ['models:/models', { kind: 'volume', source: 'models' }],
    ['models:/models:nocopy', { kind: 'volume' }],
    ['/scratch', { kind: 'anonymous', target: '/scratch' }],
    ['${workspaceFolder}:/workspace', { kind: 'bind', source: '${workspaceFolder}', target: '/workspace' }],
    ['${env:HOME}/x:/x:ro', { kind: 'bind', source: '${env:HOME}/x', target: '/x' }],
    ['./data:/data', { kind: 'bind', source: './data' }],
  ];
  for (const [t, want] of good) {
    void it(t, () => {
      const r = parseVolumeSpec(t);
      assert.equal(r.error, undefined);
      for (const [k, v] of Object.entries(want))
        assert.deepEqual((r.value as unknown as Record<string, unknown>)[k], v, k);
    });
  }
  const bad = [
    '',
    '/a::/b',
    '/a:/b:ro:x',
    '/a:b',
    'relative',
    '/a:/b:foo',
    '/a:/b:ro,rw',
    '/a:/b:shared,slave',
    '/a:/b:nocopy',
    'x:/b',
    'bad name:/b',
    '/a:/b:z,Z',
  ];
  for (const t of bad) void it(`rejects ${JSON.stringify(t)}`, () => assert.ok(parseVolumeSpec(t).error, t));
});

void describe('parseGpusFlag (docker CLI --gpus)', () => {
  const good: [string, object][] = [
    ['all', { gpus: { all: true } }],
    ['2', { gpus: { count: 2 } }],
    ['count=2', { gpus: { count: 2 } }],
    ['count=all', { gpus: { all: true } }],
    ['"device=0,2"', { gpus: { devices: ['0', '2'] } }],
    ['device=1', { gpus: { devices: ['1'] } }],
    [
      'device=GPU-3a23c669-1f69-c64e-cf85-44e9b07e7a2a',
      { gpus: { devices: ['GPU-3a23c669-1f69-c64e-cf85-44e9b07e7a2a'] } },
    ],
    ['all,"capabilities=compute,utility"', { gpus: { all: true }, capabilities: ['compute', 'utility'] }],
    ['capabilities=compute', { gpus: { count: 1 }, capabilities: ['compute'] }],
    ['all,driver=nvidia', { gpus: { all: true }, driver: 'nvidia' }],
  ];
  for (const [t, want] of good) void it(t, () => assert.deepEqual(parseGpusFlag(t).value, want));
  void it('device=0,2 unquoted: assumes devices 0,2 with a warning', () => {
    const r = parseGpusFlag('device=0,2');
    assert.deepEqual(r.value?.gpus, { devices: ['0', '2'] });
    assert.equal((r as { warnings?: string[] }).warnings?.length, 1);
  });
  for (const t of ['', 'two', 'all,2', 'count=x', 'foo=bar', 'all,all', 'count=2,"device=0,1"', '0', 'device=,']) {
    void it(`rejects ${JSON.stringify(t)}`, () => assert.ok(parseGpusFlag(t).error, t));
  }
});

void describe('other docker parsers', () => {
  void it('restart', () => {
    assert.deepEqual(parseRestart('on-failure:3').value, { name: 'on-failure', maximumRetryCount: 3 });
    assert.deepEqual(parseRestart('unless-stopped').value, { name: 'unless-stopped', maximumRetryCount: 0 });
    for (const t of ['sometimes', 'always:3', 'on-failure:x', 'on-failure:1:2', ''])
      assert.ok(parseRestart(t).error, t);
  });
  void it('ulimit', () => {
    assert.deepEqual(parseUlimit('memlock=-1').value, { name: 'memlock', soft: -1, hard: -1 });
    assert.deepEqual(parseUlimit('nofile=1024:65536').value, { name: 'nofile', soft: 1024, hard: 65536 });
    for (const t of ['memlock', 'foo=1', 'nofile=10:5', 'nofile=a', 'nofile=1:2:3', 'stack=1.5'])
      assert.ok(parseUlimit(t).error, t);
  });
  void it('device', () => {
    assert.deepEqual(parseDevice('/dev/fuse').value, {
      pathOnHost: '/dev/fuse',
      pathInContainer: '/dev/fuse',
      cgroupPermissions: 'rwm',
    });
    assert.deepEqual(parseDevice('/dev/sda:/dev/xvda:r').value, {
      pathOnHost: '/dev/sda',
      pathInContainer: '/dev/xvda',
      cgroupPermissions: 'r',
    });
    assert.deepEqual(parseDevice('/dev/sda:rw').value, {
      pathOnHost: '/dev/sda',
      pathInContainer: '/dev/sda',
      cgroupPermissions: 'rw',
    });
    for (const t of ['dev/sda', '/dev/a:/dev/b:x', '/a:/b:r:x', '/dev/a:rel']) assert.ok(parseDevice(t).error, t);
  });
  void it('extra hosts', () => {
    assert.equal(parseExtraHost('db=10.0.0.5').value, 'db:10.0.0.5');
    assert.equal(parseExtraHost('db:10.0.0.5').value, 'db:10.0.0.5');
    assert.equal(parseExtraHost('v6:[::1]').value, 'v6:::1');
    assert.equal(parseExtraHost('host.docker.internal:host-gateway').value, 'host.docker.internal:host-gateway');
    for (const t of ['db', ':1.2.3.4', 'db:notip', 'db=']) assert.ok(parseExtraHost(t).error, t);
  });
  void it('caps like the CLI', () =>
    assert.deepEqual(normalizeCaps(['sys_ptrace', 'CAP_IPC_LOCK']), ['CAP_IPC_LOCK', 'CAP_SYS_PTRACE']));
  void it('csv like encoding/csv', () =>
    assert.deepEqual(splitCsv('"device=0,2",capabilities=x'), ['device=0,2', 'capabilities=x']));
  void it('env file like the CLI', () => {
    const r = parseEnvFile('\uFEFF# c\n  A=1\nB= two \n\nC\nD\n', (n) => (n === 'C' ? 'from-env' : undefined));
    assert.deepEqual(r.value, ['A=1', 'B= two ', 'C=from-env']);
    assert.ok(parseEnvFile('BAD KEY=1', () => undefined).error);
    assert.ok(parseEnvFile('=1', () => undefined).error);
  });
});
