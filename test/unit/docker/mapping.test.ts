import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  parseEventLine,
  toEngineEvent,
  toEngineInfo,
  toEngineVersion,
  toImageDetails,
  toImageSummary,
} from '../../../src/core/docker/imageEventMapping';
import {
  containerStatusText,
  humanDuration,
  toContainerDetails,
  toContainerSummary,
} from '../../../src/core/docker/mapping';

/** Fixtures recorded from the real dockerd 20.10 (API 1.41) with curl; see test/fixtures/engine. */
const FIX = path.resolve(__dirname, '../../../../test/fixtures/engine');
const load = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIX, name), 'utf8'));
const text = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');

void describe('toContainerSummary (recorded GET /containers/json?all=1)', () => {
  const list = (load('containers-list.json') as unknown[]).map(toContainerSummary);
  const byName = new Map(list.map((c) => [c.name, c]));

  void it('maps every container, names without the slash', () => {
    assert.deepEqual([...byName.keys()].sort(), [
      'gc-fix-exited',
      'gc-fix-gpu-devices',
      'gc-fix-gpus',
      'gc-fix-running',
      'gc-fix-tty',
    ]);
  });
  void it('running container: state, status, ports, mounts, labels, owner; no gpu from the list', () => {
    const c = byName.get('gc-fix-running')!;
    assert.match(c.id, /^[0-9a-f]{64}$/);
    assert.equal(c.state, 'running');
    assert.match(c.status, /^Up /);
    assert.equal(c.image, 'gpu-containers-test/busybox:1');
    assert.match(c.imageId, /^sha256:/);
    assert.equal(c.command, 'sleep 3600');
    assert.ok(c.created > 1_600_000_000_000, 'created is in ms');
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18080 }]);
    const vol = c.mounts.find((m) => m.type === 'volume');
    assert.deepEqual(vol && { ...vol, source: '' }, {
      type: 'volume',
      name: 'gc-fix-vol',
      source: '',
      destination: '/data',
      readOnly: false,
    });
    assert.equal(c.labels['gpu-containers.profile'], 'pytorch');
    assert.equal(c.owner, 'tom');
    assert.equal(c.gpu, undefined);
  });
  void it('exited and created states', () => {
    assert.equal(byName.get('gc-fix-exited')!.state, 'exited');
    assert.match(byName.get('gc-fix-exited')!.status, /^Exited \(3\)/);
    assert.equal(byName.get('gc-fix-gpus')!.state, 'created');
    assert.equal(byName.get('gc-fix-gpus')!.owner, undefined);
  });
});

void describe('toContainerDetails (recorded GET /containers/{id}/json)', () => {
  const NOW = Date.parse('2026-11-23T07:52:00Z');

  void it('--gpus all → gpu all with the gpu capability, plus ipc/shm from the same create', () => {
    const d = toContainerDetails(load('container-inspect-gpus.json'), NOW);
    assert.equal(d.name, 'gc-fix-gpus');
    assert.equal(d.state, 'created');
    assert.equal(d.status, 'Created');
    assert.deepEqual(d.gpu, { kind: 'all', capabilities: ['gpu'], source: 'deviceRequests' });
    assert.equal(d.ipcMode, 'host');
    assert.equal(d.shmSize, 1024 ** 3);
    assert.equal(d.exitCode, undefined);
    assert.equal(d.startedAt, undefined, 'zero time is not a start time');
  });
  void it('--gpus device=0,1 → explicit devices', () => {
    const d = toContainerDetails(load('container-inspect-gpu-devices.json'));
    assert.deepEqual(d.gpu, {
      kind: 'devices',
      deviceIds: ['0', '1'],
      capabilities: ['gpu'],
      source: 'deviceRequests',
    });
  });
  void it('running: status like docker ps, ports from NetworkSettings, config, env, owner', () => {
    const d = toContainerDetails(load('container-inspect-running.json'), NOW);
    assert.equal(d.state, 'running');
    assert.equal(d.status, 'Up 2 hours');
    assert.equal(d.image, 'gpu-containers-test/busybox:1');
    assert.match(d.imageId, /^sha256:/);
    assert.equal(d.command, 'sleep 3600');
    assert.deepEqual(d.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18080 }]);
    assert.deepEqual(d.config.env, ['HF_TOKEN=redacted']);
    assert.deepEqual(d.config.cmd, ['sleep', '3600']);
    assert.equal(d.config.tty, false);
    assert.equal(d.owner, 'tom');
    assert.equal(d.gpu, undefined);
    assert.equal(d.restartPolicy, 'no');
    assert.equal(d.networkMode, 'default');
    assert.ok(d.startedAt);
    assert.ok(d.created > 0);
    assert.equal(d.raw, d.raw);
  });
  void it('exited: exit code, finishedAt, status', () => {
    const d = toContainerDetails(load('container-inspect-exited.json'));
    assert.equal(d.state, 'exited');
    assert.equal(d.exitCode, 3);
    assert.equal(d.status, 'Exited (3)');
    assert.ok(d.finishedAt);
    assert.deepEqual(d.config.cmd, ['bash', '-c', 'echo hi; exit 3']);
  });
  void it('tty flag', () => {
    assert.equal(toContainerDetails(load('container-inspect-tty.json')).config.tty, true);
  });
});

