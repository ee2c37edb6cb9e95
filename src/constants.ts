/** Every id string the extension uses: commands, views, context keys, settings. */

export const EXTENSION_ID = 'gpu-containers.gpu-containers';
export const PREFIX = 'gpuContainers';

export const Views = {
  container: 'gpuContainers',
  containers: 'gpuContainers.containers',
  images: 'gpuContainers.images',
  gpus: 'gpuContainers.gpus',
} as const;

export const Commands = {
  launch: 'gpuContainers.launch',
  refresh: 'gpuContainers.refresh',
  retry: 'gpuContainers.retry',
  showOutput: 'gpuContainers.showOutput',
  filterMine: 'gpuContainers.filterMine',
  filterAll: 'gpuContainers.filterAll',
  showUntagged: 'gpuContainers.showUntagged',
  hideUntagged: 'gpuContainers.hideUntagged',
  attachTerminal: 'gpuContainers.attachTerminal',
  attachMainProcess: 'gpuContainers.attachMainProcess',
  start: 'gpuContainers.start',
  stop: 'gpuContainers.stop',
  restart: 'gpuContainers.restart',
  remove: 'gpuContainers.remove',
  showLogs: 'gpuContainers.showLogs',
  inspect: 'gpuContainers.inspect',
  copyName: 'gpuContainers.copyName',
  copyId: 'gpuContainers.copyId',
  pruneStopped: 'gpuContainers.pruneStopped',
  commitContainer: 'gpuContainers.commitContainer',
  runImage: 'gpuContainers.runImage',
  pullImage: 'gpuContainers.pullImage',
  removeImage: 'gpuContainers.removeImage',
  buildImage: 'gpuContainers.buildImage',
  saveImage: 'gpuContainers.saveImage',
  loadImage: 'gpuContainers.loadImage',
  tagImage: 'gpuContainers.tagImage',
  pushImage: 'gpuContainers.pushImage',
  copyImageName: 'gpuContainers.copyImageName',
  newProfile: 'gpuContainers.newProfile',
  importDockerRun: 'gpuContainers.importDockerRun',
  copyProfileAsDockerRun: 'gpuContainers.copyProfileAsDockerRun',
  exportProfileAsCompose: 'gpuContainers.exportProfileAsCompose',
  exportProfileAsDevcontainer: 'gpuContainers.exportProfileAsDevcontainer',
  setDefaultProfile: 'gpuContainers.setDefaultProfile',
  copyContainerAsDockerRun: 'gpuContainers.copyContainerAsDockerRun',
  saveContainerAsProfile: 'gpuContainers.saveContainerAsProfile',
  refreshGpus: 'gpuContainers.refreshGpus',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const ContextKeys = {
  engineState: 'gpuContainers.engineState',
  filter: 'gpuContainers.filter',
  showUntagged: 'gpuContainers.showUntagged',
  hasContainers: 'gpuContainers.hasContainers',
  hasImages: 'gpuContainers.hasImages',
} as const;

export const Settings = {
  section: 'gpuContainers',
  host: 'host',
  dockerPath: 'dockerPath',
  shell: 'shell',
  profiles: 'profiles',
  defaultProfile: 'defaultProfile',
  containerNameTemplate: 'containerNameTemplate',
  gpusRefreshInterval: 'gpus.refreshInterval',
  gpusProbeImage: 'gpus.probeImage',
  gpusNvidiaSmiPath: 'gpus.nvidiaSmiPath',
} as const;

/** Workspace-state keys (remembered per workspace). */
export const StateKeys = {
  filter: 'gpuContainers.filter',
  showUntagged: 'gpuContainers.showUntagged',
  commitNoteDismissed: 'gpuContainers.commitNoteDismissed',
} as const;
