/**
 * The JSON schema of `gpuContainers.hosts` for package.json (generated into `contributes.configuration` with
 * the other settings by src/core/profiles/packageJson.ts). User-level only: `scope: machine`, so a workspace's
 * value is ignored by VS Code, and `hostsFromInspect` ignores it too.
 */
import { nlsText } from '../profiles/schemaNls';

export const hostsSettingSchema: Record<string, unknown> = {
  type: 'array',
  default: [],
  scope: 'machine',
  markdownDescription: nlsText(
    'config.hosts',
    'Docker hosts shown side by side in the sidebar, each `{ "name": "gpubox", "host": "ssh://gpubox" }` (an alias from `~/.ssh/config`, or `ssh://user@host:port`, `unix:///path`, `tcp://host:port`) or `{ "name": "lab", "context": "<docker context>" }`, or a Kubernetes namespace `{ "name": "cluster", "kubernetes": { "context": "lab", "namespace": "alice" } }`. ssh hosts go through your system `ssh`, so your ssh config and agent apply. Empty: the one engine of `#gpuContainers.host#` (then `DOCKER_HOST`, the docker context, the default socket). User settings only: a workspace cannot add hosts. In a remote window (Remote-SSH, WSL, code-server) VS Code reads this setting from the Remote settings only and ignores your local User value: put it in "Preferences: Open Remote Settings (JSON)".',
  ),
  items: {
    type: 'object',
    additionalProperties: false,
    defaultSnippets: [
      {
        label: nlsText('config.hosts.snippet.ssh', 'ssh host'),
        body: { name: '${1:gpubox}', host: 'ssh://${2:gpubox}' },
      },
      {
        label: nlsText('config.hosts.snippet.context', 'docker context'),
        body: { name: '${1:lab}', context: '${2:lab}' },
      },
      {
        label: nlsText('config.hosts.snippet.kubernetes', 'Kubernetes cluster'),
        body: { name: '${1:cluster}', kubernetes: { context: '${2:lab}', namespace: '${3:alice}' } },
      },
      {
        label: nlsText('config.hosts.snippet.podman', 'Podman (rootless)'),
        body: { name: '${1:podman}', host: 'unix:///run/user/${2:1000}/podman/podman.sock', engine: 'podman' },
      },
    ],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 64,
        markdownDescription: nlsText(
          'config.hosts.name',
          "A short unique name, shown in the sidebar and the Launch picker; a profile's `host` field refers to it.",
        ),
      },
      host: {
        type: 'string',
        pattern: '^(ssh|unix|tcp|npipe)://',
        patternErrorMessage: nlsText(
          'config.hosts.host.patternErrorMessage',
          'Start with ssh://, unix://, tcp:// or npipe://, e.g. ssh://gpubox.',
        ),
        markdownDescription: nlsText(
          'config.hosts.host',
          'Engine address: `ssh://alias`, `ssh://user@host:port`, `unix:///path/to/docker.sock` or `tcp://host:port`.',
        ),
        examples: ['ssh://gpubox', 'ssh://user@gpu-server:22', 'unix:///var/run/docker.sock', 'tcp://10.0.0.5:2376'],
      },
      context: {
        type: 'string',
        markdownDescription: nlsText(
          'config.hosts.context',
          'A docker context name (from `docker context ls`), instead of `host`.',
        ),
      },
      kubernetes: {
        type: 'object',
        additionalProperties: false,
        markdownDescription: nlsText(
          'config.hosts.kubernetes',
          "A Kubernetes cluster instead of `host`: its pods are the containers, its nodes' `nvidia.com/gpu` the GPUs. `context`: a context of your kubeconfig (`KUBECONFIG`, else `~/.kube/config`; default: its current context); `namespace` (default: the context's, else `default`); `kubeconfig`: another file. Your own credentials and exec plugins apply; terminals run `kubectl` (`#gpuContainers.kubectlPath#`).",
        ),
        properties: {
          context: { type: 'string', minLength: 1 },
          namespace: {
            type: 'string',
            pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
            patternErrorMessage: nlsText(
              'config.hosts.kubernetes.namespace.patternErrorMessage',
              'A namespace name: lower-case letters, digits and -, at most 63 characters.',
            ),
          },
          kubeconfig: { type: 'string', minLength: 1 },
        },
      },
      engine: {
        type: 'string',
        enum: ['docker', 'podman'],
        markdownDescription: nlsText(
          'config.hosts.engine',
          'The engine behind the address: `podman` (GPUs through CDI, terminals run `podman` with `CONTAINER_HOST`) or `docker`. Default: a socket named `podman.sock` is Podman; another address is asked for its version once.',
        ),
      },
      socket: {
        type: 'string',
        pattern: '^/',
        patternErrorMessage: nlsText(
          'config.hosts.socket.patternErrorMessage',
          'An absolute path on that host, e.g. /run/user/1000/podman/podman.sock.',
        ),
        markdownDescription: nlsText(
          'config.hosts.socket',
          'On an ssh:// host with `"engine": "podman"`: the path of Podman\'s API socket on that host, e.g. `/run/user/1000/podman/podman.sock`. Default: found once over the host\'s ssh connection (root\'s `/run/podman/podman.sock`, else `$XDG_RUNTIME_DIR/podman/podman.sock`); the socket is forwarded over that connection.',
        ),
        examples: ['/run/user/1000/podman/podman.sock', '/run/podman/podman.sock'],
      },
      nvidiaSmi: {
        type: 'string',
        markdownDescription: nlsText(
          'config.hosts.nvidiaSmi',
          'Path of `nvidia-smi` on that host, when it is not on the PATH of a non-interactive `ssh` session. Default: `nvidia-smi`.',
        ),
        examples: ['/usr/bin/nvidia-smi', '/usr/local/nvidia/bin/nvidia-smi'],
      },
    },
    oneOf: [{ required: ['host'] }, { required: ['context'] }, { required: ['kubernetes'] }],
  },
};
