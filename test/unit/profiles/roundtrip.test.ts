import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse as yamlParse } from 'yaml';
import {
  importDockerRun,
  parseProfiles,
  quoteHostPathArg,
  quoteShellLine,
  resolveContainerName,
  toComposeYaml,
  toCreateOptions,
  toDockerRunArgs,
  tokenizeShellLine,
  type ProfileContext,
} from '../../../src/core/profiles';

const ctx: ProfileContext = {
  workspaceFolder: '/ws/my proj',
  userHome: '/home/ada',
  user: 'ada',
  uid: 1001,
  gid: 1002,
  env: { HF_TOKEN: 'tok', SET: 'v' },
};

const LINES = [
  'docker run -it --gpus all --shm-size 16g --ipc=host -v ~/.cache/huggingface:/root/.cache/huggingface nvcr.io/nvidia/pytorch:24.05-py3 python train.py',
  `docker run --rm --gpus '"device=0,2"' -p 127.0.0.1:8000:8000 -e HF_TOKEN -e 'MSG=hello world' --entrypoint python3 vllm/vllm-openai:latest -m vllm.entrypoints.openai.api_server`,
  'run -itd --name box --user 1000:1000 -w /workspace --ulimit memlock=-1 --ulimit stack=67108864 --restart on-failure:3 ubuntu:22.04',
  'docker run --network=host --cap-add SYS_PTRACE --security-opt seccomp=unconfined --device /dev/fuse --add-host db=10.0.0.5 --cpus 1.5 -m 8g --hostname h -l a=b ubuntu',
  `docker run --mount type=bind,source=/data,target=/data,readonly --mount type=tmpfs,target=/scratch,tmpfs-size=1g --gpus 'all,"capabilities=compute,utility"' --init --privileged -- ubuntu sh -c 'echo "$HOME"'`,
  'docker run -v "$(pwd)":/w -v $HOME/x:/x -e P=${PWD} --env-file .env --user $(id -u):$(id -g) ubuntu',
  'docker run -p 8000-8010:8000-8010 -p [::1]:80:80 -v vol:/v -v /anon ubuntu bash -lc "a && b; c"',
];

void describe('importDockerRun', () => {
  void it('reads a GPU training line', () => {
    const { profile: p, problems } = importDockerRun(LINES[0]);
    assert.deepEqual(problems, []);
    assert.equal(p.name, 'pytorch');
    assert.deepEqual(p.gpus, { all: true });
    assert.equal(p.shmSize?.bytes, 16 * 1024 ** 3);
    assert.equal(p.ipc, 'host');
    assert.equal(p.volumes[0].source, '~/.cache/huggingface');
    assert.deepEqual(p.command, ['python', 'train.py']);
  });
  void it('quotes, -e without value, entrypoint, --rm', () => {
    const { profile: p } = importDockerRun(LINES[1]);
    assert.deepEqual(p.gpus, { devices: ['0', '2'] });
    assert.deepEqual(p.env, { HF_TOKEN: null, MSG: 'hello world' });
    assert.deepEqual(p.entrypoint, ['python3']);
    assert.equal(p.autoRemove, true);
  });
  void it('optional prefix, -itd, --name', () => {
    const { profile: p, problems } = importDockerRun(LINES[2]);
    assert.deepEqual(problems, []);
    assert.equal(p.name, 'box');
    assert.equal(p.containerName, 'box');
    assert.deepEqual(p.restart, { name: 'on-failure', maximumRetryCount: 3 });
  });
  void it('-- ends the flags; the command keeps its literal $HOME', () => {
    const { profile: p } = importDockerRun(LINES[4]);
    assert.deepEqual(p.command, ['sh', '-c', 'echo "$HOME"']);
  });
  void it('shell variables and substitutions become variables or problems, never run', () => {
    const { profile: p, problems } = importDockerRun(LINES[5]);
    assert.deepEqual(
      p.volumes.map((v) => v.source),
      ['${workspaceFolder}', '${userHome}/x'],
    );
    assert.equal(p.env.P, '${workspaceFolder}');
    assert.equal(p.user, 'host');
    assert.ok(problems.every((x) => x.severity === 'warning'));
    const other = importDockerRun('docker run -e D=$(date) -e E=`whoami` -e F=$UNSET_X ubuntu');
    assert.deepEqual(
      other.problems.filter((x) => x.severity === 'error').map((x) => x.field),
      ['-e', '-e'],
    );
    assert.deepEqual(other.profile.env, { F: '${env:UNSET_X}' });
  });
  void it('long-tail flags are stored; unknown flags are problems naming the flag; values are not taken as the image', () => {
    const { profile: p, problems } = importDockerRun(
      'docker run --memory-swap 2g --pids-limit=100 -P --frobnicate -x ubuntu:22.04 bash',
    );
    assert.equal(p.image, 'ubuntu:22.04');
    assert.deepEqual(p.command, ['bash']);
    assert.deepEqual(p.extra, { 'memory-swap': '2g', 'pids-limit': 100, 'publish-all': true });
    assert.deepEqual(
      problems.map((x) => x.field),
      ['--frobnicate', '-x'],
    );
    assert.ok(problems.every((x) => x.severity === 'error' && x.profile === 'ubuntu'));
  });
  void it('shell operators and bad flag values are problems', () => {
    assert.deepEqual(
      importDockerRun('docker run ubuntu ls | grep x').problems.map((x) => x.severity),
      ['error'],
    );
    assert.deepEqual(
      importDockerRun('docker run --shm-size lots ubuntu').problems.map((x) => x.field),
      ['--shm-size'],
    );
    assert.deepEqual(
      importDockerRun('docker run -p').problems.map((x) => x.field),
      ['-p', 'image'],
    );
    assert.deepEqual(importDockerRun('docker ps').problems.length, 2);
    assert.deepEqual(
      importDockerRun('docker run --rm --restart always ubuntu').problems.map((x) => x.field),
      ['restart'],
    );
  });
  void it('accepts argv too, and line continuations', () => {
    assert.deepEqual(importDockerRun(['docker', 'run', '--gpus', 'all', 'ubuntu']).profile.gpus, { all: true });
    assert.equal(importDockerRun('docker run \\\n  --shm-size 1g \\\n  ubuntu').profile.shmSize?.text, '1g');
  });
});