void describe('images, info, version (recorded)', () => {
  void it('toImageSummary', () => {
    const imgs = (load('images-list.json') as unknown[]).map(toImageSummary);
    const bash = imgs.find((i) => i.tags.includes('gpu-containers-test/bash:1'))!;
    assert.match(bash.id, /^sha256:/);
    assert.deepEqual(bash.digests, []);
    assert.equal(bash.dangling, false);
    assert.ok(bash.size > 0);
    assert.ok(bash.created > 1_600_000_000_000);
    assert.deepEqual(bash.labels, {});
  });
  void it('toImageDetails', () => {
    const d = toImageDetails(load('image-inspect-bash.json'));
    assert.deepEqual(d.tags, ['gpu-containers-test/bash:1']);
    assert.deepEqual(d.cmd, ['/bin/bash']);
    assert.deepEqual(d.entrypoint, []);
    assert.deepEqual(d.env, []);
    assert.equal(d.workingDir, '/');
    assert.ok(d.created > 0);
  });
  void it('toEngineInfo', () => {
    const i = toEngineInfo(load('info.json'));
    assert.match(i.serverVersion, /^20\.10/);
    assert.equal(i.hasNvidiaRuntime, false);
    assert.ok(i.runtimes.includes('runc'));
    assert.equal(i.defaultRuntime, 'runc');
    assert.ok(i.ncpu > 0 && i.memTotal > 0);
    assert.equal(i.cgroupVersion, '1');
    assert.equal(toEngineInfo({}).cgroupVersion, undefined);
  });
  void it('toEngineInfo sees an nvidia runtime', () => {
    const i = toEngineInfo({ Runtimes: { runc: {}, nvidia: { path: 'nvidia-container-runtime' } } });
    assert.equal(i.hasNvidiaRuntime, true);
  });
  void it('toEngineVersion', () => {
    const v = toEngineVersion(load('version.json'));
    assert.equal(v.apiVersion, '1.41');
    assert.equal(v.minApiVersion, '1.12');
    assert.equal(v.os, 'linux');
  });
});

void describe('events (recorded GET /events)', () => {
  const lines = text('events.ndjson').split('\n').filter(Boolean);
  void it('every recorded line parses; timeNano keeps all 19 digits', () => {
    const events = lines.map(parseEventLine);
    assert.ok(events.every((e) => e !== undefined));
    for (let i = 0; i < lines.length; i++) {
      const exact = /"timeNano":(\d+)/.exec(lines[i])![1];
      assert.equal(events[i].timeNano, exact);
    }
    const create = events.find((e) => e.type === 'container' && e.action === 'create')!;
    assert.equal(create.attributes.name, 'gc-fix-running');
    assert.match(create.id, /^[0-9a-f]{64}$/);
  });
  void it('toEngineEvent from a parsed object falls back to time when timeNano is lossy/missing', () => {
    const e = toEngineEvent({ Type: 'container', Action: 'die', Actor: { ID: 'x' }, time: 1700000000 });
    assert.equal(e?.timeNano, '1700000000000000000');
  });
});

