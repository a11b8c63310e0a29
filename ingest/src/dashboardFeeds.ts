import {
  createInfluxClient,
  type InfluxConfig,
  type RollupClient,
  refreshVoteRollup,
  scheduleToTalkPoints,
  TALK_MEASUREMENT,
  type TalkPoint,
  talkPointsToLineProtocol,
} from '@likebox/influx';
import type { Schedule } from '@likebox/protocol';
import type { Logger } from 'pino';

/** An InfluxQL string literal. */
function influxString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A span of press times, epoch ms, both ends included. */
export interface VoteSpan {
  /** Oldest press time. */
  from: number;
  /** Newest press time. */
  to: number;
}

/** The dashboards' v1-API InfluxDB client, with the ingest's own connection settings. */
export function influxClientFor(influx: InfluxConfig): RollupClient {
  return createInfluxClient({
    url: influx.url,
    database: influx.database,
    ...(influx.token
      ? { token: influx.password ?? '' }
      : { username: influx.username ?? '', password: influx.password ?? '' }),
  });
}

/**
 * Reads `vote` from the configured retention policy: the rollup query names the bare measurement,
 * which InfluxDB resolves in the database's default policy. `talk` and `vote_1m` are written to
 * the default policy, where the dashboards read them.
 */
function withRetentionPolicy(client: RollupClient, rp: string | undefined): RollupClient {
  if (rp === undefined) return client;
  const qualified = `FROM "${rp.replace(/"/g, '\\"')}"."vote"`;
  return {
    query: (influxql) => {
      if (!influxql.includes('FROM "vote"')) {
        throw new Error(`the rollup query no longer reads FROM "vote": ${influxql}`);
      }
      return client.query(influxql.replace('FROM "vote"', qualified));
    },
    write: (lines) => client.write(lines),
  };
}

/** Least time between a failed request and the next try, ms (a refusing InfluxDB is not hammered). */
export const FEEDS_RETRY_AFTER_MS = 5000;

/**
 * Least time between two rollup refreshes, ms. Only the leaderboard reads `vote_1m`, refreshed by
 * Grafana every minute; during a flood each refresh re-aggregates the whole current minute, so
 * running them back to back cost InfluxDB more CPU than storing the votes (bench/ingest.ts).
 */
export const ROLLUP_EVERY_MS = 5000;

/** Options of {@link DashboardFeeds}. */
export interface DashboardFeedsOptions {
  /** Where to write (the writer's settings). */
  config: InfluxConfig;
  /** Event slug. */
  event: string;
  /** Logger (`module: dashboardFeeds`). */
  log: Logger;
  /** Least time between two rollup refreshes, ms. Default {@link ROLLUP_EVERY_MS}. */
  rollupEveryMs?: number;
}

/**
 * Feeds the two measurements the Grafana dashboards read and nothing else writes: `talk` (titles
 * and time bands of the schedule's votable talks, rewritten whole after each schedule change) and
 * `vote_1m` (the per-minute rollup of `vote`, refreshed for the press-time span of the batches the
 * writer stored, at most every `rollupEveryMs`). One request chain runs at a time; spans arriving
 * meanwhile are merged into one.
 * A failure keeps the work and waits for the next {@link DashboardFeeds.retry} (the writer calls
 * it after each successful write, so InfluxDB is back): never thrown, never blocks the votes.
 */
export class DashboardFeeds {
  readonly #o: DashboardFeedsOptions;
  readonly #client: RollupClient;
  /** {@link DashboardFeeds.#client}, reading `vote` from the configured retention policy. */
  readonly #rollup: RollupClient;
  /** Schedule whose `talk` points are still to write. */
  #schedule: Schedule | undefined;
  /** Press-time span whose rollup is still to refresh. */
  #span: VoteSpan | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** When the last request failed (epoch ms); retries wait {@link FEEDS_RETRY_AFTER_MS}. */
  #failedAt = Number.NEGATIVE_INFINITY;
  /** False until the writer first says InfluxDB answered (its database exists by then). */
  #ready = false;
  /** When the last rollup refresh began (epoch ms). */
  #rolledUpAt = Number.NEGATIVE_INFINITY;
  /** Wakes the feeds when the next rollup refresh is due. */
  #rollupTimer: NodeJS.Timeout | undefined;

  constructor(options: DashboardFeedsOptions) {
    this.#o = options;
    this.#client = influxClientFor(options.config);
    this.#rollup = withRetentionPolicy(this.#client, options.config.retentionPolicy);
  }

  /** The schedule changed (loaded, reloaded, delayed): its `talk` points are (re)written. */
  schedule(schedule: Schedule): void {
    this.#schedule = schedule;
    this.#kick();
  }

