import { deviceCommand } from './deviceCommand.js';
import { simCommand } from './simCommand.js';

/** `likebox <command>` functions of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  device: deviceCommand,
  sim: simCommand,
};
