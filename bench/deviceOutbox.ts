/**
 * Outbox part of the box benchmark (run through bench/device.ts): how many votes the outbox absorbs
 * offline (every vote its own fsynced SQLite transaction, as on a box) and how fast it drains on
 * reconnect through the real Publisher, a real Aedes broker and an ack stand-in, against a reference
 * measured in the same run: raw MQTT.js QoS 1 publishes of the same number of messages, no outbox.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addUser, startBroker } from '@likebox/broker';
import { encodePayload, TopicDelivery, topics } from '@likebox/protocol';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { Outbox } from '../device/src/outbox.js';
import { Publisher } from '../device/src/publisher.js';
import { startAckStandIn, waitFor } from '../device/test/helpers/ackStandIn.js';

/** Figures of the outbox benchmark. */
export interface OutboxFigures {
  votes: number;
  absorbPerS: number;
  fileMb: number;
  drainPerS: number;
  rawPerS: number;
}

async function rawQos1(url: string, count: number, window: number): Promise<number> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    username: 'box-raw',
    password: 'pw',
  });
  const topic = topics.vote('bench', 'box-raw');
  const payload = encodePayload('vote', {
    seq: 1,
    value: 1,
    at: Date.now(),
    room: 'a',
    synced: true,
  });
  const start = performance.now();
  let sent = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (sent < count && sent - done < window) {
        sent++;
        client.publishAsync(topic, payload, TopicDelivery.vote).finally(() => {
          done++;
          if (done === count) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const rate = count / ((performance.now() - start) / 1000);
  await client.endAsync();
  return rate;
}

/** Absorbs `votes` offline into a fresh outbox in `dir`, then drains it to a real broker. */
export async function benchOutbox(dir: string, votes: number): Promise<OutboxFigures> {
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'box-1', 'device', 'pw', { event: 'bench' });
  await addUser(usersFile, 'box-raw', 'device', 'pw', { event: 'bench' });
  await addUser(usersFile, 'ingest', 'ingest', 'pw', { event: 'bench' });
  const path = join(dir, 'outbox.sqlite');
  const outbox = Outbox.open(path);
  const absorbStart = performance.now();
  for (let i = 0; i < votes; i++)
    outbox.record({ value: i % 5 === 0 ? -1 : 1, at: Date.now(), room: 'amphi-a', synced: true });
  const absorbPerS = votes / ((performance.now() - absorbStart) / 1000);
  const fileMb =
    (statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)) / 1e6;
  // The broker's default per-client limit (100 msg/s, burst 500) would pace the replay itself:
  // this measures the box's side with the limit off.
  const broker = await startBroker({ usersFile, mqttPort: 0, limits: { messagesPerSecond: 0 } });
  const standIn = await startAckStandIn({
    url: broker.mqttUrl,
    event: 'bench',
    username: 'ingest',
    password: 'pw',
  });
  const publisher = new Publisher(
    {
      url: broker.mqttUrl,
      password: 'pw',
      event: 'bench',
      device: 'box-1',
      maxInflight: 500,
      ackTimeoutMs: 30_000,
      heartbeatMs: 30_000,
    },
    outbox,
    () => ({ outbox: outbox.depth, version: 'bench', uptime: 0 }),
    pino({ level: 'silent' }),
  );
  const drainStart = performance.now();
  publisher.start();
  await waitFor(() => outbox.depth === 0, 600_000, 'drain');
  const drainPerS = votes / ((performance.now() - drainStart) / 1000);
  await publisher.stop();
  const rawPerS = await rawQos1(broker.mqttUrl, votes, 500);
  await standIn.close();
  await broker.close();
  outbox.close();
  return { votes, absorbPerS, fileMb, drainPerS, rawPerS };
}
