import {
  localDate,
  type Room,
  type Schedule,
  type Talk,
  talkDelay,
  voteWindow,
} from '@likebox/protocol';

const MINUTE_MS = 60_000;

/** Where a talk's vote window stands. */
export type TalkState = 'upcoming' | 'open' | 'closed';

/** A talk as the results API describes it. */
export interface TalkInfo {
  /** Talk id. */
  id: string;
  /** Title. */
  title: string;
  /** Speakers' names. */
  speakers: string[];
  /** The room, slug and display name. */
  room: Room;
  /** Format ("Conférence", "Quickie"…). */
  format: string;
  /** `YYYY-MM-DD` of its start in the schedule's time zone. */
  day: string;
  /** Scheduled start and end, epoch ms, the room's delay included. */
  start: number;
  /** See start. */
  end: number;
  /** Its vote window, epoch ms, delay included. */
  opens: number;
  /** See opens. */
  closes: number;
  /** The same instants as ISO 8601 (UTC), for people reading the JSON. */
  iso: { start: string; end: string; opens: string; closes: string };
  /** upcoming before `opens`, open until `closes`, closed after. */
  state: TalkState;
}

/** The state of a window at `now`. */
export function stateAt(opens: number, closes: number, now: number): TalkState {
  if (now < opens) return 'upcoming';
  return now < closes ? 'open' : 'closed';
}

/** The API's description of `talk` of `schedule` at `now`. */
export function talkInfo(schedule: Schedule, talk: Talk, now: number): TalkInfo {
  const shift = talkDelay(schedule, talk) * MINUTE_MS;
  const start = Date.parse(talk.start) + shift;
  const end = Date.parse(talk.end) + shift;
  const { opens, closes } = voteWindow(schedule, talk);
  const room = schedule.rooms.find((r) => r.slug === talk.room) ?? {
    slug: talk.room,
    name: talk.room,
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    ...{ id: talk.id, title: talk.title, speakers: talk.speakers, room, format: talk.format },
    day: localDate(schedule.timeZone, Date.parse(talk.start)),
    ...{ start, end, opens, closes },
    iso: { start: iso(start), end: iso(end), opens: iso(opens), closes: iso(closes) },
    state: stateAt(opens, closes, now),
  };
}
