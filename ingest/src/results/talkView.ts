import {
  localDate,
  type Schedule,
  type Talk,
  type TalkInfo,
  type TalkState,
  talkDelay,
  voteWindow,
} from '@likebox/protocol';

const MINUTE_MS = 60_000;

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
