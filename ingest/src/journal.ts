import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { VoteMinute } from '@likebox/influx';
import Database from 'better-sqlite3';
import { MinuteTotals } from './minuteTotals.js';

/** A vote as the journal keeps it: identity, value, and its attribution fixed at arrival. */
export interface JournalVote {
  /** Event slug. */
  event: string;
  /** Device slug. */
  device: string;
  /** Per-box sequence number. */
  seq: number;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time after clock sanity (see clock.ts), epoch ms: the time written to InfluxDB. */
  at: number;
  /** Press time as the box sent it, epoch ms. */
  boxAt: number;
  /** Arrival time at the ingest, epoch ms. */
  received: number;
  /** Attributed room slug. */
  room: string;
  /** Attributed talk id, or `none`. */
  talk: string;
}

/** A journal row not yet written to InfluxDB. */
export interface PendingVote extends JournalVote {
  /** The row id: the writer's high-water mark moves along it. */
  id: number;
}

/** A message that failed validation, kept for inspection. */
export interface DeadLetter {
  /** Arrival time, epoch ms. */
  received: number;
  /** The MQTT topic. */
  topic: string;
  /** Why it was refused. */
  reason: string;
  /** The raw payload. */
  payload: Uint8Array;
}

/** A room delay as kept in the journal. */
export interface StoredDelay {
  /** Room slug. */
  room: string;
  /** Minutes late (0: on time again). */
  minutes: number;
  /** When it was declared, epoch ms. */
  since: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS votes (
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL,
  value INTEGER NOT NULL, at INTEGER NOT NULL, box_at INTEGER NOT NULL, received INTEGER NOT NULL,
  room TEXT NOT NULL, talk TEXT NOT NULL,
  UNIQUE (event, device, seq)
);
CREATE TABLE IF NOT EXISTS acks (
  event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (event, device)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY, received INTEGER NOT NULL, topic TEXT NOT NULL, reason TEXT NOT NULL,
  payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS delays (
  event TEXT NOT NULL, room TEXT NOT NULL, minutes INTEGER NOT NULL, since INTEGER NOT NULL,
  PRIMARY KEY (event, room)
) WITHOUT ROWID;
`;

/** Dead letters kept; older ones are pruned. */
export const DEAD_LETTER_LIMIT = 10_000;

/** What one {@link Journal.commit} did. */
export interface CommitResult {
  /** Votes stored for the first time, in input order, with their row ids. */
  inserted: PendingVote[];
  /** Votes already in the journal (no-ops). */
  duplicates: JournalVote[];
}

/**
 * The durable journal (SQLite, WAL): every valid vote under (event, device, seq) before anything
 * else happens, the votes per minute ({@link MinuteTotals}), the per-box ack watermarks, the
 * InfluxDB high-water mark, dead letters and delays.
 */
export class Journal {
  readonly #db: Database.Database;
  readonly #insertVote: Database.Statement;
  readonly #insertDead: Database.Statement;
  readonly #upsertAck: Database.Statement;
  readonly #pending: Database.Statement;
  readonly #setMeta: Database.Statement;
  readonly #lastId: Database.Statement;
  readonly #receivedAfter: Database.Statement;
  readonly #totals: MinuteTotals;
  #writtenId: number | undefined;
  #writtenDirty = false;
  readonly #commit: (
    votes: JournalVote[],
    dead: DeadLetter[],
    acks: Map<string, number>,
    event: string,
  ) => CommitResult;

  /** Opens (creating when missing) the journal at `file`; `:memory:` works for tests. */
  constructor(file: string, sync: 'full' | 'normal' = 'full') {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.#db.exec(SCHEMA);
    MinuteTotals.create(this.#db);
    this.#totals = new MinuteTotals(this.#db);
    this.#insertVote = this.#db.prepare(
      `INSERT OR IGNORE INTO votes (event, device, seq, value, at, box_at, received, room, talk)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertDead = this.#db.prepare(
      'INSERT INTO dead_letters (received, topic, reason, payload) VALUES (?, ?, ?, ?)',
    );
    this.#upsertAck = this.#db.prepare(
      'INSERT INTO acks (event, device, seq) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET seq = excluded.seq',
    );
    this.#pending = this.#db.prepare(
      `SELECT id, event, device, seq, value, at, box_at AS boxAt, received, room, talk
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
      for (const [device, seq] of acks) this.#upsertAck.run(event, device, seq);
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
    acks: Map<string, number> = new Map(),
    event = '',
  ): CommitResult {
    return this.#commit(votes, dead, acks, event);
  }

  /** Which of `seqs` of a device are already stored (used to compute acks after a restart). */
  storedSeqsAbove(event: string, device: string, above: number): number[] {
    return this.#db
      .prepare('SELECT seq FROM votes WHERE event = ? AND device = ? AND seq > ? ORDER BY seq')
      .pluck()
      .all(event, device, above) as number[];
  }

  /** Every device's stored ack watermark, and devices with votes but no ack row (watermark 0). */
  ackWatermarks(event: string): Map<string, number> {
    const rows = this.#db
      .prepare(
        `SELECT v.device AS device, coalesce(a.seq, 0) AS seq FROM
           (SELECT DISTINCT device FROM votes WHERE event = ?) v
           LEFT JOIN acks a ON a.event = ? AND a.device = v.device`,
      )
      .all(event, event) as { device: string; seq: number }[];
    return new Map(rows.map((row) => [row.device, row.seq]));
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

  /** Likes and dislikes per (room, talk) of an event, talks only (not `none`). */
  tallies(event: string): { room: string; talk: string; likes: number; dislikes: number }[] {
    return this.#db
      .prepare(
        `SELECT room, talk, sum(value = 1) AS likes, sum(value = -1) AS dislikes FROM votes
         WHERE event = ? AND talk != 'none' GROUP BY room, talk`,
      )
      .all(event) as { room: string; talk: string; likes: number; dislikes: number }[];
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

  /** Closes the database. */
  close(): void {
    if (!this.#db.open) return;
    this.saveWrittenId();
    this.#db.close();
  }
}
