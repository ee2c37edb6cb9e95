import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHosts } from '../../../src/core/hosts/endpoints';
import { parseHostsSetting } from '../../../src/core/hosts/hostsSetting';
import { remoteCli, validRemoteSocket } from '../../../src/core/podman/podmanEndpoint';
import {
  cancelArgv,
  forwardArgv,
  parseRemoteSocketAnswer,
  REMOTE_SOCKET_SCRIPT,
  socketQueryArgv,
} from '../../../src/core/podman/podmanSsh';
import { sshTerminalArgv } from '../../../src/core/terminalArgs';

const inputs = { env: {}, homedir: '/h', readFile: () => undefined, platform: 'linux' as const };
const SOCK = '/run/user/1001/podman/podman.sock';

void describe('Podman over ssh: the forward on the master', () => {
  void it('forward and cancel name the control socket, the port, and local:remote after -L; the host after --', () => {
    const host = { destination: 'ann@gpubox', port: 2022 };
    assert.deepEqual(forwardArgv(host, '/tmp/c/ctl', '/tmp/p/podman-1.sock', SOCK), [
      '-o',
      'ControlPath=/tmp/c/ctl',
      '-p',
      '2022',
      '-O',
      'forward',
      '-L',
      `/tmp/p/podman-1.sock:${SOCK}`,
      '--',
      'ann@gpubox',
    ]);
    assert.deepEqual(cancelArgv({ destination: 'gpubox' }, '/c', '/l.sock', SOCK).slice(2, 6), [
      '-O',
      'cancel',
      '-L',
      `/l.sock:${SOCK}`,
    ]);
  });

  void it('the socket query is a channel on the master (ControlMaster=no) running one POSIX sh line', () => {
    const argv = socketQueryArgv({ destination: 'gpubox' }, '/c');
    assert.ok(argv.includes('ControlMaster=no') && argv.includes('ControlPath=/c'));
    assert.deepEqual(argv.slice(-3), ['--', 'gpubox', REMOTE_SOCKET_SCRIPT]);
  });

  void it("reads the query's answer; anything else (a banner, another shell's error) is no answer", () => {
    assert.deepEqual(parseRemoteSocketAnswer(`ok ${SOCK}\n`), { path: SOCK, running: true });
    assert.deepEqual(parseRemoteSocketAnswer(`Welcome!\nmissing ${SOCK}\n`), { path: SOCK, running: false });
    assert.equal(parseRemoteSocketAnswer('fish: Unsupported use of ${\n'), undefined);
    assert.equal(parseRemoteSocketAnswer('ok relative/podman.sock'), undefined);
  });

  void it('a remote socket must be absolute, without ":" (the -L separator), spaces or control characters', () => {
    assert.ok(validRemoteSocket(SOCK));
    for (const bad of ['', 'run/podman.sock', '/a:b/podman.sock', '/a b/podman.sock', '/a\n/podman.sock'])
      assert.ok(!validRemoteSocket(bad), JSON.stringify(bad));
  });
});

void describe('a host entry names the socket of Podman over ssh', () => {
  void it('"socket" on an ssh:// Podman host reaches the endpoint and the terminal CLI', () => {
    const { hosts, problems } = parseHostsSetting(
      [{ name: 'p', host: 'ssh://gpubox', engine: 'podman', socket: ` ${SOCK} ` }],
      'linux',
    );
    assert.deepEqual(problems, []);
    assert.equal(hosts[0].socket, SOCK);
    const [r] = resolveHosts(hosts, inputs);
    assert.equal(r.endpoint.remoteSocket, SOCK);
    assert.equal(r.endpoint.engine, 'podman');
    assert.deepEqual(remoteCli(r.endpoint), ['podman', '--url', `unix://${SOCK}`]);
  });

  void it('"socket" elsewhere (a Docker host, a unix address) or not a path is a warning and ignored', () => {
    const { hosts, problems } = parseHostsSetting(
      [
        { name: 'a', host: 'ssh://a', socket: SOCK },
        { name: 'b', host: 'unix:///run/podman/podman.sock', engine: 'podman', socket: SOCK },
        { name: 'c', host: 'ssh://c', engine: 'podman', socket: 'podman.sock' },
      ],
      'linux',
    );
    assert.equal(hosts.length, 3);
    assert.ok(hosts.every((h) => h.socket === undefined));
    assert.deepEqual(
      problems.map((p) => [p.field, p.severity]),
      [
        ['gpuContainers.hosts[0].socket', 'warning'],
        ['gpuContainers.hosts[1].socket', 'warning'],
        ['gpuContainers.hosts[2].socket', 'warning'],
      ],
    );
  });

  void it("terminals on an ssh host run the engine's CLI there: docker, or podman", () => {
    const host = { destination: 'gpubox' };
    assert.deepEqual(remoteCli({ engine: 'docker' }), ['docker']);
    assert.deepEqual(remoteCli({}), ['docker']);
    assert.deepEqual(remoteCli({ engine: 'podman' }), ['podman']);
    const argv = sshTerminalArgv(host, '/c', ['exec', '-it', 'x', 'bash'], ['podman']);
    assert.deepEqual(argv.slice(argv.indexOf('--')), ['--', 'gpubox', 'podman', 'exec', '-it', 'x', 'bash']);
    const docker = sshTerminalArgv(host, undefined, ['ps']);
    assert.deepEqual(docker.slice(docker.indexOf('--')), ['--', 'gpubox', 'docker', 'ps']);
  });
});
