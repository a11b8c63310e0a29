import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { InfluxClient, type InfluxRow, startManagedInfluxd } from '@likebox/influx';
import { expect } from 'vitest';
import { buildDashboards } from '../../src/generate.js';
import { wilsonLowerBound } from '../../src/wilson.js';
import { expandInfluxQL } from './grafanaMacros.js';
import { SEEDED_TALKS, seed } from './seed.js';
import { dashboardContext, dashboardTargets } from './targets.js';

/** Rooms of the seeded data. */
export const ROOMS = ['amphi-a', 'amphi-b', 'room-c'];

/** A real influxd holding the seeded data, and a way to run any dashboard target on it. */
export interface QueryHarness {
  /** The instant the data was seeded relative to. */
  now: number;
  /** influxd's base URL. */
  url: string;
  /**
   * The database, for tests writing more points. Its queries are POST forms with `epoch=ms`, what
   * Grafana's InfluxDB datasource sends with `httpMode: POST` (as provisioned in infra/grafana).
   */
  influx: InfluxClient;
  /** Runs one target (`<uid> / <panel> / <refId>`), expanded as Grafana would with these values. */
  run(key: string, values?: Record<string, string | string[]>): Promise<InfluxRow[]>;
  /** Targets of the dashboard `uid` that no `run` has executed yet. */
  notRun(uid: string): string[];
  /** Drops the database, stops influxd, removes its folder. */
  stop(): Promise<void>;
}

/** Starts influxd, creates `database`, writes the seed. */
export async function startQueryHarness(database: string): Promise<QueryHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'likebox-dashboards-'));
  const influxd = await startManagedInfluxd({ dataDir });
  const influx = new InfluxClient({ url: influxd.url, database });
  await influx.admin.createDatabase(database);
  const now = Date.now();
  await influx.write(seed(now).points);
  const byUid = new Map(Object.values(buildDashboards({ event: 'demo' })).map((d) => [d.uid, d]));
  const executed = new Set<string>();
  return {
    now,
    url: influxd.url,
    influx,
    run(key, values = {}) {
      const dashboard = byUid.get(key.split(' / ')[0]) as Dashboard;
      const target = dashboardTargets(dashboard).find((t) => t.key === key);
      if (target === undefined) throw new Error(`no target ${key}`);
      const context = dashboardContext(
        dashboard,
        { event: 'demo', room: '$__all', ...values },
        { room: ROOMS },
        now,
      );
      const query = expandInfluxQL(target.query, {
        ...context,
        ...(target.minInterval === undefined ? {} : { minInterval: target.minInterval }),
      });
      executed.add(key);
      return influx.rows(query);
    },
    notRun(uid) {
      const dashboard = byUid.get(uid) as Dashboard;
      return dashboardTargets(dashboard)
        .map((target) => target.key)
        .filter((key) => !executed.has(key));
    },
    async stop() {
      try {
        await influx.admin.dropDatabase(database);
      } finally {
        await influxd.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The last row's `column`. */
export function last(rows: readonly InfluxRow[], column: string): unknown {
  return rows.at(-1)?.[column];
}

/** Sum of `column` over the rows. */
export function sum(rows: readonly InfluxRow[], column: string): number {
  return rows.reduce((total, row) => total + Number(row[column] ?? 0), 0);
}

/** The figures a talk's row must show, Wilson bound included. */
export function expectedStats(talk: keyof typeof SEEDED_TALKS) {
  const { likes, dislikes } = SEEDED_TALKS[talk];
  const votes = likes + dislikes;
  return {
    votes,
    likes,
    dislikes,
    net: likes - dislikes,
    ratio: expect.closeTo(likes / votes, 12),
    wilson: expect.closeTo(wilsonLowerBound(likes, votes), 12),
  };
}
