/** A row of an InfluxQL answer: the series' tags merged with one row of values, `time` in epoch ms. */
export type Row = Record<string, string | number | boolean | null>;

import type { InfluxSeries, RollupClient } from '@likebox/influx';

interface InfluxAnswer {
  results: { statement_id: number; error?: string; series?: InfluxSeries[] }[];
  error?: string;
}

/** Minimal client of the v1 HTTP API (the one Grafana's InfluxQL datasource speaks). */
export class InfluxHttp implements RollupClient {
  constructor(
    private readonly url: string,
    private readonly database: string,
  ) {}

  /** Runs an administrative statement (CREATE/DROP DATABASE, CREATE CONTINUOUS QUERY...). */
  async admin(statement: string): Promise<void> {
    const response = await fetch(
      `${this.url}/query?q=${encodeURIComponent(statement)}&db=${this.database}`,
      {
        method: 'POST',
      },
    );
    const body = (await response.json()) as InfluxAnswer;
    const error = body.error ?? body.results.find((result) => result.error)?.error;
    if (!response.ok || error !== undefined)
      throw new Error(`${statement}: ${error ?? response.status}`);
  }

  /** Writes line protocol with millisecond timestamps. */
  async write(lines: string): Promise<void> {
    const response = await fetch(`${this.url}/write?db=${this.database}&precision=ms`, {
      method: 'POST',
      body: lines,
    });
    if (response.status !== 204)
      throw new Error(`write: ${response.status} ${await response.text()}`);
  }

  /** Runs a query as Grafana does (POST form, `epoch=ms`) and returns its series. */
  query(query: string): Promise<InfluxSeries[]> {
    return this.series(query);
  }

  /** Same as {@link InfluxHttp.query}. */
  async series(query: string): Promise<InfluxSeries[]> {
    const response = await fetch(`${this.url}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ db: this.database, q: query, epoch: 'ms' }),
    });
    const body = (await response.json()) as InfluxAnswer;
    const error = body.error ?? body.results[0]?.error;
    if (!response.ok || error !== undefined)
      throw new Error(`${query}\n→ ${error ?? response.status}`);
    return body.results[0]?.series ?? [];
  }

  /** Runs a query and flattens its series into rows (tags as columns, like Grafana's table format). */
  async rows(query: string): Promise<Row[]> {
    return (await this.series(query)).flatMap((series) =>
      series.values.map((values) => ({
        ...series.tags,
        ...Object.fromEntries(
          series.columns.map((column, index) => [column, values[index] ?? null]),
        ),
      })),
    );
  }
}

/** Grafana's "Join by field", inner mode, on rows: one output row per matching pair. */
export function innerJoin(left: readonly Row[], right: readonly Row[], field: string): Row[] {
  return left.flatMap((row) =>
    right.filter((other) => other[field] === row[field]).map((other) => ({ ...other, ...row })),
  );
}
