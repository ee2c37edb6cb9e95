import type { CommandId } from '../constants';
import type { Services } from '../services';

/** A command's implementation: the services, then whatever VS Code passes (the clicked row, the selection). */
export type Handler = (s: Services, ...args: unknown[]) => unknown;

/** A part of the command table (one per command file); `commands/index.ts` joins them into the whole. */
export type CommandTable = Partial<Record<CommandId, Handler>>;
