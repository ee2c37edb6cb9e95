import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse as yamlParse } from 'yaml';
import {
  importDockerRun,
  parseProfiles,
  portableProfile,
  profileFromInspect,
  savableProfile,
  toDevcontainerJson,
  toPortableCompose,
  toPortableDockerRun,
  toProfileSettings,
  type ContainerInspectJson,
  type Profile,
} from '../../../src/core/profiles';

const TOKEN = 'hf_SECRETsecretSECRETsecret0123456789';
const KEY = 'sk-proj-0123456789abcdefSECRET';
/** Secrets by their name only: the values have no token shape (and no password in the URLs). */
const BY_NAME: Record<string, string> = {
  KAGGLE_KEY: 'kaggle0123456789abcdef',
  DB_PWD: 'hunter2-db-password',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0000/B0000/slackWebhookPart',
  REDIS_URL: 'redis://cache.internal:6379/redisDbZero',
  MONGODB_URI: 'mongodb://mongo.internal/mongoProdDb',
};

const profile = (): Profile => {
  const r = parseProfiles([
    {
      name: 'train',
      image: 'nvcr.io/nvidia/pytorch:24.05-py3',
      gpus: { free: 2, minFreeMemory: '40g' },
      shmSize: '16g',
      user: 'host',
      volumes: ['${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface', 'data:/data'],
      mounts: [{ type: 'bind', source: '${userHome}/models', target: '/models', readOnly: true }],
      env: {
        HF_TOKEN: '${env:HF_TOKEN}',
        OPENAI_API_KEY: KEY,
        MODEL: 'x y',
        HOME_COPY: '${userHome}/x',
        ...BY_NAME,
      },
      labels: { team: 'nlp', 'ci.deploy-token': 'labelSecretValue' },
      workdir: '/workspace',
      ports: ['8888:8888'],
      command: ['ls', '-l', '~/data'],
    },
  ]);
  assert.deepEqual(r.problems, []);
  return r.profiles[0];
};

