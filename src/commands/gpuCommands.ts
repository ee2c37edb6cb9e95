import { Commands } from '../constants';
import type { CommandTable } from './commandTypes';

export const gpuCommands = {
  [Commands.refreshGpus]: (s) => s.gpus.refresh(),
  [Commands.gpusIdleFirst]: (s) => s.gpuView.setIdleFirst(true),
  [Commands.gpusIndexOrder]: (s) => s.gpuView.setIdleFirst(false),
} satisfies CommandTable;
