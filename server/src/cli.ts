import type { Command } from '@likebox/runtime';
import { reportCommand } from './report/reportCommand.js';
import { upCommand } from './upCommand.js';

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: readonly Command[] = [upCommand, reportCommand];
