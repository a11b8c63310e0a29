import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

/** The seqs of 1..`total` not in `seqs`, the first 20 of them. */
function missingOf(seqs: readonly number[], total: number): number[] {
  const have = new Set(seqs);
  return Array.from({ length: total }, (_, i) => i + 1)
    .filter((seq) => !have.has(seq))
    .slice(0, 20);
}

/**
 * Where the votes of 1..`total` are missing, journal and InfluxDB apart: said when the test fails,
 * so that a loss seen once under load (2 of 20,000 in InfluxDB, twice in ~50 loaded runs, cause not
 * found) tells which side lost it.
 */
async function whereMissing(dir: string, influxUrl: string, total: number): Promise<string> {
  const journal = new Database(join(dir, 'ingest-journal.sqlite'), { readonly: true });
  const kept = journal.prepare('SELECT seq FROM votes').pluck().all() as number[];
  journal.close();
  const stored: number[] = [];
  // Pages of 5,000: a point-per-row read of 20,000 in one answer would meet influxd's row limit.
  for (let offset = 0; offset < total * 2; offset += 5000) {
    const rows = await influxRows(
      influxUrl,
      'crash',
      `SELECT seq FROM vote LIMIT 5000 OFFSET ${offset}`,
    );
    stored.push(...rows.map((row) => Number(row.seq)));
    if (rows.length < 5000) break;
  }
  return (
    `journal: ${kept.length} votes, missing ${missingOf(kept, total).join(' ') || 'none'}; ` +
    `InfluxDB: ${stored.length} points, missing ${missingOf(stored, total).join(' ') || 'none'}`
  );
}

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
    const second = await spawnIngest(env);

    // Assess
    expect(storedAtKill).toBeLessThan(total);
    await eventually(async () => {
      const stored = await count(influxd.url, 'SELECT count(value) FROM vote');
      return stored === total ? stored : undefined;
    }, 90_000).catch(async (err: Error) => {
      second.kill('SIGTERM'); // it holds the journal locked
      await once(second, 'exit');
      throw new Error(`${err.message}: ${await whereMissing(dir, influxd.url, total)}`);
    });
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
