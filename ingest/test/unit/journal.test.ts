import { describe, expect, it, onTestFinished } from 'vitest';
import { Journal, type JournalVote } from '../../src/journal.js';

function vote(seq: number, device = 'box-1'): JournalVote {
  const at = 1_750_000_000_000 + seq;
  return {
    event: 'e',
    device,
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
      new Map([['box-1', 2]]),
      'e',
    );
    journal.saveDelay('e', { room: 'amphi', minutes: 10, since: 5 });

    // Assess
    expect(journal.ackWatermarks('e')).toEqual(new Map([['box-1', 2]]));
    expect(journal.storedSeqsAbove('e', 'box-1', 2)).toEqual([5]);
    expect(journal.deadLetters()).toHaveLength(1);
    expect(journal.delays('e')).toEqual([{ room: 'amphi', minutes: 10, since: 5 }]);
    expect(journal.tallies('e')).toEqual([{ room: 'amphi', talk: 't1', likes: 3, dislikes: 0 }]);
  });
});
