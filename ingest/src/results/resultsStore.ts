import type Database from 'better-sqlite3';
import type { DigestVote, TimedVote } from './resultsMath.js';

/** Counted likes and dislikes of one talk. */
export interface TalkCounts {
  /** Talk id. */
  talk: string;
  /** +1 votes. */
  likes: number;
  /** -1 votes. */
  dislikes: number;
}

/** A stored headcount. */
export interface StoredHeadcount {
  /** People counted. */
  count: number;
  /** When, epoch ms. */
  at: number;
}

/** A vote of the anonymous export: no device, epoch or seq. */
export interface ExportVote {
  /** Press time, epoch ms. */
  at: number;
  /** Room slug. */
  room: string;
  /** Talk id or `none`. */
  talk: string;
  /** +1 or -1. */
  value: number;
}

/**
 * The index the results read through: a talk's votes by press time, covering value and flag, so
 * a talk's figures, curve and walk-out read one index range and never the table. Measured on
 * 1,000,000 votes (bench/results.ts): see bench/README.md. Created when missing (an index changes
 * no row: no schema version for it).
 */
const TALK_INDEX =
  'CREATE INDEX IF NOT EXISTS votes_talk_at ON votes (event, talk, at, value, flag)';

/** `flag IS NULL`: counted votes only; raw (organisers) takes the flagged ones too. */
const counted = (raw: boolean) => (raw ? '' : 'AND flag IS NULL');

/**
 * The journal's votes and headcounts as the results read them, with prepared statements on the
 * journal's connection (one process holds the journal: the ingest serves its own results).
 */
export class ResultsStore {
  readonly #talkVotes: Record<'counted' | 'raw', Database.Statement>;
  readonly #counts: Record<'counted' | 'raw', Database.Statement>;
  readonly #digestVotes: Database.Statement;
  readonly #allVotes: Database.Statement;
  readonly #headcounts: Database.Statement;
  readonly #saveHeadcount: Database.Statement;
  readonly #changes: Database.Statement;

  constructor(db: Database.Database) {
    db.exec(TALK_INDEX);
    const talkVotes = (raw: boolean) =>
      db
        .prepare(
          `SELECT at, value FROM votes WHERE event = ? AND talk = ? ${counted(raw)} ORDER BY at`,
        )
        .raw();
    this.#talkVotes = { counted: talkVotes(false), raw: talkVotes(true) };
    const counts = (raw: boolean) =>
      db.prepare(
        `SELECT talk, sum(value > 0) AS likes, sum(value < 0) AS dislikes FROM votes
         WHERE event = ? AND talk != 'none' ${counted(raw)} GROUP BY talk`,
      );
    this.#counts = { counted: counts(false), raw: counts(true) };
    this.#digestVotes = db.prepare(
      `SELECT device, epoch, seq, value, received FROM votes
       WHERE event = ? AND talk = ? AND flag IS NULL`,
    );
    this.#allVotes = db
      .prepare(
        `SELECT at, room, talk, value FROM votes WHERE event = ? ${counted(false)} ORDER BY at`,
      )
      .raw();
    this.#headcounts = db.prepare('SELECT talk, count, at FROM headcounts WHERE event = ?');
    this.#saveHeadcount = db.prepare(
      `INSERT INTO headcounts (event, talk, count, at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET count = excluded.count, at = excluded.at WHERE excluded.at >= at`,
    );
    this.#changes = db.prepare('SELECT total_changes()').pluck();
  }

  /** A talk's votes (press time and value), by press time. */
  talkVotes(event: string, talk: string, raw = false): TimedVote[] {
    const rows = this.#talkVotes[raw ? 'raw' : 'counted'].all(event, talk) as [number, number][];
    return rows.map(([at, value]) => ({ at, value }));
  }

  /** Likes and dislikes of every talk with votes (not `none`). */
  counts(event: string, raw = false): TalkCounts[] {
    return this.#counts[raw ? 'raw' : 'counted'].all(event) as TalkCounts[];
  }

  /** A talk's counted votes with their identity (for the digest) and the latest arrival. */
  digestVotes(event: string, talk: string): { votes: DigestVote[]; lastReceived: number } {
    const rows = this.#digestVotes.all(event, talk) as (DigestVote & { received: number })[];
    let lastReceived = 0;
    for (const row of rows) lastReceived = Math.max(lastReceived, row.received);
    return { votes: rows, lastReceived };
  }

  /** Every counted vote of the event, anonymous, by press time. */
  *allVotes(event: string): Generator<ExportVote> {
    for (const row of this.#allVotes.iterate(event) as Iterable<[number, string, string, number]>) {
      yield { at: row[0], room: row[1], talk: row[2], value: row[3] };
    }
  }

  /** The headcount of every talk that has one. */
  headcounts(event: string): Map<string, StoredHeadcount> {
    const rows = this.#headcounts.all(event) as (StoredHeadcount & { talk: string })[];
    return new Map(rows.map((row) => [row.talk, { count: row.count, at: row.at }]));
  }

  /** Stores a talk's headcount unless a later one is stored already (a retained replay). */
  saveHeadcount(event: string, talk: string, headcount: StoredHeadcount): void {
    this.#saveHeadcount.run(event, talk, headcount.count, headcount.at);
  }

  /** Rows changed through this connection since it opened: a cache key of everything above. */
  changes(): number {
    return this.#changes.get() as number;
  }
}
