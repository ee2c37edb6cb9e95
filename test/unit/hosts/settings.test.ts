import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultHostName, parseHostsSetting, sshTargetOf } from '../../../src/core/hosts/hostsSetting';
import { formatHostsProblem, hostsFromInspect } from '../../../src/core/hosts/hostsInspect';

const parse = (raw: unknown) => parseHostsSetting(raw, 'linux');

void describe('parseHostsSetting', () => {
  void it('empty, undefined and null mean "the endpoint resolved today"', () => {
    for (const raw of [undefined, null, []]) assert.deepEqual(parse(raw), { hosts: [], problems: [] });
  });

  void it('accepts every documented address form, normalized', () => {
    const { hosts, problems } = parse([
      { name: 'gpubox', host: 'ssh://gpubox' },
      { name: 'lab', host: 'ssh://ann@lab.example.org:2222' },
      { name: 'local', host: 'unix:///var/run/docker.sock' },
      { name: 'rootless', host: 'unix:///run/user/1000/docker.sock' },
      { name: 'tcp', host: 'tcp://10.0.0.5:2376' },
      { name: 'ctx', context: 'remote-box' },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(hosts, [
      { name: 'gpubox', kind: 'ssh', host: 'ssh://gpubox', ssh: { destination: 'gpubox' } },
      {
        name: 'lab',
        kind: 'ssh',
        host: 'ssh://ann@lab.example.org:2222',
        ssh: { destination: 'ann@lab.example.org', port: 2222 },
      },
      { name: 'local', kind: 'unix', host: 'unix:///var/run/docker.sock' },
      { name: 'rootless', kind: 'unix', host: 'unix:///run/user/1000/docker.sock' },
      { name: 'tcp', kind: 'tcp', host: 'tcp://10.0.0.5:2376' },
      { name: 'ctx', kind: 'context', context: 'remote-box' },
    ]);
  });

  void it('derives a missing name from the address', () => {
    const { hosts, problems } = parse([
      { host: 'ssh://gpubox' },
      { host: 'unix:///var/run/docker.sock' },
      { context: 'lab' },
      { host: 'tcp://10.1.2.3:2375' },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      hosts.map((h) => h.name),
      ['gpubox', 'local', 'lab', '10.1.2.3'],
    );
  });

  const bad: { name: string; raw: unknown; field: string; message: RegExp; severity?: string; kept?: number }[] = [
    {
      name: 'not a list',
      raw: { name: 'x', host: 'ssh://x' },
      field: 'gpuContainers.hosts',
      message: /must be a list/,
    },
    { name: 'a string entry', raw: ['ssh://gpubox'], field: 'gpuContainers.hosts[0]', message: /must be an object/ },
    { name: 'null entry', raw: [null], field: 'gpuContainers.hosts[0]', message: /must be an object/ },
    { name: 'no address', raw: [{ name: 'a' }], field: 'gpuContainers.hosts[0]', message: /neither/ },
    {
      name: 'both host and context',
      raw: [{ name: 'a', host: 'ssh://a', context: 'a' }],
      field: 'gpuContainers.hosts[0]',
      message: /both/,
    },
    { name: 'empty host', raw: [{ name: 'a', host: '  ' }], field: 'gpuContainers.hosts[0].host', message: /empty/ },
    {
      name: 'host not a string',
      raw: [{ name: 'a', host: 42 }],
      field: 'gpuContainers.hosts[0].host',
      message: /empty/,
    },
    {
      name: 'no scheme',
      raw: [{ name: 'a', host: 'gpubox' }],
      field: 'gpuContainers.hosts[0].host',
      message: /no scheme/,
    },
    {
      name: 'unsupported scheme',
      raw: [{ name: 'a', host: 'ftp://gpubox' }],
      field: 'gpuContainers.hosts[0].host',
      message: /not a Docker host address/,
    },
    {
      name: 'ssh with a path',
      raw: [{ name: 'a', host: 'ssh://gpubox/var/run' }],
      field: 'gpuContainers.hosts[0].host',
      message: /has a path/,
    },
    {
      name: 'ssh with a password',
      raw: [{ name: 'a', host: 'ssh://ann:secret@gpubox' }],
      field: 'gpuContainers.hosts[0].host',
      message: /password/,
    },
    {
      name: 'relative unix socket',
      raw: [{ name: 'a', host: 'unix://docker.sock' }],
      field: 'gpuContainers.hosts[0].host',
      message: /not a Docker host address/,
    },
    {
      name: 'bad context name',
      raw: [{ name: 'a', context: '-x y' }],
      field: 'gpuContainers.hosts[0].context',
      message: /not a docker context name/,
    },
    {
      name: 'unknown field (kept)',
      raw: [{ name: 'a', host: 'ssh://a', hots: 1 }],
      field: 'gpuContainers.hosts[0].hots',
      message: /Unknown host field/,
      severity: 'warning',
      kept: 1,
    },
    {
      name: 'name not a string (kept, derived)',
      raw: [{ name: 7, host: 'ssh://gpubox' }],
      field: 'gpuContainers.hosts[0].name',
      message: /using "gpubox"/,
      severity: 'warning',
      kept: 1,
    },
    {
      name: 'name with a newline (kept, derived)',
      raw: [{ name: 'a\nb', host: 'ssh://gpubox' }],
      field: 'gpuContainers.hosts[0].name',
      message: /control characters/,
      severity: 'warning',
      kept: 1,
    },
  ];
  for (const c of bad) {
    void it(`reports ${c.name} with field, value and fix, never throwing`, () => {
      const { hosts, problems } = parse(c.raw);
      assert.equal(hosts.length, c.kept ?? 0);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const [p] = problems;
      assert.equal(p.field, c.field);
      assert.match(p.message, c.message);
      assert.equal(p.severity, c.severity ?? 'error');
      assert.ok(p.fix.length > 10, 'has a fix');
      assert.ok(p.value !== undefined, 'has the value');
    });
  }

  void it('nvidiaSmi: a path on that host; anything else is a warning and the default', () => {
    const ok = parse([{ name: 'a', host: 'ssh://a', nvidiaSmi: ' /usr/local/nvidia/bin/nvidia-smi ' }]);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.hosts[0].nvidiaSmi, '/usr/local/nvidia/bin/nvidia-smi');
    const bad = parse([{ name: 'a', host: 'ssh://a', nvidiaSmi: 3 }]);
    assert.equal(bad.hosts[0].nvidiaSmi, undefined);
    assert.equal(bad.problems[0].field, 'gpuContainers.hosts[0].nvidiaSmi');
    assert.equal(bad.problems[0].severity, 'warning');
  });

  void it('keeps the good entries around a bad one', () => {
    const { hosts, problems } = parse([{ name: 'a', host: 'ssh://a' }, 3, { name: 'b', host: 'ssh://b' }]);
    assert.deepEqual(
      hosts.map((h) => h.name),
      ['a', 'b'],
    );
    assert.equal(problems[0].field, 'gpuContainers.hosts[1]');
  });

  void it('names are unique, case-insensitively; the first wins', () => {
    const { hosts, problems } = parse([
      { name: 'gpubox', host: 'ssh://gpubox' },
      { name: 'GPUBox', host: 'ssh://other' },
      { host: 'ssh://gpubox' },
    ]);
    assert.deepEqual(
      hosts.map((h) => h.host),
      ['ssh://gpubox'],
    );
    assert.equal(problems.length, 2);
    assert.match(problems[0].message, /already used by entry 0/);
    assert.equal(problems[1].field, 'gpuContainers.hosts[2].name');
  });

  void it('never throws on hostile input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const raw of [
      cyclic,
      [cyclic],
      'x',
      1,
      true,
      [[]],
      [{ name: {}, host: [] }],
      [{ toString: 1, host: 'ssh://a' }],
    ])
      assert.doesNotThrow(() => parse(raw));
  });
});

