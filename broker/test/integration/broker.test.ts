import { filters, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { brokerWith, connectAs, nextMessage } from '../helpers.js';

describe('startBroker', () => {
  it('forwards a vote from a box to the ingest when both are authenticated', async () => {
    // Prepare
    const broker = await brokerWith({ 'box-1': 'device', ingest: 'ingest' });
    const ingest = await connectAs(broker.mqttUrl, 'ingest');
    await ingest.subscribeAsync(filters.device('demo', '+', 'vote'), { qos: 1 });
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const received = nextMessage(ingest);

    // Act
    await box.publishAsync(topics.vote('demo', 'box-1'), '{"seq":1}', { qos: 1 });

    // Assess
    const message = await received;
    expect(message.topic).toBe(topics.vote('demo', 'box-1'));
    expect(message.payload.toString()).toBe('{"seq":1}');
  });

  it('refuses a connection when the password is wrong', async () => {
    // Prepare
    const broker = await brokerWith({ 'box-1': 'device' });

    // Act
    const attempt = connectAs(broker.mqttUrl, 'box-1', { password: 'wrong' });

    // Assess
    await expect(attempt).rejects.toThrow(/Bad username or password/i);
  });

  it('serves MQTT over WebSocket when wsPort is given', async () => {
    // Prepare
    const broker = await brokerWith({ organiser: 'organiser' }, { wsPort: 0 });

    // Act
    const client = await connectAs(broker.wsUrl ?? '', 'organiser');
    await client.subscribeAsync(topics.schedule('demo'));
    const received = nextMessage(client);
    await client.publishAsync(topics.schedule('demo'), '{}');

    // Assess
    expect((await received).topic).toBe(topics.schedule('demo'));
    expect(broker.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });
});
