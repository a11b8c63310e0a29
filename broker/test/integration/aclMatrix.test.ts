import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role, type RunningBroker } from '../../src/index.js';
import {
  deliveryOf,
  EVENT,
  FILTER_CASES,
  TOPIC_CASES,
  type TopicCase,
  USER_OF,
} from '../aclMatrix.js';
import { brokerWith, connectAs, grants } from '../helpers.js';

const USERS = Object.fromEntries(ROLES.map((role) => [USER_OF[role], role])) as Record<
  string,
  Role
>;

/** Publishes once; true on PUBACK, false when the broker closes the connection instead. */
function tryPublish(client: MqttClient, c: TopicCase): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    client.once('close', onClose);
    const { qos, retain } = deliveryOf(c.kind);
    client.publish(c.topic, '{}', { qos: qos === 0 ? 1 : qos, retain }, (err) => {
      client.off('close', onClose);
      resolve(err === undefined || err === null);
    });
  });
}

async function publishMatrix(broker: RunningBroker, role: Role): Promise<string[]> {
  const allowed: string[] = [];
  let client: MqttClient | null = null;
  for (const c of TOPIC_CASES) {
    client ??= await connectAs(broker.mqttUrl, role === 'public' ? USER_OF.public : USER_OF[role]);
    if (await tryPublish(client, c)) allowed.push(c.name);
    else client = null;
  }
  return allowed;
}

async function subscribeMatrix(broker: RunningBroker, role: Role): Promise<string[]> {
  const client = await connectAs(broker.mqttUrl, USER_OF[role]);
  const filters = [...TOPIC_CASES.map((c) => c.topic), ...FILTER_CASES.map((c) => c.filter)];
  const granted: string[] = [];
  for (const filter of filters) {
    const [code] = await grants(client, filter);
    if (code !== 128) granted.push(filter);
  }
  expect(client.connected).toBe(true);
  return granted;
}

function expectedPublish(role: Role): string[] {
  return TOPIC_CASES.filter((c) => c.publish.includes(role)).map((c) => c.name);
}

function expectedSubscribe(role: Role): string[] {
  return [
    ...TOPIC_CASES.filter((c) => c.subscribe.includes(role)).map((c) => c.topic),
    ...FILTER_CASES.filter((c) => c.subscribe.includes(role)).map((c) => c.filter),
  ];
}

describe('ACL matrix over MQTT.js', () => {
  it('grants exactly the publish rights of ARCHITECTURE.md when each role publishes every topic', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { event: EVENT });
    const observer = await connectAs(broker.mqttUrl, USER_OF.organiser, { clientId: 'observer' });
    await observer.subscribeAsync(`likebox/v1/${EVENT}/#`, { qos: 1 });
    const seen: string[] = [];
    observer.on('message', (topic) => seen.push(topic));

    // Act
    const actual: Record<string, string[]> = {};
    for (const role of ROLES) actual[role] = await publishMatrix(broker, role);
    await tryPublish(observer, TOPIC_CASES[0]!);

    // Assess
    expect(actual).toEqual(Object.fromEntries(ROLES.map((role) => [role, expectedPublish(role)])));
    const delivered = ROLES.flatMap((role) =>
      TOPIC_CASES.filter((c) => c.publish.includes(role)).map((c) => c.topic),
    );
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(delivered.length + 1);
    expect(seen.slice(0, delivered.length).sort()).toEqual(delivered.sort());
  });

  it('grants exactly the subscribe rights of ARCHITECTURE.md when each role subscribes every topic and filter', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { event: EVENT });

    // Act
    const actual: Record<string, string[]> = {};
    for (const role of ROLES) actual[role] = await subscribeMatrix(broker, role);

    // Assess
    expect(actual).toEqual(
      Object.fromEntries(ROLES.map((role) => [role, expectedSubscribe(role)])),
    );
  });

  it('delivers retained messages only for granted filters when a refused one is in the same SUBSCRIBE', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { event: EVENT });
    const organiser = await connectAs(broker.mqttUrl, USER_OF.organiser);
    const status = TOPIC_CASES.find((c) => c.name === 'own status')!;
    const tally = TOPIC_CASES.find((c) => c.name === 'tally')!;
    await organiser.publishAsync(status.topic, '{"online":true}', { qos: 1, retain: true });
    await organiser.publishAsync(tally.topic, '{"likes":1}', { qos: 1, retain: true });
    const device = await connectAs(broker.mqttUrl, USER_OF.device);
    const received: string[] = [];
    device.on('message', (topic) => received.push(topic));

    // Act
    const granted = await grants(device, [status.topic, tally.topic]);

    // Assess
    expect(granted).toEqual([128, 1]);
    await expect.poll(() => received).toEqual([tally.topic]);
  });
});
