/**
 * The fault script of bench/nodered.ts, the same for both consumers, run on both at once on one
 * stream of votes (100 votes/s from 10 boxes, far above a conference's exits): each fault gets a
 * fresh range of seqs, and its figures are counted from InfluxDB once both have settled.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ManagedInfluxd, startManagedInfluxd } from '@likebox/influx';
import type { MqttClient } from 'mqtt';
import {
  type Consumer,
  type Counted,
  countRange,
  malformed,
  redeliver,
  type SeqRange,
  settle,
  streamWith,
} from './noderedFaults.js';

/** Seconds InfluxDB stays down. */
const INFLUX_DOWN_S = Number(process.env.BENCH_INFLUX_DOWN_S ?? 60);
/** Votes/s of the stream during the faults. */
const RATE = 100;
/** Votes the redelivering box sends through the link that loses its PUBACKs. */
const REDELIVERED = 200;

/** What the fault script needs from the bench. */
export interface FaultContext {
  consumers: Consumer[];
  boxes: MqttClient[];
  event: string;
  brokerPort: number;
  password: string;
  /** The influxd, replaced when it is restarted. */
  influx: { current: ManagedInfluxd };
  influxDir: string;
  takeRange(perBox: number, devices?: string[]): SeqRange;
  kill(child: ChildProcess): Promise<void>;
  log(text: string): void;
}

/** One fault: its name and each consumer's counts, in the order of `consumers`. */
export interface FaultResult {
  name: string;
  counts: Counted[];
}

async function counted(ctx: FaultContext, name: string, range: SeqRange, sent: number) {
  await settle(ctx.consumers, range, sent);
  // A double comes after the first copy: give the last writes (batches of up to 1 s) time to land.
  await sleep(3000);
  const url = ctx.influx.current.url;
  const counts = await Promise.all(ctx.consumers.map((c) => countRange(url, c.db, range, sent)));
  const text = counts.map((c, i) => `${ctx.consumers[i]?.name}: ${JSON.stringify(c)}`).join(', ');
  ctx.log(`  ${name}: ${text}\n`);
  return { name, counts };
}

/** A stream of `seconds` with `during` alongside it, then the counts. */
async function streamed(
  ctx: FaultContext,
  name: string,
  seconds: number,
  during: () => Promise<void>,
): Promise<FaultResult> {
  const range = ctx.takeRange((RATE * seconds) / ctx.boxes.length);
  const stream = { rate: RATE, seconds, from: range.from };
  const sent = await streamWith(ctx.boxes, ctx.event, stream, during);
  return counted(ctx, name, range, sent);
}

/** Kills every consumer with SIGKILL 5 s into the stream and starts them again 3 s later. */
async function killAndRestart(ctx: FaultContext): Promise<void> {
  await sleep(5000);
  await Promise.all(ctx.consumers.map((c) => (c.child ? ctx.kill(c.child) : undefined)));
  await sleep(3000);
  await Promise.all(ctx.consumers.map((c) => c.start()));
}

/** Stops influxd (SIGTERM) 10 s into the stream, starts it again on the same port and data. */
async function influxDown(ctx: FaultContext): Promise<void> {
  await sleep(10_000);
  const port = ctx.influx.current.port;
  await ctx.influx.current.stop();
  await sleep(INFLUX_DOWN_S * 1000);
  ctx.influx.current = await startManagedInfluxd({ dataDir: ctx.influxDir, port });
}

/** Runs the four faults, one after the other, on both consumers (started here) at once. */
export async function runFaults(ctx: FaultContext): Promise<FaultResult[]> {
  ctx.log('faults, both consumers on the same votes\n');
  await Promise.all(ctx.consumers.map((c) => c.start()));
  await sleep(1000);
  const results: FaultResult[] = [];
  results.push(
    await streamed(ctx, 'a malformed message in the stream', 10, async () => {
      await sleep(5000);
      await malformed(ctx.boxes[0] as MqttClient, ctx.event, 'box-1');
    }),
  );
  const range = ctx.takeRange(REDELIVERED, ['box-1']);
  const auth = { username: 'box-1', password: ctx.password };
  await redeliver(ctx.brokerPort, ctx.event, auth, range.from, REDELIVERED);
  results.push(await counted(ctx, 'a box redelivering un-acked votes', range, REDELIVERED));
  results.push(
    await streamed(ctx, 'the consumer killed -9, restarted', 20, () => killAndRestart(ctx)),
  );
  const name = `InfluxDB stopped ${INFLUX_DOWN_S} s, restarted`;
  results.push(await streamed(ctx, name, INFLUX_DOWN_S + 20, () => influxDown(ctx)));
  return results;
}
