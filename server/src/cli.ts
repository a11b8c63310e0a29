/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  up: async (argv) => (await import('./upCommand.js')).up(argv),
};
