/**
 * Ingest benchmark (issue 5), two deployments (bench/ingestDeployments.ts), influxd (Debian 1.6,
 * managed) and the MQTT.js load generator, all on this machine, measured in one run:
 *
 * 1. the limit: the same votes written as raw line protocol over HTTP, batches of 5,000;
 * 2. per deployment, the reference: plain QoS 1 delivery of the same broker to one subscriber,
 *    after a discarded run of the same that warms up the load generator and the broker;
 * 3. sustained votes/s from MQTT into InfluxDB through the ingest, the CPU time per vote of each
 *    process (they share two cores), and the ingest's peak RSS;
 * 4. press → stored (InfluxDB accepted the write) latency p50/p99 at 1,000 votes/s, after 2 s at
 *    that rate which are not counted (a freshly started ingest).
 *
 * 2 and 3 run BENCH_FLOODS times each (default 3), back to back, and the verdicts use the
 * medians: on this shared 2-core machine the same build moves by a fifth from one run to the next
 * (the load generator's own CPU per vote with it).
 *
 * `likebox up` (broker, ingest and live page in one process) is how LikeBox runs at an event
 * (`npm start`, the container image, the systemd unit); the standalone pair, `likebox broker` and
 * `likebox ingest` in two processes, is for a broker elsewhere or a cluster.
 *
 *   npx tsc -b && npx tsx bench/ingest.ts
 *   BENCH_VOTES=100000 npx tsx bench/ingest.ts     # quicker
 *   BENCH_INGEST_FLAGS=--heap-growing-percent=100 npx tsx bench/ingest.ts   # node flags of the ingest
 *   BENCH_BROKER_FLAGS=--cpu-prof npx tsx bench/ingest.ts    # node flags of the standalone broker
 *   BENCH_UP_FLAGS=--cpu-prof npx tsx bench/ingest.ts        # node flags of likebox up
 *   BENCH_DEFAULT_ENV=1 npx tsx bench/ingest.ts    # without the shipped process settings
 *   BENCH_DEPLOYMENTS=up npx tsx bench/ingest.ts   # one deployment only (up or standalone)
 *   BENCH_FLOODS=1 npx tsx bench/ingest.ts         # one reference and one flood per deployment
 *
 * Every LikeBox process runs with the shipped process settings (processSettings.ts); `likebox up`
 * and the standalone ingest also limit their heap growth themselves (ingest/src/heapGrowth.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUser } from '@likebox/broker';
import { startManagedInfluxd } from '@likebox/influx';
import {
  accepted,
  type RunningIngest,
  startStandaloneIngest,
  startUp,
  writeUpUsers,
} from './ingestDeployments.js';
import {
  connectBoxes,
  discardSession,
  flood,
  paced,
  percentile,
  plainSubscriber,
  rawLineProtocol,
  recordingProxy,
} from './ingestLoad.js';
import { line, printFlood, printReference } from './ingestReport.js';
import { cpuMs, nodeFlags, peakRss, spawnLine, stop } from './processes.js';
import { PRODUCTION_ENV } from './processSettings.js';

const PASSWORD = 'bench-password-1';
const EVENT = 'demo';
const REF_EVENT = 'ref';
const BOXES = 10;
const VOTES = Number(process.env.BENCH_VOTES ?? 200_000);
/** Which deployments to measure, comma-separated (`up`, `standalone`). */
const DEPLOYMENTS = (process.env.BENCH_DEPLOYMENTS ?? 'up,standalone').split(',');
/** Floods (and references) per deployment; the verdicts use the median. */
const FLOODS = Number(process.env.BENCH_FLOODS ?? 3);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = 10;
/** Paced votes before the latency is measured, discarded (seconds at the same rate). */
const LATENCY_WARMUP_SECONDS = 2;
/** What the printed verdicts are measured against. */
const FLOOD_SETTINGS = {
  total: FLOODS * VOTES,
  latencyRate: LATENCY_RATE,
  warmupSeconds: LATENCY_WARMUP_SECONDS,
};

/** CPU per vote in µs of each of `pids` between two `cpuMs` readings. */
function perVote(before: number[], after: number[], votes: number): number[] {
  return after.map((ms, i) => ((ms - (before[i] ?? 0)) * 1000) / votes);
}

/** The median run's value of `values` (for an even count, the upper of the two middle ones). */
const median = (values: number[]) => percentile(values, 50);

/**
 * Floods `ingest` through `mqttUrl` {@link FLOODS} times with every vote (the boxes' seqs go on
 * from one flood to the next), each time waiting until all are stored in InfluxDB; `pids` are the
 * processes whose CPU is counted over all floods (the load generator, this process, comes last).
 */
