import { filters, topics } from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectedClients, persistenceOf } from '../../src/aedes/internals.js';
import { LikeboxMemoryPersistence } from '../../src/memoryPersistence.js';
import type { OutgoingPacket } from '../../src/outgoingStore.js';
import { brokerWith, connectAs, PASSWORD } from '../helpers.js';

const ONLINE_VOTES = 5_000;
const OFFLINE_VOTES = 1_000;
const VOTE_FILTER = filters.device('demo', '+', 'vote');

/** A queued packet that was sent to the client, i.e. is in flight until its PUBACK. */
const sent = (packet: OutgoingPacket): boolean => packet.messageId !== undefined;

/** Resolves once `condition()` holds, checking every 20 ms; throws after `ms` (shared machine). */
async function until(condition: () => boolean | Promise<boolean>, ms = 25_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Connects the ingest with a persistent session; counts each vote's `seq` it receives. */
function connectIngest(url: string, seen: Map<number, number>): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    clientId: 'ingest-1',
    clean: false,
    username: 'ingest',
    password: PASSWORD,
  });
  onTestFinished(() => client.endAsync(true));
  // Listening before CONNACK: the broker sends the stored votes right behind it.
  client.on('message', (_topic, payload) => {
    const { seq } = JSON.parse(payload.toString()) as { seq: number };
    seen.set(seq, (seen.get(seq) ?? 0) + 1);
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

/** Publishes votes `from` .. `to - 1` at QoS 1, all at once. */
async function publishVotes(box: MqttClient, from: number, to: number): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (let seq = from; seq < to; seq++) {
    sends.push(box.publishAsync(topics.vote('demo', 'box-1'), JSON.stringify({ seq }), { qos: 1 }));
  }
  await Promise.all(sends);
}

describe('LikeboxMemoryPersistence in the broker', () => {
  it('delivers every vote exactly once to a persistent session when thousands are in flight and some arrive while it is offline', async () => {
    // Prepare
    const broker = await brokerWith(
      { 'box-1': 'device', ingest: 'ingest' },
      { limits: { messagesPerSecond: 0 } },
    );
    const persistence = persistenceOf(broker.aedes);
    expect(persistence).toBeInstanceOf(LikeboxMemoryPersistence);
    const store = persistence as LikeboxMemoryPersistence;
    const seen = new Map<number, number>();
    const ingest = await connectIngest(broker.mqttUrl, seen);
    await ingest.subscribeAsync(VOTE_FILTER, { qos: 1 });
    const ids = connectedClients(broker.aedes).map((client) => client.id);
    const id = ids.find((key) => key.endsWith('ingest-1'));
    const queue = () => store.outgoingStream({ id }).toArray() as Promise<OutgoingPacket[]>;
    const queued = async () => (await queue()).length;
    const box = await connectAs(broker.mqttUrl, 'box-1');
    // The ingest holds its PUBACKs until every vote is in flight.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handleMessage = ingest.handleMessage.bind(ingest);
    ingest.handleMessage = (packet, callback) => {
      void released.then(() => handleMessage(packet, callback));
    };

    // Act: online, with all votes sent (a message id given) and unacknowledged at once.
    await publishVotes(box, 0, ONLINE_VOTES);
    await until(async () => (await queue()).filter(sent).length === ONLINE_VOTES);
    release();
    await until(() => seen.size === ONLINE_VOTES);
    await until(async () => (await queued()) === 0);
    await ingest.endAsync();
    // Offline: the votes wait in the session's queue.
    await publishVotes(box, ONLINE_VOTES, ONLINE_VOTES + OFFLINE_VOTES);
    await until(async () => (await queued()) === OFFLINE_VOTES);
    await connectIngest(broker.mqttUrl, seen);
    await until(() => seen.size === ONLINE_VOTES + OFFLINE_VOTES);
    await until(async () => (await queued()) === 0);

    // Assess
    const counts = [...seen.values()];
    expect(counts.length).toBe(ONLINE_VOTES + OFFLINE_VOTES);
    expect(counts.every((count) => count === 1)).toBe(true);
    expect(Math.max(...seen.keys())).toBe(ONLINE_VOTES + OFFLINE_VOTES - 1);
  });
});
