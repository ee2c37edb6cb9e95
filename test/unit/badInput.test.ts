/**
 * The bad-input matrix of issue 18 plus our own rows, one table: profile settings, `docker run` imports,
 * engine address settings and image references. Every row must give a problem that names the field or
 * flag, says what to write instead (the fix), is translated (the zh-CN bundle has it: the message
 * differs from the English one and holds Chinese), and — for a profile that would be launched — is
 * blocked by the launch gate (never launched with the field dropped). Prints one summary line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { resolveEndpoint } from '../../src/core/docker/endpoint';
import { gpuPreflight } from '../../src/core/gpu/preflight';
import { gpuRequestFrom } from '../../src/core/gpu/request';
import { parseGpuQuery } from '../../src/core/gpu/smi';
import { validateImageRef } from '../../src/core/images/refs';
import { importDockerRun, launchGate, parseProfiles, toCreateOptions, toDockerRunArgs } from '../../src/core/profiles';

const ROOT = path.resolve(__dirname, '../../..');
const ZH = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<
  string,
  string
>;
const ONE_GPU = parseGpuQuery(
  fs.readFileSync(path.join(ROOT, 'test/fixtures/nvidia-smi/h100/query-gpu.csv'), 'utf8'),
).gpus;
const CTX = { userHome: '/home/u', user: 'u', uid: 1000, gid: 1000, env: {}, readFile: () => undefined };

interface Found {
  field?: string;
  message: string;
}
interface Outcome {
  problems: Found[];
  /** For profile rows: whether the launch gate blocks it (undefined: not a launch). */
  blocked?: boolean;
}
interface Row {
  name: string;
  run: () => Outcome;
  /** The field or flag the problem must name (its `field`, or in its text when the problem has no field). */
  field: string;
  /** The fix, in English. */
  fix: RegExp;
  /** False for warnings that must not block (a unicode name). */
  blocks?: boolean;
}

const profile = (o: Record<string, unknown>): Outcome => {
  const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', ...o }], { source: 'workspace' });
  return { problems: r.problems, blocked: r.profiles[0] ? launchGate(r.profiles[0]).blocked : true };
};
const imported = (line: string): Outcome => ({ problems: importDockerRun(`docker run ${line}`).problems });
/** What preflight says about a profile's GPU request on a host with one GPU (the launch path's pure parts). */
const gpusOnOneGpuHost = (gpus: unknown): Outcome => {
  const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', gpus }], { source: 'workspace' });
  const built = toCreateOptions(r.profiles[0], CTX);
  const o = built.options;
  const findings = gpuPreflight({
    request: gpuRequestFrom(o.HostConfig?.DeviceRequests, o.Env),
    gpus: ONE_GPU,
    containers: [],
  });
  return { problems: findings.map((f) => ({ field: 'gpus', message: f.message })), blocked: findings.length > 0 };
};
const endpoint = (hostSetting: string | undefined, env: Record<string, string>): Outcome => ({
  problems: resolveEndpoint({ hostSetting, env, homedir: '/home/u', readFile: () => undefined }).problems.map((m) => ({
    message: m,
  })),
});
/** A profile's create body on launch, with the container name template setting and the files it reads. */
const built = (o: Record<string, unknown>, template?: string, files: Record<string, string> = {}): Outcome => {
  const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', ...o }], { source: 'workspace' });
  const c = toCreateOptions(
    r.profiles[0],
    { ...CTX, readFile: (f: string) => files[f] },
    { containerNameTemplate: template },
  );
  const problems = [...r.problems, ...c.problems];
  return { problems, blocked: problems.some((p) => p.severity === 'error') };
};
/** A profile entry by its name alone: refused (dropped or gated) or launchable. */
const byName = (name: string): Outcome => {
  const r = parseProfiles([{ name, image: 'ubuntu:22.04' }], { source: 'workspace' });
  return { problems: r.problems, blocked: r.profiles[0] ? launchGate(r.profiles[0]).blocked : true };
};
/** ELF's first bytes as a text read of the file gives them (UTF-8, invalid bytes replaced). */
const ELF = Buffer.from([
  0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0xf0, 0x5f,
])
  .toString('utf8')
  .concat('\n\u0000\u0000A=1\n');
