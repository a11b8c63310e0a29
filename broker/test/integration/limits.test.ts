import { filters, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { brokerWith, connectAs } from '../helpers.js';

const USERS = { 'box-1': 'device', flooder: 'device', ingest: 'ingest' } as const;

async function metric(text: Promise<string>, pattern: RegExp): Promise<number> {
  return Number(pattern.exec(await text)?.[1] ?? 0);
}

describe('broker limits', () => {
  it('delivers each vote of a box ahead of the backlog of a box flooding beyond its rate', async () => {
    // Prepare
    const broker = await brokerWith(USERS, {
      limits: { messagesPerSecond: 100, messageBurst: 100 },
    });
    const ingest = await connectAs(broker.mqttUrl, 'ingest');
    await ingest.subscribeAsync(filters.device('demo', '+', 'vote'), { qos: 1 });
    let flood = 0;
    const floodBefore = new Map<number, number>();
    const floodAhead: number[] = [];
    ingest.on('message', (topic, payload) => {
      if (topic === topics.vote('demo', 'flooder')) flood++;
      else floodAhead.push(flood - (floodBefore.get(JSON.parse(payload.toString()).seq) ?? 0));
    });
    const flooder = await connectAs(broker.mqttUrl, 'flooder');
    const box = await connectAs(broker.mqttUrl, 'box-1');
    let flooding = true;
    const floodTick = () => {
      if (!flooding) return;
      if (flooder.stream.writableLength < 256 * 1024) {
        for (let i = 0; i < 500; i++) flooder.publish(topics.vote('demo', 'flooder'), '{"seq":0}');
      }
      setImmediate(floodTick);
    };
    floodTick();

    // Act
    for (let seq = 1; seq <= 20; seq++) {
      floodBefore.set(seq, flood);
      await box.publishAsync(topics.vote('demo', 'box-1'), JSON.stringify({ seq }), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect.poll(() => floodAhead.length, { timeout: 30_000 }).toBe(20);
    flooding = false;

    // Assess: few flood messages are ever delivered between a vote's publish and its delivery
    expect(Math.max(...floodAhead)).toBeLessThan(200);
    const throttled = broker.metrics.getSingleMetricAsString(
      'likebox_broker_throttled_messages_total',
    );
    expect(await metric(throttled, /_total (\d+)/)).toBeGreaterThan(0);
  });

  it('closes new connections from one address beyond the per-second limit', async () => {
    // Prepare
    const broker = await brokerWith(USERS, {
      limits: { connectionsPerSecond: 3, limitLoopback: true },
    });

    // Act
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        connectAs(broker.mqttUrl, 'box-1', { clientId: `c${i}` }),
      ),
    );

    // Assess: 5 beyond the limit, at least 3 even if a loaded machine spreads them over two windows
    const refused = attempts.filter((a) => a.status === 'rejected').length;
    expect(refused).toBeGreaterThanOrEqual(3);
    const text = broker.metrics.getSingleMetricAsString('likebox_broker_refused_connections_total');
    expect(await metric(text, /reason="rate"} (\d+)/)).toBeGreaterThanOrEqual(3);
  });

  it('answers server unavailable when the client limit is reached', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { limits: { maxClients: 2 } });
    await connectAs(broker.mqttUrl, 'ingest');
    await connectAs(broker.mqttUrl, 'box-1');

    // Act
    const third = connectAs(broker.mqttUrl, 'flooder');

    // Assess
    await expect(third).rejects.toThrow(/Server unavailable/i);
  });
});
