import { describe, expect, it } from 'vitest';
import { MisuseDetector, type SeenVote } from '../../src/misuse.js';
import { NoticesEnv, noticeConfigOf } from '../../src/noticeConfig.js';

const AT = 1_750_000_000_000;
const config = noticeConfigOf(NoticesEnv.parse({}));

/** Votes of `device` with ids `from`…, `gapMs` apart, values from `pressOf`. */
function votes(
  device: string,
  from: number,
  count: number,
  gapMs: number,
  pressOf: (i: number) => 1 | -1,
): SeenVote[] {
  return Array.from({ length: count }, (_, i) => ({
    ...{ id: from + i, device, value: pressOf(i) },
    ...{ at: AT + (from + i) * gapMs, room: 'amphi' },
  }));
}

describe('MisuseDetector', () => {
  it('reports every vote of a long stuck-button run once, however long the run grows', () => {
    // Prepare
    const detector = new MisuseDetector(config);
    const run = votes('box-1', 1, 500, 100, () => 1);

    // Act
    const found = run.flatMap((vote) => detector.observe([vote]));

    // Assess
    const ids = found.flatMap((pattern) => pattern.ids);
    expect(found.every((pattern) => pattern.reason === 'stuck-button')).toBe(true);
    expect(ids).toEqual(run.map((vote) => vote.id));
  });

  it('finds nothing in a flood of alternating values, past the votes it keeps per box', () => {
    // Prepare: 12,000 votes of one box, 1 ms apart, +1 +1 -1 (no run, no sustained minutes)
    const detector = new MisuseDetector(config);
    const flood = votes('box-1', 1, 12_000, 1, (i) => (i % 3 === 2 ? -1 : 1));

    // Act
    const found = detector.observe(flood);

    // Assess
    expect(found).toEqual([]);
  });
});
