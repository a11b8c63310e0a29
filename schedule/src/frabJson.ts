import { isFields, list, pathIndex, pathKey, personNames, text } from './fields.js';
import {
  type FrabDayScope,
  readDayChange,
  readFrabEvent,
  reportOffsetMismatches,
} from './frabEvent.js';
import type { ImportContext } from './importContext.js';
import type { Draft, DraftTalk } from './types.js';

/**
 * frab `schedule.json`, also exported by pretalx: `schedule.conference.days[].rooms{name: events[]}`.
 * pretalx adds `conference.rooms[]` (every room, used or not) and always gives each event a `date`
 * with its offset. A file that names no zone (rC3's) but dates every event with its offset is read
 * in that offset's fixed zone (`offsetZone.ts`).
 */

/** `pretalx` or `frab-json` when the document has that shape, else null. */
export function detectFrabJson(root: unknown): 'pretalx' | 'frab-json' | null {
  if (!isFields(root) || !isFields(root.schedule) || !isFields(root.schedule.conference))
    return null;
  const conference = root.schedule.conference;
  if (!Array.isArray(conference.days)) return null;
  return Array.isArray(conference.rooms) ? 'pretalx' : 'frab-json';
}

function readEvent(
  ctx: ImportContext,
  event: unknown,
  where: string,
  scope: FrabDayScope,
  room: string,
) {
  if (!isFields(event)) {
    ctx.problem(where, 'not an event object');
    return null;
  }
  return readFrabEvent(
    ctx,
    {
      id: text(event.id) || text(event.guid),
      date: text(event.date),
      start: event.start,
      duration: event.duration,
      room: text(event.room) || room,
      title: text(event.title),
      type: text(event.type),
      track: text(event.track),
      speakers: personNames(event.persons),
    },
    where,
    scope,
  );
}

function declaredRooms(conference: Record<string, unknown>): string[] {
  return list(conference.rooms)
    .map((room) => (isFields(room) ? text(room.name) : text(room)))
    .filter((name) => name !== '');
}

/** Every event's `date` as written (empty when it has none), for the zone of a file without one. */
function eventDates(conference: Record<string, unknown>): string[] {
  return list(conference.days).flatMap((day) =>
    isFields(day) && isFields(day.rooms)
      ? Object.values(day.rooms).flatMap((events) =>
          list(events).map((event) => (isFields(event) ? text(event.date) : '')),
        )
      : [],
  );
}

/** Reads a frab or pretalx schedule.json document. */
export function importFrabJson(root: unknown, ctx: ImportContext): Draft {
  if (detectFrabJson(root) === null || !isFields(root) || !isFields(root.schedule)) {
    return ctx.fail(
      'schedule.conference.days',
      'not a frab/pretalx schedule.json: expected schedule.conference.days[]',
    );
  }
  const conference = root.schedule.conference as Record<string, unknown>;
  const zone = ctx.zone(
    text(conference.time_zone_name),
    'schedule.conference.time_zone_name',
    eventDates(conference),
  );
  const dayChange = readDayChange(text(conference.day_change));
  const offsetMismatches = { count: 0, sample: '' };
  const rooms = declaredRooms(conference);
  const talks: DraftTalk[] = [];
  for (const [i, day] of list(conference.days).entries()) {
    const dayPath = pathIndex('schedule.conference.days', i);
    if (!isFields(day)) {
      ctx.problem(dayPath, 'not a day object');
      continue;
    }
    const date = day.date === undefined ? null : ctx.date(day.date, `${dayPath}.date`);
    const scope: FrabDayScope = { date, zone, dayChange, offsetMismatches };
    const dayRooms = isFields(day.rooms) ? Object.entries(day.rooms) : [];
    for (const [roomName, events] of dayRooms) {
      if (!rooms.includes(roomName)) rooms.push(roomName);
      for (const [k, event] of list(events).entries()) {
        const talk = readEvent(
          ctx,
          event,
          pathIndex(pathKey(`${dayPath}.rooms`, roomName), k),
          scope,
          roomName,
        );
        if (talk !== null) talks.push(talk);
      }
    }
  }
  reportOffsetMismatches(ctx, zone, { date: null, zone, dayChange, offsetMismatches });
  const name = text(conference.title) || text(conference.acronym) || 'frab schedule';
  return { name, eventHint: text(conference.acronym) || name, timeZone: zone, rooms, talks };
}
