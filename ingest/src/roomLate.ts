import { type ScheduleIndex, talkDelay } from '@likebox/protocol';
import type { NoticeDraft } from './notices.js';

/** A programme minute, ms: delays are declared in them. */
const MINUTE_MS = 60_000;
// The watch's bounds below are in minutes of RoomLateness's `minuteMs`: real minutes, or a
// rehearsal's scenario minutes (`likebox up --simulate` with `LIKEBOX_SIM_MINUTE_MS`), in which
// its late room's crowd leaves late.
/** Width of the burst, and the fewest votes in it: a room's exit, not a few late voters. */
const BURST_MINUTES = 3;
const BURST_VOTES = 8;
/** How late the burst must come after the talk's end (delay included) to suggest a delay. */
const LATE_MINUTES = 8;
/** How long after a talk's end its room is watched. */
const WATCH_MINUTES = 45;
/** How long before the talk's end the burst is looked for (an exit on time is the peak then). */
const BEFORE_END_MINUTES = 10;
/** The burst is looked for until this long before the next talk's end. */
const BEFORE_NEXT_END_MINUTES = 5;

/** One room's late exit, as {@link RoomLateness.check} finds it. */
export interface LateRoom {
  /** Room slug. */
  room: string;
  /** The talk whose exit came late. */
  talk: string;
  /** Minutes to declare (of the watch's minute), rounded to 5. */
  minutes: number;
  /** The talk's scheduled end, epoch ms: the `--at` that makes the delay cover it. */
  end: number;
}

/**
 * Finds rooms running late from their votes: the exit burst (the most votes in
 * {@link BURST_MINUTES} minutes, at least {@link BURST_VOTES}) of the room's last ended talk comes
 * {@link LATE_MINUTES} or more after its end, delay included, and before the next talk ends.
 * Votes are counted by room and press minute, whatever talk they were attributed to. Minutes
 * are `minuteMs` long: 60,000, or a rehearsal's scenario minute, so that a late room of a
 * rehearsal at test speed is seen as late as it is in scenario minutes.
 */
export class RoomLateness {
  readonly #perMinute = new Map<string, Map<number, number>>();
  readonly #minuteMs: number;

  constructor(minuteMs = MINUTE_MS) {
    this.#minuteMs = minuteMs;
  }

  /** Counts a stored vote. */
  add(room: string, at: number): void {
    let minutes = this.#perMinute.get(room);
    if (minutes === undefined) {
      minutes = new Map();
      this.#perMinute.set(room, minutes);
    }
    const minute = Math.floor(at / this.#minuteMs);
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
  }

  /** The rooms whose last ended talk's exit came late, at `now`. */
  check(index: ScheduleIndex, now: number): LateRoom[] {
    const late: LateRoom[] = [];
    for (const room of index.schedule.rooms) {
      const found = this.#lateIn(index, room.slug, now);
      if (found !== undefined) late.push(found);
    }
    return late;
  }

  #lateIn(index: ScheduleIndex, room: string, now: number): LateRoom | undefined {
    const minutes = this.#perMinute.get(room);
    if (minutes === undefined) return undefined;
    const ends = index.windows(room).map(({ talk }) => ({
      talk,
      end: Date.parse(talk.end) + talkDelay(index.schedule, talk) * MINUTE_MS,
    }));
    const minute = this.#minuteMs;
    const i = ends.findLastIndex((e) => e.end <= now && now - e.end <= WATCH_MINUTES * minute);
    const last = ends[i];
    if (last === undefined) return undefined;
    const nextEnd = ends[i + 1]?.end ?? Number.POSITIVE_INFINITY;
    const until = Math.min(now, nextEnd - BEFORE_NEXT_END_MINUTES * minute);
    const burst = peak(minutes, minute, last.end - BEFORE_END_MINUTES * minute, until);
    if (burst === undefined) return undefined;
    const after = (burst - last.end) / minute;
    if (after < LATE_MINUTES) return undefined;
    const scheduledEnd = Date.parse(last.talk.end);
    return { room, talk: last.talk.id, minutes: Math.round(after / 5) * 5, end: scheduledEnd };
  }
}

/**
 * Start (epoch ms) of the busiest {@link BURST_MINUTES} minutes (`minuteMs` long) in [from, until),
 * if busy enough.
 */
function peak(
  minutes: Map<number, number>,
  minuteMs: number,
  from: number,
  until: number,
): number | undefined {
  let best: { at: number; votes: number } | undefined;
  const first = Math.floor(from / minuteMs);
  const last = Math.floor(until / minuteMs) - BURST_MINUTES;
  for (let m = first; m <= last; m++) {
    let votes = 0;
    for (let k = 0; k < BURST_MINUTES; k++) votes += minutes.get(m + k) ?? 0;
    if (votes >= BURST_VOTES && (best === undefined || votes > best.votes)) {
      best = { at: m * minuteMs, votes };
    }
  }
  return best?.at;
}

/** The notice of a late room, with the command that declares the delay. */
export function lateNotice(late: LateRoom): NoticeDraft {
  const at = new Date(late.end).toISOString();
  return {
    ...{ id: `room-late-${late.room}`, kind: 'room-late', severity: 'info', subject: late.room },
    message: `Room ${late.room} seems ${late.minutes} min late: the exit of talk ${late.talk} came that long after its end.`,
    suggestion: `likebox schedule delay ${late.room} ${late.minutes} --at ${at}`,
  };
}