void describe('round trip: import → export → import', () => {
  for (const line of LINES) {
    void it(line.slice(0, 70), () => {
      const a = importDockerRun(line).profile;
      const argv = toDockerRunArgs(a);
      assert.deepEqual(argv.slice(0, 2), ['run', '-it']);
      assert.deepEqual(importDockerRun(['docker', ...argv]).profile, a, 'argv');
      const shell = quoteShellLine(['docker', ...argv]);
      assert.deepEqual(importDockerRun(shell).profile, a, `line: ${shell}`);
    });
  }
  void it('settings profiles survive the trip too', () => {
    const { profiles } = parseProfiles([
      {
        name: 'ubuntu',
        image: 'ubuntu',
        gpus: [1, 3],
        gpuCapabilities: ['compute'],
        env: { A: 'x y', B: null },
        ulimits: { nofile: { soft: 1, hard: 2 } },
        mounts: [{ type: 'volume', source: 'v', target: '/v', volumeNoCopy: true }],
        command: 'bash -l',
      },
    ]);
    const back = importDockerRun(['docker', ...toDockerRunArgs(profiles[0])]).profile;
    assert.deepEqual({ ...back, source: undefined }, { ...profiles[0], source: undefined });
  });
});

void describe('quoteShellLine', () => {
  const samples = [
    ['a b'],
    ["it's"],
    ['$HOME'],
    ['"device=0,2"'],
    [''],
    ['x;y'],
    ['*.py'],
    ['a\\b'],
    ['~/x:/y'],
    ['${userHome}/a:/a'],
  ];
  for (const argv of samples) {
    void it(JSON.stringify(argv), () => {
      const q = quoteShellLine(argv);
      assert.deepEqual(tokenizeShellLine(q).args, argv, q);
      assert.deepEqual(execFileSync('sh', ['-c', `printf '%s\\0' ${q}`], { encoding: 'utf8' }).split('\0')[0], argv[0]);
    });
  }
  void it("quotes a leading ~/ (a container-side argument is not the host shell's to expand)", () => {
    assert.equal(quoteShellLine(['ls', '~/data']), "ls '~/data'");
    assert.equal(quoteShellLine(['~']), "'~'");
  });
  void it('leaves a leading ~/ of a host path bare', () => {
    assert.equal(quoteHostPathArg('~/x:/y'), '~/x:/y');
    assert.equal(quoteHostPathArg('~/my data:/y'), "~/'my data:/y'");
    assert.equal(quoteHostPathArg('~'), '~');
    const home = execFileSync('sh', ['-c', `printf '%s' ${quoteHostPathArg('~/my data')}`], {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/h' },
    });
    assert.equal(home, '/h/my data');
  });
  void it('leaves plain arguments bare', () =>
    assert.equal(
      quoteShellLine(['docker', 'run', '-e', 'A=b', '-p', '127.0.0.1:80:80']),
      'docker run -e A=b -p 127.0.0.1:80:80',
    ));
});