async function measureFlood(
  ingest: RunningIngest,
  mqttUrl: string,
  pids: (number | undefined)[],
  influx: { url: string; db: string },
) {
  const boxes = await connectBoxes(mqttUrl, BOXES, PASSWORD);
  const all = [...pids, process.pid];
  const cpuBefore = await Promise.all(all.map(cpuMs));
  const rates: number[] = [];
  const perBox = VOTES / BOXES;
  for (let round = 0; round < FLOODS; round += 1) {
    const start = performance.now();
    await flood(boxes, EVENT, perBox, undefined, round * perBox + 1);
    const expected = (round + 1) * VOTES;
    while ((await accepted(ingest)) < expected || (await ingest.pending()) > 0) await sleep(50);
    rates.push(VOTES / ((performance.now() - start) / 1000));
  }
  const cpu = perVote(cpuBefore, await Promise.all(all.map(cpuMs)), FLOODS * VOTES);
  const rss = await peakRss(ingest.child.pid);
  const metrics = await (await fetch(ingest.metricsUrl)).text();
  const heap = Number(/nodejs_heap_size_total_bytes (\d+)/.exec(metrics)?.[1] ?? 0) / 1_048_576;
  const q = encodeURIComponent('SELECT count(value) FROM vote');
  const count = await fetch(`${influx.url}/query?db=${influx.db}&q=${q}`);
  const stored = (await count.json()) as { results: { series: { values: number[][] }[] }[] };
  await Promise.all(boxes.map((b) => b.endAsync()));
  const points = stored.results[0]?.series[0]?.values[0]?.[1] ?? 0;
  return { rates, rate: median(rates), rss, heap, stored: points, cpu };
}

