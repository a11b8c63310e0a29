import { type Schedule, talkDelay, voteWindow } from '@likebox/protocol';

/**
 * Measurement `talk`: how talk titles and time bands reach Grafana, since the `vote` measurement only
 * carries talk ids. The ingest writes one point per votable talk whenever it loads or changes the
 * schedule (a delay shifts the fields; the timestamp stays the scheduled start, so a rewrite overwrites).
 *
 * - tags: `event`, `room` (slug), `talk` (id, as in `vote`)
 * - fields: `title` (string), `speakers` (string, comma-separated), `format` (string),
 *   `start`, `end` (integer epoch ms, room delay included), `opens`, `closes` (integer epoch ms: the
 *   vote window)
 * - time: the scheduled start, written with precision `ms`.
 */
export interface TalkPoint {
  /** Always `talk`. */
  measurement: 'talk';
  /** Tag set. */
  tags: { event: string; room: string; talk: string };
  /** Field set; numbers are integers (epoch ms). */
  fields: {
    title: string;
    speakers: string;
    format: string;
    start: number;
    end: number;
    opens: number;
    closes: number;
  };
  /** Epoch ms: the talk's scheduled start. */
  timestamp: number;
}

/** The measurement name of {@link TalkPoint}. */
export const TALK_MEASUREMENT = 'talk';

const MINUTE_MS = 60_000;

/** One {@link TalkPoint} per votable talk of the schedule (breaks and meals have none). */
export function scheduleToTalkPoints(schedule: Schedule): TalkPoint[] {
  return schedule.talks
    .filter((talk) => talk.votable)
    .map((talk) => {
      const window = voteWindow(schedule, talk);
      const scheduledStart = Date.parse(talk.start);
      const delay = talkDelay(schedule, talk) * MINUTE_MS;
      return {
        measurement: 'talk',
        tags: { event: schedule.event, room: talk.room, talk: talk.id },
        fields: {
          title: talk.title,
          speakers: talk.speakers.join(', '),
          format: talk.format,
          start: scheduledStart + delay,
          end: Date.parse(talk.end) + delay,
          opens: window.opens,
          closes: window.closes,
        },
        timestamp: scheduledStart,
      };
    });
}

function escapeTag(value: string): string {
  return value.replace(/[\\,= ]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ');
}

function escapeString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

/** InfluxDB line protocol of the points, for a `/write?precision=ms` request (integers suffixed `i`). */
export function talkPointsToLineProtocol(points: readonly TalkPoint[]): string {
  return points
    .map((point) => {
      const tags = Object.entries(point.tags)
        .map(([key, value]) => `${key}=${escapeTag(value)}`)
        .join(',');
      const { title, speakers, format, start, end, opens, closes } = point.fields;
      const fields = [
        `title=${escapeString(title)}`,
        `speakers=${escapeString(speakers)}`,
        `format=${escapeString(format)}`,
        `start=${start}i`,
        `end=${end}i`,
        `opens=${opens}i`,
        `closes=${closes}i`,
      ].join(',');
      return `${point.measurement},${tags} ${fields} ${point.timestamp}`;
    })
    .join('\n');
}
