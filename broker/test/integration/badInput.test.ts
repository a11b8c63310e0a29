import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { filters, topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunningBroker } from '../../src/index.js';
import { brokerWith, closed, connectAs, grants, nextMessage, PASSWORD } from '../helpers.js';

const USERS = {
  'box-1': 'device',
  'box-2': 'device',
  ingest: 'ingest',
  organiser: 'organiser',
} as const;

/** Asserts the broker still serves a well-behaved box and ingest end to end. */
async function expectServing(broker: RunningBroker): Promise<void> {
  const ingest = await connectAs(broker.mqttUrl, 'ingest');
  await ingest.subscribeAsync(filters.device('demo', '+', 'vote'), { qos: 1 });
  const box = await connectAs(broker.mqttUrl, 'box-2');
  const received = nextMessage(ingest);
  await box.publishAsync(topics.vote('demo', 'box-2'), '{"seq":1}', { qos: 1 });
  expect((await received).topic).toBe(topics.vote('demo', 'box-2'));
}

/** A raw TCP socket to the broker; resolves when the broker closes it. */
async function rawSocket(broker: RunningBroker): Promise<{ socket: Socket; ended: Promise<void> }> {
  const socket = connect(broker.mqttPort, '127.0.0.1');
  onTestFinished(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, ended };
}

/** A CONNECT packet (MQTT 3.1.1, clean session) for box-1. */
function connectPacket(): Buffer {
  const str = (s: string) => {
    const b = Buffer.from(s);
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
  };
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, 0xc2, 0, 30]),
    str('raw'),
    str('box-1'),
    str(PASSWORD),
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

describe('broker under bad input', () => {
  it('refuses the connection when the user is unknown', async () => {
    // Prepare
    const broker = await brokerWith(USERS);

    // Act
    const attempt = connectAs(broker.mqttUrl, 'nobody');

    // Assess
    await expect(attempt).rejects.toThrow(/Bad username or password/i);
    await expectServing(broker);
  });

  it('refuses the connection when no credentials are given and anonymous access is off', async () => {
    // Prepare
    const broker = await brokerWith(USERS);

    // Act
    const attempt = connectAs(broker.mqttUrl, null);

    // Assess
    await expect(attempt).rejects.toThrow(/Not authorized/i);
    await expectServing(broker);
  });

  it('closes the socket when it receives random bytes', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const { socket, ended } = await rawSocket(broker);

    // Act
    socket.write(Buffer.concat([Buffer.from([0xf0, 0xff]), randomBytes(4096)]));

    // Assess
    await ended;
    await expectServing(broker);
  });

  it('drops a truncated packet when the client stops halfway and goes away', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const { socket, ended } = await rawSocket(broker);
    const packet = connectPacket();

    // Act
    socket.write(packet.subarray(0, packet.length - 7));
    await expectServing(broker);
    socket.end();

    // Assess
    await ended;
    await expectServing(broker);
  });

  it('closes the client before buffering the body when a packet announces more than the limit', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const { socket, ended } = await rawSocket(broker);
    socket.write(connectPacket());

    // Act: PUBLISH header announcing 200 MB, then a little of it
    socket.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x60]));
    socket.write(randomBytes(1024));

    // Assess
    await ended;
    const text = await broker.metrics.getSingleMetricAsString('likebox_broker_client_errors_total');
    expect(text).toMatch(/likebox_broker_client_errors_total [1-9]/);
    await expectServing(broker);
  });

  it('closes a box when its vote payload exceeds the protocol limit', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const gone = closed(box);

    // Act
    box.publish(topics.vote('demo', 'box-1'), Buffer.alloc(2048, 0x20), { qos: 1 });

    // Assess
    await gone;
    await expectServing(broker);
  });

  it('closes a box when it sends a 100 KiB payload', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const gone = closed(box);

    // Act
    box.publish(topics.status('demo', 'box-1'), Buffer.alloc(100 * 1024, 0x20), { qos: 0 });

    // Assess
    await gone;
    await expectServing(broker);
  });

  it('closes the client when it publishes to a wildcard topic', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const organiser = await connectAs(broker.mqttUrl, 'organiser');
    const gone = closed(organiser);

    // Act: MQTT.js refuses wildcards itself, so the raw PUBLISH goes through its stream
    const topic = Buffer.from('likebox/v1/demo/rooms/+/tally');
    const frame = Buffer.concat([
      Buffer.from([0x30, topic.length + 4, 0, topic.length]),
      topic,
      Buffer.from('{}'),
    ]);
    organiser.stream.write(frame);

    // Assess
    await gone;
    await expectServing(broker);
  });

  it('closes the client when it publishes to a very long or very deep topic', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const long = await connectAs(broker.mqttUrl, 'organiser', { clientId: 'long' });
    const deep = await connectAs(broker.mqttUrl, 'organiser', { clientId: 'deep' });
    const gone = Promise.all([closed(long), closed(deep)]);

    // Act
    long.publish(`likebox/v1/demo/rooms/${'a'.repeat(60_000)}/tally`, '{}', { qos: 1 });
    deep.publish(`likebox/v1/demo/${'x/'.repeat(500)}tally`, '{}', { qos: 1 });

    // Assess
    await gone;
    await expectServing(broker);
  });

  it('refuses a subscription filter outside the tree with the failure code and keeps the client', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const organiser = await connectAs(broker.mqttUrl, 'organiser');

    // Act
    const codes = await grants(organiser, `likebox/v1/demo/${'x/'.repeat(10)}#`);

    // Assess
    expect(codes).toEqual([128]);
    expect(organiser.connected).toBe(true);
    await expectServing(broker);
  });

  it('closes the client when a subscription filter is deeper than the topic level limit', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const organiser = await connectAs(broker.mqttUrl, 'organiser');
    const gone = closed(organiser);

    // Act
    organiser.subscribe(`likebox/v1/demo/${'x/'.repeat(500)}#`, () => undefined);

    // Assess
    await gone;
    await expectServing(broker);
  });

  it('grants subscriptions up to the limit when one client sends thousands', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { limits: { maxSubscriptions: 1000 } });
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const wanted = Array.from({ length: 3000 }, (_, i) => topics.now('demo', `room-${i}`));

    // Act
    const codes: number[] = [];
    for (let i = 0; i < wanted.length; i += 50)
      codes.push(...(await grants(box, wanted.slice(i, i + 50))));

    // Assess
    expect(codes.filter((c) => c === 1)).toHaveLength(1000);
    expect(codes.filter((c) => c === 128)).toHaveLength(2000);
    expect(box.connected).toBe(true);
    await expectServing(broker);
  });
});
