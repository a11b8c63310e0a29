import { setTimeout as sleep } from 'node:timers/promises';
import {
  ensureDatabase,
  type InfluxConfig,
  influxSchema,
  votePoint,
  WRITE_PRECISION,
} from '@likebox/influx';
import { InfluxDB, type IPoint } from 'influx';
import type { Logger } from 'pino';
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

/** Never let node-influx disable its only host: the writer owns retries and backoff. */
const noBackoff = {
  getDelay: () => 0,
  next: () => noBackoff,
  reset: () => noBackoff,
};

/** Options of {@link InfluxWriter}. */
export interface InfluxWriterOptions {
  /** Where to write. */
  config: InfluxConfig;
  /** The journal the votes are read from. */
  journal: Journal;
  /** Logger (`module: influxWriter`). */
  log: Logger;
  /** Metrics to update. */
  metrics: IngestMetrics;
  /**
   * Called whenever InfluxDB answered well: after each accepted write, with the press-time span
   * (epoch ms) of the votes in it, and with undefined after the database setup, after a write of
   * non-vote points only and after a successful idle ping. Must not throw.
   */
  onWritten?: (span: { from: number; to: number } | undefined) => void;
}

function statusOf(err: unknown): number | undefined {
  const res = (err as { res?: { statusCode?: number } }).res;
  return res?.statusCode;
}

/**
 * Writes the journal to InfluxDB in row order, one batch in flight at a time (at most
 * `batchSize` points), moving a durable high-water mark after each accepted write. The same loop
 * serves live votes and backfills after an outage or a restart; failed writes are retried with
 * exponential backoff (200 ms → 5 s) and never drop a vote. Non-vote points wait in a bounded buffer.
 */
export class InfluxWriter {
  readonly #options: InfluxWriterOptions;
  readonly #influx: InfluxDB;
  #extra: IPoint[] = [];
  /** Votes just committed, following the high-water mark without a gap: written without re-reading. */
  #tail: PendingVote[] = [];
  /** Highest row id taken into a batch (in flight or written). */
  #taken = 0;
  #writtenId = 0;
  #stopped = false;
  #wake: (() => void) | undefined;
  #dirty = false;
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  #reachable = false;
  #lastProgress = 0;

  constructor(options: InfluxWriterOptions) {
    this.#options = options;
    const { config } = options;
    this.#influx = new InfluxDB({
      hosts: [hostOf(config.url)],
      database: config.database,
      username: config.username,
      password: config.password,
      schema: influxSchema(config.database),
      pool: { maxRetries: 0, requestTimeout: 30_000, backoff: noBackoff },
    });
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

  /** Says new votes are in the journal. */
  notify(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  /** Queues a non-vote point (bounded: the oldest is dropped when full). */
  enqueue(point: IPoint): void {
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
        await ensureDatabase(this.#influx, this.#options.config, this.#options.log);
        this.#setReachable(true);
        this.#options.onWritten?.(undefined);
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
    const { config, metrics, log } = this.#options;
    this.#dirty = false;
    const rows = this.#take(config.batchSize);
    const extra = this.#extra.splice(0, Math.max(0, config.batchSize - rows.length));
    if (rows.length === 0 && extra.length === 0) return 'idle';
    const points = rows.map(votePoint).concat(extra);
    const lastId = rows.at(-1)?.id ?? this.#writtenId;
    try {
      await this.#influx.writePoints(points, {
        precision: WRITE_PRECISION as 'n',
        retentionPolicy: config.retentionPolicy,
      });
    } catch (err) {
      const status = statusOf(err);
      metrics.writeErrors.inc();
      if (status !== 400) {
        this.#tail = []; // retried from the journal
        this.#taken = this.#writtenId;
        this.#setReachable(status !== undefined && status < 500);
        this.#extra = extra.concat(this.#extra).slice(-EXTRA_POINTS_LIMIT);
        log.warn({ err, status, points: points.length }, 'influxdb write failed, will retry');
        return 'failed';
      }
      // 400: InfluxDB refused some points for good (field type conflict, bad value); it has written
      // the valid ones of the batch. Retrying can never succeed, so move on and say so loudly.
      metrics.pointsRejected.inc(points.length);
      log.error({ err, points: points.length, lastId }, 'influxdb refused a batch; skipped');
    }
    this.#setReachable(true);
    this.#advance(lastId, rows.length, extra.length);
    this.#options.onWritten?.(spanOf(rows));
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

  #advance(lastId: number, votes: number, extra: number): void {
    const { journal, metrics, log } = this.#options;
    if (votes > 0) {
      journal.setWrittenId(lastId);
      this.#writtenId = lastId;
      metrics.pointsWritten.inc({ kind: 'vote' }, votes);
    }
    if (extra > 0) metrics.pointsWritten.inc({ kind: 'other' }, extra);
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
      this.#options.journal.saveWrittenId();
      await this.#ping();
    }
  }

  async #ping(): Promise<void> {
    const [host] = await this.#influx.ping(2000).catch(() => []);
    this.#setReachable(host?.online === true);
    if (host?.online === true) this.#options.onWritten?.(undefined);
  }

  /** Backoff pause: only `stop()` cuts it short (new votes must not hammer a failing InfluxDB). */
  async #pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#stopping.signal }).catch(() => undefined);
  }
}

function spanOf(rows: PendingVote[]): { from: number; to: number } | undefined {
  if (rows.length === 0) return undefined;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    if (row.at < from) from = row.at;
    if (row.at > to) to = row.at;
  }
  return { from, to };
}

function hostOf(url: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? 'https' : 'http';
  const port = parsed.port === '' ? (protocol === 'https' ? 443 : 80) : Number(parsed.port);
  return { host: parsed.hostname, port, protocol };
}
