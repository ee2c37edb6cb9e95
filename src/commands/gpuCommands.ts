import { Commands } from '../constants';
import type { CommandTable } from './index';

export const gpuCommands: CommandTable = {
  [Commands.refreshGpus]: (s) => s.gpus.refresh(),
};
