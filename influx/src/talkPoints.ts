import { type Schedule, talkDelay, voteWindow } from '@likebox/protocol';
import { type InfluxPoint, point, TALK } from './measurements.js';
import { msToNs } from './points.js';

const MINUTE_MS = 60_000;

/**
 * Measurement `talk`: how talk titles and time bands reach Grafana, since `vote` only carries talk
 * ids. One point per votable talk of the schedule (breaks and meals have none):
 *
 * - tags: `event`, `room` (slug), `talk` (id, as in `vote`)
 * - fields: `title`, `speakers` (comma-separated), `format` (strings); `start`, `end` (integer epoch
 *   ms, room delay included), `opens`, `closes` (integer epoch ms: the vote window)
 * - time: the scheduled start, so the rewrite after a delay overwrites the same point.
 */
export function scheduleToTalkPoints(schedule: Schedule): InfluxPoint[] {
  return schedule.talks
    .filter((talk) => talk.votable)
    .map((talk) => {
      const window = voteWindow(schedule, talk);
      const scheduledStart = Date.parse(talk.start);
      const delay = talkDelay(schedule, talk) * MINUTE_MS;
      return point(
        TALK,
        { event: schedule.event, room: talk.room, talk: talk.id },
        {
          title: talk.title,
          speakers: talk.speakers.join(', '),
          format: talk.format,
          start: scheduledStart + delay,
          end: Date.parse(talk.end) + delay,
          opens: window.opens,
          closes: window.closes,
        },
        msToNs(scheduledStart),
      );
    });
}
