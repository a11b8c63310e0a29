import type { Command } from '@likebox/runtime';
import { ingestCommand } from './ingestCommand.js';
import { resultsCommand } from './resultsCommand.js';

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: readonly Command[] = [ingestCommand, resultsCommand];
