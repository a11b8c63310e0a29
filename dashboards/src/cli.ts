import type { Command } from '@likebox/runtime';
import { dashboardsCommand } from './dashboardsCommand.js';

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: readonly Command[] = [dashboardsCommand];
