/**
 * Docker is the oracle: each realistic `docker run` line is created twice — once by the docker CLI through
 * a real shell (which expands ~, $HOME, $(pwd), $(id -u)), once through importDockerRun → toCreateOptions →
 * dockerode — and `docker inspect` must agree on every field those flags touch. A third container is
 * created by the CLI from our exported argv (toDockerRunArgs), which must agree too.
 * Containers are created, never started; everything is labelled with this run's id and removed by label.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import {
  importDockerRun,
  profileFromInspect,
  toCreateOptions,
  toDockerRunArgs,
  toPortableDockerRun,
  type ProfileContext,
} from '../../../src/core/profiles';

const RUN = `gpuc-profiles-${process.pid}-${Date.now().toString(36)}`;
const RUN_LABEL = 'gpu-containers-test.run';
const BUSYBOX = 'gpu-containers-test/busybox:1';
const BASH = 'gpu-containers-test/bash:1';
const WORK = fs.mkdtempSync('/tmp/gct-ws-');
const ENV_FILE = `/tmp/${RUN}.env`;
const VOLUME = `${RUN}-models`;

function dockerHost(): Dockerode {
  const h = process.env.GPU_CONTAINERS_TEST_DOCKER_HOST;
  if (!h) return new Dockerode();
  if (h.startsWith('unix://')) return new Dockerode({ socketPath: h.slice('unix://'.length) });
  const u = new URL(h);
  return new Dockerode({ host: u.hostname, port: Number(u.port) });
}
const docker = dockerHost();
const shellEnv: NodeJS.ProcessEnv = { ...process.env, GCT_TOKEN: 's3cret', HOME: os.homedir() };
if (process.env.GPU_CONTAINERS_TEST_DOCKER_HOST) shellEnv.DOCKER_HOST = process.env.GPU_CONTAINERS_TEST_DOCKER_HOST;

const ctx: ProfileContext = {
  workspaceFolder: WORK,
  userHome: os.homedir(),
  user: os.userInfo().username,
  uid: process.getuid?.() ?? 1000,
  gid: process.getgid?.() ?? 1000,
  env: shellEnv,
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Flags and what follows the image; `IMG` is replaced by an image. */
const CASES: { title: string; line: string }[] = [
  {
    title: 'GPU training box',
    line: '-it --gpus all --shm-size 16g --ipc=host -v ~/.cache/huggingface:/root/.cache/huggingface IMG python train.py --epochs 3',
  },
  {
    title: 'vLLM inference server',
    line: `--gpus '"device=0,2"' -p 8000:8000 -p 127.0.0.1:8888:8888/tcp -e GCT_TOKEN -e MODEL=meta-llama/Llama-3-8B --entrypoint python3 IMG -m vllm.entrypoints.openai.api_server --port 8000`,
  },
  { title: 'fixed user, read-only data', line: '--user 1000:1000 -w /workspace -v /tmp/gct-data:/data:ro IMG' },
  { title: 'NCCL ulimits', line: '--ulimit memlock=-1 --ulimit stack=67108864 --ipc=host --gpus 2 IMG' },
  { title: 'host network', line: '--network=host -e NCCL_SOCKET_IFNAME=eth0 IMG' },
  { title: 'no network', line: '--net none --hostname offline-box IMG' },
  { title: 'restart unless-stopped', line: '-d --restart unless-stopped --gpus all IMG sleep infinity' },
  { title: 'restart on-failure:5', line: '--restart=on-failure:5 IMG' },
  {
    title: 'caps and security',
    line: '--cap-add SYS_PTRACE --cap-add ipc_lock --cap-drop MKNOD --security-opt seccomp=unconfined --security-opt no-new-privileges IMG',
  },
  { title: 'devices', line: '--device /dev/null:/dev/mynull:rw --device /dev/zero IMG' },
  {
    title: 'extra hosts',
    line: '--add-host db:10.0.0.5 --add-host host.docker.internal:host-gateway --add-host v6=::1 IMG',
  },
  { title: 'cpus and memory', line: '--cpus 1.5 --memory 2g IMG' },
  {
    title: 'hostname and labels',
    line: `--hostname trainer-1 --label team=nlp --label project="llm eval" -l flag IMG`,
  },
  { title: '--rm -itd', line: '--rm -itd IMG sh' },
  {
    title: 'workspace bind as my user',
    line: '-v $(pwd):/workspace -w /workspace --user $(id -u):$(id -g) -e HOME_DIR=$HOME -e "GREETING=hello world" IMG',
  },
  {
    title: 'structured mounts',
    line: '--mount type=bind,source=/tmp,target=/host-tmp,readonly --mount type=tmpfs,target=/scratch,tmpfs-size=1g,tmpfs-mode=1777 IMG',
  },
  { title: 'named and anonymous volumes', line: `-v ${VOLUME}:/models -v /cache -v /tmp/gct-x:/x:rw,z IMG` },
  {
    title: 'port ranges, IPv6, random host port, udp',
    line: "-p 8000-8003:8000-8003 -p '[::1]:9090:9090' -p 127.0.0.1::6006 -p 5353:5353/udp IMG",
  },
  {
    title: 'GPU capabilities, runtime, init, privileged',
    line: `--gpus 'all,"capabilities=compute,utility"' --runtime runc --init --privileged IMG`,
  },
  {
    title: 'reset entrypoint, quoted command',
    line: `--shm-size=1.5g --ipc shareable --entrypoint '' IMG sh -c 'echo "$HOME" && sleep infinity'`,
  },
  { title: 'env file plus env', line: `--env-file ${ENV_FILE} -e FROM_FLAG=1 IMG` },
  {
    title: 'count request, NCCL env',
    line: '--gpus count=1 --shm-size 8gb -e NCCL_DEBUG=INFO -e CUDA_VISIBLE_DEVICES= --ulimit nofile=1024:65536 IMG',
  },
  {
    title: 'long flags with =',
    line: '--workdir=/w --user=root --restart=no --memory=512m --cpus=2 --privileged=false --env=A=b IMG',
  },
  { title: 'combined short flags with attached values', line: '-itdp8080:80 -eX=1 -v/tmp/gct-y:/y -uroot -w/srv IMG' },
  {
    title: 'long tail: limits, read-only root, tmpfs, sysctls, health, logging, DNS (extraFlags)',
    line:
      '--pids-limit 100 --read-only --tmpfs /run:size=64m --tmpfs /scratch --cpuset-cpus 0 --memory 1g --memory-swap 2g ' +
      '--memory-reservation 512m --stop-signal SIGINT --stop-timeout 20 --sysctl net.core.somaxconn=1024 -P --expose 9000 ' +
      "--oom-score-adj 100 --health-cmd 'true' --health-interval 30s --health-retries 3 --health-timeout 5s " +
      '--log-driver json-file --log-opt max-size=10m --dns 1.1.1.1 --dns-search example.com --dns-option ndots:2 ' +
      '--group-add video --domainname example.com --cpu-shares 512 --cpu-period 100000 --cpu-quota 50000 ' +
      "--device-cgroup-rule 'c 1:3 mr' --pid host --uts host --oom-kill-disable --memory-swappiness 10 IMG",
  },
  {
    title: 'client-only flags are accepted: --pull, --cidfile, --quiet',
    line: `--pull never --cidfile /tmp/${RUN}.cid -q --shm-size 256m IMG`,
  },
  {
    title: 'bash image, docker run prefix with sudo',
    line: 'BASHIMG bash -lc "cd /workspace && python -c \'import torch\'"',
  },
];