void describe('malformed JSON is never a crash', () => {
  const junk: unknown[] = [
    undefined,
    null,
    42,
    'str',
    [],
    [1, 2],
    { Id: 7, Names: 'x', Ports: {}, Labels: [1], Created: 'yesterday' },
  ];
  for (const j of junk) {
    void it(`handles ${JSON.stringify(j) ?? 'undefined'}`, () => {
      const s = toContainerSummary(j);
      assert.equal(typeof s.id, 'string');
      assert.equal(s.state, 'unknown');
      assert.deepEqual(s.ports, []);
      assert.ok(Number.isFinite(s.created));
      const d = toContainerDetails(j);
      assert.equal(d.gpu, undefined);
      assert.deepEqual(d.config.env, []);
      assert.equal(d.status, '');
      const i = toImageSummary(j);
      assert.deepEqual(i.tags, []);
      assert.equal(i.dangling, true);
      assert.equal(toImageDetails(j).cmd.length, 0);
      assert.equal(toEngineInfo(j).ncpu, 0);
      assert.equal(toEngineEvent(j), undefined);
    });
  }
  void it('odd nested fields', () => {
    const d = toContainerDetails({
      Id: 'abc',
      Name: '/n',
      State: { Status: 'Weird', ExitCode: 'x', StartedAt: 'not a date' },
      Config: { Env: ['A=1', 5, null], Cmd: 'sh', Labels: { a: 'b', n: 1, o: {} }, Tty: 'yes' },
      HostConfig: { DeviceRequests: [null, { Count: 'all' }], ShmSize: '67108864', RestartPolicy: 'always' },
      NetworkSettings: { Ports: { 'bogus/tcp': null, '22/tcp': null, '80/udp': [{ HostPort: 'x' }] } },
      Mounts: [null, { Type: 'bind', RW: false }],
    });
    assert.equal(d.state, 'unknown');
    assert.deepEqual(d.config.env, ['A=1']);
    assert.deepEqual(d.config.cmd, ['sh']);
    assert.deepEqual(d.labels, { a: 'b', n: '1' });
    assert.equal(d.config.tty, false);
    assert.equal(d.gpu, undefined);
    assert.equal(d.shmSize, 67108864);
    assert.equal(d.restartPolicy, '');
    assert.deepEqual(d.ports, [
      { containerPort: 22, protocol: 'tcp' },
      { containerPort: 80, protocol: 'udp' },
    ]);
    assert.deepEqual(d.mounts[1], { type: 'bind', source: '', destination: '', readOnly: true });
    assert.equal(d.startedAt, undefined);
  });
  void it('image tags "<none>:<none>" mean dangling', () => {
    const i = toImageSummary({ Id: 'sha256:1', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'] });
    assert.deepEqual([i.tags, i.digests, i.dangling], [[], [], true]);
  });
  void it('garbled event lines', () => {
    assert.equal(parseEventLine(''), undefined);
    assert.equal(parseEventLine('{"Type":"container"'), undefined);
    assert.equal(parseEventLine('{"foo":1}'), undefined);
  });
});

void describe('status text', () => {
  void it('humanDuration matches docker ps wording', () => {
    const s = 1000;
    assert.deepEqual(
      [0, 1, 30, 60, 59 * 60, 3600, 5 * 3600, 3 * 86400, 20 * 86400].map((x) => humanDuration(x * s)),
      [
        'less than a second',
        '1 second',
        '30 seconds',
        'about a minute',
        '59 minutes',
        'about an hour',
        '5 hours',
        '3 days',
        '2 weeks',
      ],
    );
  });
  void it('Docker\'s capitalised phrases read in lower case mid-sentence (issue 28: "Up Less than a second")', () => {
    const listed = (status: string): string => toContainerSummary({ Id: 'x', Names: ['/x'], Status: status }).status;
    assert.equal(listed('Up Less than a second'), 'Up less than a second');
    assert.equal(listed('Up About a minute (healthy)'), 'Up about a minute (healthy)');
    assert.equal(listed('Exited (3) Less than a second ago'), 'Exited (3) less than a second ago');
    assert.equal(listed('Restarting (1) About an hour ago'), 'Restarting (1) about an hour ago');
    assert.equal(listed('Up 3 minutes (Paused)'), 'Up 3 minutes (Paused)');
    assert.equal(listed('Created'), 'Created');
    const t = '2024-01-01T00:00:00Z';
    assert.equal(containerStatusText({ Status: 'running', StartedAt: t }, Date.parse(t)), 'Up less than a second');
  });
  void it('inspect gives the neutral moment the state began, its exit code and health', () => {
    const t = '2024-01-01T00:00:00Z';
    const up = toContainerDetails({
      Id: 'x',
      State: { Status: 'running', StartedAt: t, FinishedAt: '0001-01-01T00:00:00Z', Health: { Status: 'healthy' } },
    });
    assert.equal(up.since, Date.parse(t));
    assert.equal(up.health, 'healthy');
    const ended = toContainerDetails({
      Id: 'x',
      State: { Status: 'exited', ExitCode: 3, StartedAt: t, FinishedAt: '2024-01-01T01:00:00Z' },
    });
    assert.equal(ended.since, Date.parse('2024-01-01T01:00:00Z'));
    assert.equal(ended.exitCode, 3);
    const made = toContainerDetails({ Id: 'x', State: { Status: 'created', StartedAt: '0001-01-01T00:00:00Z' } });
    assert.equal(made.since, undefined);
  });
  void it('exited with now', () => {
    const t = '2024-01-01T00:00:00Z';
    assert.equal(
      containerStatusText({ Status: 'exited', ExitCode: 137, FinishedAt: t }, Date.parse(t) + 7200_000),
      'Exited (137) 2 hours ago',
    );
  });
});
