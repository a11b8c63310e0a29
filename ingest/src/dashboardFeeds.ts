import {
  type InfluxClient,
  type InfluxPoint,
  influxQLIdentifier,
  influxQLString,
  scheduleToTalkPoints,
  TALK,
} from '@likebox/influx';
import type { Schedule } from '@likebox/protocol';
import type { Logger } from 'pino';

/** Least time between a failed request and the next try, ms (a refusing InfluxDB is not hammered). */
export const FEEDS_RETRY_AFTER_MS = 5000;

/** Options of {@link DashboardFeeds}. */
export interface DashboardFeedsOptions {
  /** The client to write with (the writer's). */
  client: InfluxClient;
  /** Event slug. */
  event: string;
  /** Logger (`module: dashboardFeeds`). */
  log: Logger;
}

const TALK_FROM = influxQLIdentifier(TALK.name);

/**
 * Feeds the measurement the Grafana dashboards read and no vote carries: `talk` (titles and time
 * bands of the schedule's votable talks), rewritten whole after each schedule change, into the
 * database's default retention policy where the dashboards read. (`vote_1m` goes with the votes:
 * see `InfluxWriter`.) One request chain runs at a time; a schedule arriving meanwhile replaces the
 * one waiting. A failure keeps the work and waits for the next {@link DashboardFeeds.retry} (the
 * writer calls it whenever InfluxDB answered well): never thrown, never blocks the votes.
 */
export class DashboardFeeds {
  readonly #o: DashboardFeedsOptions;
  /** Schedule whose `talk` points are still to write. */
  #schedule: Schedule | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** When the last request failed (epoch ms); retries wait {@link FEEDS_RETRY_AFTER_MS}. */
  #failedAt = Number.NEGATIVE_INFINITY;
  /** False until the writer first says InfluxDB answered (its database exists by then). */
  #ready = false;

  constructor(options: DashboardFeedsOptions) {
    this.#o = options;
  }

  /** The schedule changed (loaded, reloaded, delayed): its `talk` points are (re)written. */
  schedule(schedule: Schedule): void {
    this.#schedule = schedule;
    this.#kick();
  }

  /** InfluxDB answered well (setup, write, ping): does what waits, if anything. */
  retry(): void {
    this.#ready = true;
    if (this.#schedule !== undefined) this.#kick();
  }

  /** Waits for the request chain in flight; later work is dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
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
    while (!this.#stopped && this.#schedule !== undefined) {
      const schedule = this.#schedule;
      this.#schedule = undefined;
      try {
        await this.#writeTalks(schedule);
      } catch (err) {
        this.#schedule ??= schedule;
        this.#failedAt = Date.now();
        this.#o.log.warn({ err }, 'talk points not written; retried after the next write');
        return;
      }
    }
  }

  async #writeTalks(schedule: Schedule): Promise<void> {
    const points = scheduleToTalkPoints(schedule);
    await this.#o.client.write(points);
    this.#o.log.info({ talks: points.length, measurement: TALK.name }, 'talk points written');
    await this.#removeStale(points).catch((err: unknown) => {
      this.#o.log.warn({ err }, 'stale talk points not deleted (InfluxDB 2.x/3.x: kept)');
    });
  }

  /**
   * Deletes the `talk` points of the event the schedule no longer has (a talk moved to another
   * room or start, or removed), after the new ones are written so titles never disappear.
   */
  async #removeStale(points: InfluxPoint[]): Promise<void> {
    const { client, event: slug, log } = this.#o;
    const event = influxQLString(slug);
    const keep = new Set(
      points.map((p) => `${p.tags.room}\n${p.tags.talk}\n${BigInt(p.timestamp) / 1_000_000n}`),
    );
    const series = await client.query(
      `SELECT "title" FROM ${TALK_FROM} WHERE "event" = ${event} GROUP BY "room", "talk"`,
    );
    for (const one of series) {
      const room = one.tags?.room ?? '';
      const talk = one.tags?.talk ?? '';
      for (const [time] of one.values) {
        if (keep.has(`${room}\n${talk}\n${time}`)) continue;
        await client.query(
          `DELETE FROM ${TALK_FROM} WHERE "event" = ${event} AND "room" = ${influxQLString(room)} ` +
            `AND "talk" = ${influxQLString(talk)} AND time >= ${time}ms AND time <= ${time}ms`,
        );
        log.info({ room, talk, time }, 'stale talk point deleted');
      }
    }
  }
}