const importedLine = (line: string): Outcome => ({ problems: importDockerRun(line).problems });
const imageRef = (ref: string): Outcome => {
  const m = validateImageRef(ref);
  return { problems: m ? [{ message: m }] : [] };
};

const ROWS: Row[] = [
  // profile settings (issue 18's matrix)
  { name: 'user "bad user"', run: () => profile({ user: 'bad user' }), field: 'user', fix: /1000:1000/ },
  { name: 'volume "/tmp:data"', run: () => profile({ volumes: ['/tmp:data'] }), field: 'volumes[0]', fix: /absolute/ },
  { name: 'port 70000', run: () => profile({ ports: ['70000:80'] }), field: 'ports[0]', fix: /8888:8888/ },
  { name: 'shmSize "16x"', run: () => profile({ shmSize: '16x' }), field: 'shmSize', fix: /"16g"/ },
  { name: 'cpus "two"', run: () => profile({ cpus: 'two' }), field: 'cpus', fix: /1\.5/ },
  { name: 'cpus -1', run: () => profile({ cpus: -1 }), field: 'cpus', fix: /1\.5/ },
  { name: 'workdir "work"', run: () => profile({ workdir: 'work' }), field: 'workdir', fix: /\/workspace/ },
  { name: 'env key "MY VAR"', run: () => profile({ env: { 'MY VAR': '1' } }), field: 'env.MY VAR', fix: /letters/ },
  { name: 'env entry "1ABC=x"', run: () => profile({ env: ['1ABC=x'] }), field: 'env[0]', fix: /digit/ },
  { name: 'label key "a b"', run: () => profile({ labels: { 'a b': 'x' } }), field: 'labels.a b', fix: /org\.example/ },
  {
    name: 'unicode profile name',
    run: () => parseProfiles([{ name: '训练 模型', image: 'ubuntu:22.04' }]),
    field: 'name',
    fix: /containerName/,
    blocks: false,
  },
  {
    name: 'a 100,000-character unknown key',
    run: () => profile({ ['k'.repeat(100_000)]: 1 }),
    field: 'kkkk',
    fix: /remove/,
    blocks: false,
  },
  {
    name: 'duplicate host ports',
    run: () => profile({ ports: ['8888:8888', '8888:80'] }),
    field: 'ports[1]',
    fix: /another host port/,
  },
  {
    name: 'colon in a host path',
    run: () => profile({ volumes: ['/data/a:b:/c'] }),
    field: 'volumes[0]',
    fix: /"mounts".*"source": "\/data\/a:b"/,
  },
  { name: 'gpus 99 on a 1-GPU host', run: () => gpusOnOneGpuHost(99), field: 'gpus', fix: /at most 1/ },
  {
    name: 'gpus device=abc on a 1-GPU host',
    run: () => gpusOnOneGpuHost('device=abc'),
    field: 'gpus',
    fix: /nvidia-smi -L/,
  },
  // profile settings (ours)
  { name: 'memory "-1g"', run: () => profile({ memory: '-1g' }), field: 'memory', fix: /"512m"/ },
  {
    name: 'restart "sometimes"',
    run: () => profile({ restart: 'sometimes' }),
    field: 'restart',
    fix: /unless-stopped/,
  },
  { name: 'ipc "shared"', run: () => profile({ ipc: 'shared' }), field: 'ipc', fix: /container:<name>/ },
  { name: 'gpus { free: 0 }', run: () => profile({ gpus: { free: 0 } }), field: 'gpus.free', fix: /1 or more/ },
  { name: 'gpus "lots"', run: () => profile({ gpus: 'lots' }), field: 'gpus', fix: /device=0,2/ },
  { name: 'port "abc"', run: () => profile({ ports: ['abc'] }), field: 'ports[0]', fix: /8888:8888/ },
  { name: 'image "Ubuntu:22.04"', run: () => profile({ image: 'Ubuntu:22.04' }), field: 'image', fix: /lower case/ },
  {
    name: 'runArgs "--frobnicate"',
    run: () => profile({ runArgs: ['--frobnicate'] }),
    field: 'runArgs',
    fix: /spelling/,
  },
  { name: 'ulimit "lots"', run: () => profile({ ulimits: { nofile: 'lots' } }), field: 'ulimits.nofile', fix: /-1/ },
  { name: 'device "nodev"', run: () => profile({ devices: ['nodev'] }), field: 'devices[0]', fix: /\/dev\/fuse/ },
  { name: 'network "bad net"', run: () => profile({ network: 'bad net' }), field: 'network', fix: /bridge/ },
  { name: 'env value an object', run: () => profile({ env: { A: { x: 1 } } }), field: 'env.A', fix: /string/ },
  {
    name: 'command with an unclosed quote',
    run: () => profile({ command: 'python "unclosed' }),
    field: 'command',
    fix: /list of strings/,
  },
  // issue 24 item 4: silently accepted before
  { name: 'gpus "device="', run: () => profile({ gpus: 'device=' }), field: 'gpus', fix: /device=0,1.*"all"/ },
  {
    name: 'containerName "pr bad/name"',
    run: () => profile({ containerName: 'pr bad/name' }),
    field: 'containerName',
    fix: /\[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]/,
  },
  {
    name: 'containerName "pr-${user}/${profile}!"',
    run: () => profile({ containerName: 'pr-${user}/${profile}!' }),
    field: 'containerName',
    fix: /"\/", "!"/,
  },
  {
    name: 'containerNameTemplate "pr-${user}/${profile}!"',
    run: () => built({}, 'pr-${user}/${profile}!'),
    field: 'gpuContainers.containerNameTemplate',
    fix: /"\/", "!"/,
  },
  { name: 'containerName "p"', run: () => profile({ containerName: 'p' }), field: 'containerName', fix: /2 or more/ },
  {
    name: 'ulimits.nofile -5',
    run: () => profile({ ulimits: { nofile: -5 } }),
    field: 'ulimits.nofile',
    fix: /0 or more/,
  },
  {
    name: 'ulimit "nofile=-5:10" in runArgs',
    run: () => profile({ runArgs: ['--ulimit', 'nofile=-5:10'] }),
    field: 'runArgs',
    fix: /0 or more/,
  },
  {
    name: 'ulimits.nofile -1 (never unlimited)',
    run: () => profile({ ulimits: { nofile: -1 } }),
    field: 'ulimits.nofile',
    fix: /1048576/,
  },
  { name: 'cpus 0', run: () => profile({ cpus: 0 }), field: 'cpus', fix: /remove "cpus"/ },
  { name: 'run: --cpus 0', run: () => imported('--cpus 0 busybox'), field: '--cpus', fix: /remove/ },
  { name: 'profile name with U+202E', run: () => byName('train\u202Egnp.exe'), field: 'name', fix: /U\+202E/ },
  { name: 'profile name with U+200B', run: () => byName('tr\u200Bain'), field: 'name', fix: /U\+200B/ },
  { name: 'profile name with a tab', run: () => byName('tr\tain'), field: 'name', fix: /U\+0009/ },
  {
    name: 'binary env file',
    run: () => built({ envFile: ['/home/u/tool.env'] }, undefined, { '/home/u/tool.env': ELF }),
    field: 'envFile',
    fix: /\/home\/u\/tool\.env is not a text env file/,
  },
  {
    name: 'run: DOCKER_HOST=… docker run',
    run: () => importedLine('DOCKER_HOST=tcp://10.0.0.5:2375 docker run busybox'),
    field: 'DOCKER_HOST',
    fix: /gpuContainers\.hosts/,
  },
  {
    name: 'run: smart quotes',
    run: () => importedLine('docker run -e \u201cMSG=a b\u201d busybox'),
    field: 'docker run',
    fix: /plain quotes/,
  },
  {
    name: 'devices: a CDI name that is not a GPU',
    run: () => built({ devices: ['example.com/fpga=0'] }),
    field: 'devices[0]',
    fix: /version 25.*"cdi": true/,
    blocks: false,
  },
  // docker run imports
  { name: 'run: unknown flag', run: () => imported('--frobnicate 1 busybox'), field: '--frobnicate', fix: /spelling/ },
  { name: 'run: bad size', run: () => imported('--shm-size 16x busybox'), field: '--shm-size', fix: /"16g"/ },
  { name: 'run: bad port', run: () => imported('-p 70000:80 busybox'), field: '-p', fix: /8888:8888/ },
  {
    name: 'run: missing env file',
    run: () => {
      const { profile: p } = importDockerRun('docker run --env-file /nonexistent/gpuc-faults.env busybox');
      return { problems: toCreateOptions(p, CTX).problems };
    },
    field: 'envFile',
    fix: /\/nonexistent\/gpuc-faults\.env/,
  },
  { name: 'run: $(…)', run: () => imported('-e TOKEN=$(cat ~/.token) busybox'), field: '-e', fix: /its value/ },
  { name: 'run: backticks', run: () => imported('-e X=`id` busybox'), field: '-e', fix: /its value/ },
  { name: 'run: unbalanced quotes', run: () => imported('-e "X=1 busybox'), field: 'docker run', fix: /quote/ },
  { name: 'run: bad user', run: () => imported('-u "bad user" busybox'), field: '-u', fix: /1000:1000/ },
  { name: 'run: bad --gpus', run: () => imported('--gpus abc busybox'), field: '--gpus', fix: /device=0,2/ },
  { name: 'run: bad --cpus', run: () => imported('--cpus two busybox'), field: '--cpus', fix: /1\.5/ },
  // hosts / endpoint settings
  {
    name: 'gpuContainers.host "foo://x"',
    run: () => endpoint('foo://x', {}),
    field: 'gpuContainers.host',
    fix: /unix:\/\/, tcp:\/\//,
  },
  {
    name: 'DOCKER_HOST "unix://relative"',
    run: () => endpoint(undefined, { DOCKER_HOST: 'unix://relative' }),
    field: 'DOCKER_HOST',
    fix: /unix:\/\/\/path/,
  },
  {
    name: 'unknown docker context',
    run: () => endpoint(undefined, { DOCKER_CONTEXT: 'gpuc-faults-nosuch' }),
    field: 'gpuc-faults-nosuch',
    fix: /docker context ls/,
  },
  // image references
  { name: 'ref "Ubuntu:22.04"', run: () => imageRef('Ubuntu:22.04'), field: 'Ubuntu', fix: /"ubuntu"|lowercase/ },
  { name: 'ref "ubuntu:"', run: () => imageRef('ubuntu:'), field: 'ubuntu:', fix: /tag/ },
  { name: 'ref "ubuntu@sha256:xyz"', run: () => imageRef('ubuntu@sha256:xyz'), field: 'sha256:xyz', fix: /64/ },
  { name: 'ref "a b"', run: () => imageRef('a b'), field: 'a b', fix: /whitespace/ },
];

