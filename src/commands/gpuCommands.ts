import { Commands } from '../constants';
import type { CommandTable } from './commandTypes';

export const gpuCommands = {
  [Commands.refreshGpus]: (s) => s.gpus.refresh(),
  [Commands.gpusIdleFirst]: (s) => s.gpus.setIdleFirst(true),
  [Commands.gpusIndexOrder]: (s) => s.gpus.setIdleFirst(false),
} satisfies CommandTable;
