import { brokerMain, usersMain } from './main.js';

/** The `likebox` commands this workspace implements (dispatched by `likebox` (server/bin/likebox.js)). */
export const commands: Record<string, (argv: string[]) => Promise<void>> = {
  broker: brokerMain,
  users: usersMain,
};
