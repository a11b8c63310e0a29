import { LEGACY_EPOCH, type Vote } from '@likebox/protocol';
import Database from 'better-sqlite3';
import { newEpoch } from './epoch.js';
import { createPrivate, StorageError, type StorageState, storageStateOf } from './storage.js';

/** A vote before it gets its seq and epoch. */
export type NewVote = Omit<Vote, 'seq' | 'epoch'>;

/** Options of {@link Outbox.open}. */
export interface OutboxOptions {
  /**
   * Largest size of the database in bytes (`PRAGMA max_page_count`): past it SQLite answers
   * SQLITE_FULL exactly as on a full disk. Default: none (the disk is the limit).
   */
  maxBytes?: number;
}

interface Row {
  seq: number;
  value: 1 | -1;
  at: number;
  room: string;
  synced: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, value INTEGER NOT NULL,
    at INTEGER NOT NULL, room TEXT NOT NULL, synced INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS meta_text (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS probe (b BLOB NOT NULL);
`;

/**
 * The box's durable outbox, in SQLite: every vote is written with its `seq` in one transaction
 * before it counts, and leaves only when an ack for the outbox's epoch covers it.
 *
 * Durability: WAL journal with `synchronous=FULL`, so each commit is fsynced to the WAL before
 * {@link record} returns; a power cut then loses no recorded vote (with NORMAL, WAL commits are
 * only synced at checkpoints and the last ones can vanish on power loss; SQLite docs,
 * "pragma synchronous"). `seq` is assigned inside the same transaction as the insert, and the
 * highest seq ever used is kept in `meta`, so a seq is never reused even after every vote left.
 *
 * Identity: the file gets a random epoch when it is created (`meta_text`; a text table, since an
 * all-digit epoch in `meta`'s INTEGER column would become a number). A file from before epochs
 * keeps the legacy epoch `""` while it holds votes (the ingest may have stored some of them under
 * it) and takes a new epoch, seqs from 1, the first time it is opened empty.
 *
 * Storage: a write that fails (SQLITE_FULL, an I/O error) throws {@link StorageError} and leaves
 * the outbox as it was; {@link storage} tells the last outcome, {@link probe} tries again.
 * Opening a file made by this version writes nothing, so a box with a full disk still starts (a
 * file from before epochs gets two tables the first time, which needs a few pages).
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
  #epoch: string;
  /** A new epoch not written yet (the disk was full when the file was opened). */
  #epochToWrite = false;
  #lastSeq: number;
  #ackedSeq: number;
  #depth: number;
  #storage: StorageState = 'ok';
  readonly #pageSize: number;

  /** Opens (or creates) the outbox file; `path` may be `:memory:`. */
  static open(path: string, options: OutboxOptions = {}): Outbox {
    if (path !== ':memory:') createPrivate(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    if (options.maxBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    db.exec(SCHEMA);
    return new Outbox(db);
  }

  /** Wraps an open database whose tables exist: use {@link Outbox.open}. */
  private constructor(db: Database.Database) {
    this.#db = db;
    this.#pageSize = db.pragma('page_size', { simple: true }) as number;
    this.#insert = db.prepare(
      'INSERT INTO outbox (seq, value, at, room, synced) VALUES (?, ?, ?, ?, ?)',
    );
    this.#setMeta = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.#getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.#deleteUpTo = db.prepare('DELETE FROM outbox WHERE seq <= ?');
    this.#page = db.prepare('SELECT * FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?');
    this.#count = db.prepare('SELECT count(*) AS n FROM outbox');
    this.#lastSeq = this.#getMeta.get('lastSeq')?.value ?? 0;
    this.#ackedSeq = this.#getMeta.get('ackedSeq')?.value ?? 0;
    this.#depth = this.#count.get()?.n ?? 0;
    this.#epoch = this.#readEpoch() ?? this.#startEpoch();
    if (this.#epochToWrite) this.probe();
  }

  #readEpoch(): string | undefined {
    return this.#db
      .prepare<[], { value: string }>("SELECT value FROM meta_text WHERE key = 'epoch'")
      .get()?.value;
  }

  /**
   * A new file, or a file from before epochs: the legacy epoch while it holds votes, else a new
   * epoch with seqs from 1. The new epoch is written now if the disk allows, else in the same
   * transaction as the first vote: no vote is ever stored under an epoch the file does not keep.
   */
  #startEpoch(): string {
    if (this.#depth > 0) return LEGACY_EPOCH;
    this.#epochToWrite = true;
    this.#lastSeq = 0;
    this.#ackedSeq = 0;
    return newEpoch();
  }

  /** Writes a new epoch (inside a transaction). */
  #writeEpoch(): void {
    if (!this.#epochToWrite) return;
    this.#db.prepare("INSERT INTO meta_text (key, value) VALUES ('epoch', ?)").run(this.#epoch);
    this.#setMeta.run('lastSeq', 0);
    this.#setMeta.run('ackedSeq', 0);
  }

  /** The epoch of every vote in this outbox (`""`: legacy, from before epochs). */
  get epoch(): string {
    return this.#epoch;
  }

  /** Highest seq ever recorded in this epoch (0 before the first vote). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Highest seq the ingest has acknowledged. */
  get ackedSeq(): number {
    return this.#ackedSeq;
  }

  /** Votes waiting for an ack. */
  get depth(): number {
    return this.#depth;
  }

  /**
   * `full` or `error` since a write failed, until a write that takes new space (a vote, a
   * {@link probe}) succeeds; `ok` otherwise.
   */
  get storage(): StorageState {
    return this.#storage;
  }

  /** Whether an ack for this epoch was ever applied: the ingest knows epochs. */
  get epochAcks(): boolean {
    return this.#getMeta.get('epochAcks')?.value === 1;
  }

  /**
   * Durably records a vote and returns it with its new seq (fsynced when this returns). Throws
   * {@link StorageError} when it cannot be written: the vote is then not recorded.
   */
  record(vote: NewVote): Vote {
    return this.recordAll([vote])[0] as Vote;
  }

  /** Durably records votes in one transaction, one fsync (a simulated backlog); as {@link record}. */
  recordAll(votes: readonly NewVote[]): Vote[] {
    const first = this.#lastSeq + 1;
    const last = this.#write(() => {
      let seq = this.#lastSeq;
      for (const v of votes) this.#insert.run(++seq, v.value, v.at, v.room, v.synced ? 1 : 0);
      this.#setMeta.run('lastSeq', seq);
      return seq;
    }, true);
    this.#lastSeq = last;
    this.#depth += votes.length;
    return votes.map((vote, i) => this.#withEpoch({ seq: first + i, ...vote }));
  }

  /**
   * Applies an ack for this epoch: deletes every vote up to `seq` and returns how many. `seq` must
   * not exceed {@link lastSeq} (the caller checks acks: see `badAckReason`); `epochAck` notes that
   * the ack carried the epoch. Throws {@link StorageError} when the deletion cannot be written.
   */
  acknowledge(seq: number, epochAck: boolean): number {
    if (seq > this.#lastSeq) throw new RangeError(`ack ${seq} beyond last seq ${this.#lastSeq}`);
    const acked = Math.max(seq, this.#ackedSeq);
    const deleted = this.#write(() => {
      if (acked > this.#ackedSeq) this.#setMeta.run('ackedSeq', acked);
      if (epochAck && !this.epochAcks) this.#setMeta.run('epochAcks', 1);
      return this.#deleteUpTo.run(seq).changes;
    }, false);
    this.#ackedSeq = acked;
    this.#depth -= deleted;
    return deleted;
  }

  /**
   * Tries a write that takes a page of new space (a page-sized blob, deleted in the same
   * transaction), as a vote may; sets and returns {@link storage}. An update in place would pass
   * on a disk with no room for the next vote.
   */
  probe(): StorageState {
    try {
      this.#write(() => {
        this.#db.prepare('INSERT INTO probe (b) VALUES (zeroblob(?))').run(this.#pageSize);
        this.#db.prepare('DELETE FROM probe').run();
      }, true);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
    }
    return this.#storage;
  }

  /** Up to `limit` waiting votes with seq ≥ `from`, in seq order. */
  pending(from: number, limit: number): Vote[] {
    return this.#page.all(from, limit).map((r) =>
      this.#withEpoch({
        seq: r.seq,
        value: r.value,
        at: r.at,
        room: r.room,
        synced: r.synced === 1,
      }),
    );
  }

  /** Stores a cached JSON document (retained schedule, config); throws {@link StorageError}. */
  cacheSet(key: string, value: unknown): void {
    this.#write(
      () =>
        this.#db
          .prepare(
            'INSERT INTO cache (key, json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET json = excluded.json',
          )
          .run(key, JSON.stringify(value)),
      false,
    );
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

  #withEpoch(vote: Omit<Vote, 'epoch'>): Vote {
    return this.#epoch === LEGACY_EPOCH ? vote : { ...vote, epoch: this.#epoch };
  }

  /**
   * Runs `body` in a transaction, after writing a pending epoch; a SQLite failure becomes a
   * {@link StorageError} (better-sqlite3 rolls the transaction back when `body` or COMMIT throws).
   * Only a write that took new space (`grows`: a vote, a probe) proves the storage works again:
   * a deletion, or a commit with nothing to write, passes on a full disk.
   */
  #write<T>(body: () => T, grows: boolean): T {
    try {
      const result = this.#db.transaction(() => {
        this.#writeEpoch();
        return body();
      })();
      this.#epochToWrite = false;
      if (grows) this.#storage = 'ok';
      return result;
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): never {
    const state = storageStateOf(err);
    if (state === null) throw err;
    this.#storage = state;
    throw new StorageError(state, { cause: err });
  }
}
