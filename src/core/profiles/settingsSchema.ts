/**
 * `contributes.configuration` of package.json, generated: the sections the Settings UI shows under
 * "GPU Containers" (Docker, Launch Profiles, GPUs), every setting with its order, scope and localized text
 * (`%key%` placeholders; English in nls.json). `packageJson.ts` writes it; the schema test compares.
 */
import { hostsSettingSchema } from '../hosts/hostsSchema';
import { nlsText } from './schemaNls';
import { pat } from './schemaParts';
import { profileSchema, profileSnippet } from './schemaProfile';

/** Launch profile settings (section "Launch Profiles"). */
export const settingsSchema: Record<string, unknown> = {
  'gpuContainers.profiles': {
    type: 'array',
    scope: 'window',
    default: [],
    // One snippet at the setting itself: completing the key "gpuContainers.profiles" in settings.json inserts a
    // first profile (with `default` alone it inserted `[]`, and nothing offered what goes in it).
    defaultSnippets: [{ label: profileSnippet.label, body: [profileSnippet.body] }],
    items: profileSchema,
    description: nlsText(
      'gpuContainers.profiles.description',
      'Launch profiles: a docker run command line made durable, checked and shareable.',
    ),
    markdownDescription: nlsText(
      'gpuContainers.profiles.markdownDescription',
      'Launch profiles: each is a `docker run` command line made durable, checked and shareable. Example: `{ "name": "train", "image": "nvcr.io/nvidia/pytorch:24.05-py3", "gpus": "all", "shmSize": "16g", "ipc": "host", "volumes": ["${workspaceFolder}:/workspace", "~/.cache/huggingface:/root/.cache/huggingface"] }`. Variables: `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `~`, `${env:NAME}`, `${user}`, `${profile}`.',
    ),
  },
  'gpuContainers.defaultProfile': {
    type: 'string',
    scope: 'window',
    default: '',
    description: nlsText(
      'gpuContainers.defaultProfile.description',
      'Name of the profile to launch without asking; empty: ask.',
    ),
    markdownDescription: nlsText(
      'gpuContainers.defaultProfile.markdownDescription',
      'Name of the profile (from `#gpuContainers.profiles#`) to launch without asking. Leave empty to be asked. [Pick one of your profiles](command:gpuContainers.setDefaultProfile).',
    ),
  },
  'gpuContainers.containerNameTemplate': {
    type: 'string',
    scope: 'window',
    default: '${user}-${profile}',
    examples: ['${user}-${profile}', '${user}-${workspaceFolderBasename}-${profile}'],
    description: nlsText(
      'gpuContainers.containerNameTemplate.description',
      'Template for container names when a profile has no containerName.',
    ),
    markdownDescription: nlsText(
      'gpuContainers.containerNameTemplate.markdownDescription',
      'Template for container names when a profile sets no `containerName`. Variables: `${user}`, `${profile}`, `${workspaceFolderBasename}`, `${env:NAME}`. Characters Docker does not allow become `-`.',
    ),
  },
};

/** The sections, in the order the Settings UI lists them. `id` trims "Gpu Containers ›" from every label. */
function configurationSections(): Record<string, unknown>[] {
  const ordered = (props: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(props).map(([k, v], i) => [k, { ...(v as object), order: i + 1 }]));
  return [
    {
      id: 'gpuContainers',
      title: nlsText('configuration.title', 'GPU Containers'),
      order: 1,
      properties: ordered(dockerSettings),
    },
    {
      id: 'gpuContainers.launch',
      title: nlsText('configuration.launch.title', 'Launch Profiles'),
      order: 2,
      properties: ordered(settingsSchema),
    },
    {
      id: 'gpuContainers.gpus',
      title: nlsText('configuration.gpus.title', 'GPUs'),
      order: 3,
      properties: ordered(gpuSettings),
    },
  ];
}