void describe('toCreateOptions', () => {
  const build = (o: Record<string, unknown>, c: ProfileContext = ctx) => {
    const r = parseProfiles([{ name: 'train', image: 'img:1', ...o }]);
    assert.deepEqual(r.problems, []);
    return toCreateOptions(r.profiles[0], c, { labels: { extra: '1' } });
  };
  void it('an interactive dev box with our labels and exact GPU request', () => {
    const { name, options, problems } = build({ gpus: 'all', shmSize: '16g' });
    assert.deepEqual(problems, []);
    assert.equal(name, 'ada-train');
    assert.equal(options.name, 'ada-train');
    assert.deepEqual([options.Tty, options.OpenStdin, options.AttachStdin], [true, true, false]);
    assert.deepEqual(options.Labels, {
      extra: '1',
      'gpu-containers.owner': 'ada',
      'gpu-containers.profile': 'train',
      'gpu-containers.created-by': 'gpu-containers',
    });
    assert.deepEqual(options.HostConfig?.DeviceRequests, [
      { Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: {} },
    ]);
    assert.equal(options.HostConfig?.ShmSize, 17179869184);
  });
  void it('resolves variables, ~ and relative paths', () => {
    const { options } = build({
      volumes: ['${workspaceFolder}:/ws', '~/.cache:/c:ro', './data:/d', '${env:SET}:/s'],
      workdir: '/x/${workspaceFolderBasename}',
      env: { T: '${env:HF_TOKEN}', P: '${profile}', H: null, U: null },
      user: 'host',
    });
    assert.deepEqual(options.HostConfig?.Binds, [
      '/ws/my proj:/ws',
      '/home/ada/.cache:/c:ro',
      '/ws/my proj/data:/d',
      'v:/s',
    ]);
    assert.equal(options.WorkingDir, '/x/my proj');
    assert.deepEqual(options.Env, ['T=tok', 'P=train', 'H', 'U']);
    assert.equal(options.User, '1001:1002');
  });
  void it('reports what cannot be resolved', () => {
    const r = build(
      { volumes: ['${workspaceFolder}:/ws'], env: { A: '${env:NOPE}' } },
      { ...ctx, workspaceFolder: undefined },
    );
    assert.deepEqual(
      r.problems.map((p) => [p.field, p.severity]),
      [
        ['env.A', 'warning'],
        ['volumes[0]', 'error'],
      ],
    );
  });
  void it('env files through the injected reader, before env', () => {
    const files: Record<string, string> = { '/ws/my proj/.env': 'A=1\n# x\nSET\n' };
    const r = build({ envFile: '.env', env: { B: '2' } }, { ...ctx, readFile: (p) => files[p] });
    assert.deepEqual(r.options.Env, ['A=1', 'SET=v', 'B=2']);
    const missing = build({ envFile: '/nope' }, { ...ctx, readFile: () => undefined });
    assert.deepEqual(
      missing.problems.map((p) => p.field),
      ['envFile'],
    );
  });
  void it('label files through the injected reader, before labels; a bare key is dropped like the CLI does', () => {
    const files: Record<string, string> = {
      '/ws/my proj/team.labels': '# team\nteam=nlp\nowner=bob\nBARE\n  spaced=a b \n',
      '/home/ada/more.labels': 'owner=carol\n',
    };
    const r = build(
      { labelFile: ['./team.labels', '~/more.labels'], labels: { team: 'vision' } },
      { ...ctx, readFile: (p) => files[p] },
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.options.Labels, {
      team: 'vision',
      owner: 'carol',
      spaced: 'a b ',
      extra: '1',
      'gpu-containers.owner': 'ada',
      'gpu-containers.profile': 'train',
      'gpu-containers.created-by': 'gpu-containers',
    });
    const missing = build({ labelFile: '/nope' }, { ...ctx, readFile: () => undefined });
    assert.deepEqual(
      missing.problems.map((p) => [p.field, p.severity]),
      [['labelFile', 'error']],
    );
    const imported = importDockerRun('docker run --label-file ./l.txt -l a=b ubuntu');
    assert.deepEqual(imported.problems, []);
    assert.deepEqual(imported.profile.labelFile, ['./l.txt']);
    assert.deepEqual(toDockerRunArgs(imported.profile).slice(2, 6), ['-l', 'a=b', '--label-file', './l.txt']);
  });
  void it('--platform is a create parameter (the platform query of POST /containers/create), not client-only', () => {
    const { profile, problems } = importDockerRun('docker run --platform linux/arm64 ubuntu');
    assert.deepEqual(problems, []);
    assert.deepEqual(profile.extra, { platform: 'linux/arm64' });
    assert.equal(toCreateOptions(profile, ctx).options.platform, 'linux/arm64');
    assert.deepEqual(toDockerRunArgs(profile).slice(2, 4), ['--platform', 'linux/arm64']);
    const compose = yamlParse(toComposeYaml(profile)) as { services: Record<string, Record<string, unknown>> };
    assert.equal(Object.values(compose.services)[0].platform, 'linux/arm64');
  });
  void it('no image is an error for the launcher', () => {
    const { profiles } = parseProfiles([{ name: 'x' }]);
    assert.deepEqual(
      toCreateOptions(profiles[0], ctx).problems.map((p) => p.field),
      ['image'],
    );
  });
});

