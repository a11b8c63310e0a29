import { describe, expect, it } from 'vitest';
import { DEFAULT_CROWD, planBurst, shiftDays } from '../../src/crowd.js';
import { prng } from '../helpers/bounce.js';

describe('planBurst', () => {
  it('plans mostly likes within the burst, front-loaded, when a talk ends', () => {
    // Prepare
    const crowd = { ...DEFAULT_CROWD, attendees: 2000 };
    // Act
    const presses = planBurst(crowd, prng(11));
    // Assess
    const likes = presses.filter((p) => p.button === 'like').length / presses.length;
    const firstHalf = presses.filter((p) => p.at < crowd.burstMs / 2).length / presses.length;
    expect(likes).toBeGreaterThan(0.7);
    expect(firstHalf).toBeGreaterThan(0.8);
    expect(presses.every((p, i) => i === 0 || p.at >= (presses[i - 1]?.at ?? 0))).toBe(true);
  });
});

describe('shiftDays', () => {
  it('moves a programme by whole days to today', () => {
    // Act
    const offset = shiftDays(Date.parse('2015-06-11T08:00:00Z'), new Date('2026-11-25T15:00:00Z'));
    // Assess
    expect(new Date(Date.parse('2015-06-11T08:00:00Z') + offset).toISOString()).toBe(
      '2026-11-25T08:00:00.000Z',
    );
  });
});
