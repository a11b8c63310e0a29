import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AckTracker } from '../../src/ackTracker.js';

describe('AckTracker', () => {
  it('moves the watermark only over contiguous seqs when votes arrive out of order', () => {
    // Prepare
    const tracker = new AckTracker();

    // Act
    const moves = [1, 2, 4, 5, 3, 7].map((seq) => tracker.record('box', seq));

    // Assess
    expect(moves).toEqual([1, 2, undefined, undefined, 5, undefined]);
    expect(tracker.acked('box')).toBe(5);
    expect(tracker.gaps()).toEqual({ missing: 1, devices: 1 });
  });

  it('ignores seqs at or below the watermark when a box resends them', () => {
    // Prepare
    const tracker = new AckTracker();
    tracker.record('box', 1);

    // Act
    const moved = tracker.record('box', 1);

    // Assess
    expect(moved).toBeUndefined();
    expect(tracker.gaps()).toEqual({ missing: 0, devices: 0 });
  });

  it('restores a stale watermark and advances it over seqs stored above when restarted', () => {
    // Prepare
    const tracker = new AckTracker();

    // Act
    tracker.restore('box', 3, [4, 5, 7]);

    // Assess
    expect(tracker.acked('box')).toBe(5);
    expect(tracker.gaps()).toEqual({ missing: 1, devices: 1 });
  });

  it('reaches the highest seq when every seq of a permutation is recorded', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          [...Array(60).keys()].map((i) => i + 1),
          { minLength: 60 },
        ),
        (order) => {
          const tracker = new AckTracker();
          for (const seq of order) tracker.record('box', seq);
          return tracker.acked('box') === 60 && tracker.gaps().missing === 0;
        },
      ),
    );
  });
});
