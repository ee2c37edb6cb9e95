import { Commands } from '../constants';
import type { CommandTable } from './commandTypes';

export const gpuCommands = {
  [Commands.refreshGpus]: (s) => s.gpus.refresh(),
} satisfies CommandTable;
