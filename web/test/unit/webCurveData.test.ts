import { describe, expect, it } from 'vitest';
import { curveData } from '../../src/browser/curveData.js';

const OPENS = 1_750_000_000_000;
const CLOSES = OPENS + 3_600_000;
const window = { opens: OPENS, closes: CLOSES };

describe('curveData', () => {
  it('draws a dashed ramp from the window opening when the page opened after votes', () => {
    // Prepare
    const points = [{ t: OPENS + 600_000, likes: 4, dislikes: 1 }];

    // Act
    const columns = curveData(points, { live: true, window }, OPENS + 660_000);

    // Assess
    expect(columns).toEqual([
      [OPENS / 1000, OPENS / 1000 + 600, OPENS / 1000 + 660],
      [null, 4, 4],
      [null, 1, 1],
      [0, 4, null],
      [0, 1, null],
    ]);
  });

  it('draws no ramp when the page saw the window open', () => {
    // Prepare
    const points = [
      { t: OPENS - 1000, likes: 0, dislikes: 0 },
      { t: OPENS + 1000, likes: 1, dislikes: 0 },
    ];

    // Act
    const [xs, likes, , rampLikes] = curveData(points, { live: false, window }, CLOSES);

    // Assess
    expect(xs).toEqual([OPENS / 1000 - 1, OPENS / 1000 + 1]);
    expect(likes).toEqual([0, 1]);
    expect(rampLikes).toEqual([null, null]);
  });

  it('draws counts received after the window closed at its close', () => {
    // Prepare
    const points = [{ t: CLOSES + 60_000, likes: 42, dislikes: 7 }];

    // Act
    const [xs, , , rampLikes] = curveData(points, { live: false, window }, CLOSES + 120_000);

    // Assess
    expect(xs).toEqual([OPENS / 1000, CLOSES / 1000]);
    expect(rampLikes).toEqual([0, 42]);
  });
});
