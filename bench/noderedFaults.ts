/**
 * The fault script of bench/nodered.ts, applied at once to both consumers of the same votes
 * (`likebox ingest` and the Node-RED flow, each writing its own database of one influxd), and the
 * counts it reports, read from InfluxDB: per fault, votes sent, stored, lost, doubled.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { paced, type recordingProxy, vote } from './ingestLoad.js';

/** One of the two systems under test, writing through its own recording proxy to influxd. */
export interface Consumer {
  name: string;
  /** Its InfluxDB database. */
  db: string;
  proxy: Awaited<ReturnType<typeof recordingProxy>>;
  /** Its MQTT user and the client id of its persistent session. */
  user: string;
  clientId: string;
  /** Starts it (again: same data folder, same persistent MQTT session). */
  start(): Promise<ChildProcess>;
  child?: ChildProcess;
}

/** A range of seqs, the same for every box of the fault (`boxes` boxes, from `from` to `to`). */
export interface SeqRange {
  from: number;
  to: number;
  devices: string[];
}

/** What InfluxDB holds of a range: points, and distinct (device, seq) identities. */
export interface Counted {
  sent: number;
  stored: number;
  lost: number;
  doubled: number;
}

/** Sum over devices of the first value of each series an InfluxQL query answers. */
async function sumSeries(influxUrl: string, db: string, q: string): Promise<number> {
  const response = await fetch(`${influxUrl}/query?db=${db}&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as {
    results: { series?: { values: [string, number][] }[] }[];
  };
  const series = body.results[0]?.series ?? [];
  return series.reduce((sum, s) => sum + Number(s.values[0]?.[1] ?? 0), 0);
}

/** Counts `range` in `db`: sent − distinct identities = lost, points − distinct = doubled. */
export async function countRange(
  influxUrl: string,
  db: string,
  range: SeqRange,
  sent: number,
): Promise<Counted> {
  const devices = range.devices.map((d) => `device = '${d}'`).join(' OR ');
  const where = `seq >= ${range.from} AND seq <= ${range.to} AND (${devices}) AND time <= now() + 1h`;
  const points = await sumSeries(
    influxUrl,
    db,
    `SELECT count(seq) FROM vote WHERE ${where} GROUP BY device`,
  );
  const distinct = await sumSeries(
    influxUrl,
    db,
    `SELECT count(distinct(seq)) FROM vote WHERE ${where} GROUP BY device`,
  );
  return { sent, stored: distinct, lost: sent - distinct, doubled: points - distinct };
}

/** How many identities of `range` a consumer's proxy saw accepted by InfluxDB. */
export function storedOf(consumer: Consumer, range: SeqRange): number {
  let n = 0;
  for (const device of range.devices) {
    for (let seq = range.from; seq <= range.to; seq += 1) {
      if (consumer.proxy.stored.has(`${device}/${seq}`)) n += 1;
    }
  }
  return n;
}

/**
 * Waits until every consumer stored all `expected` votes of `range`, or none stored a new one for
 * `quietMs` (a consumer that lost votes never completes), at most `maxMs`.
 */
export async function settle(
  consumers: Consumer[],
  range: SeqRange,
  expected: number,
  quietMs = 10_000,
  maxMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let changedAt = Date.now();
  while (Date.now() < deadline) {
    const counts = consumers.map((c) => storedOf(c, range));
    if (counts.every((n) => n >= expected)) return;
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== last) [last, changedAt] = [total, Date.now()];
    else if (Date.now() - changedAt > quietMs) return;
    await sleep(200);
  }
}

/**
 * A TCP relay between one box and the broker whose link can be cut: `holdAcks()` stops passing
 * what the broker sends (its PUBACKs never reach the box), `cut()` then closes both sides at once,
 * as a box losing its network does; new connections relay normally again.
 */
export async function cuttableLink(
  brokerPort: number,
): Promise<{ port: number; holdAcks(): void; cut(): void; server: Server }> {
  const pairs: [Socket, Socket][] = [];
  let holding = false;
  const server = createServer((box) => {
    const broker = tcpConnect(brokerPort, '127.0.0.1');
    box.on('data', (chunk) => broker.write(chunk));
    broker.on('data', (chunk) => {
      if (!holding) box.write(chunk);
    });
    for (const [a, b] of [
      [box, broker],
      [broker, box],
    ] as const) {
      a.on('close', () => b.destroy());
      a.on('error', () => b.destroy());
    }
    pairs.push([box, broker]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const cut = () => {
    holding = false;
    for (const [box, broker] of pairs.splice(0)) {
      box.destroy();
      broker.destroy();
    }
  };
  const holdAcks = () => {
    holding = true;
  };
  return { port, holdAcks, cut, server };
}

/**
 * The box redelivering: `box-1` on a persistent session (clean: false) publishes `n` votes
 * through a link that withholds the broker's PUBACKs, loses the link, reconnects, and MQTT.js
 * sends again every vote still un-acknowledged (DUP set), as a box does. Resolves when all are acked.
 */
export async function redeliver(
  brokerPort: number,
  event: string,
  auth: { username: string; password: string },
  from: number,
  n: number,
): Promise<void> {
  const link = await cuttableLink(brokerPort);
  const box: MqttClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${link.port}`, {
    ...auth,
    clientId: `${auth.username}-redeliver`,
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 500,
  });
  link.holdAcks();
  const topic = topics.vote(event, auth.username);
  const acked: Promise<void>[] = [];
  for (let seq = from; seq < from + n; seq += 1) {
    acked.push(box.publishAsync(topic, vote(seq, Date.now()), { qos: 1 }).then(() => undefined));
  }
  // The broker has received and delivered them; their PUBACKs wait in the relay, never passed on.
  await sleep(1500);
  link.cut();
  await Promise.all(acked);
  await box.endAsync();
  link.server.close();
}

/** Publishes one message that is not JSON on a box's vote topic, amid the stream. */
export async function malformed(box: MqttClient, event: string, device: string): Promise<void> {
  await box.publishAsync(topics.vote(event, device), '{"seq": 1, "value": +1, oops', { qos: 1 });
}

/** A stream of `rate` votes/s over `boxes` for `seconds`, with `during` run alongside it. */
export async function streamWith(
  boxes: MqttClient[],
  event: string,
  stream: { rate: number; seconds: number; from: number },
  during: () => Promise<void>,
): Promise<number> {
  const [pressed] = await Promise.all([
    paced(boxes, event, stream.rate, stream.seconds, stream.from),
    during(),
  ]);
  return pressed.size;
}
