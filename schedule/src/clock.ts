/**
 * The time notations found in real programmes, parsed leniently but never silently: each returns
 * the value and whether the notation was unusual, so the caller can warn ("18:0" → 18:00).
 */

/** A wall-clock time of day. `hour` may be 24 only with minute 0 (end of day). */
export interface Clock {
  hour: number;
  minute: number;
}

/** A calendar date. */
export interface CalendarDate {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
}

/** A parse result: the value, and `odd` when the notation was not the canonical one. */
export type Parsed<T> = { value: T; odd: boolean } | null;

const CLOCK = /^(\d{1,2})\s*[:hH.]\s*(\d{1,2})(?::(\d{2}))?$/;

/** `HH:MM` or `HH:MM:SS`; also `9:00`, `18:0`, `18h00`, `18.00` (odd). */
export function parseClock(input: string): Parsed<Clock> {
  const match = CLOCK.exec(input.trim());
  if (match === null) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const seconds = match[3] === undefined ? 0 : Number(match[3]);
  if (minute > 59 || seconds > 59 || hour > 24 || (hour === 24 && minute + seconds > 0))
    return null;
  const odd = !/^\d{2}:\d{2}(:\d{2})?$/.test(input.trim()) || seconds !== 0;
  return { value: { hour, minute }, odd };
}

/** `HH:MM`, `HH:MM:SS`, or a plain number of minutes; returns minutes. */
export function parseDuration(input: string): Parsed<number> {
  const trimmed = input.trim();
  if (/^\d{1,4}$/.test(trimmed)) return { value: Number(trimmed), odd: true };
  const match = /^(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?$/.exec(trimmed);
  if (match === null) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]) + Math.round(Number(match[3] ?? 0) / 60);
  if (Number(match[2]) > 59) return null;
  return { value: minutes, odd: !/^\d{2}:\d{2}(:\d{2})?$/.test(trimmed) };
}

function realDate(year: number, month: number, day: number): CalendarDate | null {
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (year < 2000 || year > 2099) return null;
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** `YYYY-MM-DD` (also the date part of an ISO date-time) or `DD/MM/YYYY` (French programmes). */
export function parseDate(input: string): Parsed<CalendarDate> {
  const trimmed = input.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|T)/.exec(trimmed);
  if (iso !== null) {
    const date = realDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date === null ? null : { value: date, odd: false };
  }
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  if (french === null) return null;
  const date = realDate(Number(french[3]), Number(french[2]), Number(french[1]));
  return date === null ? null : { value: date, odd: false };
}

/** The date `days` later (or earlier). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** Minutes since midnight. */
export function clockMinutes(clock: Clock): number {
  return clock.hour * 60 + clock.minute;
}

/** `HH:MM`. */
export function formatClock(clock: Clock): string {
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

/**
 * An ISO 8601 date-time with an explicit offset (`2019-08-21T11:00:00+02:00`, `…Z`) as epoch ms,
 * or null when it has no offset or is not a real date.
 */
export function parseOffsetDateTime(input: string): number | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(
      input.trim(),
    );
  if (match === null) return null;
  if (realDate(Number(match[1]), Number(match[2]), Number(match[3])) === null) return null;
  const epoch = Date.parse(input.trim());
  return Number.isFinite(epoch) ? epoch : null;
}
