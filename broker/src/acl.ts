import {
  DEVICE_TOPIC_KINDS,
  INGEST_TOPIC_KINDS,
  isSlug,
  type ParsedTopic,
  parseTalkLevel,
  parseTopic,
  ROOM_TOPIC_KINDS,
  TALK_TOPIC_KINDS,
  TOPIC_PREFIX,
  type TopicKind,
} from '@likebox/protocol';
import type { Role } from './roles.js';

/** Who a connected client is, as far as authorization is concerned. */
export interface Identity {
  /** The user name, or null for an anonymous client. */
  user: string | null;
  /** The user's role (anonymous clients are `public`). */
  role: Role;
  /** The one event the user may act on, or null for any event. */
  event: string | null;
}

/** What a client wants to do on a topic. */
export type Right = 'publish' | 'subscribe';

/** `+` stands for "every value" of a level when a subscription filter has a wildcard there. */
const ANY = '+';

const DEVICE_PUBLISH: ReadonlySet<TopicKind> = new Set(['vote', 'status']);
const DEVICE_SUBSCRIBE_OWN: ReadonlySet<TopicKind> = new Set(['ack', 'config']);
const DEVICE_SUBSCRIBE_ROOM: ReadonlySet<TopicKind> = new Set(['now', 'tally']);
/** Everything under `rooms/`, the talk topics (`rooms/{room}/talks/{talk}/…`) included. */
const ROOM_KINDS: ReadonlySet<TopicKind> = new Set([...ROOM_TOPIC_KINDS, ...TALK_TOPIC_KINDS]);
const DEVICE_KINDS: ReadonlySet<TopicKind> = new Set(DEVICE_TOPIC_KINDS);

function deviceMay(id: Identity, right: Right, kind: TopicKind, name: string | null): boolean {
  if (right === 'publish') return DEVICE_PUBLISH.has(kind) && name === id.user;
  if (kind === 'schedule' || DEVICE_SUBSCRIBE_ROOM.has(kind)) return true;
  return DEVICE_SUBSCRIBE_OWN.has(kind) && name === id.user;
}

/**
 * The ingest: reads every device topic, `delay`, `headcount`, the `lease` and its own `notices`;
 * writes acks, rooms (results included), schedule, lease, notices.
 */
function ingestMay(right: Right, kind: TopicKind): boolean {
  if (kind === 'lease' || kind === 'notice') return true;
  if (right === 'publish') return kind === 'ack' || kind === 'schedule' || ROOM_KINDS.has(kind);
  return DEVICE_KINDS.has(kind) || kind === 'delay' || kind === 'headcount';
}

/**
 * The rights table of ARCHITECTURE.md. `event` and `name` (device or room) are slugs, or `+` when a
 * subscription filter covers every value of that level; `name` is null for `schedule`.
 */
export function may(
  id: Identity,
  right: Right,
  kind: TopicKind,
  event: string,
  name: string | null,
): boolean {
  if (id.role === 'public')
    return right === 'subscribe' && (kind === 'schedule' || ROOM_KINDS.has(kind));
  if (id.event !== null && event !== id.event) return false;
  switch (id.role) {
    case 'organiser':
      return true;
    case 'ingest':
      return ingestMay(right, kind);
    case 'device':
      return deviceMay(id, right, kind, name);
  }
}

/** {@link may} for a topic already taken apart by `parseTopic`. */
export function mayParsed(id: Identity, right: Right, parsed: ParsedTopic): boolean {
  const name =
    'device' in parsed
      ? parsed.device
      : 'room' in parsed
        ? parsed.room
        : 'notice' in parsed
          ? parsed.notice
          : null;
  return may(id, right, parsed.kind, parsed.event, name);
}

/** True when a client may publish on `topic`: only exact topics of the v1 tree, never `$SYS`. */
export function mayPublish(id: Identity, topic: string): boolean {
  const parsed = parseTopic(topic);
  return parsed !== null && mayParsed(id, 'publish', parsed);
}

/** The shapes of the v1 tree; `{event}` and `{name}` are the variable levels. */
const SHAPES: ReadonlyArray<{ kind: TopicKind; levels: readonly string[] }> = [
  { kind: 'schedule', levels: [...TOPIC_PREFIX.split('/'), '{event}', 'schedule'] },
  ...DEVICE_TOPIC_KINDS.map((kind) => ({
    kind,
    levels: [...TOPIC_PREFIX.split('/'), '{event}', 'devices', '{name}', kind],
  })),
  ...ROOM_TOPIC_KINDS.map((kind) => ({
    kind,
    levels: [...TOPIC_PREFIX.split('/'), '{event}', 'rooms', '{name}', kind],
  })),
  ...TALK_TOPIC_KINDS.map((kind) => ({
    kind,
    levels: [...TOPIC_PREFIX.split('/'), '{event}', 'rooms', '{name}', 'talks', '{talk}', kind],
  })),
  ...INGEST_TOPIC_KINDS.map((kind) => ({
    kind,
    levels: [...TOPIC_PREFIX.split('/'), '{event}', 'ingest', kind],
  })),
  // Organisers' notices: no role but organiser and ingest may read them (the public must not).
  { kind: 'notice', levels: [...TOPIC_PREFIX.split('/'), '{event}', 'notices', '{name}'] },
];

interface Binding {
  event: string;
  name: string | null;
}

/** Matches a filter against a shape: null when the filter covers no topic of that shape. */
function bind(filter: readonly string[], shape: readonly string[]): Binding | null {
  const bound: Binding = { event: ANY, name: shape.includes('{name}') ? ANY : null };
  for (let i = 0; i < shape.length; i++) {
    const level = filter[i];
    const want = shape[i] ?? '';
    if (level === '#') return bound;
    if (level === undefined) return null;
    if (want === '{talk}') {
      // Any talk: a talk id is a free-form level (percent-encoded), not a slug.
      if (level !== ANY && parseTalkLevel(level) === null) return null;
    } else if (want === '{event}' || want === '{name}') {
      if (level !== ANY && !isSlug(level)) return null;
      if (want === '{event}') bound.event = level;
      else bound.name = level;
    } else if (level !== ANY && level !== want) return null;
  }
  // [MQTT-4.7.1-2] `sport/#` also matches `sport` itself.
  const rest = filter.slice(shape.length);
  return rest.length === 0 || (rest.length === 1 && rest[0] === '#') ? bound : null;
}

/**
 * True when a client may subscribe `filter`: every topic of the tree the filter can match must be
 * readable by the client, and the filter must match at least one. `$SYS/…` is for organisers only.
 */
export function maySubscribe(id: Identity, filter: string): boolean {
  if (filter.startsWith('$')) return id.role === 'organiser' && filter.startsWith('$SYS/');
  const levels = filter.split('/');
  let covered = 0;
  for (const shape of SHAPES) {
    const binding = bind(levels, shape.levels);
    if (binding === null) continue;
    covered++;
    if (!may(id, 'subscribe', shape.kind, binding.event, binding.name)) return false;
  }
  return covered > 0;
}