void describe('portable, secret-safe exports (15.3)', () => {
  const prev = process.env.HF_TOKEN;
  process.env.HF_TOKEN = TOKEN;
  const p = profile();
  const all = [toPortableDockerRun(p), toPortableCompose(p), toDevcontainerJson(p)];
  process.env.HF_TOKEN = prev;

  void it('no export holds a secret value, with HF_TOKEN set in the environment', () => {
    for (const e of all) {
      assert.ok(!e.text.includes(TOKEN), e.text);
      assert.ok(!e.text.includes(KEY), e.text);
      for (const [name, value] of Object.entries(BY_NAME)) {
        assert.ok(!e.text.includes(value), `${name}'s value in ${e.text}`);
        assert.ok(
          e.notes.some((n) => n.field === `env.${name}`),
          `${name} noted`,
        );
      }
      assert.ok(!e.text.includes('labelSecretValue'), e.text);
      assert.ok(!e.text.includes(process.cwd()), 'no absolute path of this machine');
      for (const n of e.notes) assert.ok(!n.message.includes(KEY) && !n.message.includes(TOKEN));
      assert.ok(e.notes.some((n) => n.field === 'env.OPENAI_API_KEY'));
      assert.ok(
        e.notes.some((n) => n.field === 'gpus' && /count of 2/.test(n.message)),
        'free GPUs noted',
      );
    }
  });
  void it('docker run: variables stay variables, paths relative to the workspace or ~', () => {
    const line = all[0].text;
    assert.match(line, / -e HF_TOKEN /);
    assert.match(line, / -e OPENAI_API_KEY /);
    assert.match(line, / -v "\$\{PWD\}:\/workspace" /);
    assert.match(line, / -v ~\/.cache\/huggingface:\/root\/.cache\/huggingface /);
    assert.match(line, / -u "\$\(id -u\):\$\(id -g\)" /);
    assert.match(line, / -e 'MODEL=x y' /);
    assert.match(line, / -e "HOME_COPY=\$\{HOME\}\/x" /);
    assert.match(line, / --gpus 2 /);
    for (const name of Object.keys(BY_NAME)) assert.match(line, new RegExp(` -e ${name} `));
    // A container-side ~ is quoted: the host shell must not expand it.
    assert.match(line, / ls -l '~\/data'$/);
  });
  void it('docker run: a POSIX shell splits it into the intended argv (printed, never run as docker)', () => {
    const line = all[0].text.replace(/^docker /, '');
    const env = { ...process.env, HF_TOKEN: 'tok', HOME: '/h', PWD: '/w' };
    const out = execFileSync('sh', ['-c', `cd /tmp && PWD=/w; printf '%s\\n' ${line}`], { env, encoding: 'utf8' });
    const argv = out.trimEnd().split('\n');
    assert.ok(argv.includes('/w:/workspace'), out);
    assert.ok(argv.includes('/h/.cache/huggingface:/root/.cache/huggingface'), out);
    assert.ok(argv.includes('MODEL=x y'), out);
    assert.ok(argv.includes('HOME_COPY=/h/x'), out);
    assert.ok(argv.includes('HF_TOKEN'), out);
    assert.deepEqual(argv.slice(-3), ['ls', '-l', '~/data'], 'the command reaches the container as written');
  });
  void it('docker run: export → import → the same (portable) profile', () => {
    const back = importDockerRun(all[0].text);
    assert.deepEqual(
      back.problems.filter((x) => x.severity === 'error'),
      [],
    );
    assert.deepEqual(comparable(back.profile), comparable(portableProfile(p).profile));
    assert.deepEqual(back.profile.env.HF_TOKEN, null);
  });
  void it('compose: interpolation, not values', () => {
    const doc = yamlParse(all[1].text) as { services: Record<string, Record<string, unknown>> };
    const svc = Object.values(doc.services)[0];
    assert.deepEqual(svc.environment, {
      HF_TOKEN: null,
      OPENAI_API_KEY: null,
      MODEL: 'x y',
      HOME_COPY: '${HOME}/x',
      ...Object.fromEntries(Object.keys(BY_NAME).map((k) => [k, null])),
    });
    assert.ok((svc.volumes as string[]).includes('.:/workspace'));
    assert.ok((svc.volumes as string[]).includes('~/.cache/huggingface:/root/.cache/huggingface'));
  });
  void it('devcontainer.json: image, runArgs, mounts, containerEnv, hostRequirements.gpu', () => {
    const d = JSON.parse(all[2].text) as {
      image: string;
      hostRequirements: unknown;
      runArgs: string[];
      mounts: string[];
      containerEnv: Record<string, string>;
      workspaceFolder: string;
    };
    assert.equal(d.image, 'nvcr.io/nvidia/pytorch:24.05-py3');
    assert.deepEqual(d.hostRequirements, { gpu: true });
    assert.ok(d.runArgs.includes('--shm-size') && d.runArgs.includes('16g'), JSON.stringify(d.runArgs));
    assert.ok(!d.runArgs.includes('-v') && !d.runArgs.includes('-e'));
    assert.ok(d.mounts.includes('source=${localWorkspaceFolder},target=/workspace,type=bind'), d.mounts.join(','));
    assert.ok(
      d.mounts.includes('source=${localEnv:HOME}/.cache/huggingface,target=/root/.cache/huggingface,type=bind'),
    );
    assert.ok(d.mounts.includes('source=data,target=/data,type=volume'));
    assert.equal(d.containerEnv.HF_TOKEN, '${localEnv:HF_TOKEN}');
    assert.equal(d.containerEnv.OPENAI_API_KEY, '${localEnv:OPENAI_API_KEY}');
    assert.equal(d.containerEnv.HOME_COPY, '${localEnv:HOME}/x');
    assert.equal(d.workspaceFolder, '/workspace');
    assert.ok(d.runArgs.includes('${localEnv:UID}:${localEnv:GID}'));
    for (const name of Object.keys(BY_NAME)) assert.equal(d.containerEnv[name], `\${localEnv:${name}}`);
  });
});

