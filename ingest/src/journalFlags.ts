import type Database from 'better-sqlite3';
import type { Journal } from './journal.js';
import type { MinuteTotals } from './minuteTotals.js';

/** A vote the ingest has just set aside, as {@link VoteFlags.flag} reports it. */
export interface FlaggedVote {
  /** Row id. */
  id: number;
  /** Event slug. */
  event: string;
  /** Device slug. */
  device: string;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time, epoch ms. */
  at: number;
  /** Attributed room. */
  room: string;
  /** Attributed talk id, or `none`. */
  talk: string;
}

/** Counted likes and dislikes of one talk. */
export interface TalkCounts {
  /** Room slug. */
  room: string;
  /** Talk id. */
  talk: string;
  /** Counted +1. */
  likes: number;
  /** Counted -1. */
  dislikes: number;
}

/**
 * The journal's misuse flags (`votes.flag`, schema 3): a flagged vote stays in the journal with its
 * reason and leaves the public figures (tallies, `vote_1m`). Flagging moves the InfluxDB
 * high-water mark back to just before the first vote it flags, in the same transaction: the writer
 * then writes those votes again with their flag (and the minutes they fall in), so InfluxDB never
 * keeps a vote as counted that the journal has set aside, even across a crash.
 */
export class VoteFlags {
  readonly #db: Database.Database;
  readonly #select: Database.Statement;
  readonly #update: Database.Statement;
  readonly #flag: (ids: readonly number[], reason: string) => FlaggedVote[];

  /**
   * @param mark the journal's InfluxDB high-water mark, moved back (never forward) and saved inside
   *   the flagging transaction.
   */
  constructor(
    db: Database.Database,
    totals: MinuteTotals,
    mark: Pick<Journal, 'writtenId' | 'setWrittenId' | 'saveWrittenId'>,
  ) {
    this.#db = db;
    this.#select = db.prepare(
      'SELECT id, event, device, value, at, room, talk FROM votes WHERE id = ? AND flag IS NULL',
    );
    this.#update = db.prepare('UPDATE votes SET flag = ? WHERE id = ?');
    this.#flag = db.transaction((ids: readonly number[], reason: string) => {
      const flagged: FlaggedVote[] = [];
      for (const id of ids) {
        const row = this.#select.get(id) as FlaggedVote | undefined;
        if (row === undefined) continue;
        this.#update.run(reason, id);
        flagged.push(row);
      }
      totals.remove(flagged);
      const first = Math.min(...flagged.map((vote) => vote.id));
      if (flagged.length > 0 && first - 1 < mark.writtenId()) {
        mark.setWrittenId(first - 1);
        mark.saveWrittenId();
      }
      return flagged;
    });
  }

  /**
   * Sets `reason` on the counted votes among `ids` (ones already flagged are left as they are), in
   * one transaction; returns the votes it flagged.
   */
  flag(ids: readonly number[], reason: string): FlaggedVote[] {
    return ids.length === 0 ? [] : this.#flag(ids, reason);
  }

  /** Counted likes and dislikes per (room, talk) of an event, talks only (not `none`). */
  tallies(event: string): TalkCounts[] {
    return this.#db
      .prepare(
        `SELECT room, talk, sum(value = 1) AS likes, sum(value = -1) AS dislikes FROM votes
         WHERE event = ? AND talk != 'none' AND flag IS NULL GROUP BY room, talk`,
      )
      .all(event) as TalkCounts[];
  }

  /** Flagged votes of an event per device and reason. */
  flaggedBy(event: string): { device: string; flag: string; votes: number }[] {
    return this.#db
      .prepare(
        `SELECT device, flag, count(*) AS votes FROM votes
         WHERE event = ? AND flag IS NOT NULL GROUP BY device, flag`,
      )
      .all(event) as { device: string; flag: string; votes: number }[];
  }
}