/** Press → stored latency through an ingest started by `start` on a recording proxy to influxd. */
async function measureLatency(
  influxUrl: string,
  start: (proxyUrl: string) => Promise<{ ingest: RunningIngest; mqttUrl: string }>,
) {
  const proxy = await recordingProxy(influxUrl);
  const { ingest, mqttUrl } = await start(proxy.url);
  const boxes = await connectBoxes(mqttUrl, BOXES, PASSWORD);
  // A fresh process: its first second is mostly V8 compiling the hot paths, not steady state.
  await paced(boxes, EVENT, LATENCY_RATE, LATENCY_WARMUP_SECONDS);
  const from = (LATENCY_RATE * LATENCY_WARMUP_SECONDS) / BOXES + 1;
  const pressed = await paced(boxes, EVENT, LATENCY_RATE, LATENCY_SECONDS, from);
  const deadline = Date.now() + 30_000;
  const missing = () => [...pressed.keys()].some((key) => !proxy.stored.has(key));
  while (missing() && Date.now() < deadline) await sleep(50);
  const latencies = [...pressed].map(
    ([key, at]) => (proxy.stored.get(key) ?? Number.POSITIVE_INFINITY) - at,
  );
  await Promise.all(boxes.map((b) => b.endAsync()));
  await stop(ingest.child);
  proxy.server.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Plain QoS 1 delivery of every vote from `prefix-N` boxes to one `reader` on `event`. */
async function measureReference(
  mqttUrl: string,
  brokerPid: number | undefined,
  route: { event: string; prefix: string; reader: string; persistent: boolean },
) {
  const pids = [brokerPid, process.pid];
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  const { event, prefix, reader, persistent } = route;
  const subscriber = await plainSubscriber(mqttUrl, reader, PASSWORD, event, VOTES, persistent);
  const boxes = await connectBoxes(mqttUrl, BOXES, PASSWORD, prefix);
  const start = performance.now();
  await flood(boxes, event, VOTES / BOXES);
  const end = await subscriber.done;
  // CPU per vote of the broker and of this process (load generator and subscriber), in µs.
  const cpu = perVote(cpuBefore, await Promise.all(pids.map(cpuMs)), VOTES);
  await Promise.all([...boxes.map((c) => c.endAsync()), subscriber.close()]);
  return { rate: VOTES / ((end - start) / 1000), cpu };
}

/**
 * The reference {@link FLOODS} times after a discarded warm-up run (measured first, it met a cold
 * generator and broker): every rate and the median, CPU per vote of the median run.
 */
async function warmReference(
  mqttUrl: string,
  brokerPid: number | undefined,
  route: Parameters<typeof measureReference>[2],
) {
  await measureReference(mqttUrl, brokerPid, route);
  const runs: Awaited<ReturnType<typeof measureReference>>[] = [];
  for (let round = 0; round < FLOODS; round += 1) {
    runs.push(await measureReference(mqttUrl, brokerPid, route));
  }
  const rates = runs.map((run) => run.rate);
  const rate = median(rates);
  return { rates, rate, cpu: runs.find((run) => run.rate === rate)?.cpu ?? [] };
}

/** `likebox up`: the reference on event `ref` of its broker, then the flood on its event. */
async function benchUp(dir: string, influxUrl: string, influxdPid: number | undefined) {
  const upDir = join(dir, 'up');
  await writeUpUsers(upDir, BOXES, PASSWORD, REF_EVENT);
  const up = await startUp(upDir, { event: EVENT, influx: { url: influxUrl, db: 'bench_up' } });
  const route = { event: REF_EVENT, prefix: 'ref', reader: 'ref-reader', persistent: false };
  const reference = await warmReference(up.mqttUrl, up.child.pid, route);
  const influx = { url: influxUrl, db: 'bench_up' };
  const ingest = await measureFlood(up, up.mqttUrl, [up.child.pid, influxdPid], influx);
  await stop(up.child);
  // A fresh server: the boxes' seqs start at 1 again, which the first journal holds already.
  const latencyDir = join(dir, 'up-latency');
  await writeUpUsers(latencyDir, BOXES, PASSWORD, REF_EVENT);
  const latency = await measureLatency(influxUrl, async (proxyUrl) => {
    const options = { event: EVENT, influx: { url: proxyUrl, db: 'latency_up' } };
    const second = await startUp(latencyDir, options);
    return { ingest: second, mqttUrl: second.mqttUrl };
  });
  process.stdout.write('\nlikebox up: broker + ingest + live page in one process (npm start)\n');
  printReference(reference, 'up/load+subscriber');
  printFlood(reference.rate, ingest, latency, 'up/influxd/load', FLOOD_SETTINGS);
  line('up peak RSS (broker, ingest, live page)', `${ingest.rss.toFixed(0)} MB`);
}

/** Standalone `likebox broker` + `likebox ingest`, the ingest on a persistent MQTT session. */
async function benchStandalone(dir: string, influxUrl: string, influxdPid: number | undefined) {
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'ingest', 'ingest', PASSWORD);
  await addUser(usersFile, 'organiser', 'organiser', PASSWORD);
  for (let i = 1; i <= BOXES; i += 1) await addUser(usersFile, `box-${i}`, 'device', PASSWORD);
  const [broker, brokerLine] = await spawnLine(
    [...nodeFlags('BENCH_BROKER_FLAGS'), '--import', 'tsx', 'bench/ingestBroker.ts', usersFile],
    {},
    /"port"/,
  );
  const brokerUrl = `mqtt://127.0.0.1:${(JSON.parse(brokerLine) as { port: number }).port}`;
  try {
    const route = { event: EVENT, prefix: 'box', reader: 'organiser', persistent: false };
    const reference = await warmReference(brokerUrl, broker.pid, route);
    const persistent = await measureReference(brokerUrl, broker.pid, {
      ...route,
      persistent: true,
    });
    const options = { event: EVENT, brokerUrl, password: PASSWORD, influxUrl, db: 'bench' };
    const ingest = await startStandaloneIngest(join(dir, 'ingest-1'), options);
    const pids = [ingest.child.pid, broker.pid, influxdPid];
    const flooded = await measureFlood(ingest, brokerUrl, pids, { url: influxUrl, db: 'bench' });
    const brokerRss = await peakRss(broker.pid);
    await stop(ingest.child);
    await discardSession(brokerUrl, 'ingest', PASSWORD, ingest.clientId);
    const latency = await measureLatency(influxUrl, async (proxyUrl) => ({
      ingest: await startStandaloneIngest(join(dir, 'ingest-2'), {
        ...options,
        influxUrl: proxyUrl,
        db: 'latency',
      }),
      mqttUrl: brokerUrl,
    }));
    process.stdout.write('\nstandalone: likebox broker + likebox ingest, two processes\n');
    printReference(reference, 'broker/load+subscriber');
    line('  same, persistent session (clean: false)', `${Math.round(persistent.rate)}/s`);
    printFlood(reference.rate, flooded, latency, 'ingest/broker/influxd/load', FLOOD_SETTINGS);
    line('  ratio to persistent plain QoS 1 delivery', (flooded.rate / persistent.rate).toFixed(2));
    line('ingest peak RSS', `${flooded.rss.toFixed(0)} MB`, [flooded.rss < 150, '< 150 MB']);
    line('  V8 heap after the flood', `${flooded.heap.toFixed(0)} MB`);
    line('broker peak RSS (the reference runs included)', `${brokerRss.toFixed(0)} MB`);
  } finally {
    await stop(broker);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'likebox-bench-ingest-'));
const influxd = await startManagedInfluxd({ dataDir: join(dir, 'influxd') });
try {
  process.stdout.write(
    `ingest bench: ${VOTES} votes from ${BOXES} boxes, ${FLOODS} floods and references per ` +
      `deployment, all processes on this 2-core machine\n` +
      `LikeBox process settings: ${JSON.stringify(PRODUCTION_ENV)}\n`,
  );
  const raw = await rawLineProtocol(influxd.url, 'raw', VOTES, 5000);
  line('raw line protocol into influxd (the limit)', `${Math.round(raw)}/s`);
  if (DEPLOYMENTS.includes('up')) await benchUp(dir, influxd.url, influxd.process.pid);
  if (DEPLOYMENTS.includes('standalone')) {
    await benchStandalone(dir, influxd.url, influxd.process.pid);
  }
} finally {
  await influxd.stop();
  await rm(dir, { recursive: true, force: true });
}