/** A profile without what an import cannot know (its settings name and where it was read from). */
const comparable = (p: Profile) => ({ ...p, name: '', source: undefined });

void describe('the portable docker run line round-trips every typed field', () => {
  const { profiles, problems } = parseProfiles([
    {
      name: 'sink',
      image: 'ghcr.io/acme/trainer:2',
      containerName: '${user}-sink',
      gpus: ['0', 'GPU-1234'],
      gpuCapabilities: ['compute', 'utility'],
      shmSize: '2g',
      ipc: 'shareable',
      network: 'lab-net',
      ports: ['127.0.0.1:8000-8001:8000-8001', '5353:5353/udp', '9000'],
      volumes: ['~/.cache:/host-cache:ro', '~/my data:/data', './rel:/rel', 'models:/models', '/anon'],
      mounts: [
        { type: 'bind', source: '${workspaceFolder}/cfg', target: '/cfg', readOnly: true },
        { type: 'tmpfs', target: '/scratch', tmpfsSize: '1g', tmpfsMode: '1777' },
        { type: 'volume', source: 'cache', target: '/cache', volumeNoCopy: true },
      ],
      env: { A: 'it\'s "quoted" $x \\ z', EMPTY: '', FROM_HOST: null, TILDE: '~/not-expanded' },
      envFile: ['~/.env', './local.env'],
      user: '1000:1000',
      workdir: '/work dir',
      entrypoint: ['/bin/sh'],
      command: ['-c', 'echo ~ ~/x; exit 0', '~/arg'],
      restart: 'on-failure:3',
      labels: { team: 'nlp', note: 'a b' },
      ulimits: { memlock: -1, nofile: { soft: 1024, hard: 65536 } },
      privileged: true,
      init: true,
      capAdd: ['SYS_PTRACE'],
      capDrop: ['MKNOD'],
      securityOpt: ['no-new-privileges'],
      devices: ['/dev/fuse', { pathOnHost: '/dev/null', pathInContainer: '/dev/mynull', cgroupPermissions: 'rw' }],
      hostname: 'box-1',
      extraHosts: ['db:10.0.0.5'],
      cpus: 1.5,
      memory: '8g',
      runtime: 'nvidia',
      extraFlags: { 'pids-limit': 100, 'read-only': true, sysctl: ['net.core.somaxconn=1024'] },
    },
  ]);

  void it('export → import (pasted, and split by a real shell) → an equal profile', () => {
    assert.deepEqual(problems, []);
    const p = profiles[0];
    const line = toPortableDockerRun(p).text;
    const back = importDockerRun(line);
    assert.deepEqual(
      back.problems.filter((x) => x.severity === 'error'),
      [],
    );
    assert.deepEqual(comparable(back.profile), comparable(portableProfile(p).profile), line);
    // Through a real shell: host paths expand to its home, container-side arguments arrive as written.
    const argv = toPortableDockerRunArgv(p, { HOME: '/h' });
    assert.ok(argv.includes('/h/.cache:/host-cache:ro') && argv.includes('/h/my data:/data'), argv.join(' | '));
    assert.ok(argv.includes('/h/.env'), argv.join(' | '));
    assert.deepEqual(argv.slice(-3), ['-c', 'echo ~ ~/x; exit 0', '~/arg']);
    assert.ok(argv.includes('TILDE=~/not-expanded'), argv.join(' | '));
  });
});

