import { describe, expect, it } from 'vitest';
import { curveData } from '../../src/browser/curveData.js';

const OPENS = 1_750_000_000_000;
const CLOSES = OPENS + 3_600_000;
const window = { opens: OPENS, closes: CLOSES };

describe('curveData', () => {
  it('extends a live curve from its history to now', () => {
    // Prepare
    const points = [
      { t: OPENS, likes: 0, dislikes: 0 },
      { t: OPENS + 600_000, likes: 4, dislikes: 1 },
    ];

    // Act
    const columns = curveData(points, { live: true, window }, OPENS + 660_000);

    // Assess
    expect(columns).toEqual([
      [OPENS / 1000, OPENS / 1000 + 600, OPENS / 1000 + 660],
      [0, 4, 4],
      [0, 1, 1],
    ]);
  });

  it("holds a closed talk's final counts to the window close", () => {
    // Prepare
    const points = [
      { t: OPENS, likes: 0, dislikes: 0 },
      { t: OPENS + 1000, likes: 1, dislikes: 0 },
    ];

    // Act
    const [xs, likes] = curveData(points, { live: false, window }, CLOSES + 60_000);

    // Assess
    expect(xs).toEqual([OPENS / 1000, OPENS / 1000 + 1, CLOSES / 1000]);
    expect(likes).toEqual([0, 1, 1]);
  });

  it('draws counts received after the window closed at its close', () => {
    // Prepare
    const points = [
      { t: OPENS, likes: 0, dislikes: 0 },
      { t: CLOSES + 60_000, likes: 42, dislikes: 7 },
    ];

    // Act
    const [xs, likes] = curveData(points, { live: false, window }, CLOSES + 120_000);

    // Assess
    expect(xs).toEqual([OPENS / 1000, CLOSES / 1000, CLOSES / 1000]);
    expect(likes).toEqual([0, 42, 42]);
  });
});
