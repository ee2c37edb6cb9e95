import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  importDockerRun,
  parseProfiles,
  PROFILE_KEYS,
  toDockerRunArgs,
  toProfileSettings,
} from '../../../src/core/profiles';
import { FIELDS } from '../../../src/core/profiles/fieldTable';
import { containerNameFromImage, nameFromImage } from '../../../src/core/profiles/imageName';
import { profileSchema } from '../../../src/core/profiles/schemaProfile';
import { importableFlags } from '../../../src/core/profiles/runArgs';

/** Fields without a docker run flag of their own (settings only, or positional: image, command). */
const SETTINGS_ONLY = [
  'name',
  'description',
  'host',
  'image',
  'gpuCapabilities',
  // The idle policy: a label at launch, applied by this extension only (no docker run or Compose form).
  'idle',
  'execUser',
  'command',
  'extraFlags',
  'runArgs',
];

void describe('one descriptor per profile field', () => {
  void it('the table has exactly the settings keys, in their order, each with a schema fragment and a parser', () => {
    assert.deepEqual(
      FIELDS.map((f) => f.key),
      [...PROFILE_KEYS],
    );
    for (const f of FIELDS) {
      assert.equal(typeof f.parse, 'function', f.key);
      assert.ok(Object.keys(f.schema).length, f.key);
      assert.equal((profileSchema.properties as Record<string, unknown>)[f.key], f.schema, f.key);
    }
  });
  void it('every field with a docker run flag also exports it and writes its settings form', () => {
    for (const f of FIELDS) {
      if (SETTINGS_ONLY.includes(f.key)) continue;
      assert.ok(f.flags?.length, `${f.key} has no docker run flag`);
      assert.ok(f.run !== undefined, `${f.key} is not exported to docker run`);
      assert.ok(f.settings !== undefined, `${f.key} is not written to settings`);
    }
  });
  void it("the import table's typed flags are exactly the descriptors' flags", () => {
    assert.deepEqual(
      importableFlags().typed.sort(),
      FIELDS.flatMap((f) => f.flags ?? [])
        .map((d) => d.long)
        .sort(),
    );
  });
  void it('a profile touching every field survives settings → profile → docker run → profile → settings', () => {
    const settings = {
      name: 'all',
      image: 'img:1',
      containerName: 'box-1',
      gpus: [0, 2],
      gpuCapabilities: ['compute', 'utility'],
      shmSize: '16g',
      ipc: 'host',
      network: 'bridge',
      ports: ['8888:8888'],
      volumes: ['/data:/data:ro'],
      mounts: [{ type: 'tmpfs', target: '/scratch', tmpfsSize: '1g' }],
      env: { A: '1', B: null },
      envFile: ['/etc/env'],
      user: '1000:1000',
      workdir: '/w',
      entrypoint: ['python'],
      command: ['-m', 'http.server'],
      restart: 'on-failure:3',
      labels: { team: 'nlp' },
      labelFile: ['./labels', '/etc/labels'],
      ulimits: { memlock: -1 },
      privileged: true,
      init: false,
      capAdd: ['SYS_PTRACE'],
      capDrop: ['NET_RAW'],
      securityOpt: ['seccomp=unconfined'],
      devices: ['/dev/fuse'],
      hostname: 'box',
      extraHosts: ['db:10.0.0.2'],
      cpus: 1.5,
      memory: '8g',
      runtime: 'nvidia',
      extraFlags: {
        'pids-limit': 100,
        'read-only': true,
        sysctl: ['net.core.somaxconn=1024'],
        platform: 'linux/amd64',
      },
    };
    const { profiles, problems } = parseProfiles([settings]);
    assert.deepEqual(problems, []);
    const back = importDockerRun(['docker', ...toDockerRunArgs(profiles[0])]);
    assert.deepEqual(
      back.problems.filter((p) => p.severity === 'error'),
      [],
    );
    // The settings writer leaves out `false` (init: false included); GPU ids come back as text.
    const { init: _init, ...expected } = { ...settings, gpus: ['0', '2'], cpus: '1.5' };
    const { init: _again, ...again } = toProfileSettings({ ...back.profile, name: 'all' });
    assert.deepEqual(again, expected);
  });
});

void describe('profile name from an image: one function', () => {
  void it('profiles and launch share it', () => {
    assert.equal(nameFromImage('nvcr.io/nvidia/pytorch:24.05-py3'), 'pytorch');
    assert.equal(nameFromImage('localhost:5000/team/train@sha256:abc'), 'train');
    assert.equal(nameFromImage(undefined), 'imported');
    assert.equal(containerNameFromImage('_weird_'), 'weird_');
    assert.equal(containerNameFromImage(''), 'dev');
  });
});
