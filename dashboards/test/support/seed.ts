import {
  brokerPoint,
  devicePoint,
  type InfluxPoint,
  ingestPoint,
  rollUpVotes,
  type StoredVote,
  scheduleToTalkPoints,
  voteMinutePoint,
  votePoint,
} from '@likebox/influx';
import type { Schedule } from '@likebox/protocol';

/** Known votes for the query tests: talk → room, likes, dislikes. */
export const SEEDED_TALKS = {
  't-early': { room: 'amphi-a', title: 'Early talk', likes: 2, dislikes: 2 },
  't-good': { room: 'amphi-a', title: 'A talk people loved', likes: 95, dislikes: 5 },
  't-small': { room: 'amphi-b', title: 'Three fans', likes: 3, dislikes: 0 },
  't-mid': { room: 'room-c', title: 'Fair enough', likes: 30, dislikes: 10 },
} as const;

/** Likes in amphi-a outside every vote window (`talk=none`). */
export const NONE_LIKES = 4;

/** The seeded data set. */
export interface Seed {
  /** Every point, built as LikeBox writes them, `vote_1m` as the ingest's journal totals it. */
  points: InfluxPoint[];
  /** The schedule the `talk` points come from. */
  schedule: Schedule;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function scheduleAt(base: number, span: number, now: number): Schedule {
  const talk = (id: keyof typeof SEEDED_TALKS, start: number, end: number) => ({
    id,
    room: SEEDED_TALKS[id].room,
    start: iso(start),
    end: iso(end),
    title: SEEDED_TALKS[id].title,
    speakers: [`Speaker of ${id}`],
    format: 'Conférence',
    votable: true,
  });
  const middle = base + Math.floor(span / 2);
  return {
    version: 1,
    event: 'demo',
    name: 'Demo',
    timeZone: 'UTC',
    rooms: ['amphi-a', 'amphi-b', 'room-c'].map((slug) => ({ slug, name: slug })),
    talks: [
      talk('t-early', base, base + Math.floor(span / 4)),
      talk('t-good', middle, now + 1_800_000),
      talk('t-small', middle, now + 1_800_000),
      talk('t-mid', middle, now + 1_800_000),
    ],
  };
}

function votes(base: number, span: number): StoredVote[] {
  const stored: StoredVote[] = [];
  let at = base;
  const step = Math.max(1, Math.floor(span / 300));
  const seqs = new Map<string, number>();
  const vote = (room: string, talk: string, device: string, value: 1 | -1, event = 'demo') => {
    const seq = (seqs.get(device) ?? 0) + 1;
    seqs.set(device, seq);
    stored.push({ event, device, seq, value, at, room, talk });
    at += step;
  };
  for (const [talk, { room, likes, dislikes }] of Object.entries(SEEDED_TALKS)) {
    const devices = room === 'amphi-a' ? ['d-a1', 'd-a2'] : [room === 'amphi-b' ? 'd-b1' : 'd-c1'];
    for (let i = 0; i < likes + dislikes; i += 1) {
      vote(room, talk, devices[i % devices.length] as string, i < likes ? 1 : -1);
    }
  }
  for (let i = 0; i < NONE_LIKES; i += 1) vote('amphi-a', 'none', 'd-a1', 1);
  // Another event on the same database must never show up.
  for (let i = 0; i < 7; i += 1) vote('amphi-a', 't-good', 'x-1', -1, 'other');
  return stored;
}

/** Broker counters: one point every 10 s, messages in growing by 6/s, out by 12/s; clients end at 11. */
export const BROKER = { inPerSecond: 6, outPerSecond: 12, lastClients: 11 } as const;

function broker(base: number): InfluxPoint[] {
  const points: InfluxPoint[] = [];
  for (let k = 0; k <= 12; k += 1) {
    const clients = k === 12 ? BROKER.lastClients : 10 + (k % 3);
    const stats = {
      clients,
      byRole: { device: 4, ingest: 1, organiser: 2, public: clients - 7 },
      messagesIn: 100 + k * 10 * BROKER.inPerSecond,
      messagesOut: 300 + k * 10 * BROKER.outPerSecond,
    };
    points.push(brokerPoint('demo', stats, base + k * 10_000));
  }
  return points;
}

function fleet(base: number): InfluxPoint[] {
  const at = (offset: number) => base + offset;
  const status = (device: string, room: string, online: boolean, outbox: number, t: number) =>
    devicePoint(
      'demo',
      device,
      room,
      { online, outbox, uptime: 12.5, version: '1.0.0' },
      t,
      undefined,
    );
  const health = (
    pending: number,
    lagMs: number,
    accepted: number,
    duplicates: number,
    invalid: number,
  ) => ({
    pending,
    lagMs,
    accepted,
    duplicates,
    invalid,
    gaps: 0,
  });
  return [
    status('d-a1', 'amphi-a', true, 3, at(0)),
    status('d-a1', 'amphi-a', true, 0, at(2000)),
    status('d-a2', 'amphi-a', true, 2, at(0)),
    status('d-a2', 'amphi-a', false, 7, at(3000)),
    status('d-b1', 'amphi-b', false, 2, at(0)),
    status('d-b1', 'amphi-b', true, 2, at(4000)),
    status('d-c1', 'room-c', true, 1, at(1000)),
    ...broker(base),
    ingestPoint('demo', health(3, 120, 10, 0, 0), at(0)),
    ingestPoint('demo', health(0, 80, 150, 2, 1), at(10_000)),
  ];
}

/**
 * The data set: every vote inside the last `span` ms and inside today (the live dashboard's range)
 * with its `vote_1m` totals, statuses, broker and ingest points in the last 10 minutes, talks from
 * a real schedule.
 */
export function seed(now: number): Seed {
  const startOfDay = Math.floor(now / 86_400_000) * 86_400_000;
  const span = Math.max(2_000, Math.min(1_200_000, now - startOfDay - 2_000));
  const base = now - span;
  const schedule = scheduleAt(base, span, now);
  const stored = votes(base, span - 1_000);
  const points = [
    ...stored.map(votePoint),
    ...rollUpVotes(stored).map(voteMinutePoint),
    // Fleet health shows the last 6 hours, not today: its points need not fit in today.
    ...fleet(now - 600_000),
    ...scheduleToTalkPoints(schedule),
  ];
  return { points, schedule };
}
