/**
 * Docker is the oracle: each realistic `docker run` line is created twice — once by the docker CLI through
 * a real shell (which expands ~, $HOME, $(pwd), $(id -u)), once through importDockerRun → toCreateOptions →
 * the Engine API — and `docker inspect` must agree on every field those flags touch, and the daemon's
 * warnings too (a flag it accepts but discards, such as --blkio-weight without a blkio weight cgroup, shows
 * only there). A third container is created by the CLI from our exported argv (toDockerRunArgs), a fourth
 * from Copy as docker run of the CLI's container; both must agree too.
 * Every mapped flag is exercised by some case, or listed in NOT_EXERCISED with the reason (checked).
 * Containers are created, never started; everything is labelled with this run's id and removed by label;
 * every name starts with gpuc-p3-.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
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
  tokenizeShellLine,
  type ProfileContext,
} from '../../../src/core/profiles';
import type { ContainerCreateOptions } from '../../../src/core/docker';
import { flagsOf, importableFlags } from '../../../src/core/profiles/runArgs';

const RUN = `gpuc-p3-${process.pid}-${Date.now().toString(36)}`;
const RUN_LABEL = 'gpu-containers-test.run';
const BUSYBOX = 'gpu-containers-test/busybox:1';
const BASH = 'gpu-containers-test/bash:1';
const WORK = fs.mkdtempSync('/tmp/gct-ws-');
const ENV_FILE = `/tmp/${RUN}.env`;
const LABEL_FILE = `/tmp/${RUN}.labels`;
const VOLUME = `${RUN}-models`;
const MOUNT_VOLUME = `${RUN}-mounted`;
const NETWORK = `${RUN}-net`;
/** Containers the cases point at: --link, --volumes-from. */
const LINKED = `${RUN}-linked`;
const VOLUMES_SOURCE = `${RUN}-vsrc`;

/** A real block device of this machine (for --device-read-bps and friends): the first disk in /sys/block. */
function blockDevice(): string {
  const names = fs
    .readdirSync('/sys/block')
    .sort((a, b) => Number(a.startsWith('loop')) - Number(b.startsWith('loop')));
  for (const n of names) {
    try {
      if (fs.statSync(`/dev/${n}`).isBlockDevice()) return `/dev/${n}`;
    } catch {
      /* not in /dev */
    }
  }
  throw new Error('no block device in /sys/block with a /dev node');
}
const DISK = blockDevice();
/** The engine's cgroup version (its cgroupns default), read in before(). */
let cgroupVersion = '';

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
    title: 'a name; volume and anonymous mounts; a label file under -l',
    line:
      `--name CNAME --mount type=volume,source=${MOUNT_VOLUME},target=/vol,volume-nocopy=true ` +
      `--mount type=volume,target=/anon-mount --label-file ${LABEL_FILE} -l team=flag IMG`,
  },
  {
    title: 'block IO and cgroups (weights are discarded by this kernel: the warnings must agree)',
    line:
      `--blkio-weight 300 --blkio-weight-device ${DISK}:200 --device-read-bps ${DISK}:1mb ` +
      `--device-write-bps ${DISK}:2mb --device-read-iops ${DISK}:100 --device-write-iops ${DISK}:200 ` +
      '--cgroup-parent /gpuc-p3-parent --cgroupns private --cpuset-mems 0 --kernel-memory 64m IMG',
  },
  {
    title: 'real-time CPU, user namespace, isolation, volume driver, platform',
    line:
      '--cpu-rt-period 1000 --cpu-rt-runtime 100 --userns host --isolation default --volume-driver local ' +
      `-v ${RUN}-vd:/vd --platform linux/${process.arch === 'arm64' ? 'arm64' : 'amd64'} IMG`,
  },
  {
    title: 'health start period',
    line: "--health-cmd 'true' --health-start-period 5s --health-interval 1m IMG",
  },
  { title: 'no health check', line: '--no-healthcheck IMG' },
  {
    title: 'a user-defined network: static IPs, aliases, link-local IP',
    line:
      `--network ${NETWORK} --ip 172.31.251.10 --ip6 fd00:9c::10 --network-alias trainer ` +
      '--net-alias t2 --link-local-ip 169.254.9.9 IMG',
  },
  {
    title: 'links and volumes from other containers',
    line: `--link ${LINKED}:db --link ${LINKED} --volumes-from ${VOLUMES_SOURCE}:ro IMG`,
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
  return shWarned(cmd).out;
}