void describe('resolveContainerName', () => {
  const p = (o: Record<string, unknown> = {}) => parseProfiles([{ name: 'My Profile!', ...o }]).profiles[0];
  void it('default template, sanitized, and the name it gets is said', () => {
    const r = resolveContainerName(p(), { ...ctx, user: 'Ada Lovelace' });
    assert.equal(r.name, 'Ada-Lovelace-My-Profile-');
    assert.deepEqual(
      r.problems.map((x) => [x.field, x.severity]),
      [['gpuContainers.containerNameTemplate', 'warning']],
    );
    assert.match(r.problems[0].message, /"Ada Lovelace-My Profile!".*"Ada-Lovelace-My-Profile-"/);
  });
  void it('custom template', () =>
    assert.equal(resolveContainerName(p(), ctx, '${workspaceFolderBasename}.${profile}').name, 'my-proj.My-Profile-'));
  void it("explicit containerName whose variable's value needed changes warns", () => {
    const r = resolveContainerName(p({ containerName: '${user}-box' }), { ...ctx, user: 'Ada Lovelace' });
    assert.equal(r.name, 'Ada-Lovelace-box');
    assert.deepEqual(
      r.problems.map((x) => [x.field, x.severity]),
      [['containerName', 'warning']],
    );
  });
  void it('characters written in the name or template are refused, never replaced', () => {
    for (const containerName of ['_${user} box', '!!!', 'a', 'pr bad/name']) {
      const r = parseProfiles([{ name: 'x', containerName }]);
      assert.equal(r.profiles[0].errors?.[0]?.field, 'containerName', containerName);
    }
    const r = resolveContainerName(p(), ctx, 'pr-${user}/${profile}!');
    assert.deepEqual(
      r.problems.map((x) => x.severity),
      ['error'],
    );
  });
  void it('never empty or one character', () => {
    assert.equal(resolveContainerName(p(), { ...ctx, user: '训练' }, '${user}').name, 'gpu-container');
    const one = resolveContainerName(p(), { ...ctx, user: 'a' }, '${user}');
    assert.equal(one.name, 'a-container');
    assert.match(one.problems[0].message, /too short for Docker \(2 or more characters\)/);
  });
});

void describe('toComposeYaml', () => {
  void it('one service with GPUs as device reservations', () => {
    const { profile } = importDockerRun(
      `docker run --gpus '"device=0,2","capabilities=compute"' --shm-size 16g --ipc host --network host -p 8888:8888 -v ~/.cache:/c:ro -e A='x $y' -e B --name dev nvcr.io/nvidia/pytorch:24.05-py3 python train.py`,
    );
    const doc = yamlParse(toComposeYaml(profile, ctx));
    const s = doc.services.dev;
    assert.equal(s.image, 'nvcr.io/nvidia/pytorch:24.05-py3');
    assert.deepEqual(s.command, ['python', 'train.py']);
    assert.equal(s.shm_size, '16g');
    assert.equal(s.ipc, 'host');
    assert.equal(s.network_mode, 'host');
    assert.deepEqual(s.ports, ['8888:8888']);
    assert.deepEqual(s.volumes, ['/home/ada/.cache:/c:ro']);
    assert.deepEqual(s.environment, { A: 'x $$y', B: null });
    assert.deepEqual(s.deploy.resources.reservations.devices, [
      { driver: 'nvidia', device_ids: ['0', '2'], capabilities: ['gpu', 'compute'] },
    ]);
  });
  void it('count and all; variables become Compose interpolation without a context', () => {
    const all = yamlParse(
      toComposeYaml(
        parseProfiles([{ name: 'a', image: 'i', gpus: 'all', volumes: ['${userHome}/x:/x'], user: 'host' }])
          .profiles[0],
      ),
    );
    assert.deepEqual(all.services.a.deploy.resources.reservations.devices, [
      { driver: 'nvidia', count: 'all', capabilities: ['gpu'] },
    ]);
    assert.deepEqual(all.services.a.volumes, ['${HOME}/x:/x']);
    const two = yamlParse(toComposeYaml(parseProfiles([{ name: 'b', image: 'i', gpus: 2 }]).profiles[0]));
    assert.equal(two.services.b.deploy.resources.reservations.devices[0].count, 2);
  });
});