void describe('from a container back: no secret in Copy as docker run or Save as Launch Profile', () => {
  const env = { ...BY_NAME, HF_TOKEN: TOKEN, PLAIN: 'visible' };
  const container: ContainerInspectJson = {
    Id: 'c0ffee0123456789',
    Name: '/worker',
    Config: {
      Image: 'busybox',
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: { team: 'nlp', 'deploy.token': 'labelSecretValue' },
    },
    HostConfig: {},
  };
  const back = profileFromInspect(container);
  const values = [...Object.values(BY_NAME), TOKEN, 'labelSecretValue'];

  void it('Copy as docker run passes each secret through by name', () => {
    const line = toPortableDockerRun(back).text;
    for (const v of values) assert.ok(!line.includes(v), line);
    for (const name of [...Object.keys(BY_NAME), 'HF_TOKEN']) assert.match(line, new RegExp(` -e ${name} `));
    assert.match(line, / -e PLAIN=visible /);
  });
  void it('Save as Launch Profile writes ${env:NAME} for each secret, and notes it', () => {
    const { profile, notes } = savableProfile(back);
    const settings = JSON.stringify(toProfileSettings(profile));
    for (const v of values) assert.ok(!settings.includes(v), settings);
    for (const name of [...Object.keys(BY_NAME), 'HF_TOKEN']) assert.equal(profile.env[name], `\${env:${name}}`);
    assert.equal(profile.env.PLAIN, 'visible');
    assert.deepEqual(profile.labels, { team: 'nlp' });
    assert.deepEqual(
      notes.map((n) => n.field).sort(),
      [...[...Object.keys(BY_NAME), 'HF_TOKEN'].map((k) => `env.${k}`), 'labels.deploy.token'].sort(),
    );
    for (const n of notes) for (const v of values) assert.ok(!n.message.includes(v));
  });
});