  /** A batch of votes pressed within `span` is stored: the rollup of its minutes is refreshed. */
  votesWritten(span: VoteSpan): void {
    this.#merge(span);
    this.#ready = true;
    this.#kick();
  }

  /** InfluxDB answered well (setup, write, ping): does what waits, if anything. */
  retry(): void {
    this.#ready = true;
    if (this.#schedule !== undefined || this.#span !== undefined) this.#kick();
  }

  /** Waits for the request chain in flight; later work is dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#rollupTimer);
    await this.#running;
  }

  /** Settles once nothing is in flight (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  #kick(): void {
    if (this.#running !== undefined || this.#stopped || !this.#ready) return;
    if (Date.now() - this.#failedAt < FEEDS_RETRY_AFTER_MS) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Writes until nothing is left or a request fails (the work is kept for the next retry). */
  async #drain(): Promise<void> {
    while (!this.#stopped) {
      const schedule = this.#schedule;
      const span = this.#span;
      if (schedule === undefined && span === undefined) return;
      this.#schedule = undefined;
      this.#span = undefined;
      try {
        if (schedule !== undefined) await this.#writeTalks(schedule);
      } catch (err) {
        this.#schedule ??= schedule;
        if (span !== undefined) this.#merge(span);
        this.#failedAt = Date.now();
        this.#o.log.warn({ err }, 'talk points not written; retried after the next write');
        return;
      }
      if (span === undefined) continue;
      if (this.#rollupLater(span)) return;
      try {
        await this.#refresh(span);
      } catch (err) {
        this.#merge(span);
        this.#failedAt = Date.now();
        this.#o.log.warn(
          { err, span },
          'vote_1m rollup not refreshed; retried after the next write',
        );
        return;
      }
    }
  }

  /** Keeps `span` for later when the last refresh was too recent (true), and wakes up then. */
  #rollupLater(span: VoteSpan): boolean {
    const wait = this.#rolledUpAt + (this.#o.rollupEveryMs ?? ROLLUP_EVERY_MS) - Date.now();
    if (wait <= 0) {
      this.#rolledUpAt = Date.now();
      return false;
    }
    this.#merge(span);
    this.#rollupTimer ??= setTimeout(() => {
      this.#rollupTimer = undefined;
      this.#kick();
    }, wait);
    return true;
  }

  /** Adds a span to the one still to refresh. */
  #merge(span: VoteSpan): void {
    const pending = this.#span;
    this.#span =
      pending === undefined
        ? { ...span }
        : { from: Math.min(pending.from, span.from), to: Math.max(pending.to, span.to) };
  }

  async #writeTalks(schedule: Schedule): Promise<void> {
    const points = scheduleToTalkPoints(schedule);
    if (points.length > 0) await this.#client.write(talkPointsToLineProtocol(points));
    this.#o.log.info(
      { talks: points.length, measurement: TALK_MEASUREMENT },
      'talk points written',
    );
    await this.#removeStale(points).catch((err: unknown) => {
      this.#o.log.warn({ err }, 'stale talk points not deleted (InfluxDB 2.x/3.x: kept)');
    });
  }

  /**
   * Deletes the `talk` points of the event the schedule no longer has (a talk moved to another
   * room or start, or removed), after the new ones are written so titles never disappear.
   */
  async #removeStale(points: TalkPoint[]): Promise<void> {
    const event = influxString(this.#o.event);
    const keep = new Set(points.map((p) => `${p.tags.room}\n${p.tags.talk}\n${p.timestamp}`));
    const series = await this.#client.query(
      `SELECT "title" FROM "${TALK_MEASUREMENT}" WHERE "event" = ${event} GROUP BY "room", "talk"`,
    );
    for (const one of series) {
      const room = one.tags?.room ?? '';
      const talk = one.tags?.talk ?? '';
      for (const [time] of one.values) {
        if (keep.has(`${room}\n${talk}\n${time}`)) continue;
        await this.#client.query(
          `DELETE FROM "${TALK_MEASUREMENT}" WHERE "event" = ${event} AND "room" = ${influxString(room)} ` +
            `AND "talk" = ${influxString(talk)} AND time >= ${time}ms AND time <= ${time}ms`,
        );
        this.#o.log.info({ room, talk, time }, 'stale talk point deleted');
      }
    }
  }

  async #refresh(span: VoteSpan): Promise<void> {
    const written = await refreshVoteRollup(this.#rollup, this.#o.event, span.from, span.to);
    this.#o.log.debug({ span, written }, 'vote_1m rollup refreshed');
  }
}