/** A command through a real shell: its output, and the daemon's warnings the docker CLI printed. */
function shWarned(cmd: string): { out: string; warnings: string[] } {
  const r = spawnSync('bash', ['-c', cmd], { cwd: WORK, env: shellEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: exit ${r.status}: ${r.stderr}`);
  const warnings = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('WARNING: '))
    .map((l) => l.slice('WARNING: '.length));
  return { out: r.stdout.trim(), warnings };
}

/** POST /containers/create as dockerode sends it (query: name, platform; body: the rest), with the warnings. */
function createOurs(options: ContainerCreateOptions): Promise<{ id: string; warnings: string[] }> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/containers/create?',
        method: 'POST',
        options: { ...options },
        statusCodes: { 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
      },
      (err, data) => {
        const d = data as { Id: string; Warnings: string[] | null } | null;
        if (err || !d) reject(err ?? new Error('no answer'));
        else resolve({ id: d.Id, warnings: d.Warnings ?? [] });
      },
    );
  });
}

type Inspect = {
  Name: string;
  Platform?: string;
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
  NetworkSettings?: { Networks?: Record<string, Record<string, unknown>> };
};
function inspect(id: string): Inspect {
  return JSON.parse(execFileSync('docker', ['inspect', id], { env: shellEnv, encoding: 'utf8' }))[0];
}

const sortBy = <T>(xs: T[] | null | undefined, key: (x: T) => string) =>
  xs ? [...xs].sort((a, b) => key(a).localeCompare(key(b))) : xs;
const nullIfEmpty = (x: unknown) => (Array.isArray(x) && x.length === 0 ? null : (x ?? null));

/** The fields the flags touch, normalized only where docker's own order is random (maps in the CLI). */
function view(c: Inspect, withHostname: boolean): Record<string, unknown> {
  const C = c.Config;
  const H = c.HostConfig;
  const labels = { ...(C.Labels as Record<string, string>) };
  for (const k of Object.keys(labels)) if (k.startsWith('gpu-containers.')) delete labels[k];
  // A link names the container itself ("/target:/<own name>/alias"); the four containers differ by name.
  // The daemon keeps links in a map: their order is random.
  const links = (H.Links as string[] | null)?.map((l) => l.replace(`:${c.Name}/`, ':(self)/')).sort() ?? null;
  const networks = Object.fromEntries(
    Object.entries(c.NetworkSettings?.Networks ?? {}).map(([k, n]) => [
      k,
      { IPAMConfig: n.IPAMConfig ?? null, Aliases: n.Aliases ?? null, MacAddress: n.MacAddress ?? '' },
    ]),
  );
  return {
    Platform: c.Platform,
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
    BlkioWeight: H.BlkioWeight,
    BlkioWeightDevice: nullIfEmpty(H.BlkioWeightDevice),
    BlkioDeviceReadBps: nullIfEmpty(H.BlkioDeviceReadBps),
    BlkioDeviceWriteBps: nullIfEmpty(H.BlkioDeviceWriteBps),
    BlkioDeviceReadIOps: nullIfEmpty(H.BlkioDeviceReadIOps),
    BlkioDeviceWriteIOps: nullIfEmpty(H.BlkioDeviceWriteIOps),
    CgroupParent: H.CgroupParent,
    CgroupnsMode: H.CgroupnsMode,
    CpusetMems: H.CpusetMems,
    KernelMemory: H.KernelMemory,
    CpuRealtimePeriod: H.CpuRealtimePeriod,
    CpuRealtimeRuntime: H.CpuRealtimeRuntime,
    UsernsMode: H.UsernsMode,
    Isolation: H.Isolation,
    VolumeDriver: H.VolumeDriver,
    VolumesFrom: nullIfEmpty(H.VolumesFrom),
    Links: nullIfEmpty(links),
    MacAddress: C.MacAddress ?? '',
    Networks: networks,
  };
}

/**
 * Mapped flags the oracle does not exercise, each with why and a check that the reason still holds here:
 * when it stops holding (a newer daemon, another kernel), the check fails and asks for a case instead.
 */
const NOT_EXERCISED: Record<string, { why: string; line: string; refusal: RegExp }> = {
  'storage-opt': {
    why: 'the daemon refuses it: overlay2 takes --storage-opt only on xfs mounted with pquota',
    line: '--storage-opt size=1G',
    refusal: /storage-opt is supported only for overlay over xfs/,
  },
  'mac-address': {
    why: 'the docker CLI refuses it against this API 1.41 daemon (a per-network MAC address needs API 1.44)',
    line: '--mac-address 02:42:ac:11:00:99',
    refusal: /requires API version 1\.44/,
  },
  annotation: {
    why: 'the docker CLI hides and refuses it below API 1.43 (this daemon speaks 1.41)',
    line: '--annotation a=b',
    refusal: /requires API version 1\.43/,
  },
  'health-start-interval': {
    why: 'the docker CLI refuses it below API 1.44 (this daemon speaks 1.41)',
    line: "--health-cmd 'true' --health-start-interval 1s",
    refusal: /requires API version 1\.44/,
  },
  'cpu-count': {
    why: 'Windows daemons only',
    line: '--cpu-count 1',
    refusal: /only supported on a Docker daemon running on windows/,
  },
  'cpu-percent': {
    why: 'Windows daemons only',
    line: '--cpu-percent 50',
    refusal: /only supported on a Docker daemon running on windows/,
  },
  'io-maxbandwidth': {
    why: 'Windows daemons only',
    line: '--io-maxbandwidth 1m',
    refusal: /only supported on a Docker daemon running on windows/,
  },
  'io-maxiops': {
    why: 'Windows daemons only',
    line: '--io-maxiops 10',
    refusal: /only supported on a Docker daemon running on windows/,
  },
};

/** Every flag the importer maps to the container (typed fields and extraFlags; client-only ones are not). */
function mappedFlags(): string[] {
  const { typed, tail } = importableFlags();
  return [...new Set([...typed, ...tail])].sort();
}

void describe('docker run lines: CLI vs importDockerRun → toCreateOptions → dockerode', { concurrency: false }, () => {
  const docker_ = (...args: string[]) =>
    execFileSync('docker', args, { env: shellEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  void before(() => {
    docker_('version', '--format', '{{.Server.APIVersion}}');
    cgroupVersion = docker_('info', '--format', '{{.CgroupVersion}}');
    fs.writeFileSync(ENV_FILE, '# comment\nFROM_FILE=yes\n  SPACED= kept \nGCT_TOKEN\nUNSET_IN_ENV\n');
    fs.writeFileSync(LABEL_FILE, '# labels\nteam=from-file\nfile.only=yes\nBARE_KEY\n  spaced=a b \n');
    docker_(
      'network',
      'create',
      '--label',
      `${RUN_LABEL}=${RUN}`,
      '--ipv6',
      '--subnet',
      '172.31.251.0/24',
      '--subnet',
      'fd00:9c::/64',
      NETWORK,
    );
    docker_('create', '--label', `${RUN_LABEL}=${RUN}`, '--name', LINKED, BUSYBOX);
    docker_('create', '--label', `${RUN_LABEL}=${RUN}`, '--name', VOLUMES_SOURCE, '-v', '/shared', BUSYBOX);
  });
  void after(() => {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${RUN}`], {
      env: shellEnv,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { env: shellEnv, stdio: 'ignore' });
    for (const rm of [
      ['volume', 'rm', VOLUME, MOUNT_VOLUME, `${RUN}-vd`],
      ['network', 'rm', NETWORK],
    ]) {
      for (const name of rm.slice(2))
        try {
          execFileSync('docker', [...rm.slice(0, 2), name], { env: shellEnv, stdio: 'ignore' });
        } catch {
          /* not created */
        }
    }
    fs.rmSync(ENV_FILE, { force: true });
    fs.rmSync(LABEL_FILE, { force: true });
    fs.rmSync(`/tmp/${RUN}.cid`, { force: true });
    fs.rmSync(WORK, { recursive: true, force: true });
  });

  void it('has at least 20 cases', () => assert.ok(CASES.length >= 20));

  void it('every mapped flag is exercised by a case, or not exercised for a stated reason that still holds', () => {
    const exercised = new Set(CASES.flatMap((c) => flagsOf(tokenizeShellLine(c.line).args)));
    const mapped = mappedFlags();
    const notCovered = mapped.filter((f) => !exercised.has(f));
    assert.deepEqual(notCovered, Object.keys(NOT_EXERCISED).sort(), 'add a case for the new flag, or its reason');
    for (const [flag, r] of Object.entries(NOT_EXERCISED)) {
      assert.ok(r.why.length > 10, flag);
      const tried = spawnSync('bash', ['-c', `docker create --label ${RUN_LABEL}=${RUN} ${r.line} ${BUSYBOX}`], {
        env: shellEnv,
        encoding: 'utf8',
      });
      assert.notEqual(tried.status, 0, `--${flag} is accepted here now: add an oracle case for it`);
      assert.match(tried.stderr, r.refusal, `--${flag}: ${tried.stderr}`);
    }
    const covered = mapped.length - notCovered.length;
    console.log(
      `oracle coverage: ${covered} of ${mapped.length} mapped flags; not exercised: ` +
        Object.entries(NOT_EXERCISED)
          .map(([f, r]) => `--${f} (${r.why})`)
          .join('; '),
    );
  });

  CASES.forEach((c, i) => {
    void it(`${i + 1}. ${c.title}`, async () => {
      const line = c.line.replace(/\bBASHIMG\b/, BASH).replace(/\bIMG\b/, BUSYBOX);
      const withHostname = /--hostname|(^| )-h /.test(line);

      // Oracle: the docker CLI, through a real shell.
      // (`docker create` has no -d; the pasted `docker run` line keeps it.)
      const createLine = line
        .replace(/(^| )-d /, ' ')
        .replace(/(^| )-itd/, '$1-it')
        .replace(/\bCNAME\b/, `${RUN}-${i}-cli`);
      const created = shWarned(`docker create --label ${RUN_LABEL}=${RUN} ${createLine}`);
      const cliId = created.out;

      // Ours: paste → profile → create options → the Engine API (as dockerode sends it).
      const named = `${RUN}-${i}-named`;
      const ourLine = line.replace(/\bCNAME\b/, named);
      const pasted = i === CASES.length - 1 ? `sudo docker container run ${ourLine}` : `docker run ${ourLine}`;
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
      const ours = await createOurs(built.options);
      assert.deepEqual(ours.warnings.sort(), created.warnings.sort(), "the daemon's warnings");

      const want = view(inspect(cliId), withHostname);
      const got = inspect(ours.id);
      assert.deepEqual(view(got, withHostname), want);
      assert.equal(got.Name, `/${line.includes('CNAME') ? named : `${RUN}-${i}-ours`}`);
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
      const back = profileFromInspect(cli, image, { cgroupVersion });
      const copied = toPortableDockerRun({ ...back, containerName: undefined }).text;
      assert.ok(!copied.includes('s3cret'), copied);
      assert.match(copied, /^docker run -it /);
      const recreated = sh(copied.replace(/^docker run -it /, `docker create -it `));
      assert.deepEqual(view(inspect(recreated), withHostname), want, `copied from the container: ${copied}`);
    });
  });

  void it('--platform reaches the engine: an image of another platform is refused by the daemon, for the CLI and for us', async () => {
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const { profile, problems } = importDockerRun(`docker run --platform ${other} ${BUSYBOX}`);
    assert.deepEqual(problems, []);
    const built = toCreateOptions(profile, ctx, {
      containerNameTemplate: `${RUN}-platform`,
      labels: { [RUN_LABEL]: RUN },
    });
    assert.equal(built.options.platform, other);
    const cli = spawnSync(
      'bash',
      ['-c', `docker create --pull never --label ${RUN_LABEL}=${RUN} --platform ${other} ${BUSYBOX}`],
      { env: shellEnv, encoding: 'utf8' },
    );
    assert.notEqual(cli.status, 0, cli.stdout);
    await assert.rejects(createOurs(built.options), (e: Error) => {
      assert.match(e.message, /no such image|404/i);
      return true;
    });
    // The same line without --platform creates: the platform was the only difference.
    const { platform: _p, ...same } = built.options;
    assert.match((await createOurs({ ...same, name: `${RUN}-platform-none` })).id, /^[0-9a-f]{64}$/);
  });
});
