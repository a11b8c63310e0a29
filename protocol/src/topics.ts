import type { z } from 'zod';
import { TopicError } from './errors.js';
import { HeadcountPayload, ResultPayload } from './resultSchemas.js';
import { NowPayload, SchedulePayload } from './scheduleSchemas.js';
import {
  AckPayload,
  ConfigPayload,
  DelayPayload,
  LeasePayload,
  NoticePayload,
  PublicVotePayload,
  StatusPayload,
  TallyPayload,
  VotePayload,
} from './schemas.js';
import { isSlug } from './slug.js';

/** First two levels of every LikeBox topic. A breaking change of the tree bumps `v1`. */
export const TOPIC_PREFIX = 'likebox/v1';

/** Topics under `devices/{device}/`. */
export const DEVICE_TOPIC_KINDS = ['vote', 'status', 'ack', 'config'] as const;
/** Topics under `rooms/{room}/`. */
export const ROOM_TOPIC_KINDS = ['now', 'tally', 'votes', 'delay'] as const;

export type DeviceTopicKind = (typeof DEVICE_TOPIC_KINDS)[number];
export type RoomTopicKind = (typeof ROOM_TOPIC_KINDS)[number];
/** Topics under `ingest/`: about the ingest itself. */
export const INGEST_TOPIC_KINDS = ['lease'] as const;

export type IngestTopicKind = (typeof INGEST_TOPIC_KINDS)[number];
/** Topics under `rooms/{room}/talks/{talk}/`: about one talk (issue 16). */
export const TALK_TOPIC_KINDS = ['result', 'headcount'] as const;

export type TalkTopicKind = (typeof TALK_TOPIC_KINDS)[number];
export type TopicKind =
  | DeviceTopicKind
  | RoomTopicKind
  | IngestTopicKind
  | TalkTopicKind
  | 'schedule'
  | 'notice';

/** A concrete topic of the tree, taken apart. */
export type ParsedTopic =
  | { kind: DeviceTopicKind; event: string; device: string }
  | { kind: RoomTopicKind; event: string; room: string }
  | { kind: IngestTopicKind; event: string }
  | { kind: TalkTopicKind; event: string; room: string; talk: string }
  | { kind: 'schedule'; event: string }
  | { kind: 'notice'; event: string; notice: string };

/** The payload schema of each kind of topic: the typed topic → payload map. */
export const TopicPayloads = {
  vote: VotePayload,
  status: StatusPayload,
  ack: AckPayload,
  config: ConfigPayload,
  schedule: SchedulePayload,
  now: NowPayload,
  tally: TallyPayload,
  votes: PublicVotePayload,
  delay: DelayPayload,
  lease: LeasePayload,
  notice: NoticePayload,
  result: ResultPayload,
  headcount: HeadcountPayload,
} as const satisfies Record<TopicKind, z.ZodType>;

/** The payload type carried by topics of kind `K`. */
export type PayloadOf<K extends TopicKind> = z.infer<(typeof TopicPayloads)[K]>;

/** QoS and retain flag each kind of topic is published with (ARCHITECTURE.md). */
export const TopicDelivery: Readonly<Record<TopicKind, { qos: 0 | 1; retain: boolean }>> = {
  vote: { qos: 1, retain: false },
  status: { qos: 1, retain: true },
  ack: { qos: 1, retain: true },
  config: { qos: 1, retain: true },
  schedule: { qos: 1, retain: true },
  now: { qos: 1, retain: true },
  tally: { qos: 1, retain: true },
  votes: { qos: 0, retain: false },
  delay: { qos: 1, retain: false },
  lease: { qos: 1, retain: true },
  notice: { qos: 1, retain: true },
  result: { qos: 1, retain: true },
  headcount: { qos: 1, retain: true },
};

function slugLevel(what: string, value: string): string {
  if (!isSlug(value)) throw new TopicError(`${what} is not a slug: ${JSON.stringify(value)}`);
  return value;
}

/**
 * A talk id as a topic level: talk ids are not slugs (schedules use numbers, UUIDs, `talk/12`), so
 * the level is `encodeURIComponent(id)`: `/`, `+`, `#`, `%` and NUL are percent-encoded and can
 * never split or widen a topic.
 */
