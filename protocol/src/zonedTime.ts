/**
 * Wall-clock time in an IANA time zone ↔ instants, with nothing but `Intl` (Node 20 ships full ICU).
 *
 * Local times are resolved the way Temporal's `disambiguation: 'compatible'` does (and RFC 5545
 * §3.3.5 for iCalendar): a time that occurs twice when clocks go back takes the earlier instant;
 * a time skipped when clocks go forward is moved forward by the length of the gap (02:30 on a
 * spring-forward night in Paris is 03:30 CEST).
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** The canonical name of an IANA time zone (`europe/paris` → `Europe/Paris`), or null if unknown. */
export function canonicalZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A calendar date and wall-clock time, without a zone. */
export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Offset of `zone` from UTC at the instant `epochMs`, in ms (Paris in summer: +7,200,000). */
export function zoneOffset(zone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return local - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** The instant of a wall-clock time in `zone`; see the module comment for DST gaps and overlaps. */
export function wallToInstant(zone: string, wall: WallTime): number {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Offsets in force well before and well after: a transition in between is the only way they differ.
  const before = zoneOffset(zone, local - 12 * HOUR_MS);
  const after = zoneOffset(zone, local + 12 * HOUR_MS);
  const valid = [before, after]
    .map((offset) => local - offset)
    .filter((instant) => zoneOffset(zone, instant) === local - instant);
  if (valid.length > 0) return Math.min(...valid);
  return local - before;
}

/** The wall-clock time of an instant in `zone`. */
export function instantToWall(zone: string, epochMs: number): WallTime {
  const local = new Date(epochMs + zoneOffset(zone, epochMs));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD` of an instant in `zone`. */
export function localDate(zone: string, epochMs: number): string {
  const wall = instantToWall(zone, epochMs);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `HH:MM` of an instant in `zone`. */
export function localClock(zone: string, epochMs: number): string {
  const wall = instantToWall(zone, epochMs);
  return `${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2015-06-11T14:00:00+02:00`. */
export function toZonedIso(zone: string, epochMs: number): string {
  const offset = zoneOffset(zone, epochMs);
  const local = new Date(epochMs + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(offset / MINUTE_MS));
  return `${local}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
