/**
 * A full synthetic event for the dashboards benchmark, as the points LikeBox writes: votes over
 * 3 days ending now, 12 rooms, 100 boxes, 150 talks (the `talk` measurement from a real schedule),
 * box statuses every minute, broker and ingest statistics every 10 s.
 */

import {
  brokerPoint,
  devicePoint,
  type InfluxPoint,
  ingestPoint,
  type StoredVote,
  scheduleToTalkPoints,
  votePoint,
} from '@likebox/influx';
import type { Schedule } from '@likebox/protocol';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROOMS = 12;
const BOXES = 100;
const TALKS = 150;
const BATCH = 5_000;

/** Options of {@link generateEvent}. */
export interface EventOptions {
  /** Number of votes. */
  votes: number;
  /** End of the event (epoch ms): the data covers the 3 days before it. */
  now: number;
}

/** The generated event. */
export interface EventData {
  /** Room slugs. */
  rooms: string[];
  /** The talk with the most votes on the last day. */
  busiestTalk: string;
  /** Total points (`vote_1m` aside). */
  points: number;
  /** The votes, the same ones on every call. */
  votes(): Generator<StoredVote>;
  /** Every point but `vote_1m`, in batches of 5,000. */
  batches(): Generator<InfluxPoint[]>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same event. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function schedule(rooms: string[], now: number): Schedule {
  const talks = Array.from({ length: TALKS }, (_, index) => {
    const room = rooms[index % ROOMS] as string;
    const slot = Math.floor(index / ROOMS); // 0..12 slots over 3 days
    const day = Math.floor(slot / 5);
    const start = now - (3 - day) * DAY + (8 + (slot % 5) * 2) * HOUR;
    return {
      id: `talk-${String(index + 1).padStart(3, '0')}`,
      room,
      start: new Date(start).toISOString(),
      end: new Date(start + 50 * 60_000).toISOString(),
      title: `Talk ${index + 1}`,
      speakers: [`Speaker ${index + 1}`],
      format: 'Conférence',
      votable: true,
    };
  });
  return {
    version: 1,
    event: 'demo',
    name: 'Bench',
    timeZone: 'UTC',
    rooms: rooms.map((slug) => ({ slug, name: slug })),
    talks,
  };
}

function* voteList(options: EventOptions, plan: Schedule, rand: () => number) {
  const seq = new Array<number>(BOXES).fill(0);
  const used = Array.from({ length: BOXES }, () => new Set<number>());
  for (let i = 0; i < options.votes; i += 1) {
    const box = Math.floor(rand() * BOXES);
    const room = plan.rooms[box % ROOMS]!.slug;
    const inWindow = rand() < 0.9;
    const talk = plan.talks[Math.floor(rand() * (TALKS / ROOMS)) * ROOMS + (box % ROOMS)];
    let at: number;
    let talkId = 'none';
    if (inWindow && talk !== undefined) {
      at = Date.parse(talk.start) + 10 * 60_000 + Math.floor(rand() * 55 * 60_000);
      talkId = talk.id;
    } else {
      at = options.now - Math.floor(rand() * 3 * DAY);
    }
    at = Math.min(at, options.now - 1000);
    // One press per box and ms, as a box's seqs come one at a time.
    while (used[box]!.has(at)) at += 1;
    used[box]!.add(at);
    seq[box]! += 1;
    const value = rand() < 0.8 ? 1 : -1;
    yield {
      event: 'demo',
      device: `box-${box}`,
      seq: seq[box]!,
      value,
      at,
      room,
      talk: talkId,
    } as const;
  }
}

function* fleetPoints(options: EventOptions, plan: Schedule, rand: () => number) {
  const start = options.now - 3 * DAY;
  for (let at = start; at < options.now; at += 60_000) {
    for (let box = 0; box < BOXES; box += 1) {
      const online = rand() > 0.02;
      const outbox = online ? Math.floor(rand() * 3) : Math.floor(rand() * 40);
      const room = plan.rooms[box % ROOMS]!.slug;
      const status = { online, outbox, uptime: (at - start) / 1000, version: '1.0.0' };
      yield devicePoint('demo', `box-${box}`, room, status, at + box, undefined);
    }
  }
  let messages = 0;
  for (let at = start; at < options.now; at += 10_000) {
    messages += 2_000 + Math.floor(rand() * 500);
    const clients = 100 + Math.floor(rand() * 20);
    const byRole = { device: 100, ingest: 1, organiser: 1, public: clients - 100 };
    const broker = {
      clients: clients + 2,
      byRole,
      messagesIn: messages,
      messagesOut: messages * 3,
    };
    yield brokerPoint('demo', broker, at);
    const health = { pending: Math.floor(rand() * 10), lagMs: Math.floor(rand() * 200) };
    yield ingestPoint(
      'demo',
      { ...health, accepted: messages, duplicates: 0, invalid: 0, gaps: 0 },
      at,
    );
  }
}

function* batched(points: Iterable<InfluxPoint>): Generator<InfluxPoint[]> {
  let batch: InfluxPoint[] = [];
  for (const point of points) {
    batch.push(point);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** The event, deterministic for a given `votes` and `now`. */
export function generateEvent(options: EventOptions): EventData {
  const rooms = Array.from({ length: ROOMS }, (_, i) => `room-${String(i + 1).padStart(2, '0')}`);
  const plan = schedule(rooms, options.now);
  const lastDay = plan.talks.filter((talk) => Date.parse(talk.start) > options.now - DAY);
  const statuses = Math.ceil((3 * DAY) / 60_000) * BOXES + 2 * Math.ceil((3 * DAY) / 10_000);
  return {
    rooms,
    busiestTalk: (lastDay[0] ?? plan.talks[0])!.id,
    points: options.votes + statuses + TALKS,
    votes: () => voteList(options, plan, random(7)),
    *batches() {
      yield scheduleToTalkPoints(plan);
      yield* batched(map(voteList(options, plan, random(7)), votePoint));
      yield* batched(fleetPoints(options, plan, random(8)));
    },
  };
}