export function talkLevel(talk: string): string {
  if (talk.length === 0 || talk.length > 128) {
    throw new TopicError(`talk id must be 1 to 128 characters: ${JSON.stringify(talk)}`);
  }
  return encodeURIComponent(talk);
}

/** The talk id of a topic level, or null when the level is not exactly {@link talkLevel} of one. */
export function parseTalkLevel(level: string): string | null {
  let talk: string;
  try {
    talk = decodeURIComponent(level);
  } catch {
    return null;
  }
  // One topic per talk: only the canonical encoding is a topic of the tree.
  if (talk.length === 0 || talk.length > 128 || encodeURIComponent(talk) !== level) return null;
  return talk;
}

/** Builds the topic string of a parsed topic; throws {@link TopicError} when a level is not a slug. */
export function buildTopic(topic: ParsedTopic): string {
  const event = slugLevel('event', topic.event);
  if (topic.kind === 'schedule') return `${TOPIC_PREFIX}/${event}/schedule`;
  if (topic.kind === 'lease') return `${TOPIC_PREFIX}/${event}/ingest/${topic.kind}`;
  if (topic.kind === 'notice') {
    return `${TOPIC_PREFIX}/${event}/notices/${slugLevel('notice', topic.notice)}`;
  }
  if ('talk' in topic) {
    const room = slugLevel('room', topic.room);
    return `${TOPIC_PREFIX}/${event}/rooms/${room}/talks/${talkLevel(topic.talk)}/${topic.kind}`;
  }
  if ('device' in topic) {
    return `${TOPIC_PREFIX}/${event}/devices/${slugLevel('device', topic.device)}/${topic.kind}`;
  }
  return `${TOPIC_PREFIX}/${event}/rooms/${slugLevel('room', topic.room)}/${topic.kind}`;
}

/** Topic builders, one per kind of topic. Each throws {@link TopicError} on a non-slug level. */
export const topics = {
  vote: (event: string, device: string) => buildTopic({ kind: 'vote', event, device }),
  status: (event: string, device: string) => buildTopic({ kind: 'status', event, device }),
  ack: (event: string, device: string) => buildTopic({ kind: 'ack', event, device }),
  config: (event: string, device: string) => buildTopic({ kind: 'config', event, device }),
  schedule: (event: string) => buildTopic({ kind: 'schedule', event }),
  now: (event: string, room: string) => buildTopic({ kind: 'now', event, room }),
  tally: (event: string, room: string) => buildTopic({ kind: 'tally', event, room }),
  votes: (event: string, room: string) => buildTopic({ kind: 'votes', event, room }),
  delay: (event: string, room: string) => buildTopic({ kind: 'delay', event, room }),
  lease: (event: string) => buildTopic({ kind: 'lease', event }),
  /** Organisers' `notices/{id}` (retained; an empty payload clears it). */
  notice: (event: string, notice: string) => buildTopic({ kind: 'notice', event, notice }),
  result: (event: string, room: string, talk: string) =>
    buildTopic({ kind: 'result', event, room, talk }),
  headcount: (event: string, room: string, talk: string) =>
    buildTopic({ kind: 'headcount', event, room, talk }),
} as const;

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/**
 * Takes a concrete topic apart. Returns null for anything that is not exactly a topic of the v1
 * tree: another prefix, a wildcard (`+`, `#`), an empty level, a NUL, a level that is not a slug,
 * or extra levels.
 */
