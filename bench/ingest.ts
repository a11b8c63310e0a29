/**
 * Ingest benchmark (issue 5): broker (own process), ingest (`node ingest/dist/main.js`, own
 * process, SQLite journal), influxd (Debian 1.6, managed) and the MQTT.js load generator, all on
 * this machine, measured in one run:
 *
 * 1. the limit: the same votes written as raw line protocol over HTTP, batches of 5,000;
 * 2. the reference: plain QoS 1 delivery of the same broker to one subscriber, after a discarded
 *    run of the same that warms up the load generator and the broker;
 * 3. sustained votes/s from MQTT into InfluxDB through the ingest, the CPU time per vote of the
 *    ingest, broker, influxd and load generator (they share two cores), and the ingest's peak RSS;
 * 4. press → stored (InfluxDB accepted the write) latency p50/p99 at 1,000 votes/s.
 *
 *   npx tsc -b && npx tsx bench/ingest.ts
 *   BENCH_VOTES=100000 npx tsx bench/ingest.ts     # quicker
 *   BENCH_INGEST_FLAGS=--heap-growing-percent=100 npx tsx bench/ingest.ts   # node flags of the ingest
 *   BENCH_BROKER_FLAGS=--cpu-prof npx tsx bench/ingest.ts    # node flags of the broker
 *   BENCH_DEFAULT_ENV=1 npx tsx bench/ingest.ts    # without the shipped process settings
 *
 * Broker and ingest run with the shipped process settings (processSettings.ts); the ingest also
 * limits its heap growth itself (`HEAP_GROWING_PERCENT` in ingest/src/ingestCommand.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUser } from '@likebox/broker';
import { type ManagedInfluxd, startManagedInfluxd } from '@likebox/ingest';
import {
  connectBoxes,
  flood,
  paced,
  percentile,
  plainSubscriber,
  rawLineProtocol,
  recordingProxy,
} from './ingestLoad.js';
import { PRODUCTION_ENV } from './processSettings.js';

const PASSWORD = 'bench-password-1';
const EVENT = 'demo';
const BOXES = 10;
const VOTES = Number(process.env.BENCH_VOTES ?? 200_000);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = 10;
async function spawnLine(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<[ChildProcess, string]> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...PRODUCTION_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    lines.on('line', (l) => {
      if (ready.test(l)) resolve(l);
    });
  });
  return [child, line];
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function peakRss(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system) a process has used so far, ms (`/proc/PID/stat`, 100 ticks/s). */
async function cpuMs(pid: number | undefined): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function health(url: string): Promise<{ journal: { pending: number } }> {
  return (await (await fetch(`${url}/health`)).json()) as { journal: { pending: number } };
}

async function accepted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/likebox_ingest_votes_accepted_total (\d+)/.exec(text)?.[1] ?? 0);
}

