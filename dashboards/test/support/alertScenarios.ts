import {
  devicePoint,
  type InfluxPoint,
  ingestPoint,
  type StoredVote,
  votePoint,
} from '@likebox/influx';

/**
 * Data the alert rules are evaluated on: a clean hour of an event (what no rule may fire on), and
 * each rehearsal scenario of issue 17 as the ingest writes it to InfluxDB (flagged votes rewritten
 * with `value` 0, statuses of boxes, the ingest's health), built by `@likebox/influx`'s point
 * builders. Times are relative to `now` (epoch ms).
 */

/** Boxes of the clean event and their rooms. */
export const BOXES = { 'd-a1': 'amphi-a', 'd-a2': 'amphi-a', 'd-b1': 'amphi-b' } as const;

type Box = keyof typeof BOXES;

const MINUTE = 60_000;

/** A status every 30 s from `from` to `until` (ms before now), outbox depth by time. */
export function statuses(
  now: number,
  device: string,
  room: string,
  window: { from: number; until: number },
  outbox: (ago: number) => number = () => 0,
): InfluxPoint[] {
  const points: InfluxPoint[] = [];
  for (let ago = window.from; ago >= window.until; ago -= 30_000) {
    const status = { online: true, outbox: outbox(ago), uptime: 100, version: '1.0.0' };
    points.push(devicePoint('demo', device, room, status, now - ago, undefined));
  }
  return points;
}

/** `likes` then `dislikes` votes of one box on one talk, one every `gapMs`, ending `endAgo` ms before now. */
export function votes(
  now: number,
  at: { device: string; room: string; talk: string },
  counts: { likes: number; dislikes: number; flag?: string },
  spacing: { gapMs: number; endAgo: number; firstSeq?: number },
): StoredVote[] {
  const total = counts.likes + counts.dislikes;
  return Array.from({ length: total }, (_, i) => ({
    event: 'demo',
    ...at,
    seq: (spacing.firstSeq ?? 1) + i,
    value: i < counts.likes ? 1 : -1,
    at: now - spacing.endAgo - (total - 1 - i) * spacing.gapMs,
    ...(counts.flag === undefined ? {} : { flag: counts.flag }),
  }));
}

/** The ingest's health every 10 s over the `minutes` before `endAgo`. */
export function ingestHealth(now: number, minutes: number, endAgo = 0): InfluxPoint[] {
  const stats = { pending: 0, lagMs: 40, accepted: 100, duplicates: 0, invalid: 0, gaps: 0 };
  return Array.from({ length: minutes * 6 }, (_, i) =>
    ingestPoint('demo', stats, now - endAgo - i * 10_000),
  );
}

/**
 * A clean hour: three boxes heartbeating with shallow outboxes, two well-liked talks (40 and 25
 * votes, spread over the hour, several boxes each), the ingest reporting. No rule may fire on it.
 */
export function cleanHour(now: number): InfluxPoint[] {
  const boxes = Object.entries(BOXES) as [Box, string][];
  return [
    ...boxes.flatMap(([device, room]) =>
      statuses(
        now,
        device,
        room,
        { from: 60 * MINUTE, until: 10_000 },
        (ago) => (ago / MINUTE) % 3,
      ),
    ),
    ...votePoints([
      ...votes(
        now,
        { device: 'd-a1', room: 'amphi-a', talk: 't-loved' },
        { likes: 15, dislikes: 5 },
        { gapMs: 90_000, endAgo: 5 * MINUTE },
      ),
      ...votes(
        now,
        { device: 'd-a2', room: 'amphi-a', talk: 't-loved' },
        { likes: 15, dislikes: 5 },
        { gapMs: 80_000, endAgo: 4 * MINUTE },
      ),
      ...votes(
        now,
        { device: 'd-b1', room: 'amphi-b', talk: 't-fine' },
        { likes: 18, dislikes: 7 },
        { gapMs: 100_000, endAgo: 2 * MINUTE },
      ),
    ]),
    ...ingestHealth(now, 60),
  ];
}

/** Votes as the ingest writes them: counted ones, and flagged ones rewritten with `value` 0. */
export function votePoints(stored: readonly StoredVote[]): InfluxPoint[] {
  return stored.map(votePoint);
}