void describe('extraFlags in the Compose and devcontainer.json exports', () => {
  /** Every long-tail flag with a sample value (settings form). */
  const EXTRA = {
    'blkio-weight': 300,
    'blkio-weight-device': ['/dev/sda:200'],
    'device-read-bps': ['/dev/sda:1mb'],
    'device-write-iops': ['/dev/sda:100'],
    'cgroup-parent': '/gpu',
    cgroupns: 'private',
    'cpu-shares': 512,
    'cpu-period': 100000,
    'cpu-quota': 50000,
    'cpuset-cpus': '0-3',
    'device-cgroup-rule': ['c 195:* rwm'],
    dns: ['1.1.1.1'],
    'dns-option': ['ndots:2'],
    'dns-search': ['lab.example'],
    domainname: 'lab.example',
    expose: ['9000'],
    'group-add': ['video'],
    'health-cmd': 'curl -f http://localhost:8000/health',
    'health-interval': '30s',
    'health-retries': 3,
    'health-timeout': '5s',
    'health-start-period': '1m',
    'log-driver': 'json-file',
    'log-opt': ['max-size=10m', 'max-file=3'],
    'mac-address': '02:42:ac:11:00:02',
    'memory-reservation': '4g',
    'memory-swap': '-1',
    'memory-swappiness': 0,
    'oom-score-adj': -500,
    pid: 'host',
    'pids-limit': 4096,
    'read-only': true,
    'stop-signal': 'SIGINT',
    'stop-timeout': 30,
    sysctl: ['net.core.somaxconn=1024'],
    tmpfs: ['/run:size=64m'],
    uts: 'host',
    annotation: ['org.example.team=nlp'],
    platform: 'linux/amd64',
    // No Compose key: left out with a note.
    'publish-all': true,
    ip: '172.18.0.9',
    'network-alias': ['trainer'],
  };
  const LEFT_OUT = ['publish-all', 'ip', 'network-alias'];
  const withExtra = () => {
    const r = parseProfiles([{ name: 'tail', image: 'busybox', extraFlags: EXTRA }]);
    assert.deepEqual(r.problems, []);
    return r.profiles[0];
  };

  void it('Compose: export → read back → the same extraFlags, less those noted as having no key', async () => {
    const { extraFromCompose } = await import('../../../src/core/profiles/composeExtra');
    const p = withExtra();
    const { text, notes } = toPortableCompose(p);
    const svc = (yamlParse(text) as { services: Record<string, Record<string, unknown>> }).services.tail;
    const expected = Object.fromEntries(Object.entries(p.extra ?? {}).filter(([f]) => !LEFT_OUT.includes(f)));
    assert.deepEqual(extraFromCompose(svc), expected);
    assert.equal(svc.read_only, true);
    assert.deepEqual(svc.sysctls, { 'net.core.somaxconn': '1024' });
    assert.deepEqual(svc.healthcheck, {
      test: ['CMD-SHELL', 'curl -f http://localhost:8000/health'],
      interval: '30s',
      retries: 3,
      timeout: '5s',
      start_period: '1m',
    });
    assert.deepEqual(svc.blkio_config, {
      weight: 300,
      weight_device: [{ path: '/dev/sda', weight: 200 }],
      device_read_bps: [{ path: '/dev/sda', rate: '1mb' }],
      device_write_iops: [{ path: '/dev/sda', rate: 100 }],
    });
    assert.deepEqual(
      notes.map((n) => n.field).filter((f) => f?.startsWith('extraFlags.')),
      LEFT_OUT.map((f) => `extraFlags.${f}`),
    );
    for (const f of LEFT_OUT) assert.match(text, new RegExp(`^#.*--${f}\\b`, 'm'));
  });

  void it('devcontainer.json: every extraFlag goes to runArgs, and runArgs import back to the same extraFlags', () => {
    const p = withExtra();
    const out = JSON.parse(toDevcontainerJson(p).text) as { runArgs: string[] };
    const back = importDockerRun(['docker', 'run', ...out.runArgs, 'busybox']);
    assert.deepEqual(
      back.problems.filter((x) => x.severity === 'error'),
      [],
    );
    assert.deepEqual(back.profile.extra, p.extra);
  });

  void it('no export writes the value of a secret-named variable (one detector: core/secrets.ts)', () => {
    const secrets: Record<string, string> = {
      KAGGLE_KEY: 'kaggle-literal-0001',
      DB_PWD: 'db-literal-0002',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T0/B0/literal0003',
      REDIS_URL: 'redis://cache.internal:6379/0',
      MONGODB_URI: 'mongodb://mongo.internal/db',
      SESSION_COOKIE: 'cookie-literal-0004',
    };
    const [p] = parseProfiles([{ name: 's', image: 'busybox', env: { ...secrets, PLAIN: 'visible-0005' } }]).profiles;
    for (const e of [toPortableDockerRun(p), toPortableCompose(p), toDevcontainerJson(p)]) {
      for (const [k, v] of Object.entries(secrets)) {
        assert.ok(!e.text.includes(v), `${k} leaked: ${e.text}`);
        assert.ok(
          e.notes.some((n) => n.field === `env.${k}`),
          `${k} noted`,
        );
      }
      assert.ok(e.text.includes('visible-0005'), 'a plain value is kept');
    }
  });

  void it('docker run: ~/ in a container-side argument is quoted (the host shell would expand it)', () => {
    const [p] = parseProfiles([
      { name: 'h', image: 'busybox', volumes: ['~/data:/data'], command: ['ls', '~/data'] },
    ]).profiles;
    const line = toPortableDockerRun(p).text;
    assert.match(line, / -v ~\/data:\/data /);
    assert.match(line, / busybox ls '~\/data'$/);
    assert.deepEqual(toPortableDockerRunArgv(p).slice(-2), ['ls', '~/data']);
  });

  void it('docker run: export → import → the same profile', () => {
    const p = withExtra();
    const back = importDockerRun(toPortableDockerRun(p).text);
    assert.deepEqual(comparable(back.profile), comparable(p));
    const split = importDockerRun(['docker', ...toPortableDockerRunArgv(p)]);
    assert.deepEqual(comparable(split.profile), comparable(p));
  });
});

/** The portable docker run line as argv (split by a real shell, as a user's would). */
function toPortableDockerRunArgv(p: Profile, env: Record<string, string> = {}): string[] {
  const line = toPortableDockerRun(p).text;
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${line.replace(/^docker /, '')}`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return out.split('\0').slice(0, -1);
}
