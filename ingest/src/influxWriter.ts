import { setTimeout as sleep } from 'node:timers/promises';
import {
  ensureDatabase,
  type InfluxClient,
  type InfluxConfig,
  type InfluxPoint,
  InfluxRequestError,
  voteMinutePoint,
  votePoint,
} from '@likebox/influx';
import type { Logger } from 'pino';
import type { PendingDeletions } from './influxDeletes.js';
import { sendByPolicy } from './influxSend.js';
import type { Journal, PendingVote } from './journal.js';
import type { IngestMetrics } from './metrics.js';

/** Most non-vote points (`device`, `ingest`) held in memory while InfluxDB is away; oldest dropped. */
export const EXTRA_POINTS_LIMIT = 10_000;
const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 5000;
const PROGRESS_EVERY_MS = 5000;
const PING_EVERY_MS = 5000;
/** Pending votes above which the writer says it is backfilling and logs its progress. */
export const BACKFILL_THRESHOLD = 20_000;

/** Options of {@link InfluxWriter}. */
export interface InfluxWriterOptions {
  /** Where to write. */
  config: InfluxConfig;
  /** The client to write with (never retries by itself: this writer does). */
  client: InfluxClient;
  /** The journal the votes and their minute totals are read from. */
  journal: Journal;
  /** InfluxDB deletions to run before the next write (votes a delay moved); default none. */
  deletions?: PendingDeletions;
  /** Logger (`module: influxWriter`). */
  log: Logger;
  /** Metrics to update. */
  metrics: IngestMetrics;
  /**
   * Called whenever InfluxDB answered well: after the database setup, after each accepted write and
   * after a successful idle ping. Must not throw.
   */
  onWritten?: () => void;
}

/**
 * Writes the journal to InfluxDB in row order, one batch in flight at a time (at most
 * `batchSize` votes and other points), moving a durable high-water mark after each accepted write.
 * With each batch go the `vote_1m` totals of the minutes its votes fall in, read from the journal
 * (so a backfill writes them too, and a late vote re-rolls only its minute). The same loop serves
 * live votes and backfills after an outage or a restart; failed writes are retried with
 * exponential backoff (200 ms → 5 s) and never drop a vote. Non-vote points wait in a bounded buffer.
 */
export class InfluxWriter {
  readonly #options: InfluxWriterOptions;
  #extra: InfluxPoint[] = [];
  /** Votes just committed, following the high-water mark without a gap: written without re-reading. */
  #tail: PendingVote[] = [];
  /** Highest row id taken into a batch (in flight or written). */
  #taken = 0;
  #writtenId = 0;
  /** Where {@link InfluxWriter.rewind} moved the mark back to, until the loop takes it. */
  #rewound: number | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #dirty = false;
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  #reachable = false;
  #lastProgress = 0;

  constructor(options: InfluxWriterOptions) {
    this.#options = options;
  }

  /** True after the last request to InfluxDB succeeded. */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** Starts the write loop (database setup first, retried until it works). */
  start(): void {
    this.#writtenId = this.#options.journal.writtenId();
    this.#loop = this.#run();
  }

