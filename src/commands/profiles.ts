import type { CommandTable } from './index';

export const profileCommands: CommandTable = {};
