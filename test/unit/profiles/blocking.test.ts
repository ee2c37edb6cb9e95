import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  launchGate,
  locateProfileField,
  parseProfiles,
  resolveContainerName,
  type Problem,
} from '../../../src/core/profiles';

const one = (o: Record<string, unknown>) =>
  parseProfiles([{ name: 'p', image: 'ubuntu:22.04', ...o }], { source: 'user' });

/**
 * Issue 18 item 1 and the bad-input matrix: every row is a profile field with a bad value; the profile
 * must come out blocked (never launched with the field dropped), the problem must name the field and the
 * value, and say what to write instead.
 */
const BAD: { field: string; value: unknown; problemField: string; mentions: RegExp; fix: RegExp }[] = [
  { field: 'user', value: 'bad user', problemField: 'user', mentions: /bad user/, fix: /1000:1000|host/ },
  { field: 'volumes', value: ['/tmp:data'], problemField: 'volumes[0]', mentions: /"data"/, fix: /absolute|host-path/ },
  { field: 'ports', value: ['70000:80'], problemField: 'ports[0]', mentions: /70000/, fix: /8888:8888/ },
  { field: 'shmSize', value: '16x', problemField: 'shmSize', mentions: /16x/, fix: /"16g"/ },
  { field: 'cpus', value: 'two', problemField: 'cpus', mentions: /two/, fix: /1\.5/ },
  { field: 'cpus', value: 1.0000000001, problemField: 'cpus', mentions: /1\.0000000001/, fix: /9 decimals/ },
  { field: 'workdir', value: 'work', problemField: 'workdir', mentions: /"work"/, fix: /\/workspace/ },
  { field: 'env', value: { 'MY VAR': '1' }, problemField: 'env.MY VAR', mentions: /MY VAR/, fix: /letters, digits/ },
  { field: 'env', value: ['1ABC=x'], problemField: 'env[0]', mentions: /1ABC/, fix: /not starting with a digit/ },
  { field: 'labels', value: { 'a b': 'x' }, problemField: 'labels.a b', mentions: /a b/, fix: /org\.example/ },
  { field: 'labels', value: { team: { x: 1 } }, problemField: 'labels.team', mentions: /team/, fix: /string value/ },
  { field: 'memory', value: '-1g', problemField: 'memory', mentions: /-1g/, fix: /"512m"/ },
  { field: 'restart', value: 'sometimes', problemField: 'restart', mentions: /sometimes/, fix: /unless-stopped/ },
  { field: 'ipc', value: 'shared', problemField: 'ipc', mentions: /shared/, fix: /container:<name>/ },
  { field: 'gpus', value: { free: 0 }, problemField: 'gpus.free', mentions: /0/, fix: /1 or more/ },
  {
    field: 'gpus',
    value: { free: 2, minFreeMemory: 'lots' },
    problemField: 'gpus.minFreeMemory',
    mentions: /lots/,
    fix: /"40g"/,
  },
  { field: 'gpus', value: { free: 2, hold: '8x' }, problemField: 'gpus.hold', mentions: /8x/, fix: /"8h"/ },
  { field: 'gpus', value: { free: 2, hold: '-1h' }, problemField: 'gpus.hold', mentions: /-1h/, fix: /"8h"/ },
  { field: 'gpus', value: { free: 2, hold: '0' }, problemField: 'gpus.hold', mentions: /"0"/, fix: /"8h"/ },
  { field: 'gpus', value: { free: 2, hold: 8 }, problemField: 'gpus.hold', mentions: /8/, fix: /"90m"/ },
  {
    field: 'volumes',
    value: ['/data/a:b:/c'],
    problemField: 'volumes[0]',
    mentions: /"\/data\/a:b"/,
    fix: /mounts/,
  },
  {
    field: 'ports',
    value: ['8888:8888', '127.0.0.1:9000:9000', '8888:80'],
    problemField: 'ports[2]',
    mentions: /8888/,
    fix: /another host port/,
  },
  { field: 'command', value: 'python "unclosed', problemField: 'command', mentions: /command/, fix: /list of strings/ },
];

void describe('a profile with error-level problems never launches half-applied (18.1)', () => {
  for (const row of BAD) {
    void it(`${row.field}: ${JSON.stringify(row.value)}`, () => {
      const r = one({ [row.field]: row.value });
      assert.equal(r.profiles.length, 1, 'the profile is still listed');
      const errors = r.problems.filter((p) => p.severity === 'error');
      assert.ok(errors.length >= 1, JSON.stringify(r.problems));
      const e = errors.find((p) => p.field === row.problemField);
      assert.ok(e, `no error on ${row.problemField}: ${JSON.stringify(r.problems)}`);
      assert.match(e.message, row.mentions, 'names the value');
      assert.match(e.message, row.fix, 'says what to write');
      const gate = launchGate(r.profiles[0]);
      assert.equal(gate.blocked, true);
      if (gate.blocked) {
        assert.ok(gate.problems.includes(e));
        assert.match(gate.message, /cannot be launched/);
        assert.ok(gate.message.includes(row.problemField));
      }
    });
  }
  void it('all four fields of the report at once: four problems, blocked', () => {
    const r = one({ user: 'bad user', volumes: ['/tmp:data'], ports: ['70000:80'], shmSize: '16x' });
    const gate = launchGate(r.profiles[0]);
    assert.ok(gate.blocked);
    if (gate.blocked)
      assert.deepEqual(
        gate.problems.map((p) => p.field),
        ['shmSize', 'ports[0]', 'volumes[0]', 'user'],
      );
    assert.match(gate.blocked ? gate.message : '', /these 4 problems/);
  });
  void it('warnings alone do not block', () => {
    const r = one({ gpuCapabilities: ['warp-drive'], gpus: 'all' });
    assert.ok(r.problems.some((p) => p.severity === 'warning'));
    assert.equal(r.profiles[0].errors, undefined);
    assert.deepEqual(launchGate(r.profiles[0]), { blocked: false });
  });
  void it('a good profile is not blocked and carries no errors field', () => {
    const r = one({ shmSize: '16g', gpus: { free: 2, minFreeMemory: '40g', model: 'H100' } });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profiles[0].gpus, { free: { count: 2, minFreeMemoryMiB: 40 * 1024, model: 'H100' } });
    assert.equal('errors' in r.profiles[0], false);
  });
  void it('gpus.hold: a lease of the free GPUs', () => {
    const r = one({ shmSize: '16g', gpus: { free: 2, hold: '8h' } });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profiles[0].gpus, { free: { count: 2, holdMs: 8 * 3_600_000 } });
  });
  void it("one profile's errors do not block another", () => {
    const r = parseProfiles([
      { name: 'a', shmSize: '16x' },
      { name: 'b', shmSize: '16g' },
    ]);
    assert.equal(launchGate(r.profiles[0]).blocked, true);
    assert.equal(launchGate(r.profiles[1]).blocked, false);
  });
});

