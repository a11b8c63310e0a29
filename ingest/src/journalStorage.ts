import type { Logger } from 'pino';
import type { IngestMetrics } from './metrics.js';

/** First wait before retrying a failed journal commit, ms; doubled on each failure. */
export const RETRY_FIRST_MS = 250;
/** Longest wait between two retries, ms: once space returns, votes flow again within this. */
export const RETRY_MAX_MS = 5000;
/** While the journal keeps failing, a reminder is logged this often, ms. */
const REMINDER_EVERY_MS = 60_000;

/** Whether the journal can store votes (served in the `journal` check of `/healthz`). */
export interface StorageState {
  /** False while commits fail: votes are not confirmed (PUBACK and ack held). */
  ok: boolean;
  /** Why, while failing: the SQLite error code and message. */
  reason?: string;
  /** Since when it fails, epoch ms. */
  since?: number;
  /** Failed commits in a row. */
  failures: number;
}

/** `SQLITE_FULL`, `SQLITE_IOERR_WRITE`, ... from better-sqlite3's `SqliteError`, else the name. */
function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown';
}

/**
 * The journal's ability to store: a failed commit (a full disk, SQLITE_FULL; an I/O error,
 * SQLITE_IOERR_*; a file made read-only, ...) marks it failing, with the reason, until a commit
 * succeeds again. The votes of a failed commit are not confirmed (their PUBACKs and acks wait) and
 * the commit is retried with a backoff of {@link RETRY_FIRST_MS} doubling up to
 * {@link RETRY_MAX_MS}, so the ingest recovers by itself when space returns. Logged once as an
 * error when it starts failing, then every minute, and once when it recovers.
 */
export class JournalStorage {
  readonly #metrics: IngestMetrics;
  readonly #log: Logger;
  #state: StorageState = { ok: true, failures: 0 };
  #remindedAt = 0;

  constructor(metrics: IngestMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
  }

  /** The current state. */
  get state(): StorageState {
    return this.#state;
  }

  /** Records a failed commit of `votes` votes at `now`; returns the wait before the retry, ms. */
  failed(err: unknown, votes: number, now: number): number {
    const code = codeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    const first = this.#state.ok;
    const failures = this.#state.failures + 1;
    const since = this.#state.since ?? now;
    this.#state = { ok: false, reason: `${code}: ${message}`, since, failures };
    this.#metrics.commitFailures.inc({ code });
    this.#metrics.storageFailing.set(1);
    const wait = Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MAX_MS);
    if (first) {
      this.#remindedAt = now;
      this.#log.error(
        { err, code, votes, retryMs: wait },
        'journal cannot store votes: they stay unconfirmed until it can',
      );
    } else if (now - this.#remindedAt >= REMINDER_EVERY_MS) {
      this.#remindedAt = now;
      this.#log.error({ code, failures, sinceMs: now - since }, 'journal still cannot store votes');
    } else this.#log.debug({ err, failures, retryMs: wait }, 'journal commit failed again');
    return wait;
  }

  /** Records a successful commit at `now`. */
  succeeded(now: number): void {
    if (this.#state.ok) return;
    const { failures, since } = this.#state;
    this.#log.info(
      { failures, downMs: now - (since ?? now) },
      'journal stores votes again: confirming the waiting ones',
    );
    this.#state = { ok: true, failures: 0 };
    this.#metrics.storageFailing.set(0);
  }
}
