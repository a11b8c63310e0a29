import { describe, expect, it } from 'vitest';
import { voteRollupLines, voteRollupQuery } from '../../src/voteRollup.js';

describe('voteRollupQuery', () => {
  it('covers whole minutes when the range starts and ends inside minutes', () => {
    // Act
    const query = voteRollupQuery("o'clock", 90_000, 150_000);

    // Assess
    expect(query).toBe(
      'SELECT count("value") AS "votes", sum("value") AS "net" FROM "vote" ' +
        `WHERE "event" = 'o\\'clock' AND time >= 60000ms AND time < 180000ms ` +
        'GROUP BY time(1m), "room", "talk" fill(none)',
    );
  });
});

describe('voteRollupLines', () => {
  it('writes one integer point per room, talk and minute, skipping empty minutes', () => {
    // Prepare
    const series = [
      {
        name: 'vote',
        tags: { room: 'amphi-a', talk: 'talk 1' },
        columns: ['time', 'votes', 'net'],
        values: [
          [60_000, 3, 1],
          [120_000, null, null],
        ],
      },
    ];

    // Act
    const lines = voteRollupLines('demo', series);

    // Assess
    expect(lines).toEqual(['vote_1m,event=demo,room=amphi-a,talk=talk\\ 1 votes=3i,net=1i 60000']);
  });
});
