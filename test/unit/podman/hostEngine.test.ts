import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toEngineVersion } from '../../../src/core/docker/imageEventMapping';
import { resolveHosts } from '../../../src/core/hosts/endpoints';
import { parseHostsSetting } from '../../../src/core/hosts/hostsSetting';
import { EngineKinds, engineUnknown, isPodmanVersion, withEngine } from '../../../src/core/podman/podmanEndpoint';

const inputs = { env: {}, homedir: '/h', readFile: () => undefined, platform: 'linux' as const };
const ROOTLESS = 'unix:///run/user/1001/podman/podman.sock';

/** Trimmed from real `GET /version` answers: Podman 4.3.1 (Debian 12) and Docker 20.10.24. */
const PODMAN_VERSION = {
  Platform: { Name: 'linux/amd64/debian-12' },
  Components: [
    { Name: 'Podman Engine', Version: '4.3.1', Details: { APIVersion: '4.3.1', MinAPIVersion: '4.0.0' } },
    { Name: 'Conmon', Version: 'conmon version 2.1.6, commit: unknown' },
    { Name: 'OCI Runtime (runc)', Version: 'runc version 1.1.5+ds1' },
  ],
  Version: '4.3.1',
  ApiVersion: '1.41',
  MinAPIVersion: '1.24',
  Os: 'linux',
  Arch: 'amd64',
};
const DOCKER_VERSION = {
  Platform: { Name: '' },
  Components: [
    { Name: 'Engine', Version: '20.10.24+dfsg1' },
    { Name: 'containerd', Version: '1.6.20~ds1' },
    { Name: 'runc', Version: '1.1.5+ds1' },
  ],
  Version: '20.10.24+dfsg1',
  ApiVersion: '1.41',
  Os: 'linux',
  Arch: 'amd64',
};

void describe('a host entry declares its engine', () => {
  void it('"engine": "podman" on any address makes it Podman: podman CLI, CONTAINER_HOST', () => {
    const { hosts, problems } = parseHostsSetting(
      [{ name: 'pod', host: 'unix:///srv/sockets/api.sock', engine: 'podman' }],
      'linux',
    );
    assert.deepEqual(problems, []);
    assert.equal(hosts[0].engine, 'podman');
    const [r] = resolveHosts(hosts, inputs);
    assert.equal(r.endpoint.engine, 'podman');
    assert.equal(r.endpoint.cli, 'podman');
    assert.deepEqual(r.endpoint.terminalEnv, { CONTAINER_HOST: 'unix:///srv/sockets/api.sock' });
  });

  void it('"engine": "docker" overrides a podman.sock name and is never asked again', () => {
    const { hosts } = parseHostsSetting([{ name: 'd', host: ROOTLESS, engine: 'Docker ' }], 'linux');
    const [r] = resolveHosts(hosts, inputs);
    assert.equal(r.endpoint.engine, 'docker');
    assert.equal(r.endpoint.cli, undefined);
    assert.deepEqual(r.endpoint.terminalEnv, { DOCKER_HOST: ROOTLESS });
    assert.equal(engineUnknown(r.endpoint), false);
  });

  void it('without "engine": a podman.sock is Podman, another socket is to be recognised', () => {
    const { hosts } = parseHostsSetting(
      [
        { name: 'a', host: ROOTLESS },
        { name: 'b', host: 'unix:///var/run/docker.sock' },
        { name: 'c', host: 'ssh://gpubox' },
      ],
      'linux',
    );
    const [a, b, c] = resolveHosts(hosts, inputs);
    assert.equal(a.endpoint.engine, 'podman');
    assert.equal(engineUnknown(a.endpoint), false);
    assert.equal(engineUnknown(b.endpoint), true);
    assert.equal(engineUnknown(c.endpoint), false, 'ssh goes through docker dial-stdio');
  });

  void it('a bad engine is a warning naming the field; the host is kept', () => {
    const { hosts, problems } = parseHostsSetting([{ name: 'x', host: ROOTLESS, engine: 'containerd' }], 'linux');
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].engine, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].field, 'gpuContainers.hosts[0].engine');
    assert.equal(problems[0].severity, 'warning');
    assert.equal(problems[0].value, 'containerd');
  });

  void it('withEngine(docker) of a context endpoint keeps DOCKER_CONTEXT', () => {
    const ep = {
      source: 'context' as const,
      host: ROOTLESS,
      kind: 'unix' as const,
      context: 'pod',
      terminalEnv: { CONTAINER_HOST: ROOTLESS },
      engine: 'podman' as const,
      cli: 'podman',
    };
    assert.deepEqual(withEngine(ep, 'docker').terminalEnv, { DOCKER_CONTEXT: 'pod' });
  });
});

void describe('recognising Podman from its version', () => {
  void it('the Components name it', () => {
    const pod = toEngineVersion(PODMAN_VERSION);
    assert.deepEqual(pod.components, ['Podman Engine', 'Conmon', 'OCI Runtime (runc)']);
    assert.equal(isPodmanVersion(pod), true);
    assert.equal(isPodmanVersion(toEngineVersion(DOCKER_VERSION)), false);
    assert.equal(isPodmanVersion(toEngineVersion({ Version: '1' })), false);
    assert.equal(isPodmanVersion(toEngineVersion({ Components: 'x' })), false);
  });

  void it('asks once per address, concurrent askers share the call, a failure is not remembered', async () => {
    const kinds = new EngineKinds();
    let calls = 0;
    const ask = (json: unknown) => () => {
      calls++;
      return Promise.resolve(toEngineVersion(json));
    };
    const [a, b] = await Promise.all([
      kinds.check('unix:///a', ask(PODMAN_VERSION)),
      kinds.check('unix:///a', ask(PODMAN_VERSION)),
    ]);
    assert.equal(a, 'podman');
    assert.equal(b, 'podman');
    assert.equal(calls, 1);
    assert.equal(await kinds.check('unix:///a', ask(DOCKER_VERSION)), 'podman');
    assert.equal(calls, 1);
    assert.equal(kinds.get('unix:///a'), 'podman');

    assert.equal(await kinds.check('unix:///b', () => Promise.reject(new Error('ECONNREFUSED'))), undefined);
    assert.equal(kinds.get('unix:///b'), undefined);
    assert.equal(await kinds.check('unix:///b', ask(DOCKER_VERSION)), 'docker');
    assert.equal(kinds.get('unix:///b'), 'docker');
  });
});