const CJK = /[\u3400-\u9fff]/;
let passed = 0;

const named = (p: Found, field: string): boolean =>
  p.field !== undefined ? p.field.startsWith(field) || p.message.includes(field) : p.message.includes(field);

void describe('bad input: a clear message, with the field and a fix, translated, and no half-applied launch', () => {
  after(() => {
    l10n.config({ contents: {} });
    console.log(`[faults] bad inputs with a clear message + fix: ${passed}/${ROWS.length}`);
  });
  for (const row of ROWS) {
    void it(row.name, () => {
      l10n.config({ contents: {} });
      const en = row.run();
      const hit = en.problems.find((p) => named(p, row.field));
      assert.ok(hit, `no problem names ${row.field}: ${JSON.stringify(en.problems).slice(0, 400)}`);
      assert.match(hit.message, row.fix, 'carries the fix');
      if (en.blocked !== undefined) assert.equal(en.blocked, row.blocks ?? true, 'the launch gate');
      const index = en.problems.indexOf(hit);
      l10n.config({ contents: ZH });
      try {
        const zh = row.run().problems[index];
        assert.ok(zh, 'the same problem in Chinese');
        assert.notEqual(zh.message, hit.message, `not translated: ${hit.message}`);
        assert.match(zh.message, CJK, `not translated: ${zh.message}`);
      } finally {
        l10n.config({ contents: {} });
      }
      passed++;
    });
  }
  void it('the table has at least the 36 rows of the issue', () => assert.ok(ROWS.length >= 36));
  void it('no message echoes a control, bidi or invisible character', () => {
    for (const row of ROWS)
      for (const p of row.run().problems)
        assert.doesNotMatch(p.message, BAD_CHARS, `${row.name}: ${JSON.stringify(p.message).slice(0, 200)}`);
  });
});

