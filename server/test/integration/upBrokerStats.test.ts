import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addUser, startBroker } from '@likebox/broker';
import { startManagedInfluxd } from '@likebox/influx';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startBrokerStats } from '../../src/brokerStats.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-brokerstats-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type Row = [number, ...number[]];

async function lastBrokerPoint(url: string): Promise<Record<string, unknown> | null> {
  const q = encodeURIComponent('SELECT * FROM broker ORDER BY time DESC LIMIT 1');
  const response = await fetch(`${url}/query?db=up_stats&q=${q}`);
  const body = (await response.json()) as {
    results: { series?: { columns: string[]; values: Row[] }[] }[];
  };
  const series = body.results[0]?.series?.[0];
  if (series === undefined) return null;
  return Object.fromEntries(series.columns.map((column, i) => [column, series.values[0]![i]]));
}

describe('startBrokerStats', () => {
  it('writes connected clients per role and message counters to the broker measurement', async () => {
    // Prepare
    const dir = await tempDir();
    const usersFile = join(dir, 'users.json');
    await addUser(usersFile, 'box-1', 'device', 'box-1-password');
    const broker = await startBroker({ usersFile, mqttPort: 0, wsPort: null });
    onTestFinished(() => broker.close());
    const influxd = await startManagedInfluxd({ dataDir: join(dir, 'influxdb') });
    onTestFinished(() => influxd.stop());
    await fetch(`${influxd.url}/query?q=${encodeURIComponent('CREATE DATABASE up_stats')}`, {
      method: 'POST',
    });
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
    let point: Record<string, unknown> | null = null;
    for (let attempt = 0; attempt < 200 && point === null; attempt += 1) {
      await sleep(50);
      point = await lastBrokerPoint(influxd.url);
    }

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
