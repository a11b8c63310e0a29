import type { Logger } from 'pino';
import type { DeadLetter, Journal } from './journal.js';
import type { IngestMetrics } from './metrics.js';

/** Shortest interval between two logs about the invalid messages of one box, ms. */
export const INVALID_LOG_EVERY_MS = 10_000;

/** Low-cardinality reason label of a decode error from `decodePayload`. */
export function reasonOf(error: string): 'too-large' | 'not-json' | 'schema' {
  if (error.startsWith('payload of')) return 'too-large';
  if (error.startsWith('not JSON')) return 'not-json';
  return 'schema';
}

/**
 * Invalid messages: each is counted (`messages_invalid_total{kind,reason}`), kept as a dead letter
 * in the journal, and logged at most once per {@link INVALID_LOG_EVERY_MS} per box (with the number
 * of messages not logged since), so a misbehaving box can neither flood the log nor stall anything.
 */
export class InvalidMessages {
  readonly #metrics: IngestMetrics;
  readonly #log: Logger;
  readonly #lastLog = new Map<string, { at: number; suppressed: number }>();
  readonly #journal: Journal;
  /** Cumulative count since start. */
  count = 0;

  constructor(journal: Journal, metrics: IngestMetrics, log: Logger) {
    this.#journal = journal;
    this.#metrics = metrics;
    this.#log = log;
  }

  /** Counts and logs one invalid message and returns its dead letter (for a batched commit). */
  note(kind: string, source: string, letter: DeadLetter, reason: string): DeadLetter {
    this.count += 1;
    this.#metrics.invalid.inc({ kind, reason });
    const last = this.#lastLog.get(source);
    if (last !== undefined && letter.received - last.at < INVALID_LOG_EVERY_MS) {
      last.suppressed += 1;
      return letter;
    }
    this.#lastLog.set(source, { at: letter.received, suppressed: 0 });
    this.#log.warn(
      {
        source,
        topic: letter.topic,
        kind,
        error: letter.reason,
        suppressed: last?.suppressed ?? 0,
      },
      'invalid message dropped',
    );
    return letter;
  }

  /**
   * Counts, logs and stores one invalid message at once (outside the vote batches). While the
   * journal cannot write, the dead letter is only counted and logged (the journal's own failure is
   * reported by the vote pipeline).
   */
  reject(kind: string, source: string, letter: DeadLetter, reason: string): void {
    const noted = this.note(kind, source, letter, reason);
    try {
      this.#journal.commit([], [noted]);
    } catch (err) {
      this.#log.debug({ err, topic: letter.topic }, 'dead letter not stored');
    }
  }
}
