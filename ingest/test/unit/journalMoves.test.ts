import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import { applyDelay } from '@likebox/schedule';
import { describe, expect, it, onTestFinished } from 'vitest';
import { firstChange } from '../../src/delayMoves.js';
import { Journal, type JournalVote } from '../../src/journal.js';

/** A minute's start: talks and votes in whole minutes from it. */
const T0 = 1_750_000_020_000;
const MIN = 60_000;

/** Room amphi: t1 from T0 for an hour, t2 right after it (windows [+10, +75) and [+70, +135) min). */
const schedule: Schedule = {
  ...{ version: 1, event: 'e', name: 'E', timeZone: 'UTC' },
  rooms: [{ slug: 'amphi', name: 'Amphi' }],
  talks: ['t1', 't2'].map((id, i) => ({
    ...{ id, room: 'amphi', title: id, speakers: [], format: 'talk', votable: true },
    start: new Date(T0 + i * 60 * MIN).toISOString(),
    end: new Date(T0 + (i + 1) * 60 * MIN).toISOString(),
  })),
};

function vote(seq: number, minutes: number, value: 1 | -1, talk: string): JournalVote {
  const at = T0 + minutes * MIN + seq;
  const base = { event: 'e', device: 'box-1', epoch: '', seq, value, at, boxAt: at };
  return { ...base, received: at, room: 'amphi', talk };
}

/** One vote in t1, an exit burst of 4 (one flagged) the on-time schedule gave t2, one vote in t2. */
function journalWithBurst(): Journal {
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  journal.commit([
    vote(1, 30, 1, 't1'),
    vote(2, 76, 1, 't2'),
    vote(3, 77, -1, 't2'),
    vote(4, 78, 1, 't2'),
    vote(5, 79, 1, 't2'),
    vote(6, 100, -1, 't2'),
  ]);
  journal.flags.flag([5], 'troll');
  journal.setWrittenId(journal.lastId());
  journal.saveWrittenId();
  return journal;
}

/** Declares `minutes` late from t1's end, as the ingest does. */
function delay(journal: Journal, before: ScheduleIndex, minutes: number) {
  const since = T0 + 60 * MIN;
  const after = new ScheduleIndex(applyDelay(before.schedule, 'amphi', minutes, since));
  const from = firstChange(before, after, 'amphi') ?? Number.POSITIVE_INFINITY;
  const talkAt = (at: number) => after.talkAt('amphi', at)?.talk.id ?? 'none';
  const moving = { talks: ['t1', 't2', 'none'], from, talkAt };
  const result = journal.moves.moveForDelay('e', { room: 'amphi', minutes, since }, moving);
  return { after, result };
}

const talks = (journal: Journal) =>
  journal.database.prepare('SELECT seq, talk FROM votes ORDER BY seq').raw().all();
const totals = (journal: Journal) =>
  journal.database
    .prepare('SELECT talk, sum(votes) AS votes, sum(net) AS net FROM vote_1m GROUP BY talk')
    .all();

describe('VoteMoves', () => {
  it('moves the exit burst to the late talk, with its minute totals, when the room runs 15 min late', () => {
    // Prepare
    const journal = journalWithBurst();

    // Act
    const { result } = delay(journal, new ScheduleIndex(schedule), 15);

    // Assess
    expect(result.moved.map((v) => [v.id, v.from, v.to, v.flag])).toEqual([
      [2, 't2', 't1', null],
      [3, 't2', 't1', null],
      [4, 't2', 't1', null],
      [5, 't2', 't1', 'troll'],
    ]);
    expect(talks(journal)).toEqual([
      [1, 't1'],
      [2, 't1'],
      [3, 't1'],
      [4, 't1'],
      [5, 't1'],
      [6, 't2'],
    ]);
    expect(totals(journal)).toEqual([
      { talk: 't1', votes: 4, net: 2 },
      { talk: 't2', votes: 1, net: -1 },
    ]);
    expect(journal.flags.tallies('e')).toEqual([
      { room: 'amphi', talk: 't1', likes: 3, dislikes: 1 },
      { room: 'amphi', talk: 't2', likes: 0, dislikes: 1 },
    ]);
    expect(journal.moves.pendingDeletions()).toEqual([
      { event: 'e', room: 'amphi', talk: 't2', from: T0 + 76 * MIN, to: T0 + 79 * MIN + 5 },
    ]);
    expect(result.rewindTo).toBe(1);
    expect(journal.writtenId()).toBe(1);
    expect(journal.delays('e')).toEqual([{ room: 'amphi', minutes: 15, since: T0 + 60 * MIN }]);
  });

  it('moves the votes back and deletes the emptied minutes when the delay is cancelled', () => {
    // Prepare
    const journal = journalWithBurst();
    const { after } = delay(journal, new ScheduleIndex(schedule), 15);
    journal.setWrittenId(journal.lastId());

    // Act
    const { result } = delay(journal, after, 0);

    // Assess
    expect(result.moved.map((v) => [v.id, v.from, v.to])).toEqual([
      [2, 't1', 't2'],
      [3, 't1', 't2'],
      [4, 't1', 't2'],
      [5, 't1', 't2'],
    ]);
    expect(totals(journal)).toEqual([
      { talk: 't1', votes: 1, net: 1 },
      { talk: 't2', votes: 4, net: 0 },
    ]);
    const minutes = journal.database.prepare("SELECT count(*) FROM vote_1m WHERE talk = 't1'");
    expect(minutes.pluck().get()).toBe(1);
    expect(journal.moves.pendingDeletions().map((d) => d.talk)).toEqual(['t2', 't1']);
    expect(journal.writtenId()).toBe(1);
  });

  it('forgets only the deletions done when the writer reports them', () => {
    // Prepare
    const journal = journalWithBurst();
    const { after } = delay(journal, new ScheduleIndex(schedule), 15);
    delay(journal, after, 0);
    const [first, second] = journal.moves.pendingDeletions();

    // Act
    journal.moves.deletionsDone([first!]);
    const left = journal.moves.pendingDeletions();
    journal.moves.deletionsDone([second!]);

    // Assess
    expect(left).toEqual([second]);
    expect(journal.moves.pendingDeletions()).toEqual([]);
  });

  it('finds no change, and moves nothing, when a delay leaves every window of the room as it was', () => {
    // Prepare: t1 and t2 ended before the delay is declared.
    const journal = journalWithBurst();
    const before = new ScheduleIndex(schedule);
    const since = T0 + 200 * MIN;
    const after = new ScheduleIndex(applyDelay(schedule, 'amphi', 15, since));

    // Act
    const from = firstChange(before, after, 'amphi');

    // Assess
    expect(from).toBeUndefined();
    expect(firstChange(before, delay(journal, before, 15).after, 'amphi')).toBe(T0 + 10 * MIN);
  });
});
