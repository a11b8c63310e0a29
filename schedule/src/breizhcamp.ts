import { type CalendarDate, type Clock, clockMinutes } from './clock.js';
import { isFields, list, pathIndex, personNames, text } from './fields.js';
import type { ImportContext } from './importContext.js';
import type { Draft, DraftTalk } from './types.js';

/**
 * BreizhCamp programmes (`programme.jours[]`): the 2015 shape lists `proposals[]` with `start` and
 * `end` per day; the 2013 shape groups proposals by `tracks[]` and gives a start `time` only, so
 * the end comes from the format's duration, cut at the next talk in the same room.
 */

const MINUTE_MS = 60_000;

/**
 * Durations of the 2013 formats, in minutes, read off the 2013 grid (quickies 12:30/13:15,
 * tools-in-action 17:30/18:00, conference slots of 60–75 min, hands-on 9:30–12:30).
 */
export const BREIZHCAMP_2013_MINUTES: Readonly<Record<string, number>> = {
  quickie: 15,
  'tools in action': 25,
  conference: 55,
  keynote: 45,
  lab: 90,
  biglab: 120,
  'hands-on': 180,
  universite: 180,
};

/** Duration assumed for a 2013 format missing from {@link BREIZHCAMP_2013_MINUTES}. */
const FALLBACK_MINUTES = 55;

/** Which BreizhCamp shape the document has, or null when it is not a BreizhCamp programme. */
export function detectBreizhcamp(root: unknown): 'breizhcamp-2013' | 'breizhcamp-2015' | null {
  if (!isFields(root) || !isFields(root.programme) || !Array.isArray(root.programme.jours)) {
    return null;
  }
  return root.programme.jours.some((day) => isFields(day) && Array.isArray(day.tracks))
    ? 'breizhcamp-2013'
    : 'breizhcamp-2015';
}

interface DayScope {
  date: CalendarDate;
  zone: string;
  shape: 'breizhcamp-2013' | 'breizhcamp-2015';
}

function read(
  ctx: ImportContext,
  entry: unknown,
  where: string,
  scope: DayScope,
): DraftTalk | null {
  if (!isFields(entry)) {
    ctx.problem(where, 'not a proposal object');
    return null;
  }
  const room = text(entry.room);
  if (room === '') ctx.problem(`${where}.room`, 'missing room');
  const startKey =
    scope.shape === 'breizhcamp-2013' && entry.start === undefined ? 'time' : 'start';
  const start = ctx.clock(entry[startKey], `${where}.${startKey}`);
  const format = text(entry.format);
  let end: Clock | null = null;
  if (entry.end !== undefined) end = ctx.clock(entry.end, `${where}.end`);
  if (start === null || room === '' || (entry.end !== undefined && end === null)) return null;
  const startMs = ctx.instant(scope.zone, scope.date, start);
  let endMs: number;
  if (end !== null) {
    // An end earlier than the start is on the next day: a talk past midnight.
    const nextDay = clockMinutes(end) < clockMinutes(start) ? 1 : 0;
    endMs = ctx.instant(scope.zone, scope.date, end, nextDay);
  } else {
    endMs = startMs + formatMinutes(ctx, format, where, scope.shape) * MINUTE_MS;
  }
  return {
    where,
    id: text(entry.id),
    room,
    start: startMs,
    end: endMs,
    title: text(entry.title),
    speakers: personNames(entry.speakers ?? entry.speaker),
    format,
    track: text(entry.track),
    votable: null,
  };
}

function formatMinutes(ctx: ImportContext, format: string, where: string, shape: string): number {
  const known = BREIZHCAMP_2013_MINUTES[format.toLowerCase()];
  if (known !== undefined) return known;
  const why = shape === 'breizhcamp-2013' ? 'unknown format' : 'no end time';
  ctx.warn('end-from-format', where, `${why} "${format}": assumed ${FALLBACK_MINUTES} min`);
  return FALLBACK_MINUTES;
}

/** Cuts each talk's estimated end at the next talk's start in the same room. */
function capAtNextTalk(talks: DraftTalk[]): void {
  const byRoom = new Map<string, DraftTalk[]>();
  for (const talk of talks) byRoom.set(talk.room, [...(byRoom.get(talk.room) ?? []), talk]);
  for (const roomTalks of byRoom.values()) {
    roomTalks.sort((a, b) => a.start - b.start);
    for (const [index, talk] of roomTalks.entries()) {
      const next = roomTalks.slice(index + 1).find((other) => other.start > talk.start);
      if (next !== undefined && next.start < talk.end) talk.end = next.start;
    }
  }
}

function dayEntries(day: Record<string, unknown>, base: string): [unknown, string][] {
  if (Array.isArray(day.tracks)) {
    return day.tracks.flatMap((track, k) => {
      const trackPath = `${pathIndex(`${base}.tracks`, k)}.proposals`;
      const proposals = isFields(track) ? list(track.proposals) : [];
      return proposals.map((entry, j): [unknown, string] => [entry, pathIndex(trackPath, j)]);
    });
  }
  return list(day.proposals).map((entry, j) => [entry, pathIndex(`${base}.proposals`, j)]);
}

/** Reads a BreizhCamp programme (either shape). */
export function importBreizhcamp(root: unknown, ctx: ImportContext): Draft {
  const shape = detectBreizhcamp(root);
  if (shape === null || !isFields(root) || !isFields(root.programme)) {
    return ctx.fail('programme.jours', 'not a BreizhCamp programme: expected programme.jours[]');
  }
  const zone = ctx.zone('', 'file');
  const talks: DraftTalk[] = [];
  let year = '';
  for (const [i, day] of list(root.programme.jours).entries()) {
    const base = pathIndex('programme.jours', i);
    if (!isFields(day)) {
      ctx.problem(base, 'not a day object');
      continue;
    }
    const date = ctx.date(day.date, `${base}.date`);
    if (date === null) continue;
    year ||= String(date.year);
    const dayTalks = dayEntries(day, base)
      .map(([entry, where]) => read(ctx, entry, where, { date, zone, shape }))
      .filter((talk) => talk !== null);
    if (shape === 'breizhcamp-2013') capAtNextTalk(dayTalks);
    talks.push(...dayTalks);
  }
  if (shape === 'breizhcamp-2013') {
    ctx.warn(
      'end-from-format',
      'programme.jours',
      'the 2013 shape gives start times only: each end comes from the format duration (quickie 15, tools in action 25, conference 55, keynote 45, lab 90, biglab 120, hands-on and universite 180 min), cut at the next talk in the room',
    );
  }
  const name = `${text(root.titre) || 'BreizhCamp'} ${year}`.trim();
  return { name, eventHint: name, timeZone: zone, rooms: [], talks };
}
