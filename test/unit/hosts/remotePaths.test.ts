import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bindSources,
  isLocalAddress,
  parseExistsOutput,
  remoteExistsArgv,
  remotePathProblems,
} from '../../../src/core/hosts/remotePaths';

void describe('bindSources', () => {
  void it('reads absolute Binds and bind Mounts, not named volumes', () => {
    assert.deepEqual(
      bindSources({
        HostConfig: {
          Binds: ['/home/ann/proj:/workspace', 'cache:/root/.cache', '/data:/data:ro'],
          Mounts: [
            { Type: 'bind', Source: '/scratch', Target: '/scratch' },
            { Type: 'volume', Source: 'v', Target: '/v' },
            { Type: 'tmpfs', Target: '/tmp' },
          ],
        },
      }),
      [
        { source: '/home/ann/proj', target: '/workspace' },
        { source: '/data', target: '/data' },
        { source: '/scratch', target: '/scratch' },
      ],
    );
    assert.deepEqual(bindSources(undefined), []);
    assert.deepEqual(bindSources({ HostConfig: { Binds: [3 as unknown as string], Mounts: 'x' } }), []);
  });
});

void describe('remotePathProblems', () => {
  const binds = [
    { source: '/home/ann/proj', target: '/workspace' },
    { source: '/home/ann/proj/data', target: '/data' },
    { source: '/datasets', target: '/datasets' },
  ];
  const base = { hostName: 'gpubox', binds, workspaceFolders: ['/home/ann/proj/'] };

  void it('a local host has nothing to check', () => {
    assert.deepEqual(remotePathProblems({ ...base, local: true, exists: () => false }), []);
  });

  void it('missing on the remote: an error with the fix; present: fine', () => {
    const p = remotePathProblems({ ...base, local: false, exists: (s) => s === '/datasets' });
    assert.deepEqual(
      p.map((x) => [x.source, x.severity]),
      [
        ['/home/ann/proj', 'error'],
        ['/home/ann/proj/data', 'error'],
      ],
    );
    assert.match(
      p[0].message,
      /workspace folder on this machine; it does not exist on gpubox, so \/workspace would be an empty folder/,
    );
    assert.match(p[0].fix, /Use a path that exists on gpubox/);
  });

  void it('a non-workspace path missing there is an error too', () => {
    const p = remotePathProblems({ ...base, local: false, exists: () => false });
    assert.match(p[2].message, /^\/datasets does not exist on gpubox/);
  });

  void it('unknown existence (tcp host): the workspace folder is a warning, other paths pass', () => {
    const p = remotePathProblems({ ...base, local: false });
    assert.deepEqual(
      p.map((x) => [x.source, x.severity]),
      [
        ['/home/ann/proj', 'warning'],
        ['/home/ann/proj/data', 'warning'],
      ],
    );
  });

  void it('the same source twice is reported once; a sibling folder is not "under" the workspace', () => {
    const p = remotePathProblems({
      hostName: 'g',
      local: false,
      workspaceFolders: ['/home/ann/proj'],
      binds: [
        { source: '/home/ann/project2', target: '/a' },
        { source: '/home/ann/proj', target: '/b' },
        { source: '/home/ann/proj', target: '/c' },
      ],
    });
    assert.deepEqual(
      p.map((x) => x.target),
      ['/b'],
    );
  });
});

void describe('remoteExistsArgv + parseExistsOutput (script run by a real sh)', () => {
  void it('answers per path, including paths with spaces and quotes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpuc-hosts-exists-'));
    try {
      const there = path.join(dir, "it's here");
      fs.mkdirSync(there);
      const paths = [there, path.join(dir, 'missing $HOME'), '/'];
      const argv = remoteExistsArgv({ destination: 'gpubox' }, paths);
      assert.deepEqual(argv.slice(0, 6), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '--', 'gpubox']);
      const stdout = execFileSync('sh', ['-c', argv.slice(6).join(' ')], { encoding: 'utf8' });
      assert.deepEqual(
        [...parseExistsOutput(stdout, paths)],
        [
          [there, true],
          [paths[1], false],
          ['/', true],
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  void it('output that does not match the paths means "unknown"', () => {
    assert.equal(parseExistsOutput('1\n', ['/a', '/b']).size, 0);
    assert.equal(parseExistsOutput('1\nyes\n', ['/a', '/b']).size, 0);
    assert.equal(parseExistsOutput(undefined, []).size, 0);
  });
});

void describe('isLocalAddress', () => {
  const table: [string | undefined, boolean][] = [
    [undefined, true],
    ['unix:///var/run/docker.sock', true],
    ['npipe:////./pipe/docker_engine', true],
    ['tcp://127.0.0.1:2375', true],
    ['tcp://localhost:2375', true],
    ['tcp://[::1]:2375', true],
    ['tcp://10.0.0.5:2376', false],
    ['ssh://gpubox', false],
    ['ssh://localhost', false],
  ];
  for (const [addr, local] of table) void it(`${addr} → ${local}`, () => assert.equal(isLocalAddress(addr), local));
});
