import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  curveOf,
  figuresOf,
  MAX_CURVE_POINTS,
  perMinute,
  voteDigest,
  walkOutOf,
  wilsonLowerBound,
} from '../../src/results/resultsMath.js';

const T0 = Date.UTC(2026, 5, 11, 14, 0, 0);
const MIN = 60_000;

describe('wilsonLowerBound', () => {
  it('matches the Wilson score interval at 95 % when computed by hand', () => {
    // Prepare: values from the closed form with z = 1.959964 (python, double precision)
    const cases: [number, number, number][] = [
      [9, 10, 0.5958499732047616],
      [90, 100, 0.8256343384950866],
      [1, 1, 0.20654931437723742],
      [50, 100, 0.4038315303659957],
    ];

    // Act
    const bounds = cases.map(([likes, votes]) => wilsonLowerBound(likes, votes));

    // Assess
    for (const [i, [, , expected]] of cases.entries()) expect(bounds[i]).toBeCloseTo(expected, 12);
  });

  it('ranks 90 likes of 100 above 9 of 10, gives 0 without likes and null without votes', () => {
    // Prepare
    const small = wilsonLowerBound(9, 10);

    // Act
    const large = wilsonLowerBound(90, 100);

    // Assess
    expect(large).toBeGreaterThan(small ?? 1);
    expect(wilsonLowerBound(0, 5)).toBe(0);
    expect(wilsonLowerBound(0, 0)).toBeNull();
  });
});

describe('figuresOf', () => {
  it('gives participation as votes per head and never mixes the headcount into the score', () => {
    // Prepare
    const without = figuresOf(30, 10, null);

    // Act
    const withHeadcount = figuresOf(30, 10, 80);

    // Assess
    expect(withHeadcount).toMatchObject({
      votes: 40,
      net: 20,
      likeShare: 0.75,
      participation: 0.5,
    });
    expect(withHeadcount.wilson).toBe(without.wilson);
    expect(without.participation).toBeNull();
    expect(figuresOf(0, 0, 0)).toMatchObject({
      likeShare: null,
      wilson: null,
      participation: null,
    });
  });
});

describe('walkOutOf', () => {
  it('bins votes by whole minutes since the start and counts those before the end', () => {
    // Prepare: a talk 14:00-14:40; votes at 14:05:30, 14:05:59, 14:39:59, 14:40:00, 14:52
    const votes = [
      { at: T0 + 5 * MIN + 30_000, value: 1 },
      { at: T0 + 6 * MIN - 1, value: -1 },
      { at: T0 + 40 * MIN - 1000, value: 1 },
      { at: T0 + 40 * MIN, value: 1 },
      { at: T0 + 52 * MIN, value: -1 },
    ];

    // Act
    const walkOut = walkOutOf(votes, T0, T0 + 40 * MIN);

    // Assess
    expect(walkOut.bins).toEqual([
      { minute: 5, likes: 1, dislikes: 1 },
      { minute: 39, likes: 1, dislikes: 0 },
      { minute: 40, likes: 1, dislikes: 0 },
      { minute: 52, likes: 0, dislikes: 1 },
    ]);
    expect(walkOut.beforeEnd).toBe(3);
  });
});

describe('curveOf', () => {
  it('starts at the window opening with 0/0 and adds one cumulative point per vote', () => {
    // Prepare
    const votes = [
      { at: T0 + MIN, value: 1 },
      { at: T0 + 2 * MIN, value: -1 },
      { at: T0 + 2 * MIN + 5, value: 1 },
    ];

    // Act
    const curve = curveOf(votes, T0);
    const minutes = perMinute(votes);

    // Assess
    expect(curve).toEqual([
      { t: T0, likes: 0, dislikes: 0 },
      { t: T0 + MIN, likes: 1, dislikes: 0 },
      { t: T0 + 2 * MIN, likes: 1, dislikes: 1 },
      { t: T0 + 2 * MIN + 5, likes: 2, dislikes: 1 },
    ]);
    expect(minutes).toEqual([
      { t: T0 + MIN, likes: 1, dislikes: 0 },
      { t: T0 + 2 * MIN, likes: 1, dislikes: 1 },
    ]);
  });

  it('stays within its bound with per-minute points when a talk has thousands of votes', () => {
    // Prepare: 5,000 votes over 50 minutes
    const votes = Array.from({ length: 5000 }, (_, i) => ({
      at: T0 + i * 600,
      value: i % 3 === 0 ? -1 : 1,
    }));

    // Act
    const curve = curveOf(votes, T0);

    // Assess
    expect(curve.length).toBeLessThanOrEqual(MAX_CURVE_POINTS + 1);
    expect(curve.at(-1)).toMatchObject({ likes: 3333, dislikes: 1667, t: votes.at(-1)?.at });
    expect(curve[0]).toEqual({ t: T0, likes: 0, dislikes: 0 });
  });
});

describe('voteDigest', () => {
  it('hashes the votes sorted by device, epoch and numeric seq whatever their order', () => {
    // Prepare
    const votes = [
      { device: 'box-2', epoch: '', seq: 1, value: -1 },
      { device: 'box-1', epoch: 'b', seq: 10, value: 1 },
      { device: 'box-1', epoch: 'b', seq: 9, value: 1 },
      { device: 'box-1', epoch: '', seq: 3, value: 1 },
    ];
    const lines = 'box-1\t\t3\t1\nbox-1\tb\t9\t1\nbox-1\tb\t10\t1\nbox-2\t\t1\t-1\n';

    // Act
    const sealed = voteDigest(votes);

    // Assess
    expect(sealed).toEqual({
      digest: createHash('sha256').update(lines).digest('hex'),
      count: 4,
    });
    expect(voteDigest([]).digest).toBe(createHash('sha256').digest('hex'));
  });
});
