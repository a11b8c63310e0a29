import { type Schedule, slugify } from '@likebox/protocol';
import { ScheduleError } from './errors.js';

/**
 * The room's slug for a name given by an organiser: the slug itself, or its display name
 * ("Belle-Ile-en-Mer", "Bréhat"), matched case-insensitively. Throws {@link ScheduleError} when the
 * schedule has no such room.
 */
export function resolveRoom(schedule: Schedule, room: string): string {
  const wanted = room.trim();
  const found =
    schedule.rooms.find((r) => r.slug === wanted) ??
    schedule.rooms.find((r) => r.name.toLowerCase() === wanted.toLowerCase()) ??
    schedule.rooms.find((r) => r.slug === slugify(wanted));
  if (found === undefined) {
    const known = schedule.rooms.map((r) => r.slug).join(', ');
    throw new ScheduleError(`no room "${room}" in the schedule (rooms: ${known})`);
  }
  return found.slug;
}

/**
 * A copy of the schedule where `room` runs `minutes` late from `at` (epoch ms) on:
 * `delays[room] = { minutes, since: at }`, replacing any earlier delay of that room. Its talks
 * that had not ended at `at` shift their vote windows by `minutes` (protocol `talkDelay`); 0
 * cancels the delay. `room` is a slug or a display name.
 */
export function applyDelay(
  schedule: Schedule,
  room: string,
  minutes: number,
  at: number,
): Schedule {
  if (!Number.isInteger(minutes) || minutes < -240 || minutes > 240) {
    throw new ScheduleError(
      `delay must be a whole number of minutes between -240 and 240, got ${minutes}`,
    );
  }
  const slug = resolveRoom(schedule, room);
  return { ...schedule, delays: { ...schedule.delays, [slug]: { minutes, since: at } } };
}
