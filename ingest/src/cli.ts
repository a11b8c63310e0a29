import { schedule } from './schedule/cli.js';

/** The `likebox` commands of this workspace, dispatched by `bin/likebox.js`. */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  schedule,
};