void describe('smaller bad inputs (18.10)', () => {
  void it('a unicode profile name warns and the container name is no run of dashes', () => {
    const r = parseProfiles([{ name: '训练 模型' }]);
    const w = r.problems.find((p) => p.field === 'name');
    assert.equal(w?.severity, 'warning');
    assert.match(w?.message ?? '', /containerName/);
    const ctx = { userHome: '/home/root', user: 'root', uid: 0, gid: 0, env: {} };
    const { name } = resolveContainerName(r.profiles[0], ctx);
    assert.doesNotMatch(name, /--/);
    assert.equal(resolveContainerName({ ...r.profiles[0], name: 'café' }, ctx).name, 'root-cafe');
    assert.equal(parseProfiles([{ name: '训练', containerName: 'train' }]).problems.length, 0);
  });
  void it('a 100,000-character unknown key is reported short and fast', () => {
    const key = 'x'.repeat(100_000);
    const r = parseProfiles([{ name: 'p', [key]: 1 }]);
    assert.equal(r.problems.length, 1);
    assert.ok(r.problems[0].message.length < 200, r.problems[0].message.slice(0, 300));
    assert.ok((r.problems[0].field ?? '').length < 100);
  });
  void it('"could not be split" problems do not echo the value (it may hold a token)', () => {
    const secret = 'hf_abcdefghijklmnopqrstuvwxyz0123';
    for (const o of [
      { runArgs: `-e HF_TOKEN=${secret} "` },
      { command: `curl -H 'Authorization: ${secret}` },
      { entrypoint: `sh -c "echo ${secret}` },
    ]) {
      const r = one(o);
      const all = r.problems.map((p: Problem) => `${p.field} ${p.message}`).join('\n');
      assert.ok(r.problems.length > 0);
      assert.ok(!all.includes(secret), all);
    }
  });
});

void describe('locateProfileField', () => {
  const text = `{
  // comment with "gpuContainers.profiles"
  "editor.tabSize": 2,
  "gpuContainers.profiles": [
    { "name": "a", "shmSize": "1g" },
    {
      "name": "b", /* block */
      "shmSize": "16x",
      "volumes": ["/x:/x", "/tmp:data"],
      "env": { "A": "1", "MY VAR": "2" },
    },
  ],
}`;
  const at = (profile: string, field?: string) => {
    const o = locateProfileField(text, profile, field);
    return o === undefined ? undefined : text.slice(o, o + 12);
  };
  void it('finds the field of the named profile', () => {
    assert.equal(at('b', 'shmSize'), '"shmSize": "');
    assert.equal(at('a', 'shmSize'), '"shmSize": "');
    assert.ok(locateProfileField(text, 'b', 'shmSize')! > locateProfileField(text, 'a', 'shmSize')!);
    assert.equal(at('b', 'volumes[1]'), '"/tmp:data"]');
    assert.equal(at('b', 'env.MY VAR'), '"MY VAR": "2');
    assert.equal(at('b', 'runArgs (--x)')?.[0], '{');
    assert.equal(at('c', 'shmSize'), undefined);
    assert.equal(locateProfileField('{ broken', 'b', 'x'), undefined);
  });
  void it('reads a .code-workspace file', () => {
    const ws = `{"folders": [], "settings": {"gpuContainers.profiles": [{"name": "w", "user": "bad user"}]}}`;
    const o = locateProfileField(ws, 'w', 'user');
    assert.equal(ws.slice(o, o! + 6), '"user"');
  });
});

void describe('gpus: free GPUs through the settings writer', () => {
  void it('round-trips { free, minFreeMemory, model }', async () => {
    const { toProfileSettings } = await import('../../../src/core/profiles');
    for (const gpus of [
      { free: 2, minFreeMemory: '40g', model: 'H100' },
      { free: 1 },
      { free: 3, minFreeMemory: '1536m' },
      { free: 2, hold: '8h' },
      { free: 1, model: 'H100', hold: '1h30m' },
    ]) {
      const p = parseProfiles([{ name: 'p', gpus }]).profiles[0];
      assert.deepEqual(toProfileSettings(p).gpus, gpus);
    }
  });
});
