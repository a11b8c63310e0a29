import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Schedule, shiftSchedule, voteWindow } from '@likebox/protocol';
import { z } from 'zod';

/** The file, in the data folder, that keeps a replay's shift so a restart does not move it. */
export const REPLAY_FILE = 'replay.json';
/** The file, in the data folder, with the replayed (shifted) normalised programme. */
export const REPLAYED_SCHEDULE_FILE = 'replay-schedule.json';

const MINUTE_MS = 60_000;
/** How long before now the replayed programme's first talk started, at least. */
const FIRST_TALK_AGO_MS = 20 * MINUTE_MS;

const ReplayRecord = z.object({
  /** Absolute path of the programme file replayed. */
  source: z.string(),
  /** Its first votable talk's start, as the file says (a different programme: a new shift). */
  firstStart: z.number(),
  /** The shift, ms. */
  offsetMs: z.number(),
  /** When the shift was chosen, epoch ms. */
  since: z.number(),
});

/** The first votable talk's start, epoch ms, or undefined when there is none. */
function firstStartOf(schedule: Schedule): number | undefined {
  const starts = schedule.talks.filter((t) => t.votable).map((t) => Date.parse(t.start));
  return starts.length === 0 ? undefined : Math.min(...starts);
}

/**
 * The moment of the unshifted programme that a replay puts at now: 20 minutes after its first
 * votable talk started, or later when a talk of that first slot opens its vote window later (a
 * workshop's opens after 30 minutes), so the first slot's every room takes votes at once; still
 * before the first of their windows closes.
 */
function replayMoment(schedule: Schedule, first: number): number {
  const slot = schedule.talks.filter((t) => t.votable && Date.parse(t.start) === first);
  const windows = slot.map((t) => voteWindow(schedule, t));
  const opens = Math.max(...windows.map((w) => w.opens)) + 5 * MINUTE_MS;
  const closes = Math.min(...windows.map((w) => w.closes));
  return opens < closes ? Math.max(first + FIRST_TALK_AGO_MS, opens) : first + FIRST_TALK_AGO_MS;
}

/**
 * The shift, in whole minutes, that makes a programme's first day start now: its first votable
 * talk started 20 minutes before `now` (or more, {@link replayMoment}), so the vote windows of
 * its first slot are open at once. 0 for a programme without a votable talk.
 */
export function replayNowOffset(schedule: Schedule, now: number): number {
  const first = firstStartOf(schedule);
  if (first === undefined) return 0;
  return Math.round((now - replayMoment(schedule, first)) / MINUTE_MS) * MINUTE_MS;
}

async function readRecord(path: string): Promise<z.infer<typeof ReplayRecord> | undefined> {
  try {
    const parsed = ReplayRecord.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // none yet, or unreadable: a new shift
  }
}

/** A replayed programme. */
export interface Replay {
  /** The shifted normalised programme's file (`$dataDir/replay-schedule.json`). */
  path: string;
  /** The shifted programme. */
  schedule: Schedule;
  /** The shift, ms. */
  offsetMs: number;
  /** Whether the shift was kept from an earlier start (false: chosen now). */
  kept: boolean;
}

/**
 * Replays `schedule` (read from `source`) now ({@link replayNowOffset}) and writes the shifted
 * programme to `$dataDir/replay-schedule.json`. The shift is kept in `$dataDir/replay.json`: a
 * restart with the same programme file (same first talk) keeps it, so the rehearsal does not move
 * under the votes already cast; delete that file to start the rehearsal again from the beginning.
 */
export async function replayProgramme(
  schedule: Schedule,
  source: string,
  dataDir: string,
  now: number,
): Promise<Replay> {
  const recordPath = join(dataDir, REPLAY_FILE);
  const firstStart = firstStartOf(schedule) ?? 0;
  const previous = await readRecord(recordPath);
  const kept = previous?.source === resolve(source) && previous.firstStart === firstStart;
  const offsetMs = kept ? previous.offsetMs : replayNowOffset(schedule, now);
  if (!kept) {
    const record = { source: resolve(source), firstStart, offsetMs, since: now };
    await writeFile(recordPath, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  }
  const shifted = shiftSchedule(schedule, offsetMs);
  const path = join(dataDir, REPLAYED_SCHEDULE_FILE);
  await writeFile(path, `${JSON.stringify(shifted, null, 2)}\n`);
  return { path, schedule: shifted, offsetMs, kept };
}
