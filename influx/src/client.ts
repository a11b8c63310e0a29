import { InfluxDB, type IPingStats, type IPoint, type TimePrecision } from 'influx';
import { InfluxError } from './errors.js';
import { influxSchema, PRECISION } from './measurements.js';

/** Where and as whom to reach InfluxDB: the fields of `InfluxConfig` a client needs. */
export interface InfluxConnection {
  /** Base URL, e.g. `http://127.0.0.1:8086` (a path prefix, e.g. behind a proxy, is kept). */
  url: string;
  /** v1 database (2.x: the DBRP-mapped one; 3.x: the database). */
  database: string;
  /** v1 username (2.x/3.x: any name, with the token as password). */
  username?: string | undefined;
  /** v1 password, or the 2.x/3.x token. */
  password?: string | undefined;
  /** Per-request timeout, ms. Default 30,000. */
  timeoutMs?: number;
}

/** One series of a v1 `/query` answer. */
export interface InfluxSeries {
  /** Measurement name. */
  name: string;
  /** GROUP BY tags. */
  tags?: Record<string, string>;
  /** Column names, `time` first. */
  columns: string[];
  /** Rows, `time` in the epoch asked for. */
  values: (string | number | boolean | null)[][];
}

/** A row of a query answer: its series' tags merged with one row of values. */
export type InfluxRow = Record<string, string | number | boolean | null>;

/** InfluxDB refused a request or could not be reached. */
export class InfluxRequestError extends InfluxError {
  /**
   * The HTTP status InfluxDB answered: 3xx/4xx, or 200 for a statement that failed inside a good
   * answer; undefined when it failed or could not be reached (5xx, network error, timeout).
   */
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/**
 * node-influx takes a host out of its pool for 0.3–10 s after one failed request and rejects every
 * call meanwhile ("No host available"). A zero delay keeps the only host in: the callers own their
 * retries and backoff.
 */
const NO_BACKOFF = {
  getDelay: () => 0,
  next: () => NO_BACKOFF,
  reset: () => NO_BACKOFF,
};

function hostOf(url: string) {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? ('https' as const) : ('http' as const);
  const port = parsed.port === '' ? (protocol === 'https' ? 443 : 80) : Number(parsed.port);
  const path = parsed.pathname.replace(/\/+$/, '');
  return { host: parsed.hostname, port, protocol, path };
}

function wrap(what: string, err: unknown): InfluxRequestError {
  const status = (err as { res?: { statusCode?: number } }).res?.statusCode;
  return new InfluxRequestError(`InfluxDB ${what} failed: ${(err as Error).message}`, status, {
    cause: err,
  });
}

/**
 * The one InfluxDB client of LikeBox, around node-influx (v1 HTTP API: InfluxDB 1.x, and 2.x/3.x
 * through their v1 compatibility endpoints). Every write is in {@link PRECISION} with the schema of
 * every measurement; every query is a POST form (as Grafana's `httpMode: POST`), so statements
 * that change data run too. No request is retried here.
 */
export class InfluxClient {
  /** InfluxDB's base URL. */
  readonly url: string;
  /** The database every request goes to. */
  readonly database: string;
  readonly #influx: InfluxDB;

  constructor(connection: InfluxConnection) {
    this.url = connection.url;
    this.database = connection.database;
    this.#influx = new InfluxDB({
      hosts: [hostOf(connection.url)],
      database: connection.database,
      ...(connection.username === undefined ? {} : { username: connection.username }),
      ...(connection.password === undefined ? {} : { password: connection.password }),
      schema: influxSchema(connection.database),
      pool: { maxRetries: 0, requestTimeout: connection.timeoutMs ?? 30_000, backoff: NO_BACKOFF },
    });
  }

  /** node-influx itself, for its admin helpers (create database, retention policies: 1.x only). */
  get admin(): InfluxDB {
    return this.#influx;
  }

  /** Writes points into `retentionPolicy` (undefined: the database's default one). */
  async write(points: readonly IPoint[], retentionPolicy?: string): Promise<void> {
    if (points.length === 0) return;
    try {
      await this.#influx.writePoints(points as IPoint[], {
        // node-influx spells it `n`; InfluxDB documents `ns` (1.6.7 reads anything unknown as ns).
        precision: PRECISION as TimePrecision,
        ...(retentionPolicy === undefined ? {} : { retentionPolicy }),
      });
    } catch (err) {
      throw wrap('write', err);
    }
  }

  /** Runs InfluxQL and returns the first statement's series, `time` in epoch `ms` (or `ns`). */
  async query(influxql: string, epoch: 'ms' | 'ns' = 'ms'): Promise<InfluxSeries[]> {
    let answer: { error?: string; results?: { error?: string; series?: InfluxSeries[] }[] };
    try {
      answer = await this.#influx.queryRaw(influxql, {
        method: 'POST',
        precision: epoch as TimePrecision,
      });
    } catch (err) {
      throw wrap('query', err);
    }
    const error = answer.error ?? answer.results?.[0]?.error;
    if (error !== undefined) throw new InfluxRequestError(`InfluxDB query failed: ${error}`, 200);
    return answer.results?.[0]?.series ?? [];
  }

  /** {@link InfluxClient.query} flattened into rows (tags as columns, like Grafana's table format). */
  async rows(influxql: string, epoch: 'ms' | 'ns' = 'ms'): Promise<InfluxRow[]> {
    return (await this.query(influxql, epoch)).flatMap((series) =>
      series.values.map((values) => ({
        ...series.tags,
        ...Object.fromEntries(series.columns.map((column, i) => [column, values[i] ?? null])),
      })),
    );
  }

  /** `/ping`: whether InfluxDB answers within `timeoutMs`, and its version. */
  async ping(timeoutMs: number): Promise<Pick<IPingStats, 'online' | 'version'>> {
    const [host] = await this.#influx.ping(timeoutMs);
    return { online: host?.online === true, version: host?.version ?? '' };
  }
}