const BAD_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffd]/;

/** Lines that are good and must import exactly (issue 24 item 4, issue 26 item 4): no error, the right fields. */
const GOOD_IMPORTS: { line: string; want: Record<string, unknown> }[] = [
  { line: 'sudo -u alice docker run busybox', want: { image: 'busybox' } },
  { line: 'sudo -E -H -- docker run busybox sh', want: { image: 'busybox', command: ['sh'] } },
  { line: 'sudo --user=alice -g video docker run busybox', want: { image: 'busybox' } },
  { line: 'sudo -Eu alice docker run busybox', want: { image: 'busybox' } },
  { line: 'env -i FOO=1 docker run busybox', want: { image: 'busybox' } },
  { line: 'DOCKER_HOST=tcp://x:2375 docker run busybox', want: { image: 'busybox' } },
  { line: 'sudo DOCKER_CONTEXT=a docker run busybox', want: { image: 'busybox' } },
  { line: 'docker run -e \u201cMSG=a b\u201d busybox', want: { image: 'busybox', env: { MSG: 'a b' } } },
  { line: 'docker run -e \u2018MSG=a b\u2019 busybox', want: { image: 'busybox', env: { MSG: 'a b' } } },
  { line: 'docker run -e MSG=it\u2019s busybox', want: { image: 'busybox', env: { MSG: 'it\u2019s' } } },
  {
    line: 'podman run --device nvidia.com/gpu=all busybox',
    want: { image: 'busybox', gpus: { all: true }, devices: [] },
  },
  {
    line: 'podman run --device nvidia.com/gpu=0 --device nvidia.com/gpu=GPU-8a3c5d1e-0000-1111-2222-333344445555 busybox',
    want: { image: 'busybox', gpus: { devices: ['0', 'GPU-8a3c5d1e-0000-1111-2222-333344445555'] } },
  },
  {
    line: 'docker run --device example.com/fpga=0 busybox',
    want: {
      image: 'busybox',
      devices: [
        {
          pathOnHost: 'example.com/fpga=0',
          pathInContainer: 'example.com/fpga=0',
          cgroupPermissions: 'rwm',
          cdi: true,
        },
      ],
    },
  },
];

