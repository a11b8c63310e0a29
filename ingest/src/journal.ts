import { randomBytes } from 'node:crypto';
import type { VoteMinute } from '@likebox/influx';
import Database from 'better-sqlite3';
import { lockJournal, prepareJournalFile, unlockJournal } from './journalFiles.js';
import { VoteFlags } from './journalFlags.js';
import { VoteMoves } from './journalMoves.js';
import { migrateJournal } from './journalSchema.js';
import type {
  AckMark,
  CommitResult,
  DeadLetter,
  JournalVote,
  PendingVote,
  StoredDelay,
  StoredStream,
} from './journalTypes.js';
import { MinuteTotals } from './minuteTotals.js';

export type * from './journalTypes.js';

/** Dead letters kept; older ones are pruned. */
export const DEAD_LETTER_LIMIT = 10_000;

/**
 * The durable journal (SQLite, WAL): every valid vote under (event, device, epoch, seq) before
 * anything else happens, the votes per minute ({@link MinuteTotals}), the ack watermark of each
 * (device, epoch), the InfluxDB high-water mark, dead letters and delays. One process at a time:
 * the file is locked while open ({@link lockJournal}); files 0600 ({@link prepareJournalFile}).
 */
export class Journal {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #insertVote: Database.Statement;
  readonly #insertDead: Database.Statement;
  readonly #upsertAck: Database.Statement;
  readonly #pending: Database.Statement;
  readonly #setMeta: Database.Statement;
  readonly #lastId: Database.Statement;
  readonly #receivedAfter: Database.Statement;
  readonly #totals: MinuteTotals;
  /** The misuse flags, and the counted figures that leave flagged votes out. */
  readonly flags: VoteFlags;
  /** The votes a delay moves to another talk, and the InfluxDB deletions that calls for. */
  readonly moves: VoteMoves;
  #writtenId: number | undefined;
  #writtenDirty = false;
  readonly #commit: (
    votes: JournalVote[],
    dead: DeadLetter[],
    acks: Iterable<AckMark>,
    event: string,
  ) => CommitResult;

  /**
   * Opens (creating when missing) the journal at `file` and locks it; `:memory:` works for tests.
   * Migrates a journal of an earlier schema in place. Throws `JournalInUseError` when another
   * connection holds it, `JournalVersionError` when a newer LikeBox wrote it.
   */
  constructor(file: string, sync: 'full' | 'normal' = 'full') {
    const memory = file === ':memory:';
    if (!memory) prepareJournalFile(file);
    this.#file = file;
    // A second opener waits this long for the lock (a restarting process still closing it).
    this.#db = new Database(file, { timeout: 500 });
    try {
      lockJournal(this.#db, file, memory);
      this.#db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
      migrateJournal(this.#db, file);
    } catch (err) {
      this.#db.close();
      throw err;
    }
    MinuteTotals.create(this.#db);
    this.#totals = new MinuteTotals(this.#db);
    this.flags = new VoteFlags(this.#db, this.#totals, this);
    this.moves = new VoteMoves(this.#db, this.#totals, this);
    this.#insertVote = this.#db.prepare(
      `INSERT OR IGNORE INTO votes
         (event, device, epoch, seq, value, at, box_at, received, room, talk)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertDead = this.#db.prepare(
      'INSERT INTO dead_letters (received, topic, reason, payload) VALUES (?, ?, ?, ?)',
    );
    this.#upsertAck = this.#db.prepare(
      `INSERT INTO acks (event, device, epoch, seq) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET seq = excluded.seq`,
    );
    this.#pending = this.#db.prepare(
      `SELECT id, event, device, epoch, seq, value, at, box_at AS boxAt, received, room, talk, flag
       FROM votes WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.#lastId = this.#db.prepare('SELECT coalesce(max(id), 0) FROM votes').pluck();
    this.#receivedAfter = this.#db
      .prepare('SELECT received FROM votes WHERE id > ? ORDER BY id LIMIT 1')
      .pluck();
    this.#setMeta = this.#db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
    );
    this.#commit = this.#db.transaction((votes, dead, acks, event) => {
      const result: CommitResult = { inserted: [], duplicates: [] };
      for (const vote of votes) {
        // Positional parameters: binding them is cheaper than binding an object by name.
        const run = this.#insertVote.run(
          vote.event,
          vote.device,
          vote.epoch,
          vote.seq,
          vote.value,
          vote.at,
          vote.boxAt,
          vote.received,
          vote.room,
          vote.talk,
        );
        if (run.changes === 1) {
          (vote as PendingVote).id = Number(run.lastInsertRowid);
          result.inserted.push(vote as PendingVote);
        } else result.duplicates.push(vote);
      }
      this.#totals.add(result.inserted);
      for (const d of dead) this.#insertDead.run(d.received, d.topic, d.reason, d.payload);
      for (const ack of acks) this.#upsertAck.run(event, ack.device, ack.epoch, ack.seq);
      this.saveWrittenId();
      return result;
    });
  }

  /**
   * Stores votes, dead letters and new ack watermarks in one transaction: when it returns, they
   * are on disk. Votes already stored are reported as duplicates and left unchanged. The inserted
   * votes are the given objects with their row `id` set (no copy per vote on the hot path).
   */
  commit(
    votes: JournalVote[],
    dead: DeadLetter[] = [],
    acks: Iterable<AckMark> = [],
    event = '',
  ): CommitResult {
    return this.#commit(votes, dead, acks, event);
  }

  /** The seqs of (device, epoch) stored above `above`, ascending (to restore acks after a restart). */
  storedSeqsAbove(event: string, device: string, epoch: string, above: number): number[] {
    return this.#db
      .prepare(
        `SELECT seq FROM votes WHERE event = ? AND device = ? AND epoch = ? AND seq > ?
         ORDER BY seq`,
      )
      .pluck()
      .all(event, device, epoch, above) as number[];
  }

  /** Every (device, epoch) of the event with votes: its stored watermark, first seq, arrivals. */
  streams(event: string): StoredStream[] {
    return this.#db
      .prepare(
        // Row ids follow arrival: the first and last row of a (device, epoch) tell when it was
        // first and last heard, and the identity index covers them (a scan of `received` over
        // 1,000,000 votes took 3.4 s at each start, this 0.17–0.19 s).
        `SELECT v.device AS device, v.epoch AS epoch, a.seq AS acked, v.first AS first,
                (SELECT received FROM votes WHERE id = v.firstId) AS firstHeard,
                (SELECT received FROM votes WHERE id = v.lastId) AS lastHeard
         FROM (SELECT device, epoch, min(seq) AS first, min(id) AS firstId, max(id) AS lastId
               FROM votes WHERE event = ? GROUP BY device, epoch) v
         LEFT JOIN acks a ON a.event = ? AND a.device = v.device AND a.epoch = v.epoch`,
      )
      .all(event, event)
      .map((row) => {
        const stream = row as StoredStream & { acked: number | null };
        return { ...stream, acked: stream.acked ?? undefined };
      });
  }

  /**
   * This journal's random identity (made when first asked, then kept in it): the ingest lease's
   * holder id, so an ingest restarted on the same journal is the same holder.
   */
  identity(): string {
    const get = this.#db.prepare("SELECT value FROM settings WHERE key = 'identity'").pluck();
    const known = get.get() as string | undefined;
    if (known !== undefined) return known;
    const made = BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36);
    this.#db.prepare("INSERT INTO settings (key, value) VALUES ('identity', ?)").run(made);
    return made;
  }

  /** Up to `limit` votes after row `afterId`, in row order. */
  pendingAfter(afterId: number, limit: number): PendingVote[] {
    return this.#pending.all(afterId, limit) as PendingVote[];
  }

  /** What `vote_1m` must hold for every minute (of its event) one of `votes` falls in. */
  minuteTotals(votes: readonly Pick<JournalVote, 'event' | 'at'>[]): VoteMinute[] {
    return this.#totals.touchedBy(votes);
  }

  /** The InfluxDB high-water mark: every row up to this id has been written. */
  writtenId(): number {
    if (this.#writtenId !== undefined) return this.#writtenId;
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'written_id'").pluck().get();
    return (row as number | undefined) ?? 0;
  }

  /**
   * Moves the InfluxDB high-water mark. It is saved with the next {@link commit} or
   * {@link saveWrittenId} rather than in a transaction (and an fsync) of its own: a mark lost in a
   * crash only means rewriting a few batches, which overwrite the same points.
   */
  setWrittenId(id: number): void {
    this.#writtenId = id;
    this.#writtenDirty = true;
  }

  /** Saves the high-water mark now if it moved since it was last saved. */
  saveWrittenId(): void {
    if (!this.#writtenDirty || this.#writtenId === undefined) return;
    this.#setMeta.run('written_id', this.#writtenId);
    this.#writtenDirty = false;
  }

  /** The largest row id (0 when empty). */
  lastId(): number {
    return this.#lastId.get() as number;
  }

  /** Arrival time of the first row after `afterId`, or undefined when there is none. */
  receivedAfter(afterId: number): number | undefined {
    return this.#receivedAfter.get(afterId) as number | undefined;
  }

  /** The most recent dead letters, newest first. */
  deadLetters(limit = 100): (DeadLetter & { id: number })[] {
    return this.#db
      .prepare(
        'SELECT id, received, topic, reason, payload FROM dead_letters ORDER BY id DESC LIMIT ?',
      )
      .all(limit) as (DeadLetter & { id: number })[];
  }

  /** Keeps only the newest {@link DEAD_LETTER_LIMIT} dead letters. */
  pruneDeadLetters(): void {
    this.#db
      .prepare('DELETE FROM dead_letters WHERE id <= (SELECT max(id) FROM dead_letters) - ?')
      .run(DEAD_LETTER_LIMIT);
  }

  /** Stores (or replaces) a room's delay. */
  saveDelay(event: string, delay: StoredDelay): void {
    this.#db
      .prepare(
        'INSERT INTO delays (event, room, minutes, since) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET minutes = excluded.minutes, since = excluded.since',
      )
      .run(event, delay.room, delay.minutes, delay.since);
  }

  /** Every stored delay of an event. */
  delays(event: string): StoredDelay[] {
    return this.#db
      .prepare('SELECT room, minutes, since FROM delays WHERE event = ?')
      .all(event) as StoredDelay[];
  }

  /**
   * Caps the database at `bytes` (`PRAGMA max_page_count`; undefined: SQLite's own limit): past
   * it, commits fail with SQLITE_FULL as on a full disk. Storage the journal already uses is kept.
   */
  setMaxBytes(bytes: number | undefined): void {
    const pageSize = this.#db.pragma('page_size', { simple: true }) as number;
    const pages = bytes === undefined ? 0xfffffffe : Math.max(1, Math.floor(bytes / pageSize));
    this.#db.pragma(`max_page_count = ${pages}`);
  }

  /** Bytes the database file holds now (its pages, the WAL not counted). */
  sizeBytes(): number {
    const pages = this.#db.pragma('page_count', { simple: true }) as number;
    return pages * (this.#db.pragma('page_size', { simple: true }) as number);
  }

  /** The open connection, for the read models kept on the same file (results, headcounts). */
  get database(): Database.Database {
    return this.#db;
  }

  /** Closes the database and releases its lock. */
  close(): void {
    if (!this.#db.open) return;
    try {
      this.saveWrittenId();
    } finally {
      this.#db.close();
      if (this.#file !== ':memory:') unlockJournal(this.#file);
    }
  }
}
