import { InfluxClient, startManagedInfluxd } from '@likebox/influx';
import { topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  connectAs,
  eventually,
  influxRows,
  publishVotes,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  testConfig,
  votes,
  waitForMessage,
} from './harness.js';

async function voteCount(url: string, db: string): Promise<number> {
  const rows = await influxRows(url, db, `SELECT count(value) FROM "${db}"."votes"."vote"`);
  return Number(rows[0]?.count ?? 0);
}

describe('InfluxWriter', () => {
  it('backfills every vote from the journal when InfluxDB comes back after an outage', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    let influxd = await startManagedInfluxd({ dataDir: `${dir}/influxd` });
    onTestFinished(() => influxd.stop());
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'outage',
      LIKEBOX_INFLUX_RETENTION_POLICY: 'votes',
      LIKEBOX_INFLUX_RETENTION: '520w',
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const at = Date.now() - 60_000;
    await publishVotes(box, 'test', 'box-1', votes(1, 100, at));
    await eventually(async () =>
      (await voteCount(influxd.url, 'outage')) === 100 ? true : undefined,
    );
    // The points can be visible before the writer has read InfluxDB's answer: stopping influxd in
    // between fails that write, and the writer rightly counts those 100 as pending again.
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));

    // Act
    await influxd.stop();
    const acked = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === 600,
    );
    await publishVotes(box, 'test', 'box-1', votes(101, 500, at));
    const ackDuringOutage = await acked;
    await eventually(async () => (ingest.health().status === 'degraded' ? true : undefined));
    const pendingDuringOutage = ingest.health().journal.pending;
    influxd = await startManagedInfluxd({ dataDir: `${dir}/influxd`, port: influxd.port });

    // Assess
    expect(ackDuringOutage.seq).toBe(600);
    expect(pendingDuringOutage).toBe(500);
    await eventually(
      async () => ((await voteCount(influxd.url, 'outage')) === 600 ? true : undefined),
      60_000,
    );
    await eventually(async () => (ingest.health().status === 'ok' ? true : undefined));
    expect(ingest.health().journal.pending).toBe(0);
    const policies = await influxRows(influxd.url, 'outage', 'SHOW RETENTION POLICIES ON outage');
    expect(policies.map((p) => p.name)).toContain('votes');
    expect(await ingest.metrics.metrics()).toMatch(
      /likebox_ingest_influx_write_errors_total [1-9]/,
    );
  }, 120_000);

  it('writes what the journal holds when InfluxDB is configured after running without it', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influxd = await startTestInfluxd(dir);
    const journalOnly = await startIngest(testConfig(dir, broker.mqttUrl));
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const acked = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === 50,
    );
    await publishVotes(box, 'test', 'box-1', votes(1, 50, Date.now() - 1000));
    await acked;
    const pendingWithout = journalOnly.health().journal.pending;
    await journalOnly.stop();

    // Act
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'later',
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());

    // Assess
    expect(pendingWithout).toBe(50);
    await eventually(async () => {
      const rows = await influxRows(influxd.url, 'later', 'SELECT count(value) FROM vote');
      return rows[0]?.count === 50 ? true : undefined;
    });
  });

  it('writes its own health as the ingest measurement with integer fields', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influxd = await startTestInfluxd(dir);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'health',
    });
    const ingest = await startIngest(config, { statsEveryMs: 200 });
    onTestFinished(() => ingest.stop());
    const box = await connectAs(broker.mqttUrl, 'box-1');

    // Act
    await publishVotes(box, 'test', 'box-1', [
      ...votes(1, 3, Date.now() - 1000),
      ...votes(5, 1, Date.now() - 1000),
    ]);
    await box.publishAsync(topics.vote('test', 'box-1'), 'not json', { qos: 1 });

    // Assess
    const row = await eventually(async () => {
      const rows = await influxRows(
        influxd.url,
        'health',
        'SELECT * FROM ingest ORDER BY time DESC LIMIT 1',
      );
      return rows[0]?.accepted === 4 && rows[0]?.invalid === 1 ? rows[0] : undefined;
    });
    expect(row).toMatchObject({ event: 'test', accepted: 4, duplicates: 0, invalid: 1, gaps: 1 });
    const types = await influxRows(influxd.url, 'health', 'SHOW FIELD KEYS FROM ingest');
    expect(types.every((t) => t.fieldType === 'integer')).toBe(true);
    expect(types.map((t) => t.fieldKey).sort()).toEqual([
      'accepted',
      'duplicates',
      'gaps',
      'invalid',
      'lag_ms',
      'pending',
    ]);
  });

  it('skips a batch InfluxDB refuses for good instead of retrying it forever', async () => {
    // Prepare: `value` already exists as a float in this week's shard, so integer votes conflict
    // (HTTP 400: InfluxDB 1.x checks field types per shard).
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const influxd = await startTestInfluxd(dir);
    await new InfluxClient({ url: influxd.url, database: 'conflict' }).admin.createDatabase(
      'conflict',
    );
    // Raw line protocol: the client's schema would write the float as an integer.
    await fetch(`${influxd.url}/write?db=conflict&precision=ms`, {
      method: 'POST',
      body: `vote,device=old value=0.5 ${Date.now() - 1000}`,
    });
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'conflict',
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());
    const box = await connectAs(broker.mqttUrl, 'box-1');

    // Act
    await publishVotes(box, 'test', 'box-1', votes(1, 5, Date.now() - 1000));

    // Assess
    const metrics = await eventually(async () => {
      const text = await ingest.metrics.metrics();
      return /likebox_ingest_influx_points_rejected_total [1-9]/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/likebox_ingest_influx_write_errors_total [1-9]/);
    await eventually(() => (ingest.health().journal.pending === 0 ? true : undefined));
  });
});
