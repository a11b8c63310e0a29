import { join } from 'node:path';
import { addUser, startBroker } from '@likebox/broker';
import { InfluxClient } from '@likebox/influx';
import { influxRows, startTestInfluxd } from '@likebox/influx/testing';
import { eventually, tempDir } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startBrokerStats } from '../../src/brokerStats.js';

describe('startBrokerStats', () => {
  it('writes connected clients per role and message counters to the broker measurement', async () => {
    // Prepare
    const dir = await tempDir('likebox-brokerstats-');
    const usersFile = join(dir, 'users.json');
    await addUser(usersFile, 'box-1', 'device', 'box-1-password');
    const broker = await startBroker({ usersFile, mqttPort: 0, wsPort: null });
    onTestFinished(() => broker.close());
    const influxd = await startTestInfluxd(dir);
    await new InfluxClient({ url: influxd.url, database: 'up_stats' }).admin.createDatabase(
      'up_stats',
    );
    const box = await mqtt.connectAsync(broker.mqttUrl, {
      protocolVersion: 4,
      username: 'box-1',
      password: 'box-1-password',
    });
    onTestFinished(() => box.endAsync());
    const influx = {
      ...{ url: influxd.url, database: 'up_stats', retentionPolicy: undefined, retention: 'INF' },
      ...{ username: undefined, password: undefined, token: false, batchSize: 100 },
    };

    // Act
    const stop = startBrokerStats(broker, 'demo', influx, pino({ level: 'silent' }), 50);
    onTestFinished(stop);
    const [point] = await eventually(async () => {
      const q = 'SELECT * FROM broker ORDER BY time DESC LIMIT 1';
      const rows = await influxRows(influxd.url, 'up_stats', q);
      return rows.length > 0 ? rows : undefined;
    });

    // Assess
    expect(point).toMatchObject({
      event: 'demo',
      clients: 1,
      clients_device: 1,
      clients_ingest: 0,
    });
    expect(point?.messages_in).toBeGreaterThanOrEqual(0);
    expect(point?.messages_out).toBeGreaterThanOrEqual(0);
  });
});
