/**
 * LikeBox vs Node-RED + InfluxDB (issue 20): `likebox ingest` and the flow an organiser would build
 * instead (bench/noderedPeer.ts), on the same LikeBox broker, the same influxd (one database each)
 * and the same votes, measured in one run:
 *
 * 1. each alone, BENCH_RUNS times (default 3, turn about): sustained votes/s of a flood of
 *    BENCH_VOTES votes from 10 boxes until all are stored, the consumer's CPU per vote, press →
 *    stored p50/p99 at 500 votes/s after 2 s not counted, its peak RSS;
 * 2. both at once, the same fault script on the same stream of votes: a malformed message, a box
 *    redelivering its un-acknowledged votes, the consumer killed -9 and restarted, InfluxDB stopped
 *    for BENCH_INFLUX_DOWN_S seconds (default 60) and restarted. Sent, stored, lost and doubled
 *    are counted from InfluxDB (distinct device+seq, and points beyond them).
 *
 * Both write through a recording proxy (bench/ingestLoad.ts) that notes when InfluxDB accepted
 * each vote: the same cost for both, in this process.
 *
 *   npm run bench:nodered      # tsc -b, then this: ~10 min under load; installs the peer once (~1 min)
 *   BENCH_VOTES=20000 BENCH_RUNS=1 BENCH_INFLUX_DOWN_S=10 npm run bench:nodered   # a quick look
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUser } from '@likebox/broker';
import { startManagedInfluxd } from '@likebox/influx';
import type { MqttClient } from 'mqtt';
import { startStandaloneIngest } from './ingestDeployments.js';
import {
  connectBoxes,
  discardSession,
  flood,
  paced,
  percentile,
  recordingProxy,
} from './ingestLoad.js';
import { type Consumer, type SeqRange, settle, storedOf } from './noderedFaults.js';
import { installPeer, killHard, PEER_BATCH, type PeerInstall, startPeer } from './noderedPeer.js';
import { runFaults } from './noderedScript.js';
import { type Measured, printTable } from './noderedTable.js';
import { cpuMs, peakRss, spawnLine, stop } from './processes.js';

const PASSWORD = 'bench-password-1';
const EVENT = 'demo';
const BOXES = 10;
const VOTES = Number(process.env.BENCH_VOTES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY = { rate: 500, warmup: 2, seconds: 8 };
/** BENCH_FAULTS=0: the figures of the consumers alone, without the fault script. */
const FAULTS = process.env.BENCH_FAULTS !== '0';
const DEVICES = Array.from({ length: BOXES }, (_, i) => `box-${i + 1}`);

const out = (text: string) => process.stdout.write(text);

/** Every box's seqs go on from one measurement to the next: each range is fresh. */
let nextSeq = 1;
function takeRange(perBox: number, devices = DEVICES): SeqRange {
  const range = { from: nextSeq, to: nextSeq + perBox - 1, devices };
  nextSeq += perBox;
  return range;
}

/** The other processes sharing the cores with a consumer: whose CPU per vote the flood reports. */
const parts: { broker?: number; influxd?: number } = {};

/** CPU time so far, ms, of the consumer, the broker, influxd, and this process (boxes + proxies). */
async function cpuOfParts(consumer: number | undefined): Promise<number[]> {
  const pids = [consumer, parts.broker, parts.influxd];
  const { user, system } = process.cpuUsage();
  return [...(await Promise.all(pids.map(cpuMs))), (user + system) / 1000];
}

/** Sustained votes/s of one consumer alone: a flood until all is stored (or it stalls). */
async function measureFlood(consumer: Consumer, boxes: MqttClient[]) {
  const pid = consumer.child?.pid;
  const range = takeRange(VOTES / BOXES);
  const cpuBefore = await cpuOfParts(pid);
  const start = performance.now();
  await flood(boxes, EVENT, VOTES / BOXES, undefined, range.from);
  await settle([consumer], range, VOTES, 15_000, 300_000);
  const stored = storedOf(consumer, range);
  const seconds = (performance.now() - start) / 1000;
  const after = await cpuOfParts(pid);
  const [cpu = 0, ...others] = after.map(
    (ms, i) => (ms - (cpuBefore[i] ?? 0)) * (1000 / Math.max(1, stored)),
  );
  return { rate: stored / seconds, cpu, stored, others };
}

