import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { localClock, localDate, type Schedule, ScheduleIndex } from '@likebox/protocol';
import { resolveRoom } from './applyDelay.js';
import type { CliIo, ExitCode } from './cliIo.js';
import { loadScheduleFile } from './loadScheduleFile.js';
import { IMPORT_FORMATS, type ImportFormat } from './types.js';

/** Help of `likebox schedule windows`. */
export const WINDOWS_HELP = `Usage: likebox schedule windows FILE [--room ROOM] [--tz ZONE] [--format F]

Prints the vote windows of a room (slug or name): each votable talk, its time and the window
in which a press counts for it, delays included. Without --room, lists the rooms.
FILE is a normalised schedule or any programme "likebox schedule import" reads.`;

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

function isFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

/** `likebox schedule windows`. */
export async function runWindows(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      room: { type: 'string' },
      tz: { type: 'string' },
      format: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(`${WINDOWS_HELP}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0 || !isFormat(values.format)) {
    io.err(`expected one FILE and a known --format\n\n${WINDOWS_HELP}\n`);
    return 2;
  }
  const { schedule } = await loadScheduleFile(file, {
    tz: values.tz,
    format: values.format,
    fileName: basename(file),
  });
  const lines =
    values.room === undefined
      ? roomTable(schedule)
      : windowTable(schedule, resolveRoom(schedule, values.room));
  io.out(`${lines.join('\n')}\n`);
  return 0;
}
