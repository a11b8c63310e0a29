import type { PendingVote } from './journalTypes.js';

/**
 * The votes just committed, kept in memory for the InfluxDB writer so that it writes them without
 * reading them back from the journal (read back, a flood's votes took a tenth of the ingest's CPU).
 * It holds consecutive rows only, at most `cap` of them (plus a batch before it is cut): while the
 * writer is behind (a flood, InfluxDB away) the newest rows stay, and the older ones, like any gap
 * between the high-water mark and the tail, are read from the journal, which holds them too.
 */
export class WriteTail {
  #rows: PendingVote[] = [];
  readonly #cap: number;
  readonly #slack: number;

  /** @param batchSize the writer's batch size: the tail keeps up to `batches` of them. */
  constructor(batchSize: number, batches = 4) {
    this.#cap = batches * batchSize;
    this.#slack = batchSize;
  }

  /** Adds committed votes (ascending row ids); a gap after the tail starts it afresh. */
  add(votes: readonly PendingVote[]): void {
    const first = votes[0];
    if (first === undefined) return;
    const last = this.#rows.at(-1);
    if (last !== undefined && first.id !== last.id + 1) this.#rows = [];
    for (const vote of votes) this.#rows.push(vote);
    if (this.#rows.length > this.#cap + this.#slack) this.#rows = this.#rows.slice(-this.#cap);
  }

  /**
   * Up to `limit` votes from row `next` on: from the tail when it holds row `next`, else read by
   * `read(limit)` from the journal (up to where the tail begins, so that it is used next time).
   */
  take(next: number, limit: number, read: (limit: number) => PendingVote[]): PendingVote[] {
    const rows = this.#rows;
    // Rows below `next` are written already.
    let written = 0;
    while (written < rows.length && (rows[written] as PendingVote).id < next) written += 1;
    if (written > 0) rows.splice(0, written);
    const first = rows[0];
    if (first?.id === next) return rows.splice(0, limit);
    return read(first === undefined ? limit : Math.min(limit, first.id - next));
  }

  /** Forgets every row (a rewind: the journal's rows may have changed since they were added). */
  clear(): void {
    this.#rows = [];
  }
}