  /**
   * Hands over votes just committed (with their row ids) and wakes the writer. They are written
   * from memory when they follow the high-water mark without a gap; otherwise (backfill, after a
   * failed write) the writer reads the journal, which holds them too.
   */
  offer(votes: PendingVote[]): void {
    const first = votes[0];
    const expected = (this.#tail.at(-1)?.id ?? Math.max(this.#taken, this.#writtenId)) + 1;
    if (first !== undefined) {
      if (first.id === expected && this.#tail.length < 2 * this.#options.config.batchSize) {
        for (const vote of votes) this.#tail.push(vote);
      } else this.#tail = [];
    }
    this.notify();
  }

  /**
   * Moves the high-water mark back to `id` (never forward): the votes after it are written again,
   * with what the journal says of them now (a misuse flag), and the minutes they fall in. A batch
   * in flight does not move the mark past it.
   */
  rewind(id: number): void {
    this.#rewound = Math.min(this.#rewound ?? id, id);
    this.#tail = [];
    this.notify();
  }

  /** Says new votes are in the journal. */
  notify(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  /** Queues a non-vote point (bounded: the oldest is dropped when full). */
  enqueue(point: InfluxPoint): void {
    if (this.#extra.length >= EXTRA_POINTS_LIMIT) this.#extra.shift();
    this.#extra.push(point);
    this.notify();
  }

  /** Stops after the batch in flight, if any. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.notify();
    await this.#loop;
  }

  async #run(): Promise<void> {
    await this.#setup();
    let backoff = BACKOFF_MIN_MS;
    while (!this.#stopped) {
      const wrote = await this.#writeBatch().catch((err: unknown) => {
        // Not InfluxDB's fault (reading the journal failed): keep the loop alive and retry.
        this.#options.log.error({ err }, 'influxdb writer step failed');
        return 'failed' as const;
      });
      if (wrote === 'idle') await this.#idle();
      else if (wrote === 'failed') {
        await this.#pause(backoff);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      } else backoff = BACKOFF_MIN_MS;
    }
  }

  async #setup(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (!this.#stopped) {
      try {
        await ensureDatabase(this.#options.client, this.#options.config, this.#options.log);
        this.#setReachable(true);
        this.#options.onWritten?.();
        return;
      } catch (err) {
        this.#setReachable(false);
        this.#options.log.warn({ err, retryInMs: backoff }, 'influxdb setup failed');
        await this.#pause(backoff);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  }

  async #writeBatch(): Promise<'idle' | 'written' | 'failed'> {
    const { config, journal, metrics, log } = this.#options;
    this.#dirty = false;
    this.#applyRewind();
    const rows = this.#take(config.batchSize);
    const extra = this.#extra.splice(0, Math.max(0, config.batchSize - rows.length));
    if (rows.length === 0 && extra.length === 0) return 'idle';
    // Totals read after the votes were committed: they count these votes, and maybe later ones
    // (the batch that stores those rewrites the minute again).
    const minutes = journal.minuteTotals(rows).map(voteMinutePoint);
    const points = rows.map(votePoint).concat(extra, minutes);
    const lastId = rows.at(-1)?.id ?? this.#writtenId;
    try {
      await sendByPolicy(this.#options, points);
    } catch (err) {
      const status = err instanceof InfluxRequestError ? err.status : undefined;
      metrics.writeErrors.inc();
      this.#tail = []; // retried from the journal
      this.#taken = this.#writtenId;
      this.#setReachable(status !== undefined && status < 500);
      this.#extra = extra.concat(this.#extra).slice(-EXTRA_POINTS_LIMIT);
      log.warn({ err, status, points: points.length }, 'influxdb write failed, will retry');
      return 'failed';
    }
    this.#setReachable(true);
    this.#advance(lastId, rows.length, extra.length + minutes.length);
    this.#options.onWritten?.();
    return 'written';
  }

  /** The next votes after the high-water mark: from the in-memory tail when it follows it. */
  #take(limit: number): PendingVote[] {
    let rows: PendingVote[];
    if (this.#tail[0]?.id === this.#writtenId + 1) rows = this.#tail.splice(0, limit);
    else {
      this.#tail = [];
      rows = this.#options.journal.pendingAfter(this.#writtenId, limit);
    }
    this.#taken = rows.at(-1)?.id ?? this.#writtenId;
    return rows;
  }

  #applyRewind(): void {
    if (this.#rewound === undefined) return;
    const mark = Math.min(this.#writtenId, this.#rewound);
    this.#rewound = undefined;
    this.#tail = [];
    this.#writtenId = mark;
    this.#taken = mark;
    this.#options.journal.setWrittenId(mark);
  }

  #advance(lastId: number, votes: number, others: number): void {
    const { journal, metrics, log } = this.#options;
    // Rewound while the batch was in flight: the mark goes where the rewind put it.
    if (this.#rewound !== undefined) this.#applyRewind();
    else if (votes > 0) {
      journal.setWrittenId(lastId);
      this.#writtenId = lastId;
    }
    if (votes > 0) metrics.pointsWritten.inc({ kind: 'vote' }, votes);
    if (others > 0) metrics.pointsWritten.inc({ kind: 'other' }, others);
    const remaining = this.pending();
    const now = Date.now();
    if (remaining >= BACKFILL_THRESHOLD && now - this.#lastProgress >= PROGRESS_EVERY_MS) {
      this.#lastProgress = now;
      log.info({ remaining, writtenId: lastId }, 'backfilling influxdb from the journal');
    } else if (remaining === 0 && this.#lastProgress !== 0) {
      this.#lastProgress = 0;
      log.info({ writtenId: lastId }, 'influxdb backfill complete');
    }
  }

  /** Journal votes not yet written (row ids are contiguous: nothing is ever deleted). */
  pending(): number {
    return Math.max(0, this.#options.journal.lastId() - this.#writtenId);
  }

  /** Age in ms of the oldest vote not yet written (0 when none). */
  lagMs(now = Date.now()): number {
    const received = this.#options.journal.receivedAfter(this.#writtenId);
    return received === undefined ? 0 : Math.max(0, now - received);
  }

  #setReachable(reachable: boolean): void {
    this.#reachable = reachable;
    this.#options.metrics.influxReachable.set(reachable ? 1 : 0);
  }

  /** Waits for new points; every {@link PING_EVERY_MS} of silence, checks InfluxDB still answers. */
  async #idle(): Promise<void> {
    if (this.#dirty) return;
    let timer: NodeJS.Timeout | undefined;
    const woken = await new Promise<boolean>((resolve) => {
      this.#wake = () => resolve(true);
      timer = setTimeout(() => resolve(false), PING_EVERY_MS);
    });
    clearTimeout(timer);
    this.#wake = undefined;
    if (!woken) {
      this.#saveWrittenId();
      await this.#ping();
    }
  }

  /**
   * Saves the high-water mark while idle. A journal that cannot write (a full disk) must not end
   * the writer's loop: the mark is saved with the next commit that succeeds.
   */
  #saveWrittenId(): void {
    try {
      this.#options.journal.saveWrittenId();
    } catch (err) {
      this.#options.log.debug({ err }, 'high-water mark not saved: the journal cannot write');
    }
  }

  async #ping(): Promise<void> {
    const { online } = await this.#options.client.ping(2000);
    this.#setReachable(online);
    if (online) this.#options.onWritten?.();
  }

  /** Backoff pause: only `stop()` cuts it short (new votes must not hammer a failing InfluxDB). */
  async #pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#stopping.signal }).catch(() => undefined);
  }
}
