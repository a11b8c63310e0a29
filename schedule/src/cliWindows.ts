import { basename } from 'node:path';
import { localClock, localDate, type Schedule, ScheduleIndex } from '@likebox/protocol';
import { defineCommand } from '@likebox/runtime';
import { z } from 'zod';
import { resolveRoom } from './applyDelay.js';
import { IMPORT_FORMATS } from './types.js';

function roomTable(schedule: Schedule): string[] {
  return schedule.rooms.map((room) => {
    const talks = schedule.talks.filter((talk) => talk.room === room.slug);
    const votable = talks.filter((talk) => talk.votable).length;
    return `${room.slug.padEnd(28)} ${String(votable).padStart(4)} votable / ${talks.length} slots  ${room.name}`;
  });
}

function windowTable(schedule: Schedule, room: string): string[] {
  const zone = schedule.timeZone;
  const index = new ScheduleIndex(schedule);
  const time = (ms: number) => localClock(zone, ms);
  return index.windows(room).map(({ talk, window }) => {
    const start = Date.parse(talk.start);
    const when = `${localDate(zone, start)} ${time(start)}–${time(Date.parse(talk.end))}`;
    return `${when}  votes ${time(window.opens)}–${time(window.closes)}  [${talk.format}] ${talk.title}`;
  });
}

/** `likebox schedule windows`. */
export const windowsCommand = defineCommand({
  name: 'schedule windows',
  summary: "print a room's vote windows",
  description:
    'Prints the vote windows of a room (slug or name): each votable talk, its time and the ' +
    'window in which a press counts for it, delays included. Without --room, lists the rooms. ' +
    'FILE is a normalised schedule or any programme "likebox schedule import" reads.',
  env: z.object({}),
  flags: z.object({
    room: z.string().optional().describe('The room, slug or name.'),
    tz: z.string().optional().describe("IANA time zone of the programme's local times."),
    format: z.enum(IMPORT_FORMATS).default('auto').describe('The programme format.'),
  }),
  args: [{ name: 'FILE', description: 'the schedule or programme file' }],
  run: async (ctx) => {
    const [file = ''] = ctx.args;
    // Loaded here: defining the command must not load every importer.
    const { loadScheduleFile } = await import('./loadScheduleFile.js');
    const { schedule } = await loadScheduleFile(file, {
      tz: ctx.flags.tz,
      format: ctx.flags.format,
      fileName: basename(file),
    });
    const room = ctx.flags.room;
    const lines =
      room === undefined ? roomTable(schedule) : windowTable(schedule, resolveRoom(schedule, room));
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
