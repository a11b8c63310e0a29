/**
 * A full synthetic event for the dashboards benchmark, as raw line protocol (precision ms):
 * votes over 3 days ending now, 12 rooms, 100 boxes, 150 talks (the `talk` measurement from a real
 * schedule), box statuses every minute, broker and ingest statistics every 10 s.
 */

import { scheduleToTalkPoints, talkPointsToLineProtocol } from '@likebox/influx';
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
  /** Total points. */
  points: number;
  /** Line protocol in batches of 5,000 lines. */
  batches(): Generator<string>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run writes the same event. */
function random(seed: number): () => number {
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

function* voteLines(options: EventOptions, plan: Schedule, rand: () => number): Generator<string> {
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
    // (device, time) must be unique, or influxd merges two votes into one point
    while (used[box]!.has(at)) at += 1;
    used[box]!.add(at);
    seq[box]! += 1;
    const value = rand() < 0.8 ? 1 : -1;
    yield `vote,device=box-${box},event=demo,room=${room},talk=${talkId} seq=${seq[box]}i,value=${value}i ${at}`;
  }
}

function* fleetLines(options: EventOptions, plan: Schedule, rand: () => number): Generator<string> {
  const start = options.now - 3 * DAY;
  for (let at = start; at < options.now; at += 60_000) {
    for (let box = 0; box < BOXES; box += 1) {
      const online = rand() > 0.02;
      const outbox = online ? Math.floor(rand() * 3) : Math.floor(rand() * 40);
      const room = plan.rooms[box % ROOMS]!.slug;
      yield `device,device=box-${box},event=demo,room=${room} online=${online},outbox=${outbox}i,uptime=${(at - start) / 1000},version="1.0.0" ${at + box}`;
    }
  }
  let messages = 0;
  for (let at = start; at < options.now; at += 10_000) {
    messages += 2_000 + Math.floor(rand() * 500);
    const clients = 100 + Math.floor(rand() * 20);
    yield `broker,event=demo clients=${clients + 2}i,clients_device=100i,clients_ingest=1i,clients_organiser=1i,clients_public=${clients - 100}i,messages_in=${messages}i,messages_out=${messages * 3}i ${at}`;
    yield `ingest,event=demo pending=${Math.floor(rand() * 10)}i,lag_ms=${Math.floor(rand() * 200)}i,accepted=${messages}i,duplicates=0i,invalid=0i,gaps=0i ${at}`;
  }
}

function* batched(lines: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === BATCH) {
      yield batch.join('\n');
      batch = [];
    }
  }
  if (batch.length > 0) yield batch.join('\n');
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
    *batches() {
      const rand = random(7);
      yield talkPointsToLineProtocol(scheduleToTalkPoints(plan));
      yield* batched(voteLines(options, plan, rand));
      yield* batched(fleetLines(options, plan, rand));
    },
  };
}