export function parseTopic(topic: string): ParsedTopic | null {
  const levels = topic.split('/');
  const [root, version, event, scope, name, kind, ...rest] = levels;
  if (`${root}/${version}` !== TOPIC_PREFIX || event === undefined || !isSlug(event)) return null;
  if (scope === 'schedule' && name === undefined) return { kind: 'schedule', event };
  if (scope === 'notices' && kind === undefined && name !== undefined) {
    return isSlug(name) ? { kind: 'notice', event, notice: name } : null;
  }
  if (scope === 'ingest' && kind === undefined && name !== undefined) {
    return includes(INGEST_TOPIC_KINDS, name) ? { kind: name, event } : null;
  }
  if (name === undefined || kind === undefined || !isSlug(name)) return null;
  if (scope === 'rooms' && kind === 'talks' && rest.length === 2)
    return talkTopic(event, name, rest);
  if (rest.length > 0) return null;
  if (scope === 'devices' && includes(DEVICE_TOPIC_KINDS, kind))
    return { kind, event, device: name };
  if (scope === 'rooms' && includes(ROOM_TOPIC_KINDS, kind)) return { kind, event, room: name };
  return null;
}

/** `rooms/{room}/talks/{talk}/{kind}` taken apart from the levels after `talks`. */
function talkTopic(event: string, room: string, rest: string[]): ParsedTopic | null {
  const [level = '', kind = ''] = rest;
  const talk = parseTalkLevel(level);
  if (talk === null || !includes(TALK_TOPIC_KINDS, kind)) return null;
  return { kind, event, room, talk };
}

/** A slug, or `+` to match every value of that level. */
export type LevelFilter = string;

function filterLevel(what: string, value: LevelFilter): string {
  return value === '+' ? value : slugLevel(what, value);
}

/**
 * Subscription filters (they may hold wildcards, unlike topics). Pass `+` for any level to match
 * every event, device or room.
 */
export const filters = {
  /** One kind of device topic, e.g. every box's votes: `device(event, '+', 'vote')`. */
  device: (event: LevelFilter, device: LevelFilter, kind: DeviceTopicKind) =>
    `${TOPIC_PREFIX}/${filterLevel('event', event)}/devices/${filterLevel('device', device)}/${kind}`,
  /** One kind of room topic, e.g. every room's tally: `room(event, '+', 'tally')`. */
  room: (event: LevelFilter, room: LevelFilter, kind: RoomTopicKind) =>
    `${TOPIC_PREFIX}/${filterLevel('event', event)}/rooms/${filterLevel('room', room)}/${kind}`,
  /** One kind of talk topic; `talk` is a talk id (encoded here) or `+`. */
  talk: (event: LevelFilter, room: LevelFilter, talk: string, kind: TalkTopicKind) =>
    `${TOPIC_PREFIX}/${filterLevel('event', event)}/rooms/${filterLevel('room', room)}/talks/${
      talk === '+' ? talk : talkLevel(talk)
    }/${kind}`,
  /** Everything under `rooms/` of one event (or every event with `+`): what the public reads. */
  rooms: (event: LevelFilter) => `${TOPIC_PREFIX}/${filterLevel('event', event)}/rooms/#`,
  /** The schedule of one event (or of every event with `+`). */
  schedule: (event: LevelFilter) => `${TOPIC_PREFIX}/${filterLevel('event', event)}/schedule`,
  /** The ingest's lease of one event (or of every event with `+`). */
  lease: (event: LevelFilter) => `${TOPIC_PREFIX}/${filterLevel('event', event)}/ingest/lease`,
  /** Every notice of one event (organisers only). */
  notices: (event: LevelFilter) => `${TOPIC_PREFIX}/${filterLevel('event', event)}/notices/+`,
  /** Everything of one event. */
  event: (event: LevelFilter) => `${TOPIC_PREFIX}/${filterLevel('event', event)}/#`,
} as const;

/**
 * A {@link parseTopic} that remembers the last `limit` topics it took apart (all of them are
 * forgotten at once when full): a box publishes on a handful of topics all day, so the broker's
 * ACL and the ingest parse each one once instead of on every vote. The results are frozen, since
 * they are shared between calls.
 */
export function topicParser(limit = 10_000): (topic: string) => Readonly<ParsedTopic> | null {
  const parsed = new Map<string, Readonly<ParsedTopic> | null>();
  return (topic) => {
    let result = parsed.get(topic);
    if (result === undefined) {
      const fresh = parseTopic(topic);
      result = fresh === null ? null : Object.freeze(fresh);
      if (parsed.size >= limit) parsed.clear();
      parsed.set(topic, result);
    }
    return result;
  };
}
