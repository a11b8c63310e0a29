import {
  DEFAULT_WINDOW_RULE,
  isSlug,
  localClock,
  localDate,
  type Schedule,
  SchedulePayload,
  slugify,
  slugifyAll,
  type Talk,
  toZonedIso,
} from '@likebox/protocol';
import { ScheduleImportError } from './errors.js';
import type { ImportContext } from './importContext.js';
import type { Draft, DraftTalk } from './types.js';
import { votability } from './votable.js';
import { windowsByFormat } from './windowDefaults.js';

/**
 * Draft → normalised schedule: rooms become slugs (colliding names are kept apart and reported),
 * ids are made unique, breaks and hall slots are marked not votable, texts are cut to the
 * schedule's limits, and every repair is reported as a warning.
 */

const MAX_TITLE = 500;
const MAX_SPEAKER = 200;
const MAX_SPEAKERS = 50;
const MAX_FORMAT = 80;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Drops talks that end when or before they start. */
function keepTimed(ctx: ImportContext, talks: DraftTalk[]): DraftTalk[] {
  return talks.filter((talk) => {
    if (talk.end > talk.start) return true;
    ctx.warn('dropped', talk.where, `"${talk.title}" ends when it starts: skipped`);
    return false;
  });
}

function roomSlugs(ctx: ImportContext, draft: Draft, talks: DraftTalk[]): Map<string, string> {
  const used = new Set(talks.map((talk) => talk.room));
  for (const name of draft.rooms) {
    if (!used.has(name))
      ctx.warn('unused-room', 'rooms', `room "${name}" is declared but has no talk: left out`);
  }
  const { slugs, collisions } = slugifyAll([...used]);
  for (const collision of collisions) {
    const pairs = collision.names.map((name, i) => `"${name}" → ${collision.assigned[i]}`);
    ctx.warn(
      'slug-collision',
      'rooms',
      `room names fold to the same slug "${collision.slug}": ${pairs.join(', ')}`,
    );
  }
  return slugs;
}

function uniqueIds(
  ctx: ImportContext,
  talks: DraftTalk[],
  zone: string,
  slugs: Map<string, string>,
): string[] {
  const counts = new Map<string, number>();
  for (const talk of talks) counts.set(talk.id, (counts.get(talk.id) ?? 0) + 1);
  const taken = new Set(talks.map((talk) => talk.id));
  return talks.map((talk) => {
    if (talk.id !== '' && talk.id.length <= 128 && counts.get(talk.id) === 1) return talk.id;
    const clock = localClock(zone, talk.start).replace(':', '');
    const base = `${cut(talk.id, 40) || 'talk'}-${localDate(zone, talk.start)}-${clock}-${slugs.get(talk.room) ?? 'room'}`;
    let id = base.slice(0, 120);
    for (let n = 2; taken.has(id); n += 1) id = `${base.slice(0, 120)}-${n}`;
    taken.add(id);
    const why =
      talk.id === ''
        ? 'no id'
        : counts.get(talk.id) === 1
          ? 'id too long'
          : `id "${talk.id}" used ${counts.get(talk.id)} times`;
    ctx.warn(
      talk.id === '' ? 'missing-id' : 'duplicate-id',
      talk.where,
      `${why}: "${talk.title}" gets id ${id}`,
    );
    return id;
  });
}

function cleanTexts(
  ctx: ImportContext,
  talk: DraftTalk,
): Pick<Talk, 'title' | 'speakers' | 'format'> {
  let title = talk.title.replace(/\s+/g, ' ').trim();
  if (title === '') {
    title = '(untitled)';
    ctx.warn('repaired-text', talk.where, 'no title: shown as "(untitled)"');
  } else if (title.length > MAX_TITLE) {
    title = cut(title, MAX_TITLE);
    ctx.warn('repaired-text', talk.where, `title longer than ${MAX_TITLE} characters: cut`);
  }
  const speakers = talk.speakers.slice(0, MAX_SPEAKERS).map((name) => cut(name, MAX_SPEAKER));
  if (talk.speakers.length > MAX_SPEAKERS) {
    ctx.warn(
      'repaired-text',
      talk.where,
      `${talk.speakers.length} speakers: the first ${MAX_SPEAKERS} kept`,
    );
  }
  return { title, speakers, format: cut(talk.format, MAX_FORMAT) };
}

function eventSlug(ctx: ImportContext, draft: Draft): string {
  const wanted = ctx.options.event?.trim();
  if (wanted !== undefined && wanted !== '') {
    if (!isSlug(wanted))
      ctx.fail(
        'event option',
        `event must be a slug ([a-z0-9][a-z0-9-]{0,62}), got ${JSON.stringify(wanted)}`,
      );
    return wanted;
  }
  return slugify(draft.eventHint || draft.name || 'event');
}

function toTalk(ctx: ImportContext, talk: DraftTalk, id: string, room: string, zone: string): Talk {
  const { votable, reason } = votability(talk);
  if (!votable) ctx.warn('not-votable', talk.where, `"${talk.title}" is ${reason}: not votable`);
  if (localDate(zone, talk.start) !== localDate(zone, talk.end - 1)) {
    ctx.warn(
      'past-midnight',
      talk.where,
      `"${talk.title}" runs past midnight: ends ${localDate(zone, talk.end)} ${localClock(zone, talk.end)}`,
    );
  }
  return {
    id,
    room,
    start: toZonedIso(zone, talk.start),
    end: toZonedIso(zone, talk.end),
    ...cleanTexts(ctx, talk),
    votable,
  };
}

/** Builds the normalised schedule from a draft; throws {@link ScheduleImportError} if it is still invalid. */
export function normalise(ctx: ImportContext, draft: Draft): Schedule {
  const zone = draft.timeZone;
  const drafts = keepTimed(ctx, draft.talks).sort(
    (a, b) => a.start - b.start || a.room.localeCompare(b.room),
  );
  const slugs = roomSlugs(ctx, draft, drafts);
  const ids = uniqueIds(ctx, drafts, zone, slugs);
  const talks = drafts.map((talk, i) =>
    toTalk(ctx, talk, ids[i] ?? talk.id, slugs.get(talk.room) ?? '', zone),
  );
  const rooms = [...slugs].map(([name, slug]) => ({ slug, name: cut(name, 120) }));
  const formats = talks.filter((talk) => talk.votable).map((talk) => talk.format);
  const schedule: Schedule = {
    version: 1,
    event: eventSlug(ctx, draft),
    name: cut(draft.name.trim() || 'Schedule', 200),
    timeZone: zone,
    rooms,
    talks,
    windows: {
      default: { ...DEFAULT_WINDOW_RULE },
      byFormat: windowsByFormat(formats, ctx.options.windows),
    },
  };
  const checked = SchedulePayload.safeParse(schedule);
  if (checked.success) return checked.data;
  throw new ScheduleImportError(
    checked.error.issues.map((issue) => {
      const [list, index] = issue.path;
      const talk = list === 'talks' && typeof index === 'number' ? drafts[index] : undefined;
      return { where: talk?.where ?? (issue.path.join('.') || 'schedule'), message: issue.message };
    }),
  );
}
