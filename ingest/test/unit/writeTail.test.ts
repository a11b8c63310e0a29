import { describe, expect, it } from 'vitest';
import type { PendingVote } from '../../src/journal.js';
import { WriteTail } from '../../src/writeTail.js';

/** Votes with row ids `from`…`to`. */
function rows(from: number, to: number): PendingVote[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    ...{ event: 'demo', device: 'box-1', epoch: '', seq: from + i, value: 1 as const },
    ...{ at: 1000, boxAt: 1000, received: 1000, room: 'amphi', talk: 'none', id: from + i },
  }));
}

/** A journal read that records what it was asked and answers rows after `after`. */
function journal(after: number) {
  const asked: number[] = [];
  const read = (limit: number) => {
    asked.push(limit);
    return rows(after + 1, after + limit);
  };
  return { asked, read };
}

const ids = (votes: PendingVote[]) => votes.map((v) => v.id);

describe('WriteTail', () => {
  it('gives the votes it holds from the mark on, without reading the journal', () => {
    // Prepare
    const tail = new WriteTail(3);
    tail.add(rows(1, 2));
    tail.add(rows(3, 5));
    const { asked, read } = journal(0);

    // Act
    const first = tail.take(1, 3, read);
    const second = tail.take(4, 3, read);

    // Assess
    expect([ids(first), ids(second)]).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(asked).toEqual([]);
  });

  it('reads the rows before its first one from the journal, then goes on from memory', () => {
    // Prepare
    const tail = new WriteTail(10);
    tail.add(rows(6, 8));
    const { asked, read } = journal(0);

    // Act
    const fromJournal = tail.take(1, 10, read);
    const fromMemory = tail.take(6, 10, read);

    // Assess
    expect(asked).toEqual([5]);
    expect([ids(fromJournal), ids(fromMemory)]).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ]);
  });

  it('keeps the newest rows when the writer falls behind by more than its cap', () => {
    // Prepare: batches of 2, up to 4 batches kept (cut once past 5).
    const tail = new WriteTail(2);
    for (let id = 1; id <= 11; id += 1) tail.add(rows(id, id));
    const { asked, read } = journal(0);

    // Act
    const taken = tail.take(1, 100, read);

    // Assess: at 11 rows (past 4 batches and one more) the tail kept the newest 8
    expect(asked).toEqual([3]);
    expect(ids(taken)).toEqual([1, 2, 3]);
    expect(ids(tail.take(4, 100, read))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('starts afresh after a gap in row ids, and skips rows already written', () => {
    // Prepare
    const tail = new WriteTail(10);
    tail.add(rows(1, 3));
    tail.add(rows(7, 8));
    const { asked, read } = journal(3);

    // Act
    const gap = tail.take(4, 10, read);
    const rest = tail.take(7, 10, read);

    // Assess
    expect(asked).toEqual([3]);
    expect([ids(gap), ids(rest)]).toEqual([
      [4, 5, 6],
      [7, 8],
    ]);
  });

  it('reads everything from the journal once cleared', () => {
    // Prepare
    const tail = new WriteTail(10);
    tail.add(rows(1, 3));
    tail.clear();
    const { asked, read } = journal(0);

    // Act
    const taken = tail.take(1, 2, read);

    // Assess
    expect(asked).toEqual([2]);
    expect(ids(taken)).toEqual([1, 2]);
  });
});
