import { FieldType } from 'influx';
import { describe, expect, it } from 'vitest';
import {
  DEVICE,
  influxSchema,
  MEASUREMENTS,
  PRECISION,
  point,
  retentionPolicyOf,
  TALK,
  VOTE,
} from '../../src/measurements.js';

describe('MEASUREMENTS', () => {
  it('lists the six measurements of the contract, each written in the one precision', () => {
    // Act
    const names = MEASUREMENTS.map((m) => m.name);

    // Assess
    expect(names).toEqual(['vote', 'device', 'talk', 'vote_1m', 'ingest', 'broker']);
    expect(MEASUREMENTS.every((m) => m.precision === PRECISION)).toBe(true);
    expect(PRECISION).toBe('ns');
  });
});

describe('influxSchema', () => {
  it('gives node-influx the tags and typed fields of every measurement for the database', () => {
    // Act
    const schema = influxSchema('likebox');

    // Assess
    expect(schema).toHaveLength(MEASUREMENTS.length);
    expect(schema.find((s) => s.measurement === 'vote')).toEqual({
      database: 'likebox',
      measurement: 'vote',
      tags: ['event', 'room', 'talk', 'device', 'epoch'],
      fields: {
        value: FieldType.INTEGER,
        seq: FieldType.INTEGER,
        flagged: FieldType.INTEGER,
        flag: FieldType.STRING,
      },
    });
    expect(schema.find((s) => s.measurement === 'vote_1m')?.fields).toEqual({
      votes: FieldType.INTEGER,
      net: FieldType.INTEGER,
    });
  });
});

describe('retentionPolicyOf', () => {
  it('sends votes, statuses and ingest health to the configured policy and the rest to the default one', () => {
    // Act
    const policies = MEASUREMENTS.map((m) => [m.name, retentionPolicyOf(m.name, 'votes')]);

    // Assess
    expect(Object.fromEntries(policies)).toEqual({
      vote: 'votes',
      device: 'votes',
      talk: undefined,
      vote_1m: undefined,
      ingest: 'votes',
      broker: undefined,
    });
    expect(retentionPolicyOf('vote', undefined)).toBeUndefined();
  });
});

describe('point', () => {
  it('cleans tag values and string fields and leaves out empty tags when they cannot be written', () => {
    // Act
    const talk = point(
      TALK,
      { event: 'e', room: '', talk: 'id\\' },
      { title: 'two\nlines', start: 1 },
      '5000000',
    );

    // Assess
    expect(talk).toEqual({
      measurement: 'talk',
      tags: { event: 'e', talk: 'id' },
      fields: { title: 'two lines', start: 1 },
      timestamp: '5000000',
    });
  });

  it('keeps tags in the order of the definition and fields as given when they need no cleaning', () => {
    // Prepare
    const fields = { online: true, outbox: 3, version: '1.0' };

    // Act
    const device = point(DEVICE, { room: 'r', device: 'd', event: 'e' }, fields, '1');
    const vote = point(VOTE, { event: 'e', room: 'r', talk: 't', device: 'd', epoch: '' }, {}, '2');

    // Assess
    expect(Object.keys(device.tags)).toEqual(['event', 'device', 'room']);
    expect(device.fields).toBe(fields);
    expect(vote.fields).toEqual({});
  });
});
