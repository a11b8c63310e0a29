import { zoneOffset } from '@likebox/protocol';
import {
  type CalendarDate,
  type Clock,
  clockMinutes,
  parseClock,
  parseOffsetDateTime,
} from './clock.js';
import type { ImportContext } from './importContext.js';
import type { DraftTalk } from './types.js';

/**
 * One frab event (schedule.xml or schedule.json, also pretalx's export of the same format) read
 * into a draft talk. The instant comes from the event's `date` when it carries an offset (newer
 * frab and pretalx); otherwise from the day's date and the local `start`, where a start before the
 * conference's `day_change` belongs to the night after that date (a talk past midnight).
 */

const MINUTE_MS = 60_000;

/** The fields of a frab event, whatever the file's syntax. */
export interface FrabEventFields {
  id: string;
  /** ISO date-time with offset, or empty (older FOSDEM files). */
  date: string;
  start: unknown;
  duration: unknown;
  room: string;
  title: string;
  type: string;
  track: string;
  speakers: string[];
}

/** What the event's day provides. */
export interface FrabDayScope {
  date: CalendarDate | null;
  zone: string;
  /** Local time the programme's day starts at (`day_change`), or null. */
  dayChange: Clock | null;
  /** Events whose `date` offset disagrees with the zone (the file's zone is then wrong). */
  offsetMismatches: { count: number; sample: string };
}

/** Reads `day_change` (`09:00:00`), or null when absent or unreadable. */
export function readDayChange(value: string): Clock | null {
  return parseClock(value)?.value ?? null;
}

function startInstant(
  ctx: ImportContext,
  event: FrabEventFields,
  where: string,
  scope: FrabDayScope,
) {
  const dated = event.date === '' ? null : parseOffsetDateTime(event.date);
  if (dated !== null) {
    // The offset as written: the wall time read as if it were UTC, minus the instant.
    const declared = Date.parse(`${event.date.trim().slice(0, 16)}Z`) - dated;
    if (Math.abs(declared - zoneOffset(scope.zone, dated)) >= MINUTE_MS) {
      scope.offsetMismatches.count += 1;
      scope.offsetMismatches.sample ||= `${where}.date = ${event.date}`;
    }
    return dated;
  }
  if (event.date !== '')
    ctx.warn(
      'time-format',
      `${where}.date`,
      `unreadable date "${event.date}": using the day and start`,
    );
  const clock = ctx.clock(event.start, `${where}.start`);
  if (clock === null) return null;
  if (scope.date === null) {
    ctx.problem(where, 'no date: neither the event nor its day gives one');
    return null;
  }
  const night = scope.dayChange !== null && clockMinutes(clock) < clockMinutes(scope.dayChange);
  return ctx.instant(scope.zone, scope.date, clock, night ? 1 : 0);
}

/** Reads one frab event; records problems and returns null when it cannot be placed in time. */
export function readFrabEvent(
  ctx: ImportContext,
  event: FrabEventFields,
  where: string,
  scope: FrabDayScope,
): DraftTalk | null {
  const start = startInstant(ctx, event, where, scope);
  const minutes = ctx.duration(event.duration, `${where}.duration`);
  if (event.room === '') ctx.problem(`${where}.room`, 'missing room');
  if (start === null || minutes === null || event.room === '') return null;
  return {
    where,
    id: event.id,
    room: event.room,
    start,
    end: start + minutes * MINUTE_MS,
    title: event.title,
    speakers: event.speakers,
    format: event.type,
    track: event.track,
    votable: null,
  };
}

/** Reports, once per file, events whose `date` offset disagrees with the declared time zone. */
export function reportOffsetMismatches(
  ctx: ImportContext,
  zone: string,
  scope: FrabDayScope,
): void {
  const { count, sample } = scope.offsetMismatches;
  if (count === 0) return;
  ctx.warn(
    'time-zone',
    sample,
    `${count} event dates carry an offset that ${zone} does not have at that time: the instants are taken from the dates as written; ${ctx.tzAdvice()}, the zone the programme was written in`,
  );
}