async function startIngest(dir: string, brokerUrl: string, influxUrl: string, db: string) {
  const env = {
    LIKEBOX_EVENT: EVENT,
    LIKEBOX_DATA_DIR: dir,
    LIKEBOX_MQTT_URL: brokerUrl,
    LIKEBOX_MQTT_USERNAME: 'ingest',
    LIKEBOX_MQTT_PASSWORD: PASSWORD,
    LIKEBOX_MQTT_CLIENT_ID: `bench-${db}`,
    LIKEBOX_INFLUX_URL: influxUrl,
    LIKEBOX_INFLUX_DATABASE: db,
    LIKEBOX_HTTP_PORT: '0',
    LIKEBOX_LOG_LEVEL: 'info',
  };
  const flags = (process.env.BENCH_INGEST_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const [child, line] = await spawnLine([...flags, 'ingest/dist/main.js'], env, /"ingest started"/);
  const httpUrl = (JSON.parse(line) as { httpUrl: string }).httpUrl;
  return { child, httpUrl };
}

async function measureIngest(
  dir: string,
  brokerUrl: string,
  influxd: ManagedInfluxd,
  brokerPid: number | undefined,
) {
  const influxUrl = influxd.url;
  const influxdPid = influxd.process.pid;
  const { child, httpUrl } = await startIngest(
    join(dir, 'ingest-1'),
    brokerUrl,
    influxUrl,
    'bench',
  );
  const boxes = await connectBoxes(brokerUrl, BOXES, PASSWORD);
  const pids = [child.pid, brokerPid, influxdPid, process.pid];
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  const start = performance.now();
  await flood(boxes, EVENT, VOTES / BOXES);
  while ((await accepted(httpUrl)) < VOTES || (await health(httpUrl)).journal.pending > 0)
    await sleep(50);
  const rate = VOTES / ((performance.now() - start) / 1000);
  // CPU per vote, in µs: the four processes share two cores, so this is what throughput costs.
  const cpuAfter = await Promise.all(pids.map(cpuMs));
  const cpu = cpuAfter.map((ms, i) => ((ms - (cpuBefore[i] ?? 0)) * 1000) / VOTES);
  const rss = await peakRss(child.pid);
  const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
  const heap = Number(/nodejs_heap_size_total_bytes (\d+)/.exec(metrics)?.[1] ?? 0) / 1_048_576;
  const count = await fetch(
    `${influxUrl}/query?db=bench&q=${encodeURIComponent('SELECT count(value) FROM vote')}`,
  );
  const stored = (await count.json()) as { results: { series: { values: number[][] }[] }[] };
  await Promise.all(boxes.map((b) => b.endAsync()));
  await stop(child);
  const points = stored.results[0]?.series[0]?.values[0]?.[1] ?? 0;
  return { rate, rss, heap, stored: points, cpu };
}

async function measureLatency(dir: string, brokerUrl: string, influxUrl: string) {
  const proxy = await recordingProxy(influxUrl);
  const { child } = await startIngest(join(dir, 'ingest-2'), brokerUrl, proxy.url, 'latency');
  const boxes = await connectBoxes(brokerUrl, BOXES, PASSWORD);
  const pressed = await paced(boxes, EVENT, LATENCY_RATE, LATENCY_SECONDS);
  const deadline = Date.now() + 30_000;
  while (proxy.stored.size < pressed.size && Date.now() < deadline) await sleep(50);
  const latencies = [...pressed].map(
    ([key, at]) => (proxy.stored.get(key) ?? Number.POSITIVE_INFINITY) - at,
  );
  await Promise.all(boxes.map((b) => b.endAsync()));
  await stop(child);
  proxy.server.close();
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    stored: proxy.stored.size,
  };
}

async function measureReference(
  brokerUrl: string,
  brokerPid: number | undefined,
  persistent: boolean,
) {
  const pids = [brokerPid, process.pid];
  const cpuBefore = await Promise.all(pids.map(cpuMs));
  const subscriber = await plainSubscriber(
    brokerUrl,
    'organiser',
    PASSWORD,
    EVENT,
    VOTES,
    persistent,
  );
  const boxes = await connectBoxes(brokerUrl, BOXES, PASSWORD);
  const start = performance.now();
  await flood(boxes, EVENT, VOTES / BOXES);
  const end = await subscriber.done;
  // CPU per vote of the broker and of this process (load generator and subscriber), in µs.
  const cpuAfter = await Promise.all(pids.map(cpuMs));
  const cpu = cpuAfter.map((ms, i) => ((ms - (cpuBefore[i] ?? 0)) * 1000) / VOTES);
  await Promise.all([...boxes, subscriber.client].map((c) => c.endAsync()));
  return { rate: VOTES / ((end - start) / 1000), cpu };
}

function line(label: string, value: string, target?: [boolean, string]): void {
  const verdict = target === undefined ? '' : `  ${target[0] ? 'PASS' : 'MISS'} (${target[1]})`;
  process.stdout.write(`${label.padEnd(44)} ${value.padStart(14)}${verdict}\n`);
}

