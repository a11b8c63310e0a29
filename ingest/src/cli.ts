import type { Command } from '@likebox/runtime';
import { ingestCommand } from './ingestCommand.js';

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: readonly Command[] = [ingestCommand];
