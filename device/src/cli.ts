import type { Command } from '@likebox/runtime';
import { deviceCommand } from './deviceCommand.js';
import { simCommand } from './simCommand.js';

/**
 * The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js).
 * Defining them loads no Johnny-Five: that happens when one runs.
 */
export const commands: readonly Command[] = [deviceCommand, simCommand];
