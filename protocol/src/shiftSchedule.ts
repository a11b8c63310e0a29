import type { Schedule } from './scheduleSchemas.js';
import { toZonedIso } from './zonedTime.js';

/**
 * The schedule with every talk and declared delay moved by `offsetMs`, its times written in the
 * schedule's own time zone. Used to replay a past programme now (demo, simulator).
 */
export function shiftSchedule(schedule: Schedule, offsetMs: number): Schedule {
  const move = (iso: string) => toZonedIso(schedule.timeZone, Date.parse(iso) + offsetMs);
  const delays =
    schedule.delays === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(schedule.delays).map(([room, delay]) => [
            room,
            { ...delay, since: delay.since + offsetMs },
          ]),
        );
  return {
    ...schedule,
    talks: schedule.talks.map((talk) => ({
      ...talk,
      start: move(talk.start),
      end: move(talk.end),
    })),
    ...(delays === undefined ? {} : { delays }),
  };
}
