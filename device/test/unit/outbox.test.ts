import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Outbox, type OutboxOptions } from '../../src/outbox.js';
import { StorageError } from '../../src/storage.js';
import { tempDir } from '../helpers/rig.js';

const vote = { value: 1 as const, at: 1_800_000_000_000, room: 'amphi-a', synced: true };

function open(path: string, options: OutboxOptions = {}): Outbox {
  const outbox = Outbox.open(path, options);
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

/** A file as boxes from before epochs left it: no epoch, votes 1..`votes`, acks up to `acked`. */
function legacyFile(path: string, votes: number, acked: number): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, value INTEGER NOT NULL,
      at INTEGER NOT NULL, room TEXT NOT NULL, synced INTEGER NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE cache (key TEXT PRIMARY KEY, json TEXT NOT NULL);
  `);
  const insert = db.prepare('INSERT INTO outbox VALUES (?, 1, ?, ?, 1)');
  for (let seq = acked + 1; seq <= votes; seq++) insert.run(seq, vote.at, vote.room);
  db.prepare("INSERT INTO meta VALUES ('lastSeq', ?), ('ackedSeq', ?)").run(votes, acked);
  db.close();
}

/** Pages in use (not on the free list). */
function pagesInUse(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const count = (pragma: string) => db.pragma(pragma, { simple: true }) as number;
    return count('page_count') - count('freelist_count');
  } finally {
    db.close();
  }
}

describe('Outbox identity', () => {
  it('makes an epoch with the file, keeps it across reopen, and puts it in every vote', () => {
    // Prepare
    const dir = tempDir();
    const first = Outbox.open(join(dir, 'a.sqlite'));
    const epoch = first.epoch;
    first.record(vote);
    first.close();
    // Act
    const again = open(join(dir, 'a.sqlite'));
    const other = open(join(dir, 'b.sqlite'));
    const second = again.record(vote);
    // Assess
    expect(epoch).toMatch(/^[0-9a-z]{12}$/);
    expect(again.epoch).toBe(epoch);
    expect(other.epoch).not.toBe(epoch);
    expect(second).toMatchObject({ seq: 2, epoch });
    expect(again.pending(1, 10).map((v) => v.epoch)).toEqual([epoch, epoch]);
  });

  it('keeps the legacy epoch of a file from before epochs while it holds votes, then starts a new one from seq 1', () => {
    // Prepare
    const path = join(tempDir(), 'old.sqlite');
    legacyFile(path, 12, 9);
    // Act
    const holding = Outbox.open(path);
    const legacy = {
      epoch: holding.epoch,
      pending: holding.pending(1, 10),
      next: holding.record(vote),
    };
    holding.acknowledge(13, false);
    holding.close();
    const drained = open(path);
    const fresh = drained.record(vote);
    // Assess
    expect(legacy.epoch).toBe('');
    expect(legacy.pending.map((v) => [v.seq, 'epoch' in v])).toEqual([
      [10, false],
      [11, false],
      [12, false],
    ]);
    expect(legacy.next).not.toHaveProperty('epoch');
    expect(legacy.next.seq).toBe(13);
    expect(drained.epoch).toMatch(/^[0-9a-z]{12}$/);
    expect(fresh).toMatchObject({ seq: 1, epoch: drained.epoch });
    expect([drained.ackedSeq, drained.pending(1, 10).length]).toEqual([0, 1]);
  });

  it('refuses an ack beyond its last seq and keeps every vote', () => {
    // Prepare
    const outbox = open(join(tempDir(), 'box.sqlite'));
    for (let i = 0; i < 3; i++) outbox.record(vote);
    // Act
    const refused = () => outbox.acknowledge(Number.MAX_SAFE_INTEGER, true);
    // Assess
    expect(refused).toThrow(RangeError);
    expect([outbox.lastSeq, outbox.depth, outbox.ackedSeq]).toEqual([3, 3, 0]);
    expect(outbox.record(vote).seq).toBe(4);
  });

  it('creates its files 0600 in a folder 0700', () => {
    // Prepare
    const dir = join(tempDir(), 'data', 'box');
    // Act
    const outbox = open(join(dir, 'box.sqlite'));
    outbox.record(vote);
    // Assess
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm'])
      expect(statSync(join(dir, `box.sqlite${suffix}`)).mode & 0o777).toBe(0o600);
  });
});

describe('Outbox storage', () => {
  it('refuses a vote when full without using a seq, and takes votes again once acks make room', () => {
    // Prepare
    const outbox = open(join(tempDir(), 'box.sqlite'), { maxBytes: 64 * 1024 });
    let error: unknown = null;
    // Act
    while (error === null) {
      try {
        outbox.record(vote);
      } catch (err) {
        error = err;
      }
    }
    const full = { storage: outbox.storage, lastSeq: outbox.lastSeq, depth: outbox.depth };
    const stillFull = outbox.probe();
    outbox.acknowledge(outbox.lastSeq, true);
    const afterAck = outbox.probe();
    const next = outbox.record(vote);
    // Assess
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).state).toBe('full');
    expect(full.storage).toBe('full');
    expect(full.depth).toBe(full.lastSeq);
    expect(stillFull).toBe('full');
    expect(afterAck).toBe('ok');
    expect(next.seq).toBe(full.lastSeq + 1);
  });

  it('writes a new epoch with the first vote when the disk had no room for it at open', () => {
    // Prepare: a cap of exactly the pages of an empty outbox, so the open's probe cannot write.
    const dir = tempDir();
    Outbox.open(join(dir, 'empty.sqlite')).close();
    const pages = pagesInUse(join(dir, 'empty.sqlite'));
    const path = join(dir, 'box.sqlite');
    const outbox = Outbox.open(path, { maxBytes: pages * 4096 });
    const atOpen = outbox.storage;
    // Act
    const first = outbox.record(vote);
    outbox.close();
    const reopened = open(path);
    // Assess
    expect(atOpen).toBe('full');
    expect(first.epoch).toBe(reopened.epoch);
    expect(reopened.pending(1, 10)).toEqual([first]);
  });
});
