import { describe, expect, it } from 'vitest';
import { WILSON_Z_95, wilsonInfluxQL, wilsonLowerBound } from '../../src/wilson.js';

describe('wilsonLowerBound', () => {
  it('ranks 95 likes out of 100 above 3 out of 3 when both are computed', () => {
    // Act
    const many = wilsonLowerBound(95, 100);
    const few = wilsonLowerBound(3, 3);

    // Assess: reference values computed by hand from Wilson's formula, z = 1.96
    expect(many).toBeCloseTo(0.888248, 6);
    expect(few).toBeCloseTo(0.438494, 6);
    expect(many).toBeGreaterThan(few);
  });

  it('returns 0 when there is no vote or no like', () => {
    // Act
    const none = wilsonLowerBound(0, 0);
    const noLike = wilsonLowerBound(0, 12);

    // Assess
    expect(none).toBe(0);
    expect(noLike).toBeCloseTo(0, 12);
  });

  it('stays below the observed ratio and rises with the number of votes at the same ratio', () => {
    // Act
    const bounds = [4, 40, 400, 4000].map((votes) => wilsonLowerBound(votes * 0.75, votes));

    // Assess
    for (const bound of bounds) expect(bound).toBeLessThan(0.75);
    expect([...bounds].sort((a, b) => a - b)).toEqual(bounds);
  });
});

describe('wilsonInfluxQL', () => {
  it('writes the z constants as float literals when z is 1.96', () => {
    // Act
    const expression = wilsonInfluxQL('n', 'p', WILSON_Z_95);

    // Assess
    expect(expression).toBe(
      '(p + 1.9208 / n - 1.96 * SQRT(p * (1.0 - p) / n + 0.9604 / (n * n))) / (1.0 + 3.8416 / n)',
    );
  });
});
