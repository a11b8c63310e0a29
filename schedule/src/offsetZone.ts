import { zoneOffset } from '@likebox/protocol';
import { parseOffsetDateTime } from './clock.js';

/**
 * A time zone for a programme that names none but writes every time with its UTC offset (31C3's
 * frab XML: `<date>2014-12-27T11:30:00+01:00</date>` on every event, no `time_zone_name`).
 *
 * One offset on a whole hour becomes the IANA fixed zone `Etc/GMT-1` (+01:00): IANA's `Etc/GMT`
 * zones carry the POSIX sign, inverted (tzdata `etcetera`: "Etc/GMT-14 is 14 hours ahead of UTC"),
 * and exist from `Etc/GMT-14` to `Etc/GMT+12`. A bare offset such as `+01:00` is not used as the
 * zone: Node 20's `Intl` refuses it ("Invalid time zone specified: +01:00"; Node 24 accepts it),
 * and the live page and the boxes hand `timeZone` to `Intl` as it is. So an offset off the hour
 * (+05:30) has no fixed zone, and offsets that change within the programme (it crosses a
 * daylight-saving change) fit no fixed zone: both are refused with the named zones that fit.
 */

const MINUTE_MS = 60_000;

/** What the offsets of a programme's times say about its zone. */
export type OffsetZone =
  /** Every time has this one whole-hour offset: `zone` is its fixed IANA zone. */
  | { kind: 'fixed'; zone: string; offset: number }
  /** `missing` of the times carry no offset (or there are no times). */
  | { kind: 'none'; missing: number; total: number }
  /** Several offsets, or one off the hour: no fixed zone; `candidates` are named zones that fit. */
  | { kind: 'unfixed'; offsets: number[]; candidates: string[] };

/** The offset an ISO date-time is written with, in minutes east of UTC, or null when it has none. */
export function writtenOffset(value: string): number | null {
  const trimmed = value.trim();
  const instant = parseOffsetDateTime(trimmed);
  if (instant === null) return null;
  // The wall time as written, read as if it were UTC, minus the instant it denotes.
  return Math.round((Date.parse(`${trimmed.slice(0, 16)}Z`) - instant) / MINUTE_MS);
}

/** `+01:00`, `-03:30`, `+00:00`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The IANA fixed zone of an offset (+01:00 → `Etc/GMT-1`, 0 → `UTC`), or null when none exists. */
export function fixedZone(minutes: number): string | null {
  if (minutes === 0) return 'UTC';
  if (minutes % 60 !== 0 || minutes > 14 * 60 || minutes < -12 * 60) return null;
  const hours = minutes / 60;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

const SHOWN_CANDIDATES = 6;

/**
 * Named zones (Area/City) whose offset is the written one at each sampled instant, for the
 * message that asks for a zone; at most {@link SHOWN_CANDIDATES}.
 */
function candidates(samples: ReadonlyMap<number, number>): string[] {
  const found: string[] = [];
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    if (!zone.includes('/') || zone.startsWith('Etc/')) continue;
    const fits = [...samples].every(
      ([offset, instant]) => zoneOffset(zone, instant) === offset * MINUTE_MS,
    );
    if (fits) found.push(zone);
    if (found.length === SHOWN_CANDIDATES) break;
  }
  return found;
}

/** What the offsets written on `times` (every time of the programme) say about its zone. */
export function zoneFromOffsets(times: readonly string[]): OffsetZone {
  // One sampled instant per distinct offset is enough to test a named zone against each offset.
  const samples = new Map<number, number>();
  let missing = 0;
  for (const time of times) {
    const offset = writtenOffset(time);
    if (offset === null) missing += 1;
    else if (!samples.has(offset)) samples.set(offset, parseOffsetDateTime(time) ?? 0);
  }
  if (missing > 0 || times.length === 0) return { kind: 'none', missing, total: times.length };
  const offsets = [...samples.keys()];
  const zone = offsets.length === 1 ? fixedZone(offsets[0] ?? 0) : null;
  if (zone !== null) return { kind: 'fixed', zone, offset: offsets[0] ?? 0 };
  return { kind: 'unfixed', offsets, candidates: candidates(samples) };
}
