/**
 * Times every Grafana panel query of the LikeBox dashboards on a full event, as Grafana would run it
 * (default range of the dashboard, macros expanded, All rooms), against a managed influxd.
 *
 *   npx tsx bench/dashboards.ts            # 1,000,000 votes, 3 days, 12 rooms, 100 boxes, 150 talks
 *   npx tsx bench/dashboards.ts 200000     # fewer votes
 *
 * Prints a table: median and max of 5 runs (after one warm-up) per query, against a reference measured
 * in the same run (cumulative likes per room in 1-minute buckets over every vote: the query measured
 * before any LikeBox code, 208–238 ms on influxd 1.6 here). Target: every panel under 300 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { InfluxClient, rollUpVotes, startManagedInfluxd, voteMinutePoint } from '@likebox/influx';
import { buildDashboards } from '../dashboards/src/generate.js';
import { expandInfluxQL } from '../dashboards/test/support/grafanaMacros.js';
import { dashboardContext, dashboardTargets } from '../dashboards/test/support/targets.js';
import { type EventData, generateEvent } from './dashboardsData.js';

const TARGET_MS = 300;
const RUNS = 5;
const REFERENCE =
  'SELECT cumulative_sum(count("value")) FROM "vote" WHERE "value" = 1 AND time >= now() - 3d ' +
  'GROUP BY time(1m), "room" fill(0)';

async function timeQuery(
  influx: InfluxClient,
  query: string,
): Promise<{ median: number; max: number; rows: number }> {
  let rows = (await influx.rows(query)).length;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    rows = (await influx.rows(query)).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)] as number, max: times.at(-1) as number, rows };
}

async function load(influx: InfluxClient, data: EventData): Promise<void> {
  let started = performance.now();
  for (const batch of data.batches()) await influx.write(batch);
  let seconds = (performance.now() - started) / 1000;
  console.log(`loaded ${data.points.toLocaleString('en')} points in ${seconds.toFixed(1)} s`);
  started = performance.now();
  // The totals the ingest's journal keeps, computed by the same aggregation.
  const minutes = rollUpVotes(data.votes()).map(voteMinutePoint);
  for (let i = 0; i < minutes.length; i += 5_000) await influx.write(minutes.slice(i, i + 5_000));
  seconds = (performance.now() - started) / 1000;
  console.log(
    `vote_1m of the 3 days: ${minutes.length.toLocaleString('en')} points in ${seconds.toFixed(1)} s`,
  );
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Times every target of one dashboard, prints a line each; returns how many are over budget. */
async function benchDashboard(
  influx: InfluxClient,
  dashboard: Dashboard,
  data: EventData,
  now: number,
  referenceMs: number,
): Promise<number> {
  // "Today" is at its heaviest at 23:59: bench it as the last 24 hours.
  const today = dashboard.time?.from === 'now/d';
  const base = dashboardContext(
    dashboard,
    { event: 'demo', room: '$__all', min_votes: '10', talk: data.busiestTalk },
    { room: data.rooms },
    now,
  );
  const context = today ? { ...base, from: 'now-24h', to: 'now' } : base;
  let over = 0;
  for (const target of dashboardTargets(dashboard)) {
    // A repeated panel runs once per room, each copy with `$room` set to that one room.
    const repeated = target.key.includes('$room /');
    const variables = repeated
      ? { ...context.variables, room: { ...context.variables.room!, value: data.rooms[0]! } }
      : context.variables;
    const query = expandInfluxQL(target.query, {
      ...context,
      variables,
      ...(target.minInterval === undefined ? {} : { minInterval: target.minInterval }),
    });
    const result = await timeQuery(influx, query);
    const verdict = result.median < TARGET_MS ? 'ok' : 'OVER';
    if (verdict !== 'ok') over += 1;
    console.log(
      `${pad(target.key, 70)} ${pad(result.median.toFixed(1), 8)} ${pad(result.max.toFixed(1), 8)} ` +
        `${pad(String(result.rows), 7)} ${(result.median / referenceMs).toFixed(2).padStart(5)}  ${verdict}`,
    );
  }
  return over;
}

async function main(): Promise<void> {
  const votes = Number(process.argv[2] ?? 1_000_000);
  const dataDir = await mkdtemp(join(tmpdir(), 'likebox-bench-dashboards-'));
  const influxd = await startManagedInfluxd({ dataDir });
  try {
    const influx = new InfluxClient({ url: influxd.url, database: 'likebox' });
    await influx.admin.createDatabase('likebox');
    const now = Date.now();
    const data = generateEvent({ votes, now });
    await load(influx, data);
    const reference = await timeQuery(influx, REFERENCE);
    console.log(
      `reference (cumulative likes per room, 1-min buckets, all votes): ${reference.median.toFixed(0)} ms`,
    );
    console.log('');
    console.log(
      `${pad('query', 70)} ${pad('median', 8)} ${pad('max', 8)} ${pad('rows', 7)} ratio  verdict`,
    );
    let over = 0;
    for (const dashboard of Object.values(buildDashboards({ event: 'demo' }))) {
      over += await benchDashboard(influx, dashboard, data, now, reference.median);
    }
    console.log('');
    console.log(
      `${over} quer${over === 1 ? 'y' : 'ies'} over ${TARGET_MS} ms (measured under load: other jobs share the CPU)`,
    );
  } finally {
    await influxd.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
