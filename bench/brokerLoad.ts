/** The load generator of bench/brokerBench.ts: MQTT.js publishers and one subscriber. */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { filters, topics } from '@likebox/protocol';
import type { MqttClient } from 'mqtt';
import { connectRetrying } from './mqttConnect.js';

/** Where and as whom the generator connects. */
export interface Target {
  port: number;
  password: string;
}

/** Result of one throughput run. */
export interface Throughput {
  delivered: number;
  perSecond: number;
}

/** Result of one latency run. */
export interface Latency {
  delivered: number;
  p50: number;
  p99: number;
}

const SUBSCRIPTION = filters.device('demo', '+', 'vote');

async function connect(target: Target, username: string): Promise<MqttClient> {
  const client = await connectRetrying(`mqtt://127.0.0.1:${target.port}`, {
    protocolVersion: 4,
    username,
    password: target.password,
    clientId: `${username}-${Math.random().toString(16).slice(2, 8)}`,
  });
  // Nagle would add ~30 ms to the p99 (31-35 ms measured at 2,000 msg/s, 1.4 ms without); the
  // brokers set no-delay on their side.
  (client.stream as Socket).setNoDelay?.(true);
  return client;
}

async function subscriber(target: Target, qos: 0 | 1): Promise<MqttClient> {
  const client = await connect(target, 'ingest');
  await client.subscribeAsync(SUBSCRIPTION, { qos });
  return client;
}

function publishers(target: Target, count: number): Promise<MqttClient[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => connect(target, `box-${i}`)));
}

/** `publishers` boxes each publish `perPublisher` votes as fast as they can; delivered/s. */
export async function throughput(
  target: Target,
  qos: 0 | 1,
  publisherCount: number,
  perPublisher: number,
): Promise<Throughput> {
  const sub = await subscriber(target, qos);
  const pubs = await publishers(target, publisherCount);
  const total = publisherCount * perPublisher;
  const payload = Buffer.from(
    JSON.stringify({
      seq: 1,
      value: 1,
      at: Date.now(),
      room: 'room-a',
      synced: true,
      pad: 'x'.repeat(8),
    }),
  );
  let received = 0;
  const done = new Promise<void>((resolve) => {
    sub.on('message', () => {
      received++;
      if (received === total) resolve();
    });
  });
  const start = performance.now();
  pubs.forEach((pub, i) => {
    const topic = topics.vote('demo', `box-${i}`);
    for (let n = 0; n < perPublisher; n++) pub.publish(topic, payload, { qos });
  });
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 120_000));
  await Promise.race([done, timeout]);
  const seconds = (performance.now() - start) / 1000;
  await Promise.all([...pubs, sub].map((c) => c.endAsync(true)));
  return { delivered: received, perSecond: received / seconds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Votes at a steady `rate` for `warmUpSeconds + seconds`; publish → receive latency percentiles
 * (ms) of the votes sent after the warm-up. Fresh connections are slow in their first second on
 * a Node broker and in the Node load generator alike (V8 compiles each connection's closures
 * anew: p99 4-7 ms there, for bare Aedes as for LikeBox), while a box stays connected all day.
 */
export async function latency(
  target: Target,
  qos: 0 | 1,
  rate: number,
  seconds: number,
  warmUpSeconds = 1,
): Promise<Latency> {
  const sub = await subscriber(target, qos);
  const pubs = await publishers(target, 10);
  const samples: number[] = [];
  const measuredFrom = performance.now() + warmUpSeconds * 1000;
  sub.on('message', (_topic, payload) => {
    const sent = payload.readDoubleLE(0);
    if (sent >= measuredFrom) samples.push(performance.now() - sent);
  });
  const tickMs = 10;
  const perTick = (rate * tickMs) / 1000;
  const ticks = ((warmUpSeconds + seconds) * 1000) / tickMs;
  const payload = Buffer.alloc(80, 0x20);
  let sent = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const due = performance.now() + tickMs;
    for (let n = 0; n < perTick; n++) {
      const i = sent++ % pubs.length;
      payload.writeDoubleLE(performance.now(), 0);
      pubs[i]!.publish(topics.vote('demo', `box-${i}`), Buffer.from(payload), { qos });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await Promise.all([...pubs, sub].map((c) => c.endAsync(true)));
  const sorted = samples.sort((a, b) => a - b);
  return { delivered: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Connects `count` boxes the way real boxes do (own ack and config, schedule, rooms' now). */
export async function connectBoxes(target: Target, count: number): Promise<MqttClient[]> {
  const boxes: MqttClient[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const device = `box-${i + j}`;
        const box = await connect(target, device);
        await box.subscribeAsync(
          [
            topics.ack('demo', device),
            topics.config('demo', device),
            topics.schedule('demo'),
            filters.room('demo', '+', 'now'),
          ],
          { qos: 1 },
        );
        return box;
      }),
    );
    boxes.push(...batch);
  }
  return boxes;
}
