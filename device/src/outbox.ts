import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Vote } from '@likebox/protocol';
import Database from 'better-sqlite3';

/** A vote before it gets its seq. */
export type NewVote = Omit<Vote, 'seq'>;

interface Row {
  seq: number;
  value: 1 | -1;
  at: number;
  room: string;
  synced: number;
}

/**
 * The box's durable outbox, in SQLite: every vote is written with its per-box `seq` in one
 * transaction before it counts, and leaves only when the ingest's retained `ack` covers it.
 *
 * Durability: WAL journal with `synchronous=FULL`, so each commit is fsynced to the WAL before
 * {@link record} returns; a power cut then loses no recorded vote (with NORMAL, WAL commits are
 * only synced at checkpoints and the last ones can vanish on power loss; SQLite docs,
 * "pragma synchronous"). `seq` is assigned inside the same transaction as the insert, and the
 * highest seq ever used is kept in `meta`, so a seq is never reused even after every vote left.
 *
 * The same file caches the retained `schedule` and `config`, so the box works offline after boot.
 */
export class Outbox {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[number, number, number, string, number]>;
  readonly #setMeta: Database.Statement<[string, number]>;
  readonly #getMeta: Database.Statement<[string], { value: number }>;
  readonly #deleteUpTo: Database.Statement<[number]>;
  readonly #page: Database.Statement<[number, number], Row>;
  readonly #count: Database.Statement<[], { n: number }>;
  readonly #record: (vote: NewVote) => Vote;
  #lastSeq: number;
  #depth: number;

  /** Opens (or creates) the outbox file; `path` may be `:memory:`. */
  static open(path: string): Outbox {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, value INTEGER NOT NULL,
        at INTEGER NOT NULL, room TEXT NOT NULL, synced INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, json TEXT NOT NULL);
    `);
    return new Outbox(db);
  }

  /** Wraps an open database whose tables exist: use {@link Outbox.open}. */
  private constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = this.#db.prepare(
      'INSERT INTO outbox (seq, value, at, room, synced) VALUES (?, ?, ?, ?, ?)',
    );
    this.#setMeta = this.#db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.#getMeta = this.#db.prepare('SELECT value FROM meta WHERE key = ?');
    this.#deleteUpTo = this.#db.prepare('DELETE FROM outbox WHERE seq <= ?');
    this.#page = this.#db.prepare('SELECT * FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?');
    this.#count = this.#db.prepare('SELECT count(*) AS n FROM outbox');
    this.#lastSeq = this.#getMeta.get('lastSeq')?.value ?? 0;
    this.#depth = this.#count.get()?.n ?? 0;
    this.#record = this.#db.transaction((vote: NewVote): Vote => {
      const seq = this.#lastSeq + 1;
      this.#insert.run(seq, vote.value, vote.at, vote.room, vote.synced ? 1 : 0);
      this.#setMeta.run('lastSeq', seq);
      return { seq, ...vote };
    });
  }

  /** Highest seq ever recorded (0 before the first vote). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Highest seq the ingest has acknowledged. */
  get ackedSeq(): number {
    return this.#getMeta.get('ackedSeq')?.value ?? 0;
  }

  /** Votes waiting for an ack. */
  get depth(): number {
    return this.#depth;
  }

  /** Durably records a vote and returns it with its new seq (fsynced when this returns). */
  record(vote: NewVote): Vote {
    const saved = this.#record(vote);
    this.#lastSeq = saved.seq;
    this.#depth++;
    return saved;
  }

  /**
   * Applies a retained ack: deletes every vote up to `seq`. An ack above the last recorded seq means
   * this box lost its outbox file (a new SD card): seqs then continue above the ack, so new votes
   * are never mistaken by the ingest for ones it already stored. Returns the number deleted.
   */
  acknowledge(seq: number): number {
    return this.#db.transaction(() => {
      if (seq > this.#lastSeq) {
        this.#lastSeq = seq;
        this.#setMeta.run('lastSeq', seq);
      }
      this.#setMeta.run('ackedSeq', Math.max(seq, this.ackedSeq));
      const deleted = this.#deleteUpTo.run(seq).changes;
      this.#depth -= deleted;
      return deleted;
    })();
  }

  /** Up to `limit` waiting votes with seq ≥ `from`, in seq order. */
  pending(from: number, limit: number): Vote[] {
    return this.#page
      .all(from, limit)
      .map((r) => ({ seq: r.seq, value: r.value, at: r.at, room: r.room, synced: r.synced === 1 }));
  }

  /** Stores a cached JSON document (retained schedule, config). */
  cacheSet(key: string, value: unknown): void {
    this.#db
      .prepare(
        'INSERT INTO cache (key, json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET json = excluded.json',
      )
      .run(key, JSON.stringify(value));
  }

  /** Reads a cached JSON document, or undefined. */
  cacheGet(key: string): unknown {
    const row = this.#db
      .prepare<[string], { json: string }>('SELECT json FROM cache WHERE key = ?')
      .get(key);
    return row === undefined ? undefined : JSON.parse(row.json);
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }
}
