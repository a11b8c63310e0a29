import { minuteOf } from '@likebox/influx';
import type Database from 'better-sqlite3';
import type { Journal, StoredDelay } from './journal.js';
import type { MinuteTotals } from './minuteTotals.js';

/** A vote a delay gave another talk, as {@link VoteMoves.moveForDelay} reports it. */
export interface MovedVote {
  /** Row id. */
  id: number;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time, epoch ms. */
  at: number;
  /** The talk it was attributed to before (a talk id or `none`). */
  from: string;
  /** The talk it is attributed to now. */
  to: string;
  /** Its misuse flag (null: a counted vote). */
  flag: string | null;
}

/**
 * InfluxDB points to delete before the moved votes are written again: the `vote` and `vote_1m`
 * points of one (event, room, talk) pressed in [`from`, `to`] (epoch ms, both included; `from` is
 * the start of a minute, so the minute totals of the range go too).
 */
export interface InfluxDeletion {
  /** Event slug. */
  event: string;
  /** Room slug. */
  room: string;
  /** The talk the votes left (`talk` is a tag: the old series must be deleted, not overwritten). */
  talk: string;
  /** First instant, epoch ms (a minute's start). */
  from: number;
  /** Last instant, epoch ms (the votes' timestamps go up to its last ns). */
  to: number;
}

/** Which votes of the delayed room a move looks at, and where they go. */
export interface Moving {
  /** The room's talks in the schedules before and after the delay, and `none`. */
  talks: readonly string[];
  /** The earliest press time whose talk can change, epoch ms. */
  from: number;
  /** The talk the new schedule gives a press in the room at `at` (a talk id or `none`). */
  talkAt: (at: number) => string;
}

/** What a move did. */
export interface MoveResult {
  /** The votes whose talk changed (flagged ones included). */
  moved: MovedVote[];
  /** The InfluxDB high-water mark the writer must go back to (undefined: nothing moved). */
  rewindTo: number | undefined;
}

/** The `settings` key under which the InfluxDB deletions still to do are kept (a JSON array). */
const DELETIONS_KEY = 'influx_deletions';

/**
 * Moves the votes a delay re-attributes, in the journal. In the transaction that stores the delay:
 * each vote of the room pressed from a given instant on whose talk differs under the new schedule
 * gets its new `talk`; the minute totals ({@link MinuteTotals}) lose the counted ones from the old
 * (room, talk, minute) and gain them in the new (a total left at 0 votes is deleted); the InfluxDB
 * deletions of the old talks' points are recorded in `settings` (so a crash cannot forget them);
 * the InfluxDB high-water mark goes back to just before the first vote of the deleted ranges, so
 * the writer writes them again under their talk, with the minutes they fall in.
 */
export class VoteMoves {
  readonly #db: Database.Database;
  readonly #totals: MinuteTotals;
  readonly #journal: Pick<Journal, 'saveDelay' | 'writtenId' | 'setWrittenId' | 'saveWrittenId'>;
  readonly #select: Database.Statement;
  readonly #update: Database.Statement;
  readonly #dropEmpty: Database.Statement;
  readonly #getDeletions: Database.Statement;
  readonly #putDeletions: Database.Statement;
  readonly #move: (event: string, delay: StoredDelay, moving: Moving) => MoveResult;