function sh(cmd: string): string {
  return execFileSync('bash', ['-c', cmd], {
    cwd: WORK,
    env: shellEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function inspect(id: string): { Config: Record<string, unknown>; HostConfig: Record<string, unknown> } {
  return JSON.parse(execFileSync('docker', ['inspect', id], { env: shellEnv, encoding: 'utf8' }))[0];
}

const sortBy = <T>(xs: T[] | null | undefined, key: (x: T) => string) =>
  xs ? [...xs].sort((a, b) => key(a).localeCompare(key(b))) : xs;
const nullIfEmpty = (x: unknown) => (Array.isArray(x) && x.length === 0 ? null : (x ?? null));

/** The fields the flags touch, normalized only where docker's own order is random (maps in the CLI). */
function view(c: ReturnType<typeof inspect>, withHostname: boolean): Record<string, unknown> {
  const C = c.Config;
  const H = c.HostConfig;
  const labels = { ...(C.Labels as Record<string, string>) };
  for (const k of Object.keys(labels)) if (k.startsWith('gpu-containers.')) delete labels[k];
  return {
    Image: C.Image,
    Cmd: C.Cmd,
    Entrypoint: C.Entrypoint,
    Env: sortBy(C.Env as string[], (x) => x),
    WorkingDir: C.WorkingDir,
    User: C.User,
    ExposedPorts: C.ExposedPorts ?? null,
    Volumes: C.Volumes ?? null,
    Labels: labels,
    Hostname: withHostname ? C.Hostname : '(generated)',
    Binds: nullIfEmpty(sortBy(H.Binds as string[], (x) => x)),
    Mounts: nullIfEmpty(H.Mounts),
    PortBindings: H.PortBindings ?? {},
    ShmSize: H.ShmSize,
    IpcMode: H.IpcMode,
    NetworkMode: H.NetworkMode,
    DeviceRequests: H.DeviceRequests,
    AutoRemove: H.AutoRemove,
    RestartPolicy: H.RestartPolicy,
    Ulimits: nullIfEmpty(sortBy(H.Ulimits as { Name: string }[], (x) => x.Name)),
    Privileged: H.Privileged,
    Init: H.Init ?? null,
    CapAdd: H.CapAdd,
    CapDrop: H.CapDrop,
    SecurityOpt: H.SecurityOpt,
    Devices: nullIfEmpty(H.Devices),
    ExtraHosts: H.ExtraHosts,
    NanoCpus: H.NanoCpus,
    Memory: H.Memory,
    Runtime: H.Runtime,
    // The long tail (extraFlags).
    PidsLimit: H.PidsLimit ?? null,
    ReadonlyRootfs: H.ReadonlyRootfs,
    Tmpfs: H.Tmpfs ?? null,
    CpusetCpus: H.CpusetCpus,
    MemorySwap: H.MemorySwap,
    MemoryReservation: H.MemoryReservation,
    MemorySwappiness: H.MemorySwappiness ?? null,
    StopSignal: C.StopSignal ?? null,
    StopTimeout: C.StopTimeout ?? null,
    Sysctls: H.Sysctls ?? null,
    PublishAllPorts: H.PublishAllPorts,
    OomScoreAdj: H.OomScoreAdj,
    OomKillDisable: H.OomKillDisable ?? null,
    Healthcheck: C.Healthcheck ?? null,
    LogConfig: H.LogConfig,
    Dns: nullIfEmpty(H.Dns),
    DnsSearch: nullIfEmpty(H.DnsSearch),
    DnsOptions: nullIfEmpty(H.DnsOptions),
    GroupAdd: nullIfEmpty(H.GroupAdd),
    Domainname: C.Domainname,
    CpuShares: H.CpuShares,
    CpuPeriod: H.CpuPeriod,
    CpuQuota: H.CpuQuota,
    DeviceCgroupRules: nullIfEmpty(H.DeviceCgroupRules),
    PidMode: H.PidMode,
    UTSMode: H.UTSMode,
  };
}

void describe('docker run lines: CLI vs importDockerRun → toCreateOptions → dockerode', { concurrency: false }, () => {
  void before(() => {
    execFileSync('docker', ['version', '--format', '{{.Server.APIVersion}}'], { env: shellEnv });
    fs.writeFileSync(ENV_FILE, '# comment\nFROM_FILE=yes\n  SPACED= kept \nGCT_TOKEN\nUNSET_IN_ENV\n');
  });
  void after(() => {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${RUN}`], {
      env: shellEnv,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { env: shellEnv, stdio: 'ignore' });
    try {
      execFileSync('docker', ['volume', 'rm', VOLUME], { env: shellEnv, stdio: 'ignore' });
    } catch {
      /* not created */
    }
    fs.rmSync(ENV_FILE, { force: true });
    fs.rmSync(`/tmp/${RUN}.cid`, { force: true });
    fs.rmSync(WORK, { recursive: true, force: true });
  });

  void it('has at least 20 cases', () => assert.ok(CASES.length >= 20));

  CASES.forEach((c, i) => {
    void it(`${i + 1}. ${c.title}`, async () => {
      const line = c.line.replace(/\bBASHIMG\b/, BASH).replace(/\bIMG\b/, BUSYBOX);
      const withHostname = /--hostname|(^| )-h /.test(line);

      // Oracle: the docker CLI, through a real shell.
      // (`docker create` has no -d; the pasted `docker run` line keeps it.)
      const createLine = line.replace(/(^| )-d /, ' ').replace(/(^| )-itd/, '$1-it');
      const cliId = sh(`docker create --label ${RUN_LABEL}=${RUN} ${createLine}`);

      // Ours: paste → profile → create options → dockerode.
      const pasted = i === CASES.length - 1 ? `sudo docker container run ${line}` : `docker run ${line}`;
      const { profile, problems } = importDockerRun(pasted);
      assert.deepEqual(
        problems.filter((p) => p.severity === 'error'),
        [],
        'no import errors',
      );
      const built = toCreateOptions(profile, ctx, {
        containerNameTemplate: `${RUN}-${i}-ours`,
        labels: { [RUN_LABEL]: RUN },
      });
      assert.deepEqual(
        built.problems.filter((p) => p.severity === 'error'),
        [],
        'no build errors',
      );
      const ours = await docker.createContainer(built.options);

      const want = view(inspect(cliId), withHostname);
      const got = inspect(ours.id);
      assert.deepEqual(view(got, withHostname), want);
      const labels = got.Config.Labels as Record<string, string>;
      assert.equal(labels['gpu-containers.owner'], ctx.user);
      assert.equal(labels['gpu-containers.profile'], profile.name);
      assert.equal(labels['gpu-containers.created-by'], 'gpu-containers');
      assert.equal(got.Config.Tty, true);
      assert.equal(got.Config.OpenStdin, true);

      // Export: our argv, given to the CLI without a shell, must create the same container.
      const args = toDockerRunArgs(profile, { ctx });
      const n = args.indexOf('--name');
      args.splice(n, 2);
      assert.equal(args[0], 'run');
      const exported = execFileSync('docker', ['create', '--label', `${RUN_LABEL}=${RUN}`, ...args.slice(1)], {
        cwd: WORK,
        env: shellEnv,
        encoding: 'utf8',
      }).trim();
      assert.deepEqual(view(inspect(exported), withHostname), want, 'exported argv');

      // From a container back (15.4): Copy as docker run on the CLI's container, run through a shell, recreates it.
      const cli = inspect(cliId) as unknown as Record<string, unknown>;
      const image = JSON.parse(
        execFileSync('docker', ['image', 'inspect', String((cli.Config as { Image: string }).Image)], {
          env: shellEnv,
          encoding: 'utf8',
        }),
      )[0] as Record<string, unknown>;
      const back = profileFromInspect(cli, image);
      const copied = toPortableDockerRun({ ...back, containerName: undefined }).text;
      assert.ok(!copied.includes('s3cret'), copied);
      assert.match(copied, /^docker run -it /);
      const recreated = sh(copied.replace(/^docker run -it /, `docker create -it `));
      assert.deepEqual(view(inspect(recreated), withHostname), want, `copied from the container: ${copied}`);
    });
  });
});
