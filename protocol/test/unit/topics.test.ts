import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildTopic,
  DEVICE_TOPIC_KINDS,
  filters,
  type ParsedTopic,
  parseTopic,
  ROOM_TOPIC_KINDS,
  TopicError,
  topicParser,
  topics,
} from '../../src/index.js';

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/);
const parsedTopic: fc.Arbitrary<ParsedTopic> = fc.oneof(
  fc.record({ kind: fc.constantFrom(...DEVICE_TOPIC_KINDS), event: slug, device: slug }),
  fc.record({ kind: fc.constantFrom(...ROOM_TOPIC_KINDS), event: slug, room: slug }),
  fc.record({ kind: fc.constant('schedule' as const), event: slug }),
  fc.record({ kind: fc.constant('lease' as const), event: slug }),
  fc.record({ kind: fc.constant('notice' as const), event: slug, notice: slug }),
);

describe('topics', () => {
  it('builds every topic of the v1 tree', () => {
    // Prepare, Act, Assess
    expect(topics.vote('bzh', 'box-1')).toBe('likebox/v1/bzh/devices/box-1/vote');
    expect(topics.status('bzh', 'box-1')).toBe('likebox/v1/bzh/devices/box-1/status');
    expect(topics.ack('bzh', 'box-1')).toBe('likebox/v1/bzh/devices/box-1/ack');
    expect(topics.config('bzh', 'box-1')).toBe('likebox/v1/bzh/devices/box-1/config');
    expect(topics.schedule('bzh')).toBe('likebox/v1/bzh/schedule');
    expect(topics.now('bzh', 'groix')).toBe('likebox/v1/bzh/rooms/groix/now');
    expect(topics.tally('bzh', 'groix')).toBe('likebox/v1/bzh/rooms/groix/tally');
    expect(topics.votes('bzh', 'groix')).toBe('likebox/v1/bzh/rooms/groix/votes');
    expect(topics.delay('bzh', 'groix')).toBe('likebox/v1/bzh/rooms/groix/delay');
    expect(topics.lease('bzh')).toBe('likebox/v1/bzh/ingest/lease');
    expect(topics.notice('bzh', 'box-silent-box-1')).toBe(
      'likebox/v1/bzh/notices/box-silent-box-1',
    );
  });

  it('refuses to build a topic from a level that is not a slug', () => {
    // Prepare
    const hostile = ['', '+', '#', 'a/b', 'Box', 'a b', 'a\u0000', '-a', 'x'.repeat(64)];

    // Act, Assess
    for (const level of hostile) {
      expect(() => topics.vote(level, 'box-1')).toThrow(TopicError);
      expect(() => topics.vote('bzh', level)).toThrow(TopicError);
      expect(() => topics.tally('bzh', level)).toThrow(TopicError);
    }
  });

  it('parses back exactly what it builds', () => {
    // Prepare, Act, Assess
    fc.assert(
      fc.property(parsedTopic, (topic) =>
        isDeepStrictEqual(parseTopic(buildTopic(topic)), { ...topic }),
      ),
    );
  });
});

