import type * as vscode from 'vscode';
import type { Config } from './config';
import type { Logger } from './core/logger';
import type { EngineService } from './hosts/engineService';
import type { Terminals } from './terminal';
import type { RefreshManager } from './tree/refresh';
import type { ContainersTree } from './tree/views';
import type { ImagesTree } from './tree/imagesView';
import type { Ui } from './ui';
import type { GpuAccess } from './hosts/hostGpus';
import type { GpuView } from './tree/gpuView';
import type { HostsService } from './hosts/hostsService';
import type { ContextKeyState } from './viewState';
import type { GpuQueue } from './gpuQueue';
import type { LeaseWatch } from './leaseWatch';

export interface UserInfo {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The small bag of services handed to commands (no module-level mutable state). */
export interface Services {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  logger: Logger;
  config: Config;
  engines: EngineService;
  refresh: RefreshManager;
  /** Context keys, set only when their value changes. */
  contextKeys: ContextKeyState;
  containersTree: ContainersTree;
  imagesTree: ImagesTree;
  /** The GPUs of the host the command acts on. */
  gpus: GpuAccess;
  /** The GPUs view (every host's GPUs; its order and lease texts). */
  gpuView: GpuView;
  /** Every Docker host; commands get services scoped to their node's host (HostsService.dispatch). */
  hosts: HostsService;
  terminals: Terminals;
  /** Replaceable by extension-host tests (scripted answers by prompt id). */
  ui: Ui;
  user: UserInfo;
  /** Launches waiting for free GPUs (any host). */
  gpuQueue: GpuQueue;
  /** The user's GPU leases: the 15-minute warning, Extend / Stop. */
  leases: LeaseWatch;
}
