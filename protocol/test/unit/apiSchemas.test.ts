import { describe, expect, it } from 'vitest';
import { type RankedTalk, RankingAnswer } from '../../src/index.js';

const AT = 1_434_024_000_000; // 2015-06-11T12:00:00Z

const row: RankedTalk = {
  ...{ rank: 1, id: 't1', title: 'Talk one', speakers: ['Ada'], day: '2015-06-11' },
  ...{ room: { slug: 'amphi', name: 'Amphi' }, start: AT, format: 'Conférence', hidden: false },
  ...{ likes: 9, dislikes: 1, votes: 10, wilson: 0.6, headcount: null, participation: null },
};

describe('RankingAnswer', () => {
  it('takes the ranking as the ingest builds it, and refuses a room given by its slug alone or a field it does not know', () => {
    // Prepare
    const answer = { minVotes: 5, generatedAt: new Date(AT).toISOString(), talks: [row] };

    // Act
    const parsed = [
      RankingAnswer.safeParse(answer),
      RankingAnswer.safeParse({ ...answer, talks: [{ ...row, room: 'amphi' }] }),
      RankingAnswer.safeParse({ ...answer, talks: [{ ...row, score: 1 }] }),
      RankingAnswer.safeParse({ ...answer, generatedAt: AT }),
    ];

    // Assess
    expect(parsed.map((p) => p.success)).toEqual([true, false, false, false]);
  });
});
