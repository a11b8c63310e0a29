import { describe, expect, it } from 'vitest';
import { minuteOf, rollUpVotes, voteMinutePoint } from '../../src/voteRollup.js';

const MINUTE = Date.UTC(2026, 10, 25, 9, 30);

describe('minuteOf', () => {
  it('gives the start of the minute when a press falls anywhere inside it', () => {
    // Act
    const minutes = [MINUTE, MINUTE + 1, MINUTE + 59_999, MINUTE + 60_000].map(minuteOf);

    // Assess
    expect(minutes).toEqual([MINUTE, MINUTE, MINUTE, MINUTE + 60_000]);
  });
});

describe('rollUpVotes', () => {
  it('counts votes and sums values per event, room, talk and minute when votes are mixed', () => {
    // Prepare
    const vote = (at: number, value: number, room = 'amphi', talk = 't1', event = 'e') => ({
      event,
      room,
      talk,
      at,
      value,
    });

    // Act
    const totals = rollUpVotes([
      vote(MINUTE + 5, 1),
      vote(MINUTE + 6, -1),
      vote(MINUTE + 7, 1),
      vote(MINUTE + 60_001, -1),
      vote(MINUTE + 8, 1, 'lab', 't2'),
      vote(MINUTE + 9, 1, 'amphi', 'none'),
      vote(MINUTE + 10, 1, 'amphi', 't1', 'other'),
    ]);

    // Assess
    expect(totals).toEqual([
      { event: 'e', room: 'amphi', talk: 't1', minute: MINUTE, votes: 3, net: 1 },
      { event: 'e', room: 'amphi', talk: 't1', minute: MINUTE + 60_000, votes: 1, net: -1 },
      { event: 'e', room: 'lab', talk: 't2', minute: MINUTE, votes: 1, net: 1 },
      { event: 'e', room: 'amphi', talk: 'none', minute: MINUTE, votes: 1, net: 1 },
      { event: 'other', room: 'amphi', talk: 't1', minute: MINUTE, votes: 1, net: 1 },
    ]);
  });

  it('gives nothing when there is no vote', () => {
    // Act
    const totals = rollUpVotes([]);

    // Assess
    expect(totals).toEqual([]);
  });
});

describe('voteMinutePoint', () => {
  it('writes the minute as a vote_1m point at the minute start in ns', () => {
    // Act
    const point = voteMinutePoint({
      event: 'e',
      room: 'amphi',
      talk: 't1',
      minute: MINUTE,
      votes: 3,
      net: 1,
    });

    // Assess
    expect(point).toEqual({
      measurement: 'vote_1m',
      tags: { event: 'e', room: 'amphi', talk: 't1' },
      fields: { votes: 3, net: 1 },
      timestamp: `${MINUTE}000000`,
    });
  });
});