const dir = await mkdtemp(join(tmpdir(), 'likebox-bench-ingest-'));
const usersFile = join(dir, 'users.json');
await addUser(usersFile, 'ingest', 'ingest', PASSWORD);
await addUser(usersFile, 'organiser', 'organiser', PASSWORD);
for (let i = 1; i <= BOXES; i += 1) await addUser(usersFile, `box-${i}`, 'device', PASSWORD);
const influxd = await startManagedInfluxd({ dataDir: join(dir, 'influxd') });
const brokerFlags = (process.env.BENCH_BROKER_FLAGS ?? '').split(' ').filter((f) => f !== '');
const [broker, brokerLine] = await spawnLine(
  [...brokerFlags, '--import', 'tsx', 'bench/ingestBroker.ts', usersFile],
  {},
  /"port"/,
);
const brokerUrl = `mqtt://127.0.0.1:${(JSON.parse(brokerLine) as { port: number }).port}`;
try {
  process.stdout.write(
    `ingest bench: ${VOTES} votes from ${BOXES} boxes, all processes on this 2-core machine\n` +
      `broker and ingest process settings: ${JSON.stringify(PRODUCTION_ENV)}\n`,
  );
  const raw = await rawLineProtocol(influxd.url, 'raw', VOTES, 5000);
  // Discarded: warms up the load generator and the broker, which the reference would otherwise
  // meet cold (the persistent-session run right after it was 5-10 % faster).
  await measureReference(brokerUrl, broker.pid, false);
  const { rate: reference, cpu: referenceCpu } = await measureReference(
    brokerUrl,
    broker.pid,
    false,
  );
  const { rate: persistent } = await measureReference(brokerUrl, broker.pid, true);
  const ingest = await measureIngest(dir, brokerUrl, influxd, broker.pid);
  const latency = await measureLatency(dir, brokerUrl, influxd.url);
  line('raw line protocol into influxd (the limit)', `${Math.round(raw)}/s`);
  line('plain QoS 1 delivery, same broker', `${Math.round(reference)}/s`);
  line(
    '  CPU per vote: broker/load+subscriber',
    `${referenceCpu.map((us) => us.toFixed(1)).join('/')} µs`,
  );
  line('  same, persistent session (clean: false)', `${Math.round(persistent)}/s`);
  line('MQTT → ingest → InfluxDB, sustained', `${Math.round(ingest.rate)}/s`, [
    ingest.rate >= 30_000,
    '≥ 30,000/s',
  ]);
  line('  ratio to plain QoS 1 delivery', (ingest.rate / reference).toFixed(2), [
    ingest.rate / reference >= 0.8,
    '≥ 0.8',
  ]);
  line('  ratio to persistent plain QoS 1 delivery', (ingest.rate / persistent).toFixed(2));
  line('  ratio to raw line protocol', (ingest.rate / raw).toFixed(2));
  line('  points in InfluxDB', `${ingest.stored}`, [ingest.stored === VOTES, `= ${VOTES}`]);
  line(
    '  CPU per vote: ingest/broker/influxd/load',
    `${ingest.cpu.map((us) => us.toFixed(1)).join('/')} µs`,
  );
  line('ingest peak RSS', `${ingest.rss.toFixed(0)} MB`, [ingest.rss < 150, '< 150 MB']);
  line('  V8 heap after the flood', `${ingest.heap.toFixed(0)} MB`);
  line(`press → stored p50 at ${LATENCY_RATE}/s`, `${latency.p50.toFixed(1)} ms`);
  line(`press → stored p99 at ${LATENCY_RATE}/s`, `${latency.p99.toFixed(1)} ms`, [
    latency.p99 < 50,
    '< 50 ms',
  ]);
} finally {
  await stop(broker);
  await influxd.stop();
  await rm(dir, { recursive: true, force: true });
}
