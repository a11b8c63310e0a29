import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  localDate,
  type Schedule,
  ScheduleIndex,
  shiftSchedule,
  zoneOffset,
} from '@likebox/protocol';
import { loadScheduleFile } from '@likebox/schedule';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The demo programme shipped with the repository: BreizhCamp 2015 (Rennes, June 2015). */
export const DEMO_PROGRAMME = fileURLToPath(
  new URL('../demo/breizhcamp-2015.json', import.meta.url),
);

/** The default event slug: `up` replays the demo programme for it when no schedule is given. */
export const DEMO_EVENT = 'demo';

/** Time zone of the demo programme, which does not declare one. */
export const DEMO_TIME_ZONE = 'Europe/Paris';

function isLiveAt(schedule: Schedule, at: number): boolean {
  const index = new ScheduleIndex(schedule);
  return schedule.rooms.some((room) => index.talkAt(room.slug, at) !== null);
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round(
    (Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS,
  );
}

/**
 * The offset that replays `schedule` now: moved to today (same wall-clock times) when a vote window is then
 * open at `now`; otherwise (the programme's day is over, or has not begun) moved so that its first
 * votable talk started 20 minutes ago, which puts its vote window open.
 */
export function replayOffset(schedule: Schedule, now: number): number {
  const starts = schedule.talks
    .filter((talk) => talk.votable)
    .map((talk) => Date.parse(talk.start));
  if (starts.length === 0) return 0;
  const first = Math.min(...starts);
  const zone = schedule.timeZone;
  // Whole days, keeping the wall-clock times across a summer/winter time difference.
  const byDays =
    daysBetween(localDate(zone, first), localDate(zone, now)) * DAY_MS +
    zoneOffset(zone, first) -
    zoneOffset(zone, now);
  if (isLiveAt(shiftSchedule(schedule, byDays), now)) return byDays;
  return Math.round((now - 20 * MINUTE_MS - first) / MINUTE_MS) * MINUTE_MS;
}

/**
 * Imports the demo programme (or `source`) for `event`, replays it now ({@link replayOffset}) and
 * writes the normalised result to `$dataDir/demo-schedule.json`, the file the ingest then watches.
 * Returns the file's path and the schedule.
 */
export async function writeDemoSchedule(
  dataDir: string,
  event: string,
  now: number,
  source = DEMO_PROGRAMME,
): Promise<{ path: string; schedule: Schedule }> {
  const { schedule } = await loadScheduleFile(source, { tz: DEMO_TIME_ZONE, event });
  const shifted = shiftSchedule(schedule, replayOffset(schedule, now));
  const path = join(dataDir, 'demo-schedule.json');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(shifted, null, 2)}\n`);
  return { path, schedule: shifted };
}
