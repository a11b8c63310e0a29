import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  connectAs,
  eventually,
  INGEST_MAIN,
  influxNumber,
  influxRows,
  PASSWORD,
  publishVotes,
  spawnIngest,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  votes,
} from './harness.js';

const count = (url: string, q: string) => influxNumber(url, 'crash', q);

describe('likebox ingest process', () => {
  it('loses and doubles nothing when killed -9 in the middle of a flow of votes', async () => {
    // Prepare
    const total = 20_000;
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influxd = await startTestInfluxd(dir);
    const env = {
      LIKEBOX_EVENT: 'test',
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_MQTT_URL: broker.mqttUrl,
      LIKEBOX_MQTT_USERNAME: 'ingest',
      LIKEBOX_MQTT_PASSWORD: PASSWORD,
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'crash',
      LIKEBOX_INFLUX_BATCH_SIZE: '500',
      LIKEBOX_HTTP_PORT: '0',
      LIKEBOX_LOG_LEVEL: 'info',
    };
    const first = await spawnIngest(env);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const at = Date.now() - 3_600_000;

    // Act
    const sent = publishVotes(box, 'test', 'box-1', votes(1, total, at));
    await eventually(async () => {
      const stored = await count(influxd.url, 'SELECT count(value) FROM vote');
      return stored > 0 ? stored : undefined;
    });
    first.kill('SIGKILL');
    await once(first, 'exit');
    const storedAtKill = await count(influxd.url, 'SELECT count(value) FROM vote');
    await sent;
    await spawnIngest(env);

    // Assess
    expect(storedAtKill).toBeLessThan(total);
    await eventually(async () => {
      const stored = await count(influxd.url, 'SELECT count(value) FROM vote');
      return stored === total ? stored : undefined;
    }, 90_000);
    const expectedSum = votes(1, total, at).reduce((sum, v) => sum + v.value, 0);
    expect(await count(influxd.url, 'SELECT sum(value) FROM vote')).toBe(expectedSum);
    expect(await count(influxd.url, 'SELECT count(value) FROM vote')).toBe(total);
    const series = await influxRows(influxd.url, 'crash', 'SHOW SERIES FROM vote');
    expect(series).toHaveLength(1);
  }, 180_000);

  it('stops cleanly when SIGTERM comes while it is still starting', async () => {
    // Prepare: the broker answers; the ingest has logged its connection, not yet that it started.
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const child = await spawnIngest(
      {
        LIKEBOX_EVENT: 'test',
        LIKEBOX_DATA_DIR: dir,
        LIKEBOX_MQTT_URL: broker.mqttUrl,
        LIKEBOX_MQTT_PASSWORD: PASSWORD,
        LIKEBOX_HTTP_PORT: '0',
      },
      'connected to broker',
    );

    // Act
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;

    // Assess: it finished starting, then stopped; the signal did not kill it.
    expect(signal).toBeNull();
    expect(code).toBe(0);
  });

  it('stops cleanly on SIGTERM and exits 1 on a bad configuration', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const child = await spawnIngest({
      LIKEBOX_EVENT: 'test',
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_MQTT_URL: broker.mqttUrl,
      LIKEBOX_MQTT_PASSWORD: PASSWORD,
      LIKEBOX_HTTP_PORT: '0',
    });

    // Act
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    const bad = spawn(
      process.execPath,
      [INGEST_MAIN, '--event', 'Not A Slug', '--http-port', 'x'],
      {
        env: { ...process.env, LIKEBOX_DATA_DIR: dir },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let output = '';
    bad.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [badCode] = await once(bad, 'exit');

    // Assess
    expect(code).toBe(0);
    expect(badCode).toBe(1);
    expect(output).toContain('LIKEBOX_EVENT');
    expect(output).toContain('LIKEBOX_HTTP_PORT');
  });
});
