import { join } from 'node:path';
import { tempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Journal, type JournalVote } from '../../src/journal.js';

function vote(seq: number, device = 'box-1', epoch = ''): JournalVote {
  const at = 1_750_000_000_000 + seq;
  return {
    event: 'e',
    device,
    epoch,
    seq,
    value: 1,
    at,
    boxAt: at,
    received: at,
    room: 'amphi',
    talk: 't1',
  };
}

function openJournal(): Journal {
  const journal = new Journal(':memory:');
  onTestFinished(() => journal.close());
  return journal;
}

describe('Journal', () => {
  it('stores a vote once and reports the second copy as a duplicate when it is sent twice', () => {
    // Prepare
    const journal = openJournal();

    // Act
    const first = journal.commit([vote(1), vote(2)]);
    const again = journal.commit([vote(2), vote(3)]);

    // Assess
    expect(first.inserted.map((v) => v.seq)).toEqual([1, 2]);
    expect(again.inserted.map((v) => v.seq)).toEqual([3]);
    expect(again.duplicates.map((v) => v.seq)).toEqual([2]);
    expect(journal.lastId()).toBe(3);
  });

  it('returns the votes after the high-water mark in row order when the writer asks', () => {
    // Prepare
    const journal = openJournal();
    journal.commit([vote(1), vote(2), vote(3)]);

    // Act
    journal.setWrittenId(1);
    const pending = journal.pendingAfter(journal.writtenId(), 10);

    // Assess
    expect(pending.map((v) => v.seq)).toEqual([2, 3]);
    expect(pending[0]).toMatchObject({
      id: 2,
      device: 'box-1',
      room: 'amphi',
      talk: 't1',
      boxAt: vote(2).boxAt,
    });
  });

  it('keeps ack watermarks, dead letters, delays and tallies when committed', () => {
    // Prepare
    const journal = openJournal();

    // Act
    journal.commit(
      [vote(1), vote(2), vote(5)],
      [{ received: 1, topic: 't', reason: 'bad', payload: new Uint8Array([1]) }],
      [{ device: 'box-1', epoch: '', seq: 2 }],
      'e',
    );
    journal.saveDelay('e', { room: 'amphi', minutes: 10, since: 5 });

    // Assess
    expect(journal.streams('e')).toEqual([
      {
        device: 'box-1',
        epoch: '',
        acked: 2,
        first: 1,
        firstHeard: vote(1).received,
        lastHeard: vote(5).received,
      },
    ]);
    expect(journal.storedSeqsAbove('e', 'box-1', '', 2)).toEqual([5]);
    expect(journal.deadLetters()).toHaveLength(1);
    expect(journal.delays('e')).toEqual([{ room: 'amphi', minutes: 10, since: 5 }]);
    expect(journal.flags.tallies('e')).toEqual([
      { room: 'amphi', talk: 't1', likes: 3, dislikes: 0 },
    ]);
  });
});

const MINUTE = Date.UTC(2026, 10, 25, 9, 30);

/** A vote of `device` pressed at `at`, +1 for even seqs and -1 for odd ones. */
function pressed(seq: number, at: number, talk = 't1', device = 'box-1'): JournalVote {
  return { ...vote(seq, device), value: seq % 2 === 0 ? 1 : -1, at, talk };
}

describe('Journal minute totals', () => {
  it('counts each stored vote once per room, talk and minute when copies arrive again', () => {
    // Prepare
    const journal = openJournal();

    // Act
    journal.commit([pressed(1, MINUTE + 1), pressed(2, MINUTE + 2), pressed(3, MINUTE + 60_000)]);
    journal.commit([
      pressed(2, MINUTE + 2),
      pressed(4, MINUTE + 3),
      pressed(5, MINUTE + 4, 'none'),
    ]);
    const totals = journal.minuteTotals([pressed(9, MINUTE), pressed(9, MINUTE + 60_001)]);

    // Assess
    expect(totals).toEqual([
      { event: 'e', minute: MINUTE, room: 'amphi', talk: 'none', votes: 1, net: -1 },
      { event: 'e', minute: MINUTE, room: 'amphi', talk: 't1', votes: 3, net: 1 },
      { event: 'e', minute: MINUTE + 60_000, room: 'amphi', talk: 't1', votes: 1, net: -1 },
    ]);
  });

  it('gives only the minutes late votes fall in, with every vote of them, when a box was offline for hours', () => {
    // Prepare
    const journal = openJournal();
    const late = MINUTE - 3 * 3_600_000;
    journal.commit([pressed(1, late + 5, 't0', 'box-2')]);
    journal.commit([pressed(1, MINUTE + 1), pressed(2, MINUTE + 2)]);

    // Act
    const delivered = [pressed(2, late + 10, 't0', 'box-2'), pressed(3, late + 20, 't0', 'box-2')];
    journal.commit(delivered);
    const totals = journal.minuteTotals(delivered);

    // Assess
    expect(totals).toEqual([
      { event: 'e', minute: late - (late % 60_000), room: 'amphi', talk: 't0', votes: 3, net: -1 },
    ]);
  });

  it('builds the totals from the votes already stored when the journal predates them', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.db');
    const old = new Journal(file, 'normal');
    old.commit([pressed(1, MINUTE + 1), pressed(2, MINUTE + 2), pressed(3, MINUTE + 3, 't2')]);
    old.close();
    const db = new Database(file);
    db.exec('DROP TABLE vote_1m');
    db.close();

    // Act
    const journal = new Journal(file, 'normal');
    onTestFinished(() => journal.close());
    const totals = journal.minuteTotals([pressed(1, MINUTE)]);

    // Assess
    expect(totals).toEqual([
      { event: 'e', minute: MINUTE, room: 'amphi', talk: 't1', votes: 2, net: 0 },
      { event: 'e', minute: MINUTE, room: 'amphi', talk: 't2', votes: 1, net: -1 },
    ]);
  });
});
