import type { Command } from '@likebox/runtime';
import { brokerCommand } from './brokerCommand.js';
import { usersCommand } from './usersCommand.js';

/**
 * The `likebox` commands this workspace implements, dispatched by `likebox`
 * (server/bin/likebox.js). Defining them loads no Aedes: that happens when `broker` runs.
 */
export const commands: readonly Command[] = [brokerCommand, usersCommand];
