import type { TalkSummary } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { rank } from '../../src/results/ranking.js';
import { figuresOf } from '../../src/results/resultsMath.js';

function talk(id: string, likes: number, dislikes: number, hidden = false): TalkSummary {
  const start = Date.UTC(2026, 5, 11, 9) + id.charCodeAt(0) * 1000;
  return {
    ...{ id, title: `Talk ${id}`, speakers: [], room: { slug: 'amphi', name: 'Amphi' } },
    ...{ format: 'talk', day: '2026-06-11', start, end: start + 1, opens: start, closes: start },
    iso: { start: '', end: '', opens: '', closes: '' },
    state: hidden ? 'open' : 'closed',
    hidden,
    figures: hidden ? null : figuresOf(likes, dislikes, likes === 9 ? 100 : null),
  };
}

describe('rank', () => {
  it('ranks by Wilson lower bound, ties by votes, with talks under the minimum listed after, unranked', () => {
    // Prepare
    const talks = [
      talk('a', 9, 1),
      talk('b', 90, 10),
      talk('c', 3, 0),
      talk('d', 18, 2),
      talk('e', 50, 0, true),
    ];

    // Act
    const ranked = rank(talks, 10);

    // Assess
    expect(ranked.map((t) => [t.id, t.rank])).toEqual([
      ['b', 1],
      ['d', 2],
      ['a', 3],
      ['c', null],
      ['e', null],
    ]);
    expect(ranked[2]).toMatchObject({ headcount: 100, participation: 0.1, votes: 10 });
    expect(ranked[4]).toMatchObject({ hidden: true, likes: null, wilson: null });
  });
});
