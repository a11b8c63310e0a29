import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MAX_SEQ_JUMP } from '../../src/ackTracker.js';
import { startIngest } from '../../src/ingest.js';
import {
  eventually,
  INGEST_LINKS,
  influxNumber,
  influxRows,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  testConfig,
} from './harness.js';
import { influxSeqs, journalSeqs, lossAndDoubles, range, testBox } from './scenario.js';

const NONE = { lost: 0, doubled: 0, missing: 0, extra: 0 };

describe.each(INGEST_LINKS)('vote identity $link', ({ link, start: ingestOn }) => {
  const db = link === 'over MQTT' ? 'identity_mqtt' : 'identity_local';

  async function setUp(boxes: string[]) {
    const dir = await tempDir();
    const broker = await startTestBroker(dir, boxes);
    const influxd = await startTestInfluxd(dir);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: db,
    });
    return { dir, broker, influxd, config };
  }

  it('keeps every vote of a box whose SD card was replaced when its seqs restart at 1', async () => {
    // Prepare
    const { broker, influxd, config } = await setUp(['box-1']);
    const ingest = await ingestOn(broker, config);
    const old = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
    await old.publish(1, 20);
    await eventually(async () => (old.confirmed() === 20 ? true : undefined));

    // Act: a new SD card, a new epoch, seqs from 1 again.
    const fresh = await testBox(broker.mqttUrl, 'box-1', 'z0z0z0z0z0z0');
    await fresh.publish(1, 15);
    await eventually(async () => (fresh.confirmed() === 15 ? true : undefined));
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));
    const health = ingest.health();
    await ingest.stop();

    // Assess
    for (const [box, sent] of [
      [old, range(20)],
      [fresh, range(15)],
    ] as const) {
      const stored = journalSeqs(config.journalFile, 'box-1', box.epoch);
      const written = await influxSeqs(influxd.url, db, 'box-1', box.epoch);
      expect(lossAndDoubles(sent, box.confirmed(), stored)).toEqual(NONE);
      expect(lossAndDoubles(sent, box.confirmed(), written)).toEqual(NONE);
    }
    expect(fresh.acks.at(-1)).toEqual({ seq: 15, epoch: 'z0z0z0z0z0z0' });
    expect(fresh.toldShared()).toBe(false);
    expect(health.sharedDevices).toEqual([]);
  });

  it('keeps the votes of two boxes given one id, and says the id is shared everywhere', async () => {
    // Prepare
    const { broker, influxd, config } = await setUp(['box-1']);
    const ingest = await ingestOn(broker, config);
    const first = await testBox(broker.mqttUrl, 'box-1', 'aaaaaaaaaaaa');
    const second = await testBox(broker.mqttUrl, 'box-1', 'bbbbbbbbbbbb');

    // Act: they take turns.
    for (let round = 0; round < 5; round++) {
      await first.publish(round * 4 + 1, 4);
      await second.publish(round * 3 + 1, 3);
    }
    await eventually(async () =>
      first.confirmed() === 20 && second.confirmed() === 15 ? true : undefined,
    );
    const health = ingest.health();
    const healthz = await fetch(`${ingest.httpUrl}/healthz`);
    const metrics = await (await fetch(`${ingest.httpUrl}/metrics`)).text();
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));
    const sharedPoints = await eventually(async () => {
      const q = `SELECT "shared" FROM "device" WHERE "device" = 'box-1' AND "shared" = true`;
      const rows = await influxRows(influxd.url, db, q);
      return rows.length > 0 ? rows : undefined;
    });
    await ingest.stop();

    // Assess
    for (const [box, sent] of [
      [first, range(20)],
      [second, range(15)],
    ] as const) {
      const stored = journalSeqs(config.journalFile, 'box-1', box.epoch);
      const written = await influxSeqs(influxd.url, db, 'box-1', box.epoch);
      expect(lossAndDoubles(sent, box.confirmed(), stored)).toEqual(NONE);
      expect(lossAndDoubles(sent, box.confirmed(), written)).toEqual(NONE);
      expect(box.toldShared()).toBe(true);
    }
    expect(health.sharedDevices).toEqual(['box-1']);
    expect(healthz.status).toBe(503);
    expect(await healthz.json()).toMatchObject({
      status: 'degraded',
      checks: { ingest: { status: 'degraded', sharedDevices: ['box-1'] } },
    });
    expect(metrics).toMatch(/likebox_ingest_shared_devices 1/);
    expect(metrics).toMatch(/likebox_ingest_shared_detected_total 1/);
    expect(sharedPoints).toHaveLength(1);
  });

  it('acks new votes again, not forever re-sent, when the journal was wiped', async () => {
    // Prepare
    const { dir, broker, influxd, config } = await setUp(['box-1']);
    const before = await ingestOn(broker, config);
    const box = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
    await box.publish(1, 10);
    await eventually(async () => (box.confirmed() === 10 ? true : undefined));
    await eventually(async () => (before.health().journal.pending === 0 ? true : undefined));
    await before.stop();
    for (const suffix of ['', '-wal', '-shm', '.lock']) {
      rmSync(config.journalFile + suffix, { force: true });
    }

    // Act
    const after = await ingestOn(
      broker,
      testConfig(dir, broker.mqttUrl, {
        LIKEBOX_INFLUX_URL: influxd.url,
        LIKEBOX_INFLUX_DATABASE: db,
      }),
    );
    await box.publish(11, 5);
    await eventually(async () => (box.confirmed() === 15 ? true : undefined));
    await eventually(async () => (after.health().journal.pending === 0 ? true : undefined));
    const gaps = after.health().journal.gaps;
    await after.stop();

    // Assess
    expect(journalSeqs(config.journalFile, 'box-1', box.epoch)).toEqual([11, 12, 13, 14, 15]);
    const written = await influxSeqs(influxd.url, db, 'box-1', box.epoch);
    expect(lossAndDoubles(range(15), box.confirmed(), written)).toEqual(NONE);
    expect(box.acks.at(-1)).toEqual({ seq: 15, epoch: 'k3v9x0a1b2c4' });
    expect(gaps).toBe(0);
  });

  it('keeps a vote of seq 2^53-1 aside as a dead letter without a gap or holding the ack back', async () => {
    // Prepare
    const { broker, influxd, config } = await setUp(['box-1']);
    const ingest = await ingestOn(broker, config);
    const box = await testBox(broker.mqttUrl, 'box-1');
    await box.publish(1, 5);

    // Act
    await box.publishSeq(Number.MAX_SAFE_INTEGER);
    await box.publishSeq(5 + MAX_SEQ_JUMP + 1);
    await box.publish(6, 3);
    await eventually(async () => (box.confirmed() === 8 ? true : undefined));
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));
    const health = ingest.health();
    const metrics = await (await fetch(`${ingest.httpUrl}/metrics`)).text();
    await ingest.stop();

    // Assess
    const stored = journalSeqs(config.journalFile, 'box-1', undefined);
    expect(lossAndDoubles(range(8), box.confirmed(), stored)).toEqual(NONE);
    const written = await influxNumber(influxd.url, db, 'SELECT count("value") FROM "vote"');
    expect(written).toBe(8);
    expect(health).toMatchObject({ status: 'ok', journal: { gaps: 0 } });
    expect(box.acks.at(-1)).toEqual({ seq: 8, epoch: '' });
    expect(metrics).toMatch(
      /likebox_ingest_messages_invalid_total\{kind="vote",reason="implausible-seq"\} 2/,
    );
  });
});

describe('vote identity across a restart', () => {
  it('republishes each device ack with its epoch when it starts again on its journal', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const config = testConfig(dir, broker.mqttUrl);
    const first = await startIngest(config);
    const box = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
    await box.publish(1, 3);
    await eventually(async () => (box.confirmed() === 3 ? true : undefined));
    await first.stop();
    const seen = box.acks.length;

    // Act
    const again = await startIngest(config);
    onTestFinished(() => again.stop());
    await eventually(async () => (box.acks.length > seen ? true : undefined));

    // Assess
    expect(box.acks.slice(seen)).toEqual([{ seq: 3, epoch: 'k3v9x0a1b2c4' }]);
  });
});
