import type * as vscode from 'vscode';
import type { Config } from './config';
import type { Logger } from './core/logger';
import type { EngineService } from './engineService';
import type { Terminals } from './terminal';
import type { RefreshManager } from './tree/refresh';
import type { ContainersTree, ImagesTree } from './tree/views';
import type { Ui } from './ui';
import type { GpuView } from './gpuView';

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
  containersTree: ContainersTree;
  imagesTree: ImagesTree;
  gpus: GpuView;
  terminals: Terminals;
  /** Replaceable by extension-host tests (scripted answers by prompt id). */
  ui: Ui;
  user: UserInfo;
}
