import type { RunningBroker } from '@likebox/broker';
import { topics } from '@likebox/protocol';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  interceptSendPacket,
  type OutgoingMqttPacket,
  writeRawPackets,
} from '../../src/mqttInternals.js';
import { connectAs, PASSWORD, startTestBroker, tempDir } from './harness.js';

/*
 * Contract tests of src/mqttInternals.ts: each checks one thing the ingest assumes of MQTT.js
 * beyond its documented API, against the installed version and a real broker. A failure here
 * after an upgrade names the assumption that broke.
 */

const TOPIC = topics.vote('demo', 'box-1');

/** The ingest's session: persistent, so that the broker redelivers what was not acknowledged. */
function connectIngest(broker: RunningBroker): MqttClient {
  const client = mqtt.connect(broker.mqttUrl, {
    username: 'ingest',
    password: PASSWORD,
    clientId: 'ingest-contract',
    clean: false,
    protocolVersion: 4,
    reconnectPeriod: 0,
    manualConnect: true,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

/** Connects `client` and subscribes to the votes at QoS 1. */
async function start(client: MqttClient): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.connect();
  });
  await client.subscribeAsync(TOPIC, { qos: 1 });
}

/** Resolves with the next `count` payloads `client` receives, with their message ids. */
function nextMessages(client: MqttClient, count: number) {
  return new Promise<{ payload: string; messageId: number }[]>((resolve) => {
    const seen: { payload: string; messageId: number }[] = [];
    const onMessage = (_topic: string, payload: Buffer, packet: IPublishPacket) => {
      seen.push({ payload: payload.toString(), messageId: packet.messageId ?? 0 });
      if (seen.length < count) return;
      client.off('message', onMessage);
      resolve(seen);
    };
    client.on('message', onMessage);
  });
}

/** A PUBACK (MQTT 3.1.1 §3.4) as bytes. */
function pubackBytes(messageId: number): Buffer {
  return Buffer.from([0x40, 0x02, messageId >> 8, messageId & 0xff]);
}

describe('MQTT.js internals (src/mqttInternals.ts)', () => {
  it('sends a QoS 1 PUBACK through `_sendPacket` after handleMessage, and waits for its callback', async () => {
    // Prepare
    const broker = await startTestBroker(await tempDir(), ['box-1']);
    const ingest = connectIngest(broker);
    const steps: string[] = [];
    const callbacks: (() => void)[] = [];
    interceptSendPacket(ingest, (packet: OutgoingMqttPacket, cb) => {
      if (packet.cmd !== 'puback') return false;
      steps.push(`puback ${packet.messageId}`);
      callbacks.push(() => cb?.());
      return true;
    });
    const handleMessage = ingest.handleMessage.bind(ingest);
    ingest.handleMessage = (packet, callback) => {
      steps.push(`handled ${(packet as IPublishPacket).messageId}`);
      handleMessage(packet, callback);
    };
    await start(ingest);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const received = nextMessages(ingest, 2);

    // Act
    await box.publishAsync(TOPIC, 'one', { qos: 1 });
    await box.publishAsync(TOPIC, 'two', { qos: 1 });
    await expect.poll(() => steps.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const beforeCallback = [...steps];
    callbacks[0]?.();
    const [one, two] = await received;

    // Assess: nothing of the second message is handled before the first PUBACK's callback.
    expect(beforeCallback).toEqual([`handled ${one?.messageId}`, `puback ${one?.messageId}`]);
    await expect.poll(() => steps.length).toBe(4);
    expect(steps.slice(2)).toEqual([`handled ${two?.messageId}`, `puback ${two?.messageId}`]);
  });

  it('delivers taken PUBACKs written later as raw bytes, several in one buffer', async () => {
    // Prepare
    const broker = await startTestBroker(await tempDir(), ['box-1']);
    const ingest = connectIngest(broker);
    let taken = 0;
    interceptSendPacket(ingest, (packet, cb) => {
      if (packet.cmd !== 'puback') return false;
      taken += 1;
      cb?.();
      return true;
    });
    await start(ingest);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const received = nextMessages(ingest, 3);
    for (const vote of ['one', 'two', 'three']) await box.publishAsync(TOPIC, vote, { qos: 1 });
    const ids = new Map((await received).map((m) => [m.payload, m.messageId]));
    await expect.poll(() => taken).toBe(3);

    // Act: `one` and `two` in one buffer, as AckGate writes a commit's PUBACKs; `three` never.
    const bytes = Buffer.concat(['one', 'two'].map((vote) => pubackBytes(ids.get(vote) ?? 0)));
    const written = writeRawPackets(ingest, bytes);
    await ingest.subscribeAsync(TOPIC, { qos: 1 }); // a round trip: the broker read the PUBACKs
    await ingest.endAsync();
    const afterEnd = writeRawPackets(ingest, pubackBytes(1));
    const again = connectIngest(broker);
    const redelivered = nextMessages(again, 2);
    await start(again);
    await box.publishAsync(TOPIC, 'sentinel', { qos: 1 });

    // Assess
    expect(written).toBe(true);
    expect(afterEnd).toBe(false);
    expect((await redelivered).map((m) => m.payload)).toEqual(['three', 'sentinel']);
  });

  it('emits `packetreceive` for a CONNACK before it handles the messages redelivered on that connection', async () => {
    // Prepare: AckGate starts a connection's generation at its CONNACK; a message of the new
    // connection handled before that would be released under the old generation, and never acked.
    const broker = await startTestBroker(await tempDir(), ['box-1']);
    const first = connectIngest(broker);
    await start(first);
    await first.endAsync();
    const box = await connectAs(broker.mqttUrl, 'box-1');
    for (const vote of ['one', 'two', 'three']) await box.publishAsync(TOPIC, vote, { qos: 1 });
    const ingest = connectIngest(broker);
    const steps: string[] = [];
    ingest.on('packetreceive', (packet) => {
      if (packet.cmd === 'connack') steps.push('connack');
    });
    const handleMessage = ingest.handleMessage.bind(ingest);
    ingest.handleMessage = (packet, callback) => {
      steps.push(`handled ${(packet as IPublishPacket).payload.toString()}`);
      handleMessage(packet, callback);
    };
    const received = nextMessages(ingest, 3);

    // Act: the broker sends the queued messages right after the CONNACK, in the same flight.
    await start(ingest);
    await received;

    // Assess
    expect(steps).toEqual(['connack', 'handled one', 'handled two', 'handled three']);
  });
});