/** Press → stored p50/p99 at {@link LATENCY}.rate, after a warm-up at the same rate. */
async function measureLatency(consumer: Consumer, boxes: MqttClient[]) {
  const warm = takeRange((LATENCY.rate * LATENCY.warmup) / BOXES);
  await paced(boxes, EVENT, LATENCY.rate, LATENCY.warmup, warm.from);
  const range = takeRange((LATENCY.rate * LATENCY.seconds) / BOXES);
  const pressed = await paced(boxes, EVENT, LATENCY.rate, LATENCY.seconds, range.from);
  await settle([consumer], range, pressed.size, 10_000, 60_000);
  const latencies = [...pressed].map(
    ([key, at]) => (consumer.proxy.stored.get(key) ?? Number.POSITIVE_INFINITY) - at,
  );
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** One run of one consumer alone: started, flooded, paced, stopped, its session discarded. */
async function measureAlone(consumer: Consumer, boxes: MqttClient[], brokerUrl: string) {
  const child = await consumer.start();
  await sleep(1000);
  const flooded = await measureFlood(consumer, boxes);
  const latency = await measureLatency(consumer, boxes);
  const rss = await peakRss(child.pid);
  await stop(child);
  await discardSession(brokerUrl, consumer.user, PASSWORD, consumer.clientId);
  out(
    `  ${consumer.name.padEnd(8)} ${Math.round(flooded.rate)} votes/s (${flooded.stored}/${VOTES} stored), ` +
      `${flooded.cpu.toFixed(1)} µs CPU/vote, p50/p99 ${latency.p50.toFixed(1)}/${latency.p99.toFixed(1)} ms, ` +
      `peak RSS ${rss.toFixed(0)} MB\n           CPU/vote of the others sharing the cores: ` +
      `broker ${flooded.others[0]?.toFixed(1)} µs, influxd ${flooded.others[1]?.toFixed(1)} µs, ` +
      `boxes + proxy ${flooded.others[2]?.toFixed(1)} µs\n`,
  );
  return { ...flooded, ...latency, rss };
}

/** The broker with its users: the boxes, the ingest, and an organiser for the Node-RED flow. */
async function startBroker(dir: string) {
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'ingest', 'ingest', PASSWORD);
  await addUser(usersFile, 'organiser', 'organiser', PASSWORD);
  for (const device of DEVICES) await addUser(usersFile, device, 'device', PASSWORD);
  const [broker, line] = await spawnLine(
    ['--import', 'tsx', 'bench/ingestBroker.ts', usersFile],
    {},
    /"port"/,
  );
  const port = (JSON.parse(line) as { port: number }).port;
  return { child: broker, port, url: `mqtt://127.0.0.1:${port}` };
}

/** The two consumers, each writing through its own proxy; neither started yet. */
function consumers(
  dir: string,
  install: PeerInstall,
  broker: { url: string; port: number },
  proxies: readonly Consumer['proxy'][],
): [Consumer, Consumer] {
  const [lbProxy, nrProxy] = proxies as [Consumer['proxy'], Consumer['proxy']];
  const ingest = { event: EVENT, brokerUrl: broker.url, password: PASSWORD };
  const likebox: Consumer = {
    ...{
      name: 'LikeBox',
      db: 'likebox',
      proxy: lbProxy,
      user: 'ingest',
      clientId: 'bench-likebox',
    },
    start: async () => {
      const options = { ...ingest, influxUrl: lbProxy.url, db: 'likebox' };
      likebox.child = (await startStandaloneIngest(join(dir, 'likebox'), options)).child;
      return likebox.child;
    },
  };
  const target = {
    ...{ mqttPort: broker.port, username: 'organiser', password: PASSWORD },
    ...{ clientId: 'bench-nodered', event: EVENT, database: 'nodered' },
    influxPort: Number(new URL(nrProxy.url).port),
  };
  const nodered: Consumer = {
    ...{
      name: 'Node-RED',
      db: 'nodered',
      proxy: nrProxy,
      user: 'organiser',
      clientId: 'bench-nodered',
    },
    start: async () => {
      nodered.child = (await startPeer(install, join(dir, 'nodered'), target)).child;
      return nodered.child;
    },
  };
  return [likebox, nodered];
}

/** {@link RUNS} runs of each consumer alone, taking turns. */
async function measureRuns(both: [Consumer, Consumer], boxes: MqttClient[], brokerUrl: string) {
  const runs: Measured[][] = [[], []];
  for (let run = 1; run <= RUNS; run += 1) {
    out(`run ${run}\n`);
    // Turn about: neither always meets the warmer machine.
    const order = run % 2 === 1 ? [0, 1] : [1, 0];
    for (const i of order) {
      runs[i]?.push(await measureAlone(both[i] as Consumer, boxes, brokerUrl));
    }
  }
  return { likebox: runs[0] ?? [], nodered: runs[1] ?? [] };
}

const dir = await mkdtemp(join(tmpdir(), 'likebox-bench-nodered-'));
const install = await installPeer(out);
const influxDir = join(dir, 'influxd');
const influx = { current: await startManagedInfluxd({ dataDir: influxDir }) };
const broker = await startBroker(dir);
parts.broker = broker.child.pid;
parts.influxd = influx.current.process.pid;
const influxUrl = influx.current.url;
const proxies = [await recordingProxy(influxUrl), await recordingProxy(influxUrl)] as const;
try {
  for (const db of ['likebox', 'nodered']) {
    const q = encodeURIComponent(`CREATE DATABASE ${db}`);
    await fetch(`${influxUrl}/query?q=${q}`, { method: 'POST' });
  }
  const both = consumers(dir, install, broker, proxies);
  const { nodeRed, influxNode, node } = install.versions;
  out(
    `LikeBox vs Node-RED ${nodeRed} + node-red-contrib-influxdb ${influxNode} (on Node ${node}; ` +
      `batches of ${PEER_BATCH.count} or ${PEER_BATCH.timeoutSeconds} s)\n${VOTES} votes from ` +
      `${BOXES} boxes per flood, ${RUNS} runs, one influxd, one LikeBox broker, 2 shared cores\n`,
  );
  const boxes = await connectBoxes(broker.url, BOXES, PASSWORD);
  const runs = await measureRuns(both, boxes, broker.url);
  const faults = !FAULTS
    ? []
    : await runFaults({
        ...{ consumers: both, boxes, event: EVENT, brokerPort: broker.port, password: PASSWORD },
        ...{ influx, influxDir, takeRange, kill: killHard, log: out },
      });
  await Promise.all(boxes.map((b) => b.endAsync()));
  for (const consumer of both) if (consumer.child) await stop(consumer.child);
  printTable(out, runs, faults);
} finally {
  for (const proxy of proxies) proxy.server.close();
  await stop(broker.child);
  await influx.current.stop();
  await rm(dir, { recursive: true, force: true });
}
