import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AckTracker, MAX_SEQ_JUMP, SHARED_WINDOW_MS } from '../../src/ackTracker.js';

const AT = 1_750_000_000_000;

describe('AckTracker', () => {
  it('moves the watermark only over contiguous seqs when votes arrive out of order', () => {
    // Prepare
    const tracker = new AckTracker();

    // Act
    const moves = [1, 2, 4, 5, 3, 7].map((seq) => tracker.record('box', 'e1', seq, AT)?.acked);

    // Assess
    expect(moves).toEqual([1, 2, undefined, undefined, 5, undefined]);
    expect(tracker.acked('box', 'e1')).toBe(5);
    expect(tracker.gaps()).toEqual({ missing: 1, devices: 1 });
  });

  it('ignores seqs at or below the watermark when a box resends them', () => {
    // Prepare
    const tracker = new AckTracker();
    tracker.record('box', '', 1, AT);

    // Act
    const moved = tracker.record('box', '', 1, AT)?.acked;

    // Assess
    expect(moved).toBeUndefined();
    expect(tracker.gaps()).toEqual({ missing: 0, devices: 0 });
  });

  it('keeps the watermarks of two epochs of one device apart when both restart at seq 1', () => {
    // Prepare
    const tracker = new AckTracker();
    for (let seq = 1; seq <= 40; seq++) tracker.record('box', 'old', seq, AT);

    // Act
    const moved = [1, 2, 3].map((seq) => tracker.record('box', 'new', seq, AT + 1000)?.acked);

    // Assess
    expect(moved).toEqual([1, 2, 3]);
    expect(tracker.acked('box', 'old')).toBe(40);
    expect(tracker.latest()).toEqual([{ device: 'box', epoch: 'new', seq: 3 }]);
  });

  it('starts an epoch it has no record of just below the first seq it hears when the journal was wiped', () => {
    // Prepare
    const tracker = new AckTracker();

    // Act
    const moved = [51, 52, 54].map((seq) => tracker.record('box', 'e1', seq, AT)?.acked);

    // Assess
    expect(moved).toEqual([51, 52, undefined]);
    expect(tracker.gaps()).toEqual({ missing: 1, devices: 1 });
  });

  it('restores a stale watermark and advances it over seqs stored above when restarted', () => {
    // Prepare
    const tracker = new AckTracker();

    // Act
    tracker.restore({
      ...{ device: 'box', epoch: 'e1', acked: 3, storedAbove: [4, 5, 7] },
      ...{ firstHeard: AT, lastHeard: AT },
    });

    // Assess
    expect(tracker.acked('box', 'e1')).toBe(5);
    expect(tracker.gaps()).toEqual({ missing: 1, devices: 1 });
  });

  it('calls a seq implausible when it is the largest safe integer or jumps too far above the watermark', () => {
    // Prepare
    const tracker = new AckTracker();
    for (let seq = 1; seq <= 10; seq++) tracker.record('box', 'e1', seq, AT);

    // Act
    const verdicts = [
      tracker.implausible('box', 'e1', 11),
      tracker.implausible('box', 'e1', 10 + MAX_SEQ_JUMP),
      tracker.implausible('box', 'e1', 11 + MAX_SEQ_JUMP),
      tracker.implausible('box', 'fresh', MAX_SEQ_JUMP),
      tracker.implausible('box', 'fresh', MAX_SEQ_JUMP + 1),
      tracker.implausible('box', 'e1', Number.MAX_SAFE_INTEGER),
    ];

    // Assess
    expect(verdicts.map((v) => v !== undefined)).toEqual([false, false, true, false, true, true]);
    expect(verdicts[2]).toBe('seq 1000011 is more than 1000000 above the acknowledged seq 10');
  });

  it('flags a device id as shared when two epochs interleave within the window, not when one follows the other', () => {
    // Prepare
    const swapped = new AckTracker();
    const twins = new AckTracker();

    // Act: a replaced SD card (old epoch silent, new one starts) and two boxes taking turns.
    swapped.record('box', 'old', 1, AT);
    swapped.record('box', 'old', 2, AT + 10_000);
    swapped.record('box', 'new', 1, AT + 20_000);
    swapped.record('box', 'new', 2, AT + 30_000);
    twins.record('box', 'a', 1, AT);
    twins.record('box', 'b', 1, AT + 10_000);
    const beforeTurn = twins.shared('box', AT + 10_000);
    twins.record('box', 'a', 2, AT + 20_000);

    // Assess
    expect(swapped.shared('box', AT + 30_000)).toBe(false);
    expect(beforeTurn).toBe(false);
    expect(twins.shared('box', AT + 20_000)).toBe(true);
    expect(twins.sharedDevices(AT + 20_000)).toEqual(['box']);
    expect(twins.shared('box', AT + 10_000 + SHARED_WINDOW_MS)).toBe(false);
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
          // Seq 1 first: an epoch starts just below the first seq heard.
          tracker.record('box', 'e', 1, AT);
          for (const seq of order) tracker.record('box', 'e', seq, AT);
          return tracker.acked('box', 'e') === 60 && tracker.gaps().missing === 0;
        },
      ),
    );
  });
});
