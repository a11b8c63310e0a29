import { describe, expect, it } from 'vitest';
import { ingestPoint, votePoint, voteTimestampNs } from '../../src/points.js';

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
