import { filters, TopicDelivery, type TopicKind, topics } from '@likebox/protocol';
import type { Role } from '../src/index.js';

/** The event of the matrix broker, the box under test, another box, a room and another event. */
export const EVENT = 'demo';
export const SELF = 'box-1';
export const OTHER_EVENT = 'other';

/** One topic of the tree, with the roles that may publish and subscribe it (ARCHITECTURE.md). */
export interface TopicCase {
  name: string;
  topic: string;
  kind: TopicKind;
  publish: readonly Role[];
  subscribe: readonly Role[];
}

/**
 * Every topic of the tree, written out by hand from the rights table of ARCHITECTURE.md (not
 * derived from src/acl.ts, so the test is an independent reading of the contract).
 */
export const TOPIC_CASES: readonly TopicCase[] = [
  {
    name: 'own vote',
    topic: topics.vote(EVENT, SELF),
    kind: 'vote',
    publish: ['device', 'organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'own status',
    topic: topics.status(EVENT, SELF),
    kind: 'status',
    publish: ['device', 'organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'own ack',
    topic: topics.ack(EVENT, SELF),
    kind: 'ack',
    publish: ['ingest', 'organiser'],
    subscribe: ['device', 'ingest', 'organiser'],
  },
  {
    name: 'own config',
    topic: topics.config(EVENT, SELF),
    kind: 'config',
    publish: ['organiser'],
    subscribe: ['device', 'ingest', 'organiser'],
  },
  {
    name: 'other vote',
    topic: topics.vote(EVENT, 'box-2'),
    kind: 'vote',
    publish: ['organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'other status',
    topic: topics.status(EVENT, 'box-2'),
    kind: 'status',
    publish: ['organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'other ack',
    topic: topics.ack(EVENT, 'box-2'),
    kind: 'ack',
    publish: ['ingest', 'organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'other config',
    topic: topics.config(EVENT, 'box-2'),
    kind: 'config',
    publish: ['organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'schedule',
    topic: topics.schedule(EVENT),
    kind: 'schedule',
    publish: ['ingest', 'organiser'],
    subscribe: ['device', 'organiser', 'public'],
  },
  {
    name: 'now',
    topic: topics.now(EVENT, 'room-a'),
    kind: 'now',
    publish: ['ingest', 'organiser'],
    subscribe: ['device', 'organiser', 'public'],
  },
  {
    name: 'tally',
    topic: topics.tally(EVENT, 'room-a'),
    kind: 'tally',
    publish: ['ingest', 'organiser'],
    subscribe: ['device', 'organiser', 'public'],
  },
  {
    name: 'votes',
    topic: topics.votes(EVENT, 'room-a'),
    kind: 'votes',
    publish: ['ingest', 'organiser'],
    subscribe: ['organiser', 'public'],
  },
  {
    name: 'delay',
    topic: topics.delay(EVENT, 'room-a'),
    kind: 'delay',
    publish: ['ingest', 'organiser'],
    subscribe: ['ingest', 'organiser', 'public'],
  },
  {
    name: 'talk result',
    topic: topics.result(EVENT, 'room-a', 'talk/1'),
    kind: 'result',
    publish: ['ingest', 'organiser'],
    subscribe: ['organiser', 'public'],
  },
  {
    name: 'talk headcount',
    topic: topics.headcount(EVENT, 'room-a', 'talk/1'),
    kind: 'headcount',
    publish: ['ingest', 'organiser'],
    subscribe: ['ingest', 'organiser', 'public'],
  },
  {
    name: 'ingest lease',
    topic: topics.lease(EVENT),
    kind: 'lease',
    publish: ['ingest', 'organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'notice',
    topic: topics.notice(EVENT, 'box-silent-box-1'),
    kind: 'notice',
    publish: ['ingest', 'organiser'],
    subscribe: ['ingest', 'organiser'],
  },
  {
    name: 'other event notice',
    topic: topics.notice(OTHER_EVENT, 'box-silent-box-1'),
    kind: 'notice',
    publish: [],
    subscribe: [],
  },
  {
    name: 'other event lease',
    topic: topics.lease(OTHER_EVENT),
    kind: 'lease',
    publish: [],
    subscribe: [],
  },
  {
    name: 'other event tally',
    topic: topics.tally(OTHER_EVENT, 'room-a'),
    kind: 'tally',
    publish: [],
    subscribe: ['public'],
  },
  {
    name: 'other event vote',
    topic: topics.vote(OTHER_EVENT, SELF),
    kind: 'vote',
    publish: [],
    subscribe: [],
  },
];

/** Subscription filters with wildcards, and the roles that may subscribe them. */
export const FILTER_CASES: ReadonlyArray<{ filter: string; subscribe: readonly Role[] }> = [
  { filter: filters.room(EVENT, '+', 'now'), subscribe: ['device', 'organiser', 'public'] },
  { filter: filters.room(EVENT, '+', 'tally'), subscribe: ['device', 'organiser', 'public'] },
  { filter: filters.room(EVENT, '+', 'delay'), subscribe: ['ingest', 'organiser', 'public'] },
  { filter: filters.talk(EVENT, '+', '+', 'result'), subscribe: ['organiser', 'public'] },
  {
    filter: filters.talk(EVENT, '+', '+', 'headcount'),
    subscribe: ['ingest', 'organiser', 'public'],
  },
  { filter: `likebox/v1/${EVENT}/rooms/room-a/talks/#`, subscribe: ['organiser', 'public'] },
  { filter: filters.device(EVENT, '+', 'vote'), subscribe: ['ingest', 'organiser'] },
  { filter: filters.device(EVENT, '+', 'config'), subscribe: ['ingest', 'organiser'] },
  { filter: filters.device(EVENT, '+', 'ack'), subscribe: ['ingest', 'organiser'] },
  { filter: `likebox/v1/${EVENT}/devices/${SELF}/+`, subscribe: ['ingest', 'organiser'] },
  { filter: `likebox/v1/${EVENT}/devices/#`, subscribe: ['ingest', 'organiser'] },
  { filter: `likebox/v1/${EVENT}/ingest/#`, subscribe: ['ingest', 'organiser'] },
  { filter: filters.lease('+'), subscribe: [] },
  { filter: filters.notices(EVENT), subscribe: ['ingest', 'organiser'] },
  { filter: filters.notices('+'), subscribe: [] },
  { filter: filters.rooms(EVENT), subscribe: ['organiser', 'public'] },
  { filter: filters.rooms('+'), subscribe: ['public'] },
  { filter: filters.schedule('+'), subscribe: ['public'] },
  { filter: filters.event(EVENT), subscribe: ['organiser'] },
  { filter: 'likebox/v1/#', subscribe: [] },
  { filter: '#', subscribe: [] },
  { filter: '+/+/+/schedule', subscribe: ['public'] },
  { filter: '$SYS/#', subscribe: ['organiser'] },
  { filter: 'elsewhere/topic', subscribe: [] },
];

/** The QoS and retain flag a topic is published with. */
export function deliveryOf(kind: TopicKind) {
  return TopicDelivery[kind];
}

/** The name each role logs in with (the device is SELF). */
export const USER_OF: Readonly<Record<Role, string>> = {
  device: SELF,
  ingest: 'ingest',
  organiser: 'organiser',
  public: 'reader',
};
