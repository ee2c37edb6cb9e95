/**
 * Parity with the installed docker CLI: every flag `docker create --help` lists is importable — a typed
 * profile field, a long-tail `extraFlags` entry, or client-only with a stated reason. A new CLI flag with
 * no mapping fails this test. Prints the figures (mapped / explained / refused).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { importDockerRun } from '../../../src/core/profiles';
import { CLIENT_ONLY, TAIL } from '../../../src/core/profiles/extraFlags';
import { importableFlags } from '../../../src/core/profiles/runArgs';

function cliFlags(): { long: string; short?: string; bool: boolean }[] {
  const help = execFileSync('docker', ['create', '--help'], { encoding: 'utf8' });
  const out: { long: string; short?: string; bool: boolean }[] = [];
  for (const line of help.split('\n')) {
    const m = /^\s+(?:-(\w), )?--([a-z0-9-]+)(?: (\S+))?\s/.exec(line);
    if (m) out.push({ short: m[1], long: m[2], bool: m[3] === undefined });
  }
  return out;
}

void describe('docker create --help parity (issue 15)', () => {
  const flags = cliFlags();
  const known = importableFlags();
  void it('reads the flag list from the real CLI', () => assert.ok(flags.length > 80, String(flags.length)));
  void it('every flag has a mapping or a stated reason', () => {
    const missing = flags.filter((f) => !known.typed.includes(f.long) && !(f.long in TAIL) && !(f.long in CLIENT_ONLY));
    assert.deepEqual(
      missing.map((f) => f.long),
      [],
    );
    for (const c of Object.values(CLIENT_ONLY)) assert.ok(c.why().length > 10);
    const mapped = flags.filter((f) => known.typed.includes(f.long) || f.long in TAIL).length;
    const explained = flags.filter((f) => f.long in CLIENT_ONLY).length;
    console.log(`docker create flags: ${flags.length}; mapped ${mapped}, explained ${explained}, refused 0`);
  });
  void it('a line with each flag imports with no error-level problem', () => {
    const sample: Record<string, string> = {
      'add-host': 'db:10.0.0.5',
      attach: 'stdout',
      'blkio-weight': '500',
      'blkio-weight-device': '/dev/sda:200',
      'cap-add': 'SYS_PTRACE',
      'cap-drop': 'MKNOD',
      'cgroup-parent': '/x',
      cgroupns: 'private',
      cidfile: '/tmp/c',
      'cpu-period': '100000',
      'cpu-quota': '50000',
      'cpu-rt-period': '1000',
      'cpu-rt-runtime': '100',
      'cpu-shares': '512',
      cpus: '1.5',
      'cpuset-cpus': '0-3',
      'cpuset-mems': '0',
      device: '/dev/null',
      'device-cgroup-rule': 'c 1:3 mr',
      'device-read-bps': '/dev/sda:1mb',
      'device-read-iops': '/dev/sda:100',
      'device-write-bps': '/dev/sda:1mb',
      'device-write-iops': '/dev/sda:100',
      dns: '1.1.1.1',
      'dns-option': 'ndots:2',
      'dns-search': 'example.com',
      domainname: 'example.com',
      entrypoint: 'sh',
      env: 'A=1',
      'env-file': '/tmp/x.env',
      expose: '80',
      gpus: 'all',
      'group-add': 'video',
      'health-cmd': 'true',
      'health-interval': '30s',
      'health-retries': '3',
      'health-start-period': '5s',
      'health-start-interval': '1s',
      'health-timeout': '10s',
      hostname: 'box',
      ip: '10.0.0.2',
      ip6: 'fd00::2',
      ipc: 'host',
      isolation: 'default',
      'kernel-memory': '0',
      label: 'a=b',
      'label-file': '/tmp/l',
      link: 'db',
      'link-local-ip': '169.254.0.2',
      'log-driver': 'json-file',
      'log-opt': 'max-size=10m',
      'mac-address': '02:42:ac:11:00:02',
      memory: '1g',
      'memory-reservation': '512m',
      'memory-swap': '2g',
      'memory-swappiness': '10',
      mount: 'type=tmpfs,target=/t',
      name: 'gpuc-profiles-x',
      network: 'bridge',
      'network-alias': 'web',
      'oom-score-adj': '100',
      pid: 'host',
      'pids-limit': '100',
      platform: 'linux/amd64',
      publish: '8080:80',
      pull: 'never',
      restart: 'no',
      runtime: 'runc',
      'security-opt': 'no-new-privileges',
      'shm-size': '1g',
      'stop-signal': 'SIGINT',
      'stop-timeout': '20',
      'storage-opt': 'size=10G',
      sysctl: 'net.core.somaxconn=1024',
      tmpfs: '/run:size=64m',
      ulimit: 'nofile=1024:2048',
      user: '1000:1000',
      userns: 'host',
      uts: 'host',
      volume: '/tmp:/tmp',
      'volume-driver': 'local',
      'volumes-from': 'other',
      workdir: '/w',
      'detach-keys': 'ctrl-x',
      annotation: 'a=b',
    };
    const args: string[] = [];
    for (const f of flags) {
      if (f.long === 'help') continue;
      if (f.bool) args.push(`--${f.long}`);
      else {
        assert.ok(sample[f.long], `no sample value for --${f.long}`);
        args.push(`--${f.long}`, sample[f.long]);
      }
    }
    const { problems, profile } = importDockerRun(['docker', 'create', ...args, 'busybox']);
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error').map((p) => `${p.field}: ${p.message}`),
      [],
    );
    assert.equal(profile.image, 'busybox');
    assert.ok(Object.keys(profile.extra ?? {}).length >= 40);
  });
});
