import * as http from 'node:http';
import { dockerodeOptions } from '../../../src/core/docker/dockerodeOptions';
import { sshArgs } from '../../../src/core/docker/sshTransport';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contextDirName, parseHost, resolveEndpoint, type EndpointInputs } from '../../../src/core/docker/endpoint';

const HOME = '/home/ann';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const metaPath = (name: string, dir = `${HOME}/.docker`): string => `${dir}/contexts/meta/${sha(name)}/meta.json`;
const meta = (name: string, host: string, skip = false): string =>
  JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });

function inputs(over: Partial<EndpointInputs> & { files?: Record<string, string> } = {}): EndpointInputs {
  const files = over.files ?? {};
  return {
    hostSetting: over.hostSetting,
    env: over.env ?? {},
    homedir: HOME,
    platform: over.platform ?? 'linux',
    readFile: (p) => files[p],
  };
}

void describe('resolveEndpoint', () => {
  const table: {
    name: string;
    in: Partial<EndpointInputs> & { files?: Record<string, string> };
    source: string;
    host: string;
    kind: string;
    socketPath?: string;
    context?: string;
    terminalEnv: Record<string, string>;
    problems?: RegExp[];
    tls?: unknown;
  }[] = [
    {
      name: 'nothing set → default socket',
      in: {},
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    },
    {
      name: 'windows default is the named pipe',
      in: { platform: 'win32' },
      source: 'default',
      host: 'npipe:////./pipe/docker_engine',
      kind: 'npipe',
      socketPath: '\\\\.\\pipe\\docker_engine',
      terminalEnv: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' },
    },
    {
      name: 'setting wins over DOCKER_HOST and context',
      in: {
        hostSetting: ' unix:///run/user/1000/docker.sock ',
        env: { DOCKER_HOST: 'tcp://10.0.0.1:2375', DOCKER_CONTEXT: 'remote' },
        files: { [metaPath('remote')]: meta('remote', 'ssh://me@gpu1') },
      },
      source: 'setting',
      host: 'unix:///run/user/1000/docker.sock',
      kind: 'unix',
      socketPath: '/run/user/1000/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' },
    },
    {
      name: 'bare socket path in the setting',
      in: { hostSetting: '/var/run/docker.sock' },
      source: 'setting',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    },
    {
      name: 'invalid setting → problem, falls through to DOCKER_HOST',
      in: { hostSetting: 'ftp://x', env: { DOCKER_HOST: 'tcp://10.0.0.1' } },
      source: 'env',
      host: 'tcp://10.0.0.1:2375',
      kind: 'tcp',
      terminalEnv: { DOCKER_HOST: 'tcp://10.0.0.1:2375' },
      problems: [/gpuContainers\.host.*unsupported scheme "ftp:\/\/"/],
    },
    {
      name: 'DOCKER_HOST tcp with TLS verify and cert path',
      in: { env: { DOCKER_HOST: 'tcp://gpu1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } },
      source: 'env',
      host: 'tcp://gpu1:2376',
      kind: 'tcp',
      tls: { caPath: '/certs/ca.pem', certPath: '/certs/cert.pem', keyPath: '/certs/key.pem', verify: true },
      terminalEnv: { DOCKER_HOST: 'tcp://gpu1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
    },
    {
      name: 'DOCKER_TLS without verify uses ~/.docker certs',
      in: { env: { DOCKER_HOST: 'gpu1:2376', DOCKER_TLS: '1' } },
      source: 'env',
      host: 'tcp://gpu1:2376',
      kind: 'tcp',
      tls: {
        caPath: `${HOME}/.docker/ca.pem`,
        certPath: `${HOME}/.docker/cert.pem`,
        keyPath: `${HOME}/.docker/key.pem`,
        verify: false,
      },
      terminalEnv: { DOCKER_HOST: 'tcp://gpu1:2376', DOCKER_TLS: '1' },
    },
    {
      name: 'DOCKER_HOST ssh',
      in: { env: { DOCKER_HOST: 'ssh://me@gpu1:2222' } },
      source: 'env',
      host: 'ssh://me@gpu1:2222',
      kind: 'ssh',
      terminalEnv: { DOCKER_HOST: 'ssh://me@gpu1:2222' },
    },
    {
      name: 'DOCKER_HOST beats DOCKER_CONTEXT (as in the CLI)',
      in: {
        env: { DOCKER_HOST: 'unix:///tmp/d.sock', DOCKER_CONTEXT: 'remote' },
        files: { [metaPath('remote')]: meta('remote', 'ssh://me@gpu1') },
      },
      source: 'env',
      host: 'unix:///tmp/d.sock',
      kind: 'unix',
      socketPath: '/tmp/d.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///tmp/d.sock' },
    },
    {
      name: 'DOCKER_CONTEXT → meta.json (ssh)',
      in: { env: { DOCKER_CONTEXT: 'remote' }, files: { [metaPath('remote')]: meta('remote', 'ssh://me@gpu1') } },
      source: 'context',
      host: 'ssh://me@gpu1',
      kind: 'ssh',
      context: 'remote',
      terminalEnv: { DOCKER_CONTEXT: 'remote' },
    },
    {
      name: 'DOCKER_CONTEXT beats currentContext',
      in: {
        env: { DOCKER_CONTEXT: 'a' },
        files: {
          [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'b' }),
          [metaPath('a')]: meta('a', 'unix:///a.sock'),
          [metaPath('b')]: meta('b', 'unix:///b.sock'),
        },
      },
      source: 'context',
      host: 'unix:///a.sock',
      kind: 'unix',
      socketPath: '/a.sock',
      context: 'a',
      terminalEnv: { DOCKER_CONTEXT: 'a' },
    },
    {
      name: 'currentContext in config.json (rootless)',
      in: {
        files: {
          [`${HOME}/.docker/config.json`]: JSON.stringify({ auths: {}, currentContext: 'rootless' }),
          [metaPath('rootless')]: meta('rootless', 'unix:///run/user/1000/docker.sock'),
        },
      },
      source: 'context',
      host: 'unix:///run/user/1000/docker.sock',
      kind: 'unix',
      socketPath: '/run/user/1000/docker.sock',
      context: 'rootless',
      terminalEnv: { DOCKER_CONTEXT: 'rootless' },
    },
    {
      name: 'DOCKER_CONFIG moves config.json and contexts',
      in: {
        env: { DOCKER_CONFIG: '/etc/dk' },
        files: {
          ['/etc/dk/config.json']: JSON.stringify({ currentContext: 'x' }),
          [metaPath('x', '/etc/dk')]: meta('x', 'tcp://h:2375'),
        },
      },
      source: 'context',
      host: 'tcp://h:2375',
      kind: 'tcp',
      context: 'x',
      terminalEnv: { DOCKER_CONTEXT: 'x' },
    },
    {
      name: 'context with TLS material',
      in: {
        env: { DOCKER_CONTEXT: 'secure' },
        files: {
          [metaPath('secure')]: meta('secure', 'tcp://gpu1:2376'),
          [`${HOME}/.docker/contexts/tls/${sha('secure')}/docker/ca.pem`]: 'CA',
          [`${HOME}/.docker/contexts/tls/${sha('secure')}/docker/cert.pem`]: 'CERT',
          [`${HOME}/.docker/contexts/tls/${sha('secure')}/docker/key.pem`]: 'KEY',
        },
      },
      source: 'context',
      host: 'tcp://gpu1:2376',
      kind: 'tcp',
      context: 'secure',
      tls: {
        caPath: `${HOME}/.docker/contexts/tls/${sha('secure')}/docker/ca.pem`,
        certPath: `${HOME}/.docker/contexts/tls/${sha('secure')}/docker/cert.pem`,
        keyPath: `${HOME}/.docker/contexts/tls/${sha('secure')}/docker/key.pem`,
        verify: true,
      },
      terminalEnv: { DOCKER_CONTEXT: 'secure' },
    },
    {
      name: 'currentContext "default" → default socket, no problem',
      in: { files: { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'default' }) } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    },
    {
      name: 'malformed config.json → problem + default; terminal pinned by DOCKER_HOST',
      in: { files: { [`${HOME}/.docker/config.json`]: '{ "currentContext": "x", ' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/config\.json is not valid JSON/],
    },
    {
      name: 'config.json that is an array → problem + default',
      in: { files: { [`${HOME}/.docker/config.json`]: '[1,2]' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/not a JSON object/],
    },
    {
      name: 'currentContext not a string → problem + default',
      in: { files: { [`${HOME}/.docker/config.json`]: '{"currentContext": 42}' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/currentContext" is not a string/],
    },
    {
      name: 'missing meta.json → problem + default',
      in: { files: { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'gone' }) } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/context "gone" not found/],
    },
    {
      name: 'malformed meta.json → problem + default',
      in: { env: { DOCKER_CONTEXT: 'bad' }, files: { [metaPath('bad')]: 'nope' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/meta\.json is not valid JSON/],
    },
    {
      name: 'meta.json without a docker endpoint → problem + default',
      in: { env: { DOCKER_CONTEXT: 'k8s' }, files: { [metaPath('k8s')]: '{"Name":"k8s","Endpoints":{}}' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
      problems: [/has no docker endpoint host/],
    },
    {
      name: 'empty/blank setting and env are ignored',
      in: { hostSetting: '   ', env: { DOCKER_HOST: '' } },
      source: 'default',
      host: 'unix:///var/run/docker.sock',
      kind: 'unix',
      socketPath: '/var/run/docker.sock',
      terminalEnv: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
    },
  ];

  for (const row of table) {
    void it(row.name, () => {
      const { endpoint, problems } = resolveEndpoint(inputs(row.in));
      assert.equal(endpoint.source, row.source);
      assert.equal(endpoint.host, row.host);
      assert.equal(endpoint.kind, row.kind);
      assert.equal(endpoint.socketPath, row.socketPath);
      assert.equal(endpoint.context, row.context);
      assert.deepEqual(endpoint.terminalEnv, row.terminalEnv);
      assert.deepEqual(endpoint.tls, row.tls);
      const expected = row.problems ?? [];
      assert.equal(problems.length, expected.length, problems.join('\n'));
      expected.forEach((re, i) => assert.match(problems[i], re));
    });
  }

  void it('never throws, even when readFile does', () => {
    const r = resolveEndpoint({
      env: {},
      homedir: HOME,
      platform: 'linux',
      readFile: () => {
        throw new Error('EIO');
      },
    });
    assert.equal(r.endpoint.source, 'default');
    assert.equal(r.problems.length, 1);
  });

  void it('contextDirName is the sha256 docker uses', () => {
    assert.equal(contextDirName('default'), '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });
});

void describe('parseHost', () => {
  const ok: [string, string, string][] = [
    ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock', 'unix'],
    ['tcp://1.2.3.4', 'tcp://1.2.3.4:2375', 'tcp'],
    ['https://h', 'tcp://h:2376', 'tcp'],
    ['http://h:80', 'tcp://h:80', 'tcp'],
    ['[::1]:2375', 'tcp://[::1]:2375', 'tcp'],
    ['ssh://h', 'ssh://h', 'ssh'],
    ['npipe:////./pipe/docker_engine', 'npipe:////./pipe/docker_engine', 'npipe'],
  ];
  for (const [input, host, kind] of ok) {
    void it(`${input} → ${host}`, () => {
      const p = parseHost(input, 'linux');
      assert.ok(typeof p !== 'string', JSON.stringify(p));
      assert.equal(p.host, host);
      assert.equal(p.kind, kind);
    });
  }
  for (const bad of ['', 'unix://relative.sock', 'ftp://x', 'tcp://h:2375/path', 'ssh://', 'tcp://:99999']) {
    void it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(typeof parseHost(bad, 'linux'), 'string'));
  }
});

void describe('dockerodeOptions', () => {
  const ep = (host: string, env: Record<string, string> = {}) =>
    resolveEndpoint({ hostSetting: host, env, homedir: HOME, platform: 'linux', readFile: () => undefined }).endpoint;

  void it('unix: socketPath only, and clears any host docker-modem picked up from DOCKER_HOST', () => {
    const o = dockerodeOptions(ep('unix:///x.sock')) as Record<string, unknown>;
    assert.equal(o.socketPath, '/x.sock');
    assert.ok('host' in o && o.host === undefined);
  });
  void it('tcp plain', () => {
    const o = dockerodeOptions(ep('tcp://h:2375'));
    assert.deepEqual([o.host, o.port, o.protocol, o.socketPath], ['h', '2375', 'http', undefined]);
  });
  void it('tcp + TLS reads the cert files', () => {
    const read = (p: string): Buffer => Buffer.from(p.split('/').pop() ?? '');
    const o = dockerodeOptions(ep('tcp://h:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' }), read);
    assert.equal(o.protocol, 'https');
    assert.equal(String(o.ca), 'ca.pem');
    assert.equal(String(o.cert), 'cert.pem');
    assert.deepEqual(o.key, Buffer.from('key.pem'));
  });
  void it('tcp + TLS without verify gets an agent with rejectUnauthorized=false', () => {
    const o = dockerodeOptions(ep('tcp://h:2376', { DOCKER_TLS: '1' }), () => {
      throw new Error('missing');
    }) as Record<string, unknown>;
    assert.equal(o.protocol, 'https');
    assert.equal((o.agent as { options: { rejectUnauthorized: boolean } }).options.rejectUnauthorized, false);
  });
  void it("ssh: plain HTTP through the given dial-stdio agent, never docker-modem's ssh2", () => {
    const agent = new http.Agent();
    const o = dockerodeOptions(ep('ssh://me@gpu1:2222'), undefined, { sshAgent: agent });
    // A socketPath (never opened: the agent connects) keeps VS Code's proxy patch off these requests.
    assert.deepEqual(
      [o.protocol, o.host, o.port, o.username, o.socketPath],
      ['http', undefined, undefined, undefined, '/gpu-containers/ssh-dial-stdio'],
    );
    assert.equal((o as { agent?: unknown }).agent, agent);
    assert.equal((o as { sshOptions?: unknown }).sshOptions, undefined);
  });
  void it('ssh argv: BatchMode, port and user from the url, `--` before the destination', () => {
    assert.deepEqual(
      sshArgs('ssh://me@gpu1:2222').args.slice(-8),
      ['-l', 'me', '-p', '2222', '--', 'gpu1', 'docker', 'system', 'dial-stdio'].slice(-8),
    );
    const alias = sshArgs('ssh://gpubox');
    assert.equal(alias.dest, 'gpubox');
    assert.ok(alias.args.includes('BatchMode=yes'));
    assert.ok(!alias.args.includes('-l') && !alias.args.includes('-p'));
    assert.deepEqual(alias.args.slice(-5), ['--', 'gpubox', 'docker', 'system', 'dial-stdio']);
  });
});
