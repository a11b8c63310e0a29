import { filters, topics } from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type RunningBroker, startBroker } from '../../src/index.js';
import { connectAs, nextMessage, PASSWORD, usersFileWith } from '../helpers.js';
import { startRedis } from '../redis.js';

const USERS = { 'box-1': 'device', ingest: 'ingest' } as const;

/** Two brokers sharing one Redis: node A and node B behind an imaginary load balancer. */
async function twoNodes(): Promise<[RunningBroker, RunningBroker]> {
  const redisUrl = await startRedis();
  const usersFile = await usersFileWith(USERS);
  const nodes: RunningBroker[] = [];
  for (const id of ['node-a', 'node-b']) {
    const node = await startBroker({ usersFile, mqttPort: 0, redisUrl, id });
    onTestFinished(() => node.close());
    nodes.push(node);
  }
  return nodes as [RunningBroker, RunningBroker];
}

describe('cluster mode on Redis', () => {
  it('delivers a QoS 1 vote from a box on node A to the ingest on node B', async () => {
    // Prepare
    const [a, b] = await twoNodes();
    const ingest = await connectAs(b.mqttUrl, 'ingest');
    await ingest.subscribeAsync(filters.device('demo', '+', 'vote'), { qos: 1 });
    const box = await connectAs(a.mqttUrl, 'box-1');
    const received = nextMessage(ingest);

    // Act
    await box.publishAsync(topics.vote('demo', 'box-1'), '{"seq":1}', { qos: 1 });

    // Assess
    const message = await received;
    expect(message.payload.toString()).toBe('{"seq":1}');
    expect(b.health()).toMatchObject({ status: 'ok', cluster: true });
  });

  it('serves a retained message stored through node A to a subscriber on node B', async () => {
    // Prepare
    const [a, b] = await twoNodes();
    const box = await connectAs(a.mqttUrl, 'box-1');
    await box.publishAsync(topics.status('demo', 'box-1'), '{"online":true}', {
      qos: 1,
      retain: true,
    });
    const ingest = await connectAs(b.mqttUrl, 'ingest');
    const received = new Promise<boolean>((resolve) =>
      ingest.once('message', (_t, _p, packet) => resolve(packet.retain)),
    );

    // Act
    await ingest.subscribeAsync(filters.device('demo', '+', 'status'), { qos: 1 });

    // Assess
    expect(await received).toBe(true);
  });

  it('keeps a persistent session across nodes when the ingest reconnects to the other node', async () => {
    // Prepare
    const [a, b] = await twoNodes();
    const session = { clientId: 'ingest-1', clean: false };
    const first = await connectAs(b.mqttUrl, 'ingest', session);
    await first.subscribeAsync(filters.device('demo', '+', 'vote'), { qos: 1 });
    await first.endAsync();
    const box = await connectAs(a.mqttUrl, 'box-1');
    await box.publishAsync(topics.vote('demo', 'box-1'), '{"seq":2}', { qos: 1 });

    // Act
    const again = mqtt.connect(a.mqttUrl, {
      ...session,
      protocolVersion: 4,
      reconnectPeriod: 0,
      username: 'ingest',
      password: PASSWORD,
    });
    onTestFinished(() => again.endAsync(true));
    const received = nextMessage(again);

    // Assess
    expect((await received).payload.toString()).toBe('{"seq":2}');
  });
});
