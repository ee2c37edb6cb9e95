import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { EndpointInputs } from '../../../src/core/docker/endpoint';
import { resolveHosts } from '../../../src/core/hosts/endpoints';
import { parseHostsSetting } from '../../../src/core/hosts/hostsSetting';

const HOME = '/home/ann';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const meta = (name: string, host: string): [string, string] => [
  `${HOME}/.docker/contexts/meta/${sha(name)}/meta.json`,
  JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }),
];

function inputs(over: { env?: Record<string, string>; files?: Record<string, string>; host?: string } = {}) {
  const files = over.files ?? {};
  const i: EndpointInputs = {
    hostSetting: over.host,
    env: over.env ?? {},
    homedir: HOME,
    platform: 'linux',
    readFile: (p) => files[p],
  };
  return i;
}

void describe('resolveHosts', () => {
  void it('no hosts: the one endpoint resolved today, named after it', () => {
    const [h] = resolveHosts([], inputs());
    assert.equal(h.implicit, true);
    assert.equal(h.name, 'local');
    assert.equal(h.endpoint.host, 'unix:///var/run/docker.sock');
    assert.equal(h.local, true);
    assert.deepEqual(h.endpoint.terminalEnv, { DOCKER_HOST: 'unix:///var/run/docker.sock' });

    const [s] = resolveHosts([], inputs({ host: 'ssh://gpubox' }));
    assert.equal(s.name, 'gpubox');
    assert.deepEqual(s.ssh, { destination: 'gpubox' });
    assert.equal(s.local, false);

    const [c] = resolveHosts(
      [],
      inputs({ env: { DOCKER_CONTEXT: 'lab' }, files: Object.fromEntries([meta('lab', 'ssh://ann@lab:2200')]) }),
    );
    assert.equal(c.name, 'lab');
    assert.deepEqual(c.ssh, { destination: 'ann@lab', port: 2200 });
    assert.deepEqual(c.endpoint.terminalEnv, { DOCKER_CONTEXT: 'lab' });
  });

  void it('each host gets its own endpoint and terminal env, whatever DOCKER_HOST says', () => {
    const { hosts } = parseHostsSetting(
      [
        { name: 'here', host: 'unix:///var/run/docker.sock' },
        { name: 'gpubox', host: 'ssh://gpubox' },
        { name: 'lab', context: 'lab' },
        { name: 'tcp', host: 'tcp://10.0.0.5:2376' },
        { name: 'loop', host: 'tcp://127.0.0.1:2375' },
      ],
      'linux',
    );
    const r = resolveHosts(
      hosts,
      inputs({
        env: { DOCKER_HOST: 'tcp://elsewhere:2375' },
        files: Object.fromEntries([meta('lab', 'unix:///run/lab.sock')]),
      }),
    );
    assert.deepEqual(
      r.map((h) => [h.name, h.endpoint.host, h.local, h.error === undefined, JSON.stringify(h.endpoint.terminalEnv)]),
      [
        ['here', 'unix:///var/run/docker.sock', true, true, '{"DOCKER_HOST":"unix:///var/run/docker.sock"}'],
        ['gpubox', 'ssh://gpubox', false, true, '{"DOCKER_HOST":"ssh://gpubox"}'],
        ['lab', 'unix:///run/lab.sock', true, true, '{"DOCKER_CONTEXT":"lab"}'],
        ['tcp', 'tcp://10.0.0.5:2376', false, true, '{"DOCKER_HOST":"tcp://10.0.0.5:2376"}'],
        ['loop', 'tcp://127.0.0.1:2375', true, true, '{"DOCKER_HOST":"tcp://127.0.0.1:2375"}'],
      ],
    );
    assert.ok(r.every((h) => !h.implicit));
  });

  void it('a missing context is an error on that host, never a silent fall back to the local socket', () => {
    const { hosts } = parseHostsSetting([{ name: 'lab', context: 'nope' }], 'linux');
    const [h] = resolveHosts(hosts, inputs());
    assert.match(h.error?.message ?? '', /context "nope" could not be read/);
    assert.ok(h.problems.length > 0);
  });
});
