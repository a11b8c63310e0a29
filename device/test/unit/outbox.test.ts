import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Outbox } from '../../src/outbox.js';
import { tempDir } from '../helpers/rig.js';

const vote = { value: 1 as const, at: 1_800_000_000_000, room: 'amphi-a', synced: true };

function open(path: string): Outbox {
  const outbox = Outbox.open(path);
  onTestFinished(() => outbox.close());
  return outbox;
}

describe('Outbox', () => {
  it('continues seqs after a reopen when votes were recorded before', () => {
    // Prepare
    const path = join(tempDir(), 'box.sqlite');
    const first = Outbox.open(path);
    first.record(vote);
    first.record({ ...vote, value: -1 });
    first.close();
    // Act
    const again = open(path);
    const third = again.record(vote);
    // Assess
    expect(third.seq).toBe(3);
    expect(again.depth).toBe(3);
    expect(again.pending(1, 10).map((v) => [v.seq, v.value])).toEqual([
      [1, 1],
      [2, -1],
      [3, 1],
    ]);
  });

  it('deletes votes up to the ack and never reuses a seq when every vote left', () => {
    // Prepare
    const path = join(tempDir(), 'box.sqlite');
    const outbox = Outbox.open(path);
    for (let i = 0; i < 5; i++) outbox.record(vote);
    // Act
    const deleted = outbox.acknowledge(5, true);
    outbox.close();
    const reopened = open(path);
    // Assess
    expect(deleted).toBe(5);
    expect(reopened.depth).toBe(0);
    expect(reopened.ackedSeq).toBe(5);
    expect(reopened.record(vote).seq).toBe(6);
  });

  it('keeps cached documents across reopen', () => {
    // Prepare
    const path = join(tempDir(), 'box.sqlite');
    const outbox = Outbox.open(path);
    // Act
    outbox.cacheSet('config', { room: 'amphi-a' });
    outbox.close();
    // Assess
    expect(open(path).cacheGet('config')).toEqual({ room: 'amphi-a' });
  });
});
