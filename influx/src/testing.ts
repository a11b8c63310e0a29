import { onTestFinished } from 'vitest';
import { InfluxClient, type InfluxRow } from './client.js';
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

/** Runs an InfluxQL query (through {@link InfluxClient}) and returns its rows, `time` in epoch ns. */
export function influxRows(url: string, db: string, q: string): Promise<InfluxRow[]> {
  return new InfluxClient({ url, database: db }).rows(q, 'ns');
}

/** The first number an InfluxQL `count(...)` or `sum(...)` query answers (0 when no rows). */
export async function influxNumber(url: string, db: string, q: string): Promise<number> {
  const rows = await influxRows(url, db, q);
  return Number(rows[0]?.count ?? rows[0]?.sum ?? 0);
}