  /**
   * @param journal stores the delay, and holds the InfluxDB high-water mark, moved back (never
   *   forward) and saved inside the move's transaction.
   */
  constructor(
    db: Database.Database,
    totals: MinuteTotals,
    journal: Pick<Journal, 'saveDelay' | 'writtenId' | 'setWrittenId' | 'saveWrittenId'>,
  ) {
    this.#db = db;
    this.#totals = totals;
    this.#journal = journal;
    // Through the results' index `votes_talk_at` (event, talk, at): one range per talk of the
    // room. Filtering on the room instead walked the identity index over every vote of the event:
    // 25–42 s for one room of a 1,000,000-vote journal; this way, see moveForDelay.
    this.#select = db.prepare(
      `SELECT id, value, at, talk AS "from", flag FROM votes
       WHERE event = ? AND talk = ? AND at >= ? AND room = ?`,
    );
    this.#update = db.prepare('UPDATE votes SET talk = ? WHERE id = ?');
    this.#dropEmpty = db.prepare(
      `DELETE FROM vote_1m WHERE event = ? AND room = ? AND talk = ? AND minute BETWEEN ? AND ?
       AND votes = 0`,
    );
    this.#getDeletions = db
      .prepare('SELECT value FROM settings WHERE key = ?')
      .pluck()
      .bind(DELETIONS_KEY);
    this.#putDeletions = db.prepare(
      `INSERT INTO settings (key, value) VALUES (?, ?)
       ON CONFLICT DO UPDATE SET value = excluded.value`,
    );
    this.#move = db.transaction((event: string, delay: StoredDelay, moving: Moving) =>
      this.#moveNow(event, delay, moving),
    );
  }

  /** The body of the move's transaction (see {@link VoteMoves}). */
  #moveNow(event: string, delay: StoredDelay, moving: Moving): MoveResult {
    const journal = this.#journal;
    journal.saveDelay(event, delay);
    const rows = this.#roomVotes(event, delay.room, moving);
    const moved: MovedVote[] = [];
    for (const row of rows) {
      if (row.at < moving.from) continue;
      const to = moving.talkAt(row.at);
      if (to === row.from) continue;
      this.#update.run(to, row.id);
      moved.push({ ...row, to });
    }
    if (moved.length === 0) return { moved, rewindTo: undefined };
    moved.sort((a, b) => a.id - b.id);
    const counted = moved.filter((vote) => vote.flag === null);
    const base = { event, room: delay.room };
    this.#totals.remove(counted.map((vote) => ({ ...base, ...vote, talk: vote.from })));
    this.#totals.add(counted.map((vote) => ({ ...base, ...vote, talk: vote.to })));
    const deletions = deletionsOf(event, delay.room, moved);
    for (const d of deletions) this.#dropEmpty.run(d.event, d.room, d.talk, d.from, minuteOf(d.to));
    this.#saveDeletions([...this.pendingDeletions(), ...deletions]);
    const first = firstToRewrite(rows, deletions);
    if (first - 1 < journal.writtenId()) {
      journal.setWrittenId(first - 1);
      journal.saveWrittenId();
    }
    return { moved, rewindTo: first - 1 };
  }

  /** The room's votes of `moving.talks` pressed from the minute of `moving.from` on. */
  #roomVotes(event: string, room: string, moving: Moving): Omit<MovedVote, 'to'>[] {
    const since = minuteOf(moving.from);
    const rows: Omit<MovedVote, 'to'>[] = [];
    for (const talk of moving.talks) {
      for (const row of this.#select.iterate(event, talk, since, room)) {
        rows.push(row as Omit<MovedVote, 'to'>);
      }
    }
    return rows;
  }

  /**
   * Stores the delay and re-attributes, in one transaction, the votes of its room that
   * `moving` describes. Measured on this 2-core machine (shared), a journal of 1,000,000 votes in
   * 10 rooms over 8 h, one room's 100,000 read and 12,500 moved: 0.66–0.96 s of CPU (1.1–2.7 s
   * wall, the ingest's event loop held meanwhile), 0.27–0.40 s when nothing moves. A delay is a
   * rare organiser command, and the transaction keeps journal, totals and marks in step.
   */
  moveForDelay(event: string, delay: StoredDelay, moving: Moving): MoveResult {
    return this.#move(event, delay, moving);
  }

  /** The InfluxDB deletions recorded and not yet done, oldest first. */
  pendingDeletions(): InfluxDeletion[] {
    const stored = this.#getDeletions.get() as string | undefined;
    return stored === undefined ? [] : (JSON.parse(stored) as InfluxDeletion[]);
  }

  /** Forgets deletions InfluxDB has done (ones recorded since stay pending). */
  deletionsDone(done: readonly InfluxDeletion[]): void {
    const keys = new Set(done.map((d) => JSON.stringify(d)));
    this.#db.transaction(() => {
      const left = this.pendingDeletions().filter((d) => !keys.has(JSON.stringify(d)));
      this.#saveDeletions(left);
    })();
  }

  #saveDeletions(deletions: readonly InfluxDeletion[]): void {
    if (deletions.length === 0) {
      this.#db.prepare('DELETE FROM settings WHERE key = ?').run(DELETIONS_KEY);
    } else this.#putDeletions.run(DELETIONS_KEY, JSON.stringify(deletions));
  }
}

/** One deletion per talk the votes left, over the range of their press times. */
function deletionsOf(event: string, room: string, moved: readonly MovedVote[]): InfluxDeletion[] {
  const byTalk = new Map<string, InfluxDeletion>();
  for (const vote of moved) {
    const found = byTalk.get(vote.from);
    if (found === undefined) {
      byTalk.set(vote.from, { event, room, talk: vote.from, from: vote.at, to: vote.at });
    } else {
      found.from = Math.min(found.from, vote.at);
      found.to = Math.max(found.to, vote.at);
    }
  }
  return [...byTalk.values()].map((d) => ({ ...d, from: minuteOf(d.from) }));
}

/**
 * The first row to write again: the lowest id among the votes (moved or not) of a deleted talk in
 * its deleted range, so every point the deletions take away is written again (each with the
 * minutes it falls in).
 */
function firstToRewrite(
  rows: readonly Omit<MovedVote, 'to'>[],
  deletions: readonly InfluxDeletion[],
): number {
  let first = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    if (row.id >= first) continue;
    const hit = deletions.some((d) => d.talk === row.from && row.at >= d.from && row.at <= d.to);
    if (hit) first = row.id;
  }
  return first;
}