/** Where the engine is and which CLI terminals run (section "GPU Containers"). */
const dockerSettings: Record<string, unknown> = {
  'gpuContainers.host': {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    markdownDescription: nlsText(
      'config.host',
      'Docker engine address, e.g. `unix:///var/run/docker.sock`, `tcp://host:2376` or `ssh://user@host`. Empty: `DOCKER_HOST`, then the current docker context, then the default socket. Terminals get the same address.',
    ),
    examples: [
      'unix:///var/run/docker.sock',
      'unix:///run/user/1000/docker.sock',
      'tcp://127.0.0.1:2376',
      'ssh://user@gpu-server',
    ],
  },
  'gpuContainers.hosts': hostsSettingSchema,
  'gpuContainers.dockerPath': {
    type: 'string',
    default: 'docker',
    scope: 'machine-overridable',
    markdownDescription: nlsText(
      'config.dockerPath',
      'The CLI that terminals run for Attach Terminal, Show Logs and Build: `docker`, `podman`, `nerdctl`, or a full path.',
    ),
    examples: ['docker', 'podman', 'nerdctl', '/usr/bin/docker'],
  },
  'gpuContainers.kubectlPath': {
    type: 'string',
    default: 'kubectl',
    scope: 'machine-overridable',
    markdownDescription: nlsText(
      'config.kubectlPath',
      'The `kubectl` that terminals of Kubernetes hosts run (Attach Terminal, Show Logs, port-forward): `kubectl` on the PATH, or a full path.',
    ),
    examples: ['kubectl', '/usr/local/bin/kubectl'],
  },
  'gpuContainers.shell': {
    type: 'string',
    default: '',
    markdownDescription: nlsText(
      'config.shell',
      'Shell for Attach Terminal, e.g. `bash` or `/bin/zsh`. Empty: use `bash` when the container has it, else `sh`.',
    ),
    examples: ['bash', 'sh', 'zsh', '/bin/bash'],
  },
};

const gpuSettings: Record<string, unknown> = {
  'gpuContainers.gpus.refreshInterval': {
    type: 'number',
    default: 5,
    minimum: 1,
    maximum: 3600,
    markdownDescription: nlsText(
      'config.gpus.refreshInterval',
      'Seconds between GPU readings while the GPUs view is visible (nothing is read while it is hidden).',
    ),
  },
  'gpuContainers.gpus.idleBelow': {
    type: 'string',
    default: '5%',
    ...pat('^\\s*\\d+(\\.\\d+)?\\s*%?\\s*$', 'idleBelow', 'Write a percentage such as 5%.'),
    markdownDescription: nlsText(
      'config.gpus.idleBelow',
      'A GPU held by a container counts as idle while its utilisation stays under this, e.g. "5%". Shown in the GPUs view (idle holders).',
    ),
  },
  'gpuContainers.gpus.idleAfter': {
    type: 'string',
    default: '30m',
    ...pat('^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$', 'idleAfter', 'Write a duration such as 30m, 2h or 90s.'),
    markdownDescription: nlsText(
      'config.gpus.idleAfter',
      'How long a held GPU must stay idle before its holder is flagged idle in the GPUs view, e.g. "30m", "2h". The history is kept in memory while VS Code runs and the GPUs view is visible.',
    ),
  },
  'gpuContainers.gpus.idleGraceSeconds': {
    type: 'number',
    default: 300,
    minimum: 0,
    maximum: 86400,
    markdownDescription: nlsText(
      'config.gpus.idleGraceSeconds',
      "The undo window of a launch profile's idle policy (`idle.then`: `stop` or `commit-and-stop`): seconds between the notification (Keep running / Stop now) and the stop. The policy is applied only to your own containers, and only while VS Code runs.",
    ),
  },
  'gpuContainers.gpus.probeImage': {
    type: 'string',
    default: '',
    markdownDescription: nlsText(
      'config.gpus.probeImage',
      'For a remote Docker engine: a CUDA image on that engine used to read its GPUs with a short-lived `--gpus all` container running `nvidia-smi`. Empty: no probe.',
    ),
    examples: ['nvidia/cuda:12.4.1-base-ubuntu22.04'],
  },
  'gpuContainers.gpus.nvidiaSmiPath': {
    type: 'string',
    default: 'nvidia-smi',
    scope: 'machine-overridable',
    markdownDescription: nlsText(
      'config.gpus.nvidiaSmiPath',
      'Path of `nvidia-smi` on this machine (used when the Docker engine is local). In a remote window VS Code reads it from the Remote settings ("Preferences: Open Remote Settings (JSON)"), not from your local User settings.',
    ),
  },
};

export const configurationSchema: readonly Record<string, unknown>[] = configurationSections();
