import { describe, expect, it } from 'vitest';
import { MisuseDetector, type SeenVote } from '../../src/misuse.js';
import { NoticesEnv, noticeConfigOf } from '../../src/noticeConfig.js';

/** `count` votes of box `device`, `gapMs` apart from `from`, values from `valueAt`. */
function votes(
  count: number,
  gapMs: number,
  valueAt: (i: number) => 1 | -1 = () => 1,
  from = 1_000_000,
): SeenVote[] {
  return Array.from({ length: count }, (_, i) => ({
    ...{ id: i + 1, device: 'box-1', room: 'hall' },
    value: valueAt(i),
    at: from + i * gapMs,
  }));
}

/** The reasons found for `seen`, each with how many votes, by a detector with the defaults. */
function reasonsOf(seen: SeenVote[]): [string, number][] {
  const detector = new MisuseDetector(noticeConfigOf(NoticesEnv.parse({})));
  return detector.observe(seen).map((p) => [p.reason, p.ids.length]);
}

describe('MisuseDetector stuck-button', () => {
  it('flags 20 votes of one value at the gate pace (300 ms) and those that follow', () => {
    // Prepare
    const run = votes(25, 300);

    // Act
    const found = reasonsOf(run);

    // Assess
    expect(found).toEqual([
      ['stuck-button', 20],
      ...Array.from({ length: 5 }, () => ['stuck-button', 1]),
    ]);
  });

  it('flags a run 400 ms apart (the gate pace and its timers) but not one 19 votes long', () => {
    // Prepare
    const edge = votes(20, 400);
    const short = votes(19, 300);

    // Act
    const atEdge = reasonsOf(edge);
    const tooShort = reasonsOf(short);

    // Assess
    expect(atEdge).toEqual([['stuck-button', 20]]);
    expect(tooShort).toEqual([]);
  });

  it('leaves a fast queue alone: one press every 500 ms, or the gate pace with a dislike in between', () => {
    // Prepare: 40 people pressing like half a second apart; 40 at the gate's pace, every 10th
    // one disliking (a run of 9 likes at most).
    const queue = votes(40, 500);
    const mixed = votes(40, 300, (i) => (i % 10 === 9 ? -1 : 1));

    // Act
    const fromQueue = reasonsOf(queue);
    const fromMixed = reasonsOf(mixed);

    // Assess
    expect(fromQueue).toEqual([]);
    expect(fromMixed).toEqual([]);
  });
});

const AT = 1_750_000_000_000;
const config = noticeConfigOf(NoticesEnv.parse({}));

/** Votes of `device` with ids `from`…, `gapMs` apart, values from `pressOf`. */
function boxVotes(
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

describe('MisuseDetector memory', () => {
  it('reports every vote of a long stuck-button run once, however long the run grows', () => {
    // Prepare
    const detector = new MisuseDetector(config);
    const run = boxVotes('box-1', 1, 500, 100, () => 1);

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
    const flood = boxVotes('box-1', 1, 12_000, 1, (i) => (i % 3 === 2 ? -1 : 1));

    // Act
    const found = detector.observe(flood);

    // Assess
    expect(found).toEqual([]);
  });
});
