import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Journal, type JournalVote } from '../../src/journal.js';
import { JournalInUseError, lockFileOf } from '../../src/journalFiles.js';
import { JournalVersionError, SCHEMA_VERSION } from '../../src/journalSchema.js';

const AT = 1_750_000_000_000;

function vote(seq: number, epoch: string, device = 'box-1'): JournalVote {
  return {
    ...{ event: 'e', device, epoch, seq, value: 1, at: AT + seq, boxAt: AT + seq },
    ...{ received: AT + seq, room: 'amphi', talk: 't1' },
  };
}

function open(file: string): Journal {
  const journal = new Journal(file, 'normal');
  onTestFinished(() => journal.close());
  return journal;
}

/** The schema of the journals written before epochs (schema version 1, user_version 0). */
const V1_SCHEMA = `
CREATE TABLE votes (
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,
  value INTEGER NOT NULL, at INTEGER NOT NULL, box_at INTEGER NOT NULL, received INTEGER NOT NULL,
  room TEXT NOT NULL, talk TEXT NOT NULL,
  UNIQUE (event, device, seq)
);
CREATE TABLE acks (
  event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (event, device)
) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY, received INTEGER NOT NULL, topic TEXT NOT NULL, reason TEXT NOT NULL,
  payload BLOB NOT NULL
);
CREATE TABLE delays (
  event TEXT NOT NULL, room TEXT NOT NULL, minutes INTEGER NOT NULL, since INTEGER NOT NULL,
  PRIMARY KEY (event, room)
) WITHOUT ROWID;
`;

/** A journal file as the version before epochs left it: 3 votes of box-1, acked to 2, 1 written. */
function writeV1Journal(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(V1_SCHEMA);
  const insert = db.prepare(
    `INSERT INTO votes (event, device, seq, value, at, box_at, received, room, talk)
     VALUES ('e', 'box-1', ?, 1, ?, ?, ?, 'amphi', 't1')`,
  );
  for (const seq of [1, 2, 4]) insert.run(seq, AT + seq, AT + seq, AT + seq);
  db.exec("INSERT INTO acks VALUES ('e', 'box-1', 2); INSERT INTO meta VALUES ('written_id', 1)");
  db.close();
}

describe('Journal identity', () => {
  it('stores the votes of two epochs of one device apart when both restart at seq 1', () => {
    // Prepare
    const journal = open(':memory:');

    // Act
    const old = journal.commit([vote(1, 'old'), vote(2, 'old')]);
    const replaced = journal.commit([vote(1, 'new'), vote(2, 'new'), vote(2, 'old')]);

    // Assess
    expect(old.inserted).toHaveLength(2);
    expect(replaced.inserted.map((v) => `${v.epoch}/${v.seq}`)).toEqual(['new/1', 'new/2']);
    expect(replaced.duplicates.map((v) => `${v.epoch}/${v.seq}`)).toEqual(['old/2']);
    expect(journal.streams('e').map((s) => [s.epoch, s.acked, s.first])).toEqual([
      ['new', undefined, 1],
      ['old', undefined, 1],
    ]);
  });

  it('migrates a journal of the schema before epochs in place, keeping row ids, acks and the written mark', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.sqlite');
    writeV1Journal(file);

    // Act
    const journal = open(file);
    const after = journal.commit([vote(1, 'k3v9x0a1b2c4'), vote(4, '')]);

    // Assess
    expect(journal.pendingAfter(0, 10).map((v) => [v.id, v.epoch, v.seq])).toEqual([
      [1, '', 1],
      [2, '', 2],
      [3, '', 4],
      [4, 'k3v9x0a1b2c4', 1],
    ]);
    expect(after.duplicates.map((v) => v.seq)).toEqual([4]);
    expect(journal.writtenId()).toBe(1);
    expect(journal.streams('e').find((s) => s.epoch === '')?.acked).toBe(2);
    expect(journal.storedSeqsAbove('e', 'box-1', '', 2)).toEqual([4]);
    expect(journal.flags.tallies('e')).toEqual([
      { room: 'amphi', talk: 't1', likes: 4, dislikes: 0 },
    ]);
  });

  it('migrates a journal of schema version 2 in place: its votes kept and counted, none flagged', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.sqlite');
    const v2 = new Database(file);
    v2.exec(
      V1_SCHEMA.replace('UNIQUE (event, device, seq)', "epoch TEXT NOT NULL DEFAULT ''").replace(
        'seq INTEGER NOT NULL, PRIMARY KEY (event, device)',
        "epoch TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL, PRIMARY KEY (event, device, epoch)",
      ),
    );
    v2.exec(`INSERT INTO votes (event, device, epoch, seq, value, at, box_at, received, room, talk)
             VALUES ('e', 'box-1', 'k3v9x0a1b2c4', 1, -1, ${AT}, ${AT}, ${AT}, 'amphi', 't1')`);
    v2.pragma('user_version = 2');
    v2.close();

    // Act
    const journal = new Journal(file, 'normal');
    const tallies = journal.flags.tallies('e');
    journal.close();

    // Assess
    const check = new Database(file, { readonly: true });
    onTestFinished(() => {
      check.close();
    });
    expect(check.prepare('SELECT flag FROM votes').all()).toEqual([{ flag: null }]);
    expect(check.prepare('SELECT count(*) AS n FROM headcounts').get()).toEqual({ n: 0 });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tallies).toEqual([{ room: 'amphi', talk: 't1', likes: 0, dislikes: 1 }]);
  });

  it('refuses a journal written by a newer schema when opened by this version', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    // Act
    const opening = () => new Journal(file, 'normal');

    // Assess
    expect(opening).toThrow(JournalVersionError);
  });

  it('refuses a second opener of the same journal, naming the holder, and lets it in once closed', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.sqlite');
    const first = new Journal(file, 'normal');

    // Act
    let refusal: unknown;
    try {
      new Journal(file, 'normal').close();
    } catch (err) {
      refusal = err;
    }
    first.close();
    const second = open(file);

    // Assess
    expect(refusal).toBeInstanceOf(JournalInUseError);
    expect(String((refusal as Error).message)).toContain(`process ${process.pid} on `);
    expect(second.lastId()).toBe(0);
  });

  it('creates its folder 0700 and its files 0600, and tightens a journal left 0644', async () => {
    // Prepare
    const dir = join(await tempDir(), 'private', 'journal');
    const file = join(dir, 'journal.sqlite');
    const old = join(await tempDir(), 'old.sqlite');
    writeV1Journal(old);

    // Act
    const journal = open(file);
    journal.commit([vote(1, '')]);
    open(old);
    const mode = (path: string) => statSync(path).mode & 0o777;

    // Assess
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(lockFileOf(file))).toBe(0o600);
    expect(mode(old)).toBe(0o600);
  });

  it('keeps its random identity across reopenings when asked twice', async () => {
    // Prepare
    const file = join(await tempDir(), 'journal.sqlite');
    const first = new Journal(file, 'normal');
    const id = first.identity();
    first.close();

    // Act
    const again = open(file).identity();

    // Assess
    expect(id).toMatch(/^[0-9a-z]{1,13}$/);
    expect(again).toBe(id);
  });
});
