import { describe, expect, it } from 'vitest';
import { type TopicKind, TopicPayloads } from '../../src/index.js';
import { breizhcamp2015 } from '../support/breizhcamp2015.js';

const AT = 1_434_024_000_000; // 2015-06-11T12:00:00Z
const talkRef = {
  id: 'KHP-2295',
  title: 'MQTT en action',
  speakers: ['Ada'],
  start: '2015-06-11T17:30:00+02:00',
  end: '2015-06-11T17:55:00+02:00',
};
const huge = 'x'.repeat(100_000);

/** For each kind of topic: one valid payload, and invalid variants with the reason they must fail. */
const cases: { [K in TopicKind]: { valid: unknown[]; invalid: [string, unknown][] } } = {
  vote: {
    valid: [
      { seq: 1, value: 1, at: AT, room: 'groix', synced: true },
      { seq: Number.MAX_SAFE_INTEGER, value: -1, at: AT, room: 'belle-ile-en-mer', synced: false },
      { seq: 1, epoch: 'k3v9x0a1b2c4', value: 1, at: AT, room: 'groix', synced: true },
      { seq: 1, epoch: '0', value: 1, at: AT, room: 'groix', synced: true },
    ],
    invalid: [
      ['seq 0', { seq: 0, value: 1, at: AT, room: 'groix', synced: true }],
      ['negative seq', { seq: -3, value: 1, at: AT, room: 'groix', synced: true }],
      ['fractional seq', { seq: 1.5, value: 1, at: AT, room: 'groix', synced: true }],
      ['seq beyond 2^53', { seq: 2 ** 53, value: 1, at: AT, room: 'groix', synced: true }],
      ['value 0', { seq: 1, value: 0, at: AT, room: 'groix', synced: true }],
      ['value 2', { seq: 1, value: 2, at: AT, room: 'groix', synced: true }],
      ['value as string', { seq: 1, value: '1', at: AT, room: 'groix', synced: true }],
      ['at in seconds', { seq: 1, value: 1, at: AT / 1000, room: 'groix', synced: true }],
      ['room not a slug', { seq: 1, value: 1, at: AT, room: 'Groix', synced: true }],
      ['huge room', { seq: 1, value: 1, at: AT, room: huge, synced: true }],
      ['extra field', { seq: 1, value: 1, at: AT, room: 'groix', synced: true, talk: 'x' }],
      ['missing synced', { seq: 1, value: 1, at: AT, room: 'groix' }],
      ['empty epoch', { seq: 1, epoch: '', value: 1, at: AT, room: 'groix', synced: true }],
      ['upper-case epoch', { seq: 1, epoch: 'ABC', value: 1, at: AT, room: 'groix', synced: true }],
      [
        'huge epoch',
        { seq: 1, epoch: 'a'.repeat(33), value: 1, at: AT, room: 'groix', synced: true },
      ],
      ['epoch as number', { seq: 1, epoch: 12, value: 1, at: AT, room: 'groix', synced: true }],
      ['array', [1, 1, AT]],
      ['null', null],
    ],
  },
  status: {
    valid: [
      { online: false, outbox: 0, version: '0.1.0', uptime: 0 },
      {
        online: true,
        outbox: 12,
        version: '0.1.0',
        uptime: 3.5,
        at: AT,
        synced: true,
        room: 'groix',
        ip: '10.0.0.7',
        lastSeq: 40,
        epoch: 'k3v9x0a1b2c4',
        storage: 'full',
        badAcks: 2,
        sharedId: true,
      },
    ],
    invalid: [
      ['negative outbox', { online: true, outbox: -1, version: '0.1.0', uptime: 1 }],
      ['online as string', { online: 'yes', outbox: 0, version: '0.1.0', uptime: 1 }],
      ['huge version', { online: true, outbox: 0, version: huge, uptime: 1 }],
      ['extra field', { online: true, outbox: 0, version: '0.1.0', uptime: 1, secret: 1 }],
      ['unknown storage', { online: true, outbox: 0, version: '0', uptime: 1, storage: 'low' }],
      ['negative badAcks', { online: true, outbox: 0, version: '0', uptime: 1, badAcks: -1 }],
    ],
  },
  ack: {
    valid: [
      { seq: 0 },
      { seq: 12345 },
      { seq: 12, epoch: 'k3v9x0a1b2c4' },
      { seq: 12, epoch: 'k3v9x0a1b2c4', shared: true },
      { seq: 12, epoch: '' },
    ],
    invalid: [
      ['negative', { seq: -1 }],
      ['string', { seq: '3' }],
      ['extra field', { seq: 3, device: 'box-1' }],
      ['seq beyond 2^53', { seq: 2 ** 53 }],
      ['epoch not base36', { seq: 3, epoch: 'k3-v9' }],
      ['shared as string', { seq: 3, epoch: 'abc', shared: 'yes' }],
    ],
  },
  config: {
    valid: [{ room: 'groix' }, { room: 'brehat', roomName: 'Bréhat', locale: 'fr' }],
    invalid: [
      ['no room', { roomName: 'Groix' }],
      ['room not a slug', { room: 'Bréhat' }],
      ['unknown locale', { room: 'groix', locale: 'de' }],
      ['huge room name', { room: 'groix', roomName: huge }],
    ],
  },
  schedule: {
    valid: [breizhcamp2015()],
    invalid: [
      ['wrong version', { ...breizhcamp2015(), version: 2 }],
      ['talk in an unknown room', { ...breizhcamp2015(), rooms: [] }],
      [
        'duplicate talk ids',
        { ...breizhcamp2015(), talks: [...breizhcamp2015().talks, breizhcamp2015().talks[0]] },
      ],
      [
        'talk ending before it starts',
        {
          ...breizhcamp2015(),
          talks: [{ ...breizhcamp2015().talks[2], end: '2015-06-10T13:00:00+02:00' }],
        },
      ],
      [
        'time without offset',
        {
          ...breizhcamp2015(),
          talks: [{ ...breizhcamp2015().talks[2], start: '2015-06-10T14:00:00' }],
        },
      ],
    ],
  },
  now: {
    valid: [
      {
        room: 'ouessant',
        roomName: 'Ouessant',
        talk: talkRef,
        window: { opens: AT, closes: AT + 1 },
        next: null,
        nextWindow: null,
        delay: 0,
        at: AT,
      },
      {
        room: 'ouessant',
        roomName: 'Ouessant',
        talk: null,
        window: null,
        next: talkRef,
        nextWindow: { opens: AT, closes: AT + 1 },
        delay: 5,
        at: AT,
      },
    ],
    invalid: [
      [
        'missing next',
        { room: 'ouessant', roomName: 'Ouessant', talk: null, window: null, delay: 0, at: AT },
      ],
      [
        'delay out of range',
        {
          room: 'ouessant',
          roomName: 'Ouessant',
          talk: null,
          window: null,
          next: null,
          nextWindow: null,
          delay: 1000,
          at: AT,
        },
      ],
    ],
  },
  tally: {
    valid: [
      { talk: 'KHP-2295', likes: 95, dislikes: 5, at: AT },
      { talk: null, likes: 0, dislikes: 0, at: AT },
    ],
    invalid: [
      ['negative likes', { talk: null, likes: -1, dislikes: 0, at: AT }],
      ['huge talk id', { talk: huge, likes: 1, dislikes: 0, at: AT }],
      ['extra field', { talk: null, likes: 1, dislikes: 0, at: AT, device: 'box-1' }],
    ],
  },
  votes: {
    valid: [
      { value: 1, at: AT, talk: 'KHP-2295' },
      { value: -1, at: AT, talk: null },
    ],
    invalid: [
      ['leaks the device', { value: 1, at: AT, talk: null, device: 'box-1' }],
      ['value 3', { value: 3, at: AT, talk: null }],
    ],
  },
  delay: {
    valid: [{ minutes: 15 }, { minutes: 0, at: AT }, { minutes: -5 }],
    invalid: [
      ['fractional', { minutes: 2.5 }],
      ['a day', { minutes: 1440 }],
    ],
  },
  lease: {
    valid: [{ id: 'k3v9x0a1b2c4', host: 'server-1', pid: 4242, until: AT + 30_000, since: AT }],
    invalid: [
      ['upper-case id', { id: 'K3V9', host: 'server-1', pid: 1, until: AT, since: AT }],
      ['empty host', { id: 'k3v9', host: '', pid: 1, until: AT, since: AT }],
      ['pid 0', { id: 'k3v9', host: 'h', pid: 0, until: AT, since: AT }],
      ['until in seconds', { id: 'k3v9', host: 'h', pid: 1, until: AT / 1000, since: AT }],
      ['no since', { id: 'k3v9', host: 'h', pid: 1, until: AT }],
    ],
  },
  result: {
    valid: [
      {
        ...{ talk: 't1', likes: 3, dislikes: 1, votes: 4, wilson: 0.3, closes: AT, at: AT },
        ...{ digest: 'a'.repeat(64), count: 4 },
      },
    ],
    invalid: [['no digest', { talk: 't1', likes: 3, dislikes: 1, votes: 4, wilson: null }]],
  },
  headcount: {
    valid: [{ count: 120, at: AT }],
    invalid: [['negative', { count: -1, at: AT }]],
  },
  notice: {
    valid: [
      {
        ...{ id: 'box-silent-box-1', kind: 'box-silent', severity: 'warning', subject: 'box-1' },
        ...{ message: 'box-1 silent for 3 min', since: AT },
      },
      {
        ...{ id: 'room-late-amphi', kind: 'room-late', severity: 'info', subject: 'amphi' },
        ...{ message: 'late', since: AT, suggestion: 'likebox schedule delay amphi 15' },
      },
    ],
    invalid: [
      [
        'unknown kind',
        { id: 'x', kind: 'fire', severity: 'info', subject: 's', message: 'm', since: AT },
      ],
      [
        'id not a slug',
        { id: 'X Y', kind: 'misuse', severity: 'info', subject: 's', message: 'm', since: AT },
      ],
      ['no message', { id: 'x', kind: 'misuse', severity: 'info', subject: 's', since: AT }],
    ],
  },
};

describe('payload schemas', () => {
  for (const [kind, { valid, invalid }] of Object.entries(cases)) {
    it(`accepts valid ${kind} payloads and rejects invalid ones`, () => {
      // Prepare
      const schema = TopicPayloads[kind as TopicKind];

      // Act, Assess
      for (const payload of valid) expect(schema.safeParse(payload).error).toBeUndefined();
      for (const [reason, payload] of invalid) {
        expect(schema.safeParse(payload).success, `${kind}: ${reason}`).toBe(false);
      }
    });
  }
});
