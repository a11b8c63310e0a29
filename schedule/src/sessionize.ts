import { basename } from 'node:path';
import { type CalendarDate, parseDate, parseOffsetDateTime } from './clock.js';
import { isFields, list, pathIndex, personNames, text } from './fields.js';
import type { ImportContext } from './importContext.js';
import type { Draft, DraftTalk } from './types.js';

/**
 * Sessionize API exports. "All data" is `{ sessions, speakers, rooms, categories, questions }`
 * with ids to resolve; "Sessions" is a list of groups `[{ groupName, sessions }]`, and "Schedule
 * grid" a list of days `[{ date, rooms: [{ name, sessions }] }]`, both with names inline.
 * Times are local and carry no zone (Sessionize has none in its exports): the tz option is required,
 * unless every scheduled session's times carry a UTC offset (then that offset's fixed zone is used).
 * Service sessions (breaks, lunch) are not votable; unscheduled sessions are skipped.
 */

type Fields = Record<string, unknown>;

/** True when the document is one of the Sessionize export shapes. */
export function detectSessionize(root: unknown): boolean {
  if (isFields(root)) return Array.isArray(root.sessions) && Array.isArray(root.rooms);
  if (!Array.isArray(root) || root.length === 0) return false;
  return root.every(
    (item) =>
      isFields(item) &&
      (Array.isArray(item.sessions) || (Array.isArray(item.rooms) && 'date' in item)),
  );
}

interface Lookups {
  rooms: Map<string, string>;
  speakers: Map<string, string>;
  /** Category item id → its name, for categories that describe a session's format. */
  formats: Map<string, string>;
}

function lookups(root: Fields): Lookups {
  const rooms = new Map<string, string>();
  for (const room of list(root.rooms))
    if (isFields(room)) rooms.set(text(room.id), text(room.name));
  const speakers = new Map<string, string>();
  for (const speaker of list(root.speakers)) {
    if (isFields(speaker)) speakers.set(text(speaker.id), personNames([speaker])[0] ?? '');
  }
  const formats = new Map<string, string>();
  for (const category of list(root.categories)) {
    if (!isFields(category) || !/format|type/i.test(text(category.title))) continue;
    for (const item of list(category.items))
      if (isFields(item)) formats.set(text(item.id), text(item.name));
  }
  return { rooms, speakers, formats };
}

/** Every session with its path, whatever the export shape. */
function sessionsOf(root: unknown): [unknown, string][] {
  if (isFields(root)) return list(root.sessions).map((s, i) => [s, pathIndex('sessions', i)]);
  return list(root).flatMap((item, i): [unknown, string][] => {
    if (!isFields(item)) return [];
    if (Array.isArray(item.sessions)) {
      return item.sessions.map((s, j) => [s, `${pathIndex('', i)}.sessions[${j}]`]);
    }
    return list(item.rooms).flatMap((room, j): [unknown, string][] =>
      list(isFields(room) ? room.sessions : undefined).map((s, k) => [
        s,
        `[${i}].rooms[${j}].sessions[${k}]`,
      ]),
    );
  });
}

function instant(ctx: ImportContext, value: unknown, where: string, zone: string): number | null {
  const raw = text(value);
  const withOffset = parseOffsetDateTime(raw);
  if (withOffset !== null) return withOffset;
  const date: CalendarDate | undefined = parseDate(raw)?.value;
  const clock = /T(.+)$/.exec(raw)?.[1];
  if (date === undefined || clock === undefined) {
    ctx.problem(
      where,
      `not a date-time: ${JSON.stringify(value) ?? 'nothing'} (expected YYYY-MM-DDTHH:MM:SS)`,
    );
    return null;
  }
  const time = ctx.clock(clock, where);
  return time === null ? null : ctx.instant(zone, date, time);
}

/** `startsAt` and `endsAt` of every scheduled session, for the zone (Sessionize names none). */
function scheduledTimes(root: unknown): string[] {
  return sessionsOf(root).flatMap(([session]) =>
    isFields(session) && session.startsAt != null
      ? [text(session.startsAt), text(session.endsAt)]
      : [],
  );
}

function sessionFormat(session: Fields, found: Lookups): string {
  if (session.isServiceSession === true) return 'service';
  for (const item of list(session.categoryItems)) {
    const name = found.formats.get(text(item));
    if (name !== undefined) return name;
  }
  for (const category of list(session.categories)) {
    if (isFields(category) && /format|type/i.test(text(category.name))) {
      const item = list(category.categoryItems)[0];
      if (isFields(item) && text(item.name) !== '') return text(item.name);
    }
  }
  return 'session';
}

function readSession(
  ctx: ImportContext,
  session: unknown,
  where: string,
  zone: string,
  found: Lookups,
): DraftTalk | null {
  if (!isFields(session)) {
    ctx.problem(where, 'not a session object');
    return null;
  }
  if (
    session.startsAt === null ||
    session.startsAt === undefined ||
    (session.roomId ?? session.room) == null
  ) {
    ctx.warn(
      'dropped',
      where,
      `"${text(session.title)}" is not scheduled (no time or room): skipped`,
    );
    return null;
  }
  const start = instant(ctx, session.startsAt, `${where}.startsAt`, zone);
  const end = instant(ctx, session.endsAt, `${where}.endsAt`, zone);
  const room = text(session.room) || found.rooms.get(text(session.roomId)) || '';
  if (room === '')
    ctx.problem(`${where}.roomId`, `unknown room id ${JSON.stringify(session.roomId)}`);
  if (start === null || end === null || room === '') return null;
  const speakers = list(session.speakers).map((s) =>
    isFields(s) ? personNames([s])[0] : (found.speakers.get(text(s)) ?? text(s)),
  );
  return {
    where,
    id: text(session.id),
    room,
    start,
    end,
    title: text(session.title),
    speakers: speakers.filter((name): name is string => name !== undefined && name !== ''),
    format: sessionFormat(session, found),
    track: '',
    votable: session.isServiceSession === true ? false : null,
  };
}

/** Reads a Sessionize export (any of the three shapes). */
export function importSessionize(root: unknown, ctx: ImportContext): Draft {
  if (!detectSessionize(root)) {
    return ctx.fail(
      'file',
      'not a Sessionize export: expected { sessions, rooms } or a list of groups or days',
    );
  }
  const zone = ctx.zone('', 'file', scheduledTimes(root));
  const found = isFields(root) ? lookups(root) : lookups({});
  const talks = sessionsOf(root)
    .map(([session, where]) => readSession(ctx, session, where, zone, found))
    .filter((talk) => talk !== null);
  const rooms = isFields(root) ? [...found.rooms.values()].filter((name) => name !== '') : [];
  // Sessionize exports carry no event name: the file's name is the best hint.
  const stem = basename(ctx.options.fileName ?? '').replace(/\.[^.]*$/, '');
  const name = stem || 'Sessionize event';
  return { name, eventHint: name, timeZone: zone, rooms, talks };
}