void describe('hostsFromInspect', () => {
  void it('uses only the user value and says that workspace hosts are ignored', () => {
    const r = hostsFromInspect(
      {
        globalValue: [{ name: 'a', host: 'ssh://a' }],
        workspaceValue: [{ name: 'evil', host: 'tcp://attacker:2375' }],
      },
      'linux',
    );
    assert.deepEqual(
      r.hosts.map((h) => h.name),
      ['a'],
    );
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /workspace cannot add Docker hosts/);
    assert.match(r.problems[0].fix, /user settings/);
  });
  void it('a folder value is ignored too; an empty workspace list is not worth a warning', () => {
    assert.equal(hostsFromInspect({ workspaceFolderValue: [{ host: 'ssh://x' }] }, 'linux').hosts.length, 0);
    assert.equal(hostsFromInspect({ workspaceFolderValue: [{ host: 'ssh://x' }] }, 'linux').problems.length, 1);
    assert.deepEqual(hostsFromInspect({ workspaceValue: [] }, 'linux'), { hosts: [], problems: [] });
    assert.deepEqual(hostsFromInspect(undefined, 'linux'), { hosts: [], problems: [] });
  });
});

void describe('sshTargetOf / defaultHostName / formatHostsProblem', () => {
  void it('keeps an alias as written so ~/.ssh/config applies', () => {
    assert.deepEqual(sshTargetOf('ssh://gpubox'), { destination: 'gpubox' });
    assert.deepEqual(sshTargetOf('ssh://ann@10.0.0.1:2200'), { destination: 'ann@10.0.0.1', port: 2200 });
    assert.equal(typeof sshTargetOf('tcp://x:1'), 'string');
    assert.equal(typeof sshTargetOf('ssh://'), 'string');
    assert.equal(typeof sshTargetOf('ssh://a?b=c'), 'string');
  });
  void it('names hosts without a name', () => {
    assert.equal(defaultHostName({ kind: 'unix', host: 'unix:///x.sock' }), 'local');
    assert.equal(defaultHostName({ kind: 'context', context: 'c' }), 'c');
    assert.equal(defaultHostName({ kind: 'ssh', host: 'ssh://u@box:22' }), 'box');
  });
  void it('formats a problem on one line with the value', () => {
    const [p] = parse([{ name: 'a', host: 'gpubox' }]).problems;
    assert.match(
      formatHostsProblem(p),
      /^gpuContainers\.hosts\[0\]\.host \(gpubox\): "gpubox" has no scheme.* Use ssh:\/\/alias/,
    );
  });
});