describe('parseTopic', () => {
  it('rejects wildcards, empty levels, NUL, non-slug levels, extra levels and other trees', () => {
    // Prepare
    const rejected = [
      'likebox/v1/bzh/devices/+/vote',
      'likebox/v1/bzh/devices/#',
      'likebox/v1/+/schedule',
      'likebox/v1/bzh/devices//vote',
      'likebox/v1//schedule',
      'likebox/v1/bzh/devices/box\u00001/vote',
      'likebox/v1/bzh/devices/Box-1/vote',
      'likebox/v1/bzh/devices/box-1/vote/extra',
      'likebox/v1/bzh/devices/box-1/tally',
      'likebox/v1/bzh/rooms/groix/ack',
      'likebox/v1/bzh/schedule/x',
      'likebox/v1/bzh/ingest',
      'likebox/v1/bzh/ingest/other',
      'likebox/v1/bzh/ingest/lease/x',
      'likebox/v2/bzh/schedule',
      '/likebox/v1/bzh/schedule',
      '$SYS/broker/clients',
      '',
    ];

    // Act, Assess
    for (const topic of rejected) expect(parseTopic(topic), topic).toBeNull();
  });

  it('builds and parses talk topics whose talk id is percent-encoded when it holds / + # or %', () => {
    // Prepare
    const ids = ['t1', 'talk/12', 'a+b#c', '100%', 'Ünïcode talk'];

    // Act
    const built = ids.map((id) => topics.result('e', 'amphi', id));

    // Assess
    expect(built[1]).toBe('likebox/v1/e/rooms/amphi/talks/talk%2F12/result');
    expect(built[2]).toBe('likebox/v1/e/rooms/amphi/talks/a%2Bb%23c/result');
    for (const [i, topic] of built.entries()) {
      expect(parseTopic(topic)).toEqual({
        kind: 'result',
        event: 'e',
        room: 'amphi',
        talk: ids[i],
      });
    }
    expect(parseTopic('likebox/v1/e/rooms/amphi/talks/t1/headcount')).toMatchObject({ talk: 't1' });
    expect(parseTopic('likebox/v1/e/rooms/amphi/talks/talk/12/result')).toBeNull();
    expect(parseTopic('likebox/v1/e/rooms/amphi/talks/%E0%A4%A/result')).toBeNull();
    expect(parseTopic('likebox/v1/e/rooms/amphi/talks/%741/result')).toBeNull(); // not canonical
    expect(parseTopic('likebox/v1/e/rooms/amphi/talks/t1/tally')).toBeNull();
  });

  it('never throws and never accepts a topic holding a wildcard or NUL, for any string', () => {
    // Prepare
    const levels = fc.oneof(
      slug,
      fc.constantFrom('+', '#', '', 'devices', 'rooms', 'vote'),
      fc.string(),
    );
    const topic = fc
      .array(levels, { maxLength: 8 })
      .map((rest) => ['likebox', 'v1', ...rest].join('/'));

    // Act, Assess
    fc.assert(
      fc.property(fc.oneof(topic, fc.string({ unit: 'binary' })), (candidate) => {
        const parsed = parseTopic(candidate);
        return parsed === null || !['+', '#', '\u0000'].some((c) => candidate.includes(c));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('topicParser', () => {
  it('answers like parseTopic, also after its memory was filled and forgotten', () => {
    // Prepare
    const parse = topicParser(5);
    const candidates = fc.oneof(
      parsedTopic.map((topic) => buildTopic(topic)),
      fc.string(),
      fc.constantFrom('likebox/v1/bzh/devices/+/vote', 'likebox/v1/bzh/schedule'),
    );

    // Act, Assess
    fc.assert(
      fc.property(fc.array(candidates, { maxLength: 20 }), (topics) =>
        [...topics, ...topics].every((topic) => isDeepStrictEqual(parse(topic), parseTopic(topic))),
      ),
      { numRuns: 500 },
    );
  });

  it('hands out frozen results, so no caller can change what another one gets', () => {
    // Prepare
    const parse = topicParser();
    const topic = topics.vote('bzh', 'box-1');

    // Act
    const first = parse(topic);
    const second = parse(topic);

    // Assess
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('filters', () => {
  it('builds subscription filters with wildcards where asked, and only there', () => {
    // Prepare, Act, Assess
    expect(filters.device('bzh', '+', 'vote')).toBe('likebox/v1/bzh/devices/+/vote');
    expect(filters.room('+', 'groix', 'tally')).toBe('likebox/v1/+/rooms/groix/tally');
    expect(filters.rooms('+')).toBe('likebox/v1/+/rooms/#');
    expect(filters.schedule('+')).toBe('likebox/v1/+/schedule');
    expect(filters.event('bzh')).toBe('likebox/v1/bzh/#');
    expect(filters.lease('+')).toBe('likebox/v1/+/ingest/lease');
    expect(() => filters.rooms('#')).toThrow(TopicError);
    expect(() => filters.device('bzh', 'a/+', 'vote')).toThrow(TopicError);
  });
});
