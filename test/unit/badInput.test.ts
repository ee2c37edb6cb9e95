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
import { importDockerRun, launchGate, parseProfiles, toCreateOptions } from '../../src/core/profiles';

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
});