void describe('good docker run lines import exactly', () => {
  for (const { line, want } of GOOD_IMPORTS)
    void it(line, () => {
      const { profile: p, problems } = importDockerRun(line);
      assert.deepEqual(
        problems.filter((x) => x.severity === 'error'),
        [],
      );
      for (const [k, v] of Object.entries(want)) assert.deepEqual((p as unknown as Record<string, unknown>)[k], v, k);
    });
  void it('a CDI nvidia.com/gpu device in settings becomes the GPU request', () => {
    const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', devices: ['nvidia.com/gpu=all'] }]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profiles[0].gpus, { all: true });
    const o = toCreateOptions(r.profiles[0], CTX).options;
    assert.equal(o.HostConfig?.Devices, undefined);
    assert.equal(o.HostConfig?.DeviceRequests?.[0].Count, -1);
  });
  void it('another CDI device goes to Docker as the docker CLI 25+ sends it (driver "cdi")', () => {
    const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', devices: ['example.com/fpga=0'] }]);
    const o = toCreateOptions(r.profiles[0], CTX).options;
    assert.equal(o.HostConfig?.Devices, undefined);
    assert.deepEqual(o.HostConfig?.DeviceRequests, [{ Driver: 'cdi', DeviceIDs: ['example.com/fpga=0'] }]);
    const run = toDockerRunArgs(r.profiles[0]);
    assert.deepEqual(run.slice(run.indexOf('--device'), run.indexOf('--device') + 2), [
      '--device',
      'example.com/fpga=0',
    ]);
  });
  void it('a two-character name and a template of good characters launch unchanged', () => {
    assert.equal(built({ containerName: 'pq' }).blocked, false);
    const r = parseProfiles([{ name: 'p', image: 'ubuntu:22.04', containerName: '${user}-${profile}_1.x' }]);
    assert.equal(toCreateOptions(r.profiles[0], CTX).name, 'u-p_1.x');
  });
});
