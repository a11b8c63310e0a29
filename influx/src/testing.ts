import { onTestFinished } from 'vitest';
import { type ManagedInfluxd, startManagedInfluxd } from './managedInfluxd.js';

/*
 * Helpers for the tests of every workspace that stores into InfluxDB: a real influxd per test and
 * plain reads of what it holds. Imported only by tests (`@likebox/influx/testing`), never by a
 * command: it needs vitest.
 */

/** A managed influxd with its data in `dir/influxd`, stopped when the test ends. */
export async function startTestInfluxd(dir: string): Promise<ManagedInfluxd> {
  const influxd = await startManagedInfluxd({ dataDir: `${dir}/influxd` });
  onTestFinished(() => influxd.stop());
  return influxd;
}

/** Runs an InfluxQL query and returns the rows of the first series (column name → value). */
export async function influxRows(
  url: string,
  db: string,
  q: string,
): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${url}/query?db=${db}&epoch=ns&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as {
    results: {
      series?: { columns: string[]; values: unknown[][]; tags?: Record<string, string> }[];
    }[];
  };
  const rows: Record<string, unknown>[] = [];
  for (const series of body.results[0]?.series ?? []) {
    for (const values of series.values) {
      rows.push({
        ...series.tags,
        ...Object.fromEntries(series.columns.map((c, i) => [c, values[i]])),
      });
    }
  }
  return rows;
}

/** The first number an InfluxQL `count(...)` or `sum(...)` query answers (0 when no rows). */
export async function influxNumber(url: string, db: string, q: string): Promise<number> {
  const rows = await influxRows(url, db, q);
  return Number(rows[0]?.count ?? rows[0]?.sum ?? 0);
}
