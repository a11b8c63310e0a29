import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import { seededRandom, seedOf } from './random.js';

/**
 * A talk's quality: the share of its pressers who like it, drawn once per talk from a Beta(4, 2)
 * spread (mean 0.67: most talks liked, a few not; the 4th smallest of 5 uniforms is Beta(4, 2)).
 * Seeded by the talk id, so a rehearsal's ranking repeats for a seed and differs between talks.
 */
export function talkQuality(seed: number, talkId: string): number {
  const random = seededRandom(seedOf(seed, `talk:${talkId}`));
  const draws = Array.from({ length: 5 }, random).sort((a, b) => a - b);
  return draws[3] ?? 0.67;
}

/**
 * The people leaving a room after a talk: the programme carries no room capacity, so each room
 * gets its own size, `base` × 0.4 to 1.6, seeded by the room slug (a big hall, a small lab).
 */
export function roomCrowd(seed: number, room: string, base: number): number {
  return Math.max(1, Math.round(base * (0.4 + 1.2 * seededRandom(seedOf(seed, `room:${room}`))())));
}

/**
 * Where `count` boxes stand: only rooms with a votable talk, those with a vote window open at
 * `at` first (so a rehearsal moves from the start), then the programme's order; box i in room
 * i modulo them. An empty list when the programme has no votable talk.
 */
export function placeBoxes(schedule: Schedule, count: number, at: number): string[] {
  const index = new ScheduleIndex(schedule);
  const votable = new Set(schedule.talks.filter((t) => t.votable).map((t) => t.room));
  const open = (slug: string) => (index.talkAt(slug, at) === null ? 1 : 0);
  const rooms = schedule.rooms
    .map((r) => r.slug)
    .filter((slug) => votable.has(slug))
    .sort((a, b) => open(a) - open(b));
  if (rooms.length === 0) return [];
  return Array.from({ length: count }, (_, i) => rooms[i % rooms.length] ?? '');
}
