import { ingest } from './ingestCommand.js';
import { schedule } from './schedule/cli.js';

/** The `likebox` commands of this workspace, dispatched by `bin/likebox.js`. */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  ingest,
  schedule,
  up: async (argv) => (await import('./up/upCommand.js')).up(argv),
};
