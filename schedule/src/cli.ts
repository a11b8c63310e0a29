import { type Command, defineGroup } from '@likebox/runtime';
import { delayCommand } from './cliDelay.js';
import { importCommand } from './cliImport.js';
import { windowsCommand } from './cliWindows.js';

/** `likebox schedule import|delay|windows`. */
export const scheduleCommand = defineGroup({
  name: 'schedule',
  summary: 'import a programme (BreizhCamp, frab, pretalx, Sessionize); declare a room late',
  subcommands: [importCommand, delayCommand, windowsCommand],
});

/** The `likebox` commands of this workspace, dispatched by `likebox` (server/bin/likebox.js). */
export const commands: readonly Command[] = [scheduleCommand];
