import { describe, expect, it } from 'vitest';
import {
  brokerPoint,
  devicePoint,
  ingestPoint,
  sharedIdPoint,
  votePoint,
  voteTimestampNs,
} from '../../src/points.js';

describe('voteTimestampNs', () => {
  it('gives distinct, stable timestamps when two votes of a box share a millisecond', () => {
    // Prepare
    const at = 1_750_000_000_123;

    // Act
    const a = voteTimestampNs(at, 41);
    const b = voteTimestampNs(at, 42);

    // Assess
    expect(a).toBe('1750000000123000041');
    expect(b).toBe('1750000000123000042');
    expect(voteTimestampNs(at, 42)).toBe(b);
    expect(BigInt(b)).toBe(BigInt(at) * 1_000_000n + 42n);
  });

  it('wraps the seq part at one million when seqs grow large', () => {
    // Act
    const ts = voteTimestampNs(1_750_000_000_000, 3_000_007);

    // Assess
    expect(ts).toBe('1750000000000000007');
  });
});

describe('votePoint', () => {
  it('tags the vote with event, room, talk and device and keeps value and seq as fields', () => {
    // Act
    const point = votePoint({
      event: 'e',
      device: 'box-1',
      seq: 7,
      value: -1,
      at: 1_750_000_000_000,
      room: 'amphi',
      talk: 'none',
    });

    // Assess
    expect(point).toEqual({
      measurement: 'vote',
      tags: { event: 'e', room: 'amphi', talk: 'none', device: 'box-1' },
      fields: { value: -1, seq: 7 },
      timestamp: '1750000000000000007',
    });
  });
});

describe('votePoint of a flagged vote', () => {
  it('writes value 0, the press in flagged and the reason in flag, at the same series and time', () => {
    // Prepare
    const vote = { event: 'e', device: 'box-1', seq: 7, value: 1 as const, at: 1_750_000_000_000 };
    const where = { room: 'amphi', talk: 't1' };

    // Act
    const counted = votePoint({ ...vote, ...where, flag: null });
    const flagged = votePoint({ ...vote, ...where, flag: 'steady' });

    // Assess
    expect(counted.fields).toEqual({ value: 1, seq: 7 });
    expect(flagged.fields).toEqual({ value: 0, seq: 7, flagged: 1, flag: 'steady' });
    expect([flagged.tags, flagged.timestamp]).toEqual([counted.tags, counted.timestamp]);
  });
});

describe('votePoint with an epoch', () => {
  it('tags the epoch so two lives of one device id never share a point when their seqs meet', () => {
    // Prepare
    const vote = {
      event: 'e',
      device: 'box-1',
      seq: 7,
      value: 1 as const,
      at: 1_750_000_000_000,
      room: 'amphi',
      talk: 't1',
    };

    // Act
    const legacy = votePoint({ ...vote, epoch: '' });
    const older = votePoint({ ...vote, epoch: 'k3v9x0a1b2c4' });
    const newer = votePoint({ ...vote, epoch: 'z0z0z0z0z0z0' });

    // Assess
    expect(legacy.tags).toEqual({ event: 'e', room: 'amphi', talk: 't1', device: 'box-1' });
    expect(older.tags.epoch).toBe('k3v9x0a1b2c4');
    expect(newer.tags.epoch).toBe('z0z0z0z0z0z0');
    expect(older.timestamp).toBe(newer.timestamp);
  });
});

describe('sharedIdPoint', () => {
  it('writes the shared field alone on the device series when the ingest sees a shared id', () => {
    // Act
    const point = sharedIdPoint('e', 'box-1', 'amphi', true, 2000);

    // Assess
    expect(point).toEqual({
      measurement: 'device',
      tags: { event: 'e', device: 'box-1', room: 'amphi' },
      fields: { shared: true },
      timestamp: '2000000000',
    });
  });
});

describe('devicePoint', () => {
  it('writes the optional status fields only when the box sent them', () => {
    // Prepare
    const status = { online: true, outbox: 2, version: '1.2.0', uptime: 12.5 };

    // Act
    const bare = devicePoint('e', 'box-1', 'amphi', status, 1000, undefined);
    const full = devicePoint(
      'e',
      'box-1',
      'amphi',
      { ...status, lastSeq: 9, synced: false, sharedId: true },
      1000,
      2.6,
    );

    // Assess
    expect(bare.fields).toEqual({ online: true, outbox: 2, uptime: 12.5, version: '1.2.0' });
    expect(full.fields).toMatchObject({
      last_seq: 9,
      synced: false,
      clock_offset_ms: 3,
      shared: true,
    });
    expect(full.timestamp).toBe('1000000000');
  });
});

describe('ingestPoint', () => {
  it('carries every health counter as a field when written', () => {
    // Act
    const point = ingestPoint(
      'e',
      { pending: 1, lagMs: 2, accepted: 3, duplicates: 4, invalid: 5, gaps: 6 },
      1000,
    );

    // Assess
    expect(point.fields).toEqual({
      pending: 1,
      lag_ms: 2,
      accepted: 3,
      duplicates: 4,
      invalid: 5,
      gaps: 6,
    });
    expect(point.timestamp).toBe('1000000000');
  });
});

describe('brokerPoint', () => {
  it('names one clients field per role next to the totals when written', () => {
    // Act
    const point = brokerPoint(
      'e',
      {
        clients: 5,
        byRole: { device: 2, ingest: 1, organiser: 1, public: 1 },
        messagesIn: 10,
        messagesOut: 20,
      },
      2000,
    );

    // Assess
    expect(point).toEqual({
      measurement: 'broker',
      tags: { event: 'e' },
      fields: {
        clients: 5,
        clients_device: 2,
        clients_ingest: 1,
        clients_organiser: 1,
        clients_public: 1,
        messages_in: 10,
        messages_out: 20,
      },
      timestamp: '2000000000',
    });
  });
});
