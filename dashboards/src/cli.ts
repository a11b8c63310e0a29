import { dashboards } from './dashboardsCommand.js';

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  dashboards,
};
