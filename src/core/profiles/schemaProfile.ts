/** The JSON schema of one launch profile (an item of `gpuContainers.profiles`), with `%key%` placeholders. */
import { ABSOLUTE, mountSchema, P, pat, sizePattern, stringOrList, ULIMIT_VALUE, ULIMITS } from './schemaParts';
import { extraFlagsSchema } from './extraFlags';
import { nlsText } from './schemaNls';

export const profileSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  defaultSnippets: [
    {
      label: nlsText(P + 'snippet.training', 'GPU training box'),
      body: {
        name: '${1:train}',
        image: '${2:nvcr.io/nvidia/pytorch:24.05-py3}',
        gpus: 'all',
        shmSize: '16g',
        ipc: 'host',
        volumes: ['\\${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface'],
        workdir: '/workspace',
      },
    },
  ],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      description: nlsText(
        P + 'name',
        'Profile name (required, unique). Shown in pickers and put in the gpu-containers.profile label.',
      ),
    },
    description: {
      type: 'string',
      description: nlsText(P + 'item.description', 'Free text shown next to the profile.'),
    },
    image: {
      type: 'string',
      examples: ['nvcr.io/nvidia/pytorch:24.05-py3', 'vllm/vllm-openai:latest'],
      description: nlsText(P + 'image', 'Image to run. Leave out to be asked when launching.'),
    },
    containerName: {
      type: 'string',
      examples: ['${user}-${profile}'],
      description: nlsText(
        P + 'containerName',
        'Container name template; defaults to the gpuContainers.containerNameTemplate setting. Variables allowed.',
      ),
    },
    gpus: {
      anyOf: [
        { type: 'string', examples: ['all', 'none', 'device=0,2', 'count=2'] },
        { type: 'integer', minimum: 0 },
        { type: 'array', items: { type: ['integer', 'string'] }, uniqueItems: true },
        {
          type: 'object',
          required: ['free'],
          additionalProperties: false,
          properties: {
            free: {
              type: 'integer',
              minimum: 1,
              description: nlsText(
                P + 'gpus.free',
                'How many GPUs that nobody is using to take, picked when launching.',
              ),
            },
            minFreeMemory: {
              type: ['string', 'integer'],
              ...sizePattern(),
              examples: ['40g'],
              description: nlsText(
                P + 'gpus.minFreeMemory',
                'Only GPUs with at least this much free memory, e.g. "40g".',
              ),
            },
            model: {
              type: 'string',
              examples: ['H100', 'A100*80GB'],
              description: nlsText(
                P + 'gpus.model',
                'Only GPUs whose name contains this (case-insensitive; * matches anything).',
              ),
            },
          },
        },
      ],
      default: 'all',
      description: nlsText(
        P + 'gpus',
        'GPUs: "all", a count (2), a list of indices or UUIDs ([0, 2] or ["GPU-…"]), free GPUs ({ "free": 2, "minFreeMemory": "40g", "model": "H100" }), "none", or docker\'s --gpus text ("device=0,2").',
      ),
    },
    gpuCapabilities: {
      type: 'array',
      items: { type: 'string', enum: ['gpu', 'compute', 'utility', 'graphics', 'video', 'display', 'compat32'] },
      uniqueItems: true,
      description: nlsText(
        P + 'gpuCapabilities',
        'Driver capabilities for the GPU request (docker always adds "gpu"), e.g. ["compute", "utility"].',
      ),
    },
    shmSize: {
      type: ['string', 'integer'],
      ...sizePattern(),
      examples: ['16g', '8gb', '512m'],
      description: nlsText(
        P + 'shmSize',
        'Size of /dev/shm, e.g. "16g" (units b, k, m, g, t, p; Docker\'s default is 64m, too small for PyTorch DataLoader workers).',
      ),
    },
    ipc: {
      type: 'string',
      ...pat(
        '^(host|private|shareable|none|container:.+)$',
        'ipc',
        'Use host, private, shareable, none or container:<name>.',
      ),
      examples: ['host', 'private', 'shareable'],
      description: nlsText(P + 'ipc', 'IPC namespace: host, private, shareable, none or container:<name>.'),
    },
    network: {
      type: 'string',
      examples: ['host', 'bridge', 'none'],
      description: nlsText(P + 'network', 'Network: host, bridge, none, container:<name> or a network name.'),
    },
    ports: {
      type: 'array',
      items: {
        type: ['string', 'integer'],
        ...pat(
          '^(\\[[0-9a-fA-F:.]+\\]:|[0-9.]+:)?(\\d+(-\\d+)?)?:?\\d+(-\\d+)?(/(tcp|udp|sctp))?$',
          'ports',
          'Write [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. "8888:8888" or "127.0.0.1:8000:8000".',
        ),
        examples: ['8888:8888', '127.0.0.1:8000:8000', '8000-8010:8000-8010/udp'],
      },
      description: nlsText(
        P + 'ports',
        'Published ports in docker -p syntax: [ip:][hostPort:]containerPort[/protocol].',
      ),
    },
    volumes: {
      type: 'array',
      items: {
        type: 'string',
        examples: ['${workspaceFolder}:/workspace', '~/.cache/huggingface:/root/.cache/huggingface', '/data:/data:ro'],
      },
      description: nlsText(
        P + 'volumes',
        'Volumes in docker -v syntax: host-path:container-path[:ro], volume-name:container-path or a container path. Variables and ~ allowed.',
      ),
    },
    mounts: {
      type: 'array',
      items: mountSchema,
      description: nlsText(P + 'mounts', 'Structured mounts (docker --mount).'),
    },
    env: {
      anyOf: [
        { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
        {
          type: 'array',
          items: {
            type: 'string',
            ...pat(
              '^[A-Za-z_][A-Za-z0-9_.-]*(=|$)',
              'env',
              'Write NAME=value or NAME (letters, digits and "_", not starting with a digit).',
            ),
          },
        },
      ],
      examples: [{ HF_HOME: '/root/.cache/huggingface', HF_TOKEN: '${env:HF_TOKEN}' }],
      description: nlsText(
        P + 'env',
        'Environment variables: { "NAME": "value" }; null takes the value from your environment. Variables allowed.',
      ),
    },
    envFile: {
      ...stringOrList,
      description: nlsText(
        P + 'envFile',
        'Env file(s) in docker --env-file syntax; relative paths start at the workspace folder.',
      ),
    },
    user: {
      type: 'string',
      examples: ['host', '1000:1000', 'root'],
      description: nlsText(
        P + 'user',
        'User inside the container: "host" (your uid:gid, so files you create stay yours), "uid:gid" or a name.',
      ),
    },
    execUser: {
      type: 'string',
      examples: ['host', 'root'],
      description: nlsText(P + 'execUser', 'User for terminals opened with docker exec; defaults to "user".'),
    },
    workdir: {
      type: 'string',
      ...ABSOLUTE,
      examples: ['/workspace'],
      description: nlsText(P + 'workdir', 'Working directory inside the container (absolute).'),
    },
    entrypoint: {
      ...stringOrList,
      description: nlsText(
        P + 'entrypoint',
        'Overrides the image entrypoint; a string is split like a shell would (nothing expanded); "" resets it.',
      ),
    },
    command: {
      ...stringOrList,
      examples: [['sleep', 'infinity'], 'bash -l'],
      description: nlsText(
        P + 'command',
        'Command after the image; a string is split like a shell would (nothing expanded).',
      ),
    },
    autoRemove: {
      type: 'boolean',
      default: false,
      description: nlsText(P + 'autoRemove', 'Remove the container when it stops (docker --rm).'),
    },
    restart: {
      type: 'string',
      ...pat(
        '^(no|always|unless-stopped|on-failure(:\\d+)?)$',
        'restart',
        'Use no, always, unless-stopped or on-failure[:max-retries].',
      ),
      examples: ['no', 'unless-stopped', 'on-failure:3'],
      description: nlsText(P + 'restart', 'Restart policy: no, always, unless-stopped or on-failure[:max-retries].'),
    },
    labels: {
      anyOf: [
        { type: 'object', additionalProperties: { type: 'string' } },
        { type: 'array', items: { type: 'string' } },
      ],
      description: nlsText(P + 'labels', 'Extra container labels; the extension adds its own gpu-containers.* labels.'),
    },
    ulimits: {
      anyOf: [
        { type: 'object', propertyNames: { enum: ULIMITS }, additionalProperties: ULIMIT_VALUE },
        {
          type: 'array',
          items: {
            type: 'string',
            ...pat(
              `^(${ULIMITS.join('|')})=-?\\d+(:-?\\d+)?$`,
              'ulimits',
              'Write name=soft[:hard] with a known ulimit name, e.g. memlock=-1 or nofile=1024:65536.',
            ),
          },
        },
      ],
      examples: [{ memlock: -1, stack: 67108864 }],
      description: nlsText(
        P + 'ulimits',
        'ulimits: { "memlock": -1, "stack": 67108864, "nofile": { "soft": 1024, "hard": 65536 } } (-1 = unlimited).',
      ),
    },
    privileged: {
      type: 'boolean',
      default: false,
      description: nlsText(P + 'privileged', 'Give the container all capabilities and devices (docker --privileged).'),
    },
    init: {
      type: 'boolean',
      description: nlsText(P + 'init', 'Run an init process that reaps zombies (docker --init).'),
    },
    capAdd: {
      type: 'array',
      items: { type: 'string', examples: ['SYS_ADMIN', 'SYS_PTRACE', 'IPC_LOCK'] },
      description: nlsText(P + 'capAdd', 'Linux capabilities to add, e.g. SYS_PTRACE.'),
    },
    capDrop: {
      type: 'array',
      items: { type: 'string' },
      description: nlsText(P + 'capDrop', 'Linux capabilities to drop.'),
    },
    securityOpt: {
      type: 'array',
      items: {
        type: 'string',
        examples: ['seccomp=unconfined', 'apparmor=unconfined', 'no-new-privileges', 'label=disable'],
      },
      description: nlsText(P + 'securityOpt', 'Security options (docker --security-opt).'),
    },
    devices: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'string', ...ABSOLUTE, examples: ['/dev/fuse', '/dev/infiniband/uverbs0'] },
          {
            type: 'object',
            required: ['pathOnHost'],
            additionalProperties: false,
            properties: {
              pathOnHost: { type: 'string' },
              pathInContainer: { type: 'string' },
              cgroupPermissions: {
                type: 'string',
                ...pat('^[rwm]{1,3}$', 'cgroupPermissions', 'Use a combination of r, w and m.'),
              },
            },
          },
        ],
      },
      description: nlsText(P + 'devices', 'Host devices: "/dev/host[:/dev/container][:rwm]".'),
    },
    hostname: {
      type: 'string',
      description: nlsText(P + 'hostname', 'Container host name (not with network "host").'),
    },
    extraHosts: {
      anyOf: [
        { type: 'array', items: { type: 'string', examples: ['host.docker.internal:host-gateway'] } },
        { type: 'object', additionalProperties: { type: 'string' } },
      ],
      description: nlsText(
        P + 'extraHosts',
        'Extra /etc/hosts entries: "name:ip" (or "name=ip"); ip may be host-gateway.',
      ),
    },
    cpus: {
      type: ['number', 'string'],
      ...pat('^\\d*\\.?\\d*$', 'cpus', 'Write a number of CPUs such as 2 or 1.5.'),
      examples: [8, '1.5'],
      description: nlsText(P + 'cpus', 'CPU limit in CPUs, e.g. 8 or 1.5 (docker --cpus).'),
    },
    memory: {
      type: ['string', 'integer'],
      ...sizePattern(),
      examples: ['64g'],
      description: nlsText(P + 'memory', 'Memory limit, e.g. "64g" (docker --memory).'),
    },
    runtime: {
      type: 'string',
      examples: ['nvidia', 'runc'],
      description: nlsText(P + 'runtime', 'OCI runtime, e.g. nvidia (docker --runtime).'),
    },
    extraFlags: {
      ...extraFlagsSchema(),
      description: nlsText(
        P + 'extraFlags',
        'Any other docker create flag by its name, e.g. { "pids-limit": 100, "read-only": true, "sysctl": ["net.core.somaxconn=1024"], "tmpfs": ["/run:size=64m"] }.',
      ),
    },
    runArgs: {
      ...stringOrList,
      examples: [['--cap-add', 'SYS_PTRACE', '--ulimit', 'nofile=65536']],
      description: nlsText(
        P + 'runArgs',
        'Extra docker run flags, applied after the fields above. An unsupported flag is reported, not dropped silently.',
      ),
    },
  },
};
