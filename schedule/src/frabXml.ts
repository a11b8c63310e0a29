import { isFields, list, pathIndex, personNames, text } from './fields.js';
import {
  type FrabDayScope,
  readDayChange,
  readFrabEvent,
  reportOffsetMismatches,
} from './frabEvent.js';
import type { ImportContext } from './importContext.js';
import { xmlStartIndex } from './source.js';
import type { Draft, DraftTalk } from './types.js';

/**
 * frab `schedule.xml` (FOSDEM, CCC, pretalx's XML export): `schedule/day/room/event`. The older
 * FOSDEM variant has no `<date>` and no `guid` on events and no time zone: the day's `date`
 * attribute and the event's local `<start>` are used, in the zone given with the tz option. 31C3's
 * file names no zone either, but writes every event's `<date>` with its offset: that offset's
 * fixed zone is used (`offsetZone.ts`).
 */

/** True when the parsed XML looks like a frab schedule. */
export function detectFrabXml(root: unknown): boolean {
  return (
    isFields(root) &&
    isFields(root.schedule) &&
    ('day' in root.schedule || 'conference' in root.schedule)
  );
}

function eventWhere(base: string, event: unknown, lineOf: (index: number) => number): string {
  const index = xmlStartIndex(event);
  return index === undefined ? base : `line ${lineOf(index)}: ${base}`;
}

function readEvent(
  ctx: ImportContext,
  event: unknown,
  where: string,
  scope: FrabDayScope,
  roomName: string,
): DraftTalk | null {
  if (!isFields(event)) {
    ctx.problem(where, 'not an <event> element');
    return null;
  }
  const persons = isFields(event.persons) ? event.persons.person : undefined;
  return readFrabEvent(
    ctx,
    {
      id: text(event['@_id']) || text(event['@_guid']) || text(event.guid),
      date: text(event.date),
      start: event.start,
      duration: event.duration,
      room: text(event.room) || roomName,
      title: text(event.title),
      type: text(event.type),
      track: text(event.track),
      speakers: personNames(persons),
    },
    where,
    scope,
  );
}

/** Every event's `<date>` as written (empty when it has none), for the zone of a file without one. */
function eventDates(schedule: Record<string, unknown>): string[] {
  return list(schedule.day).flatMap((day) =>
    list(isFields(day) ? day.room : undefined).flatMap((room) =>
      list(isFields(room) ? room.event : undefined).map((event) =>
        isFields(event) ? text(event.date) : '',
      ),
    ),
  );
}

/** Reads a frab schedule.xml document. */
export function importFrabXml(
  root: unknown,
  ctx: ImportContext,
  lineOf: (i: number) => number,
): Draft {
  if (!detectFrabXml(root) || !isFields(root) || !isFields(root.schedule)) {
    return ctx.fail('schedule', 'not a frab schedule.xml: expected <schedule> with <day> elements');
  }
  const schedule = root.schedule;
  const conference = isFields(schedule.conference) ? schedule.conference : {};
  const zone = ctx.zone(
    text(conference.time_zone_name),
    'conference/time_zone_name',
    eventDates(schedule),
  );
  const dayChange = readDayChange(text(conference.day_change));
  const offsetMismatches = { count: 0, sample: '' };
  const rooms: string[] = [];
  const talks: DraftTalk[] = [];
  for (const [i, day] of list(schedule.day).entries()) {
    const dayPath = pathIndex('schedule.day', i);
    const date = isFields(day) ? ctx.date(day['@_date'], `${dayPath}@date`) : null;
    const scope: FrabDayScope = { date, zone, dayChange, offsetMismatches };
    for (const [j, room] of list(isFields(day) ? day.room : undefined).entries()) {
      const roomPath = pathIndex(`${dayPath}.room`, j);
      const roomName = isFields(room) ? text(room['@_name']) : '';
      if (roomName !== '' && !rooms.includes(roomName)) rooms.push(roomName);
      for (const [k, event] of list(isFields(room) ? room.event : undefined).entries()) {
        const where = eventWhere(pathIndex(`${roomPath}.event`, k), event, lineOf);
        const talk = readEvent(ctx, event, where, scope, roomName);
        if (talk !== null) talks.push(talk);
      }
    }
  }
  reportOffsetMismatches(ctx, zone, { date: null, zone, dayChange, offsetMismatches });
  const name = text(conference.title) || text(conference.acronym) || 'frab schedule';
  return { name, eventHint: text(conference.acronym) || name, timeZone: zone, rooms, talks };
}
