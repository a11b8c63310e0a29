import { InfluxError } from './errors.js';
import type { InfluxSeries, RollupClient } from './voteRollup.js';

/** Options of {@link createInfluxClient}: the same settings as the ingest's `LIKEBOX_INFLUX_*`. */
export interface InfluxClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8086`. */
  url: string;
  /** Database (1.x), or the DBRP-mapped database (2.x) / database (3.x). */
  database: string;
  /** 1.x user, when authentication is on. */
  username?: string;
  /** 1.x password. */
  password?: string;
  /** 2.x / 3.x token, sent as `Authorization: Token …` (wins over username/password). */
  token?: string;
  /** Per-request timeout in ms. Default 10,000. */
  timeoutMs?: number;
}

/** InfluxDB answered with an error or an unexpected status. */
export class InfluxRequestError extends InfluxError {}

interface Answer {
  error?: string;
  results?: { error?: string; series?: InfluxSeries[] }[];
}

/**
 * A minimal InfluxDB v1-API client (`/query` with `epoch=ms`, `/write` with `precision=ms`), enough
 * to write the `talk` points and refresh the `vote_1m` rollup from any process; works with InfluxDB
 * 1.x, 2.x (v1 compatibility API) and 3.x.
 */
export function createInfluxClient(options: InfluxClientOptions): RollupClient {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Token ${options.token}`;
  else if (options.username) {
    const basic = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
  }
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const db = encodeURIComponent(options.database);
  return {
    async query(influxql) {
      const response = await fetch(`${options.url}/query`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ db: options.database, q: influxql, epoch: 'ms' }),
        signal: timeout(),
      });
      const answer = (await response.json().catch(() => ({}))) as Answer;
      const error = answer.error ?? answer.results?.[0]?.error;
      if (!response.ok || error !== undefined) {
        throw new InfluxRequestError(`InfluxDB query failed (${response.status}): ${error ?? ''}`);
      }
      return answer.results?.[0]?.series ?? [];
    },
    async write(lines) {
      const response = await fetch(`${options.url}/write?db=${db}&precision=ms`, {
        method: 'POST',
        headers,
        body: lines,
        signal: timeout(),
      });
      if (response.status !== 204) {
        const text = await response.text().catch(() => '');
        throw new InfluxRequestError(`InfluxDB write failed (${response.status}): ${text}`);
      }
    },
  };
}
