import { topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import {
  connectAs,
  eventually,
  INGEST_LINKS,
  influxRows,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  testConfig,
  waitForMessage,
  writeSchedule,
} from './harness.js';

/*
 * A box's clock and retained state as the ingest reads them: the offset of its heartbeat re-times
 * an unsynced vote; configs and statuses retained before the ingest started are taken.
 */

describe.each(INGEST_LINKS)(
  'startIngest $link, box clocks and retained state',
  ({ start: ingestOn }) => {
    it('re-times an unsynced vote by the offset of the box heartbeat and records the device', async () => {
      // Prepare
      const dir = await tempDir();
      const broker = await startTestBroker(dir, ['box-1']);
      const influxd = await startTestInfluxd(dir);
      const config = testConfig(dir, broker.mqttUrl, {
        LIKEBOX_INFLUX_URL: influxd.url,
        LIKEBOX_INFLUX_DATABASE: 'clock',
      });
      const ingest = await ingestOn(broker, config);
      const box = await connectAs(broker.mqttUrl, 'box-1');
      const skew = 3 * 86_400_000; // the box clock is three days behind
      const status = {
        online: true,
        outbox: 1,
        version: '1.0.0',
        uptime: 12,
        at: Date.now() - skew,
        synced: false,
        room: 'amphi',
      };

      // Act
      await box.publishAsync(topics.status('test', 'box-1'), JSON.stringify(status), {
        qos: 1,
        retain: true,
      });
      await eventually(async () => {
        const rows = await influxRows(influxd.url, 'clock', 'SELECT * FROM device');
        return rows.length > 0 ? rows : undefined;
      });
      const pressedAt = Date.now() - 5000;
      const vote = { seq: 1, value: 1, at: pressedAt - skew, room: 'amphi', synced: false };
      await box.publishAsync(topics.vote('test', 'box-1'), JSON.stringify(vote), { qos: 1 });

      // Assess
      const [stored] = await eventually(async () => {
        const rows = await influxRows(influxd.url, 'clock', 'SELECT * FROM vote');
        return rows.length > 0 ? rows : undefined;
      });
      const storedMs = Number(BigInt(stored?.time as number) / 1_000_000n);
      expect(Math.abs(storedMs - pressedAt)).toBeLessThan(2000);
      const [device] = await influxRows(influxd.url, 'clock', 'SELECT * FROM device');
      expect(device).toMatchObject({
        device: 'box-1',
        room: 'amphi',
        online: true,
        outbox: 1,
        synced: false,
      });
      expect(Math.abs(Number(device?.clock_offset_ms) - skew)).toBeLessThan(2000);
      expect(await ingest.metrics.metrics()).toMatch(
        /likebox_ingest_votes_retimed_total\{reason="offset"\} 1/,
      );
    });

    it('takes the retained configs and statuses already in the broker when it starts', async () => {
      // Prepare: an organiser put box-1 in the lab; box-1 left a status from a clock 3 days behind.
      const dir = await tempDir();
      const broker = await startTestBroker(dir, ['box-1']);
      const organiser = await connectAs(broker.mqttUrl, 'organiser');
      const box = await connectAs(broker.mqttUrl, 'box-1');
      const retain = { qos: 1, retain: true } as const;
      await organiser.publishAsync(topics.config('test', 'box-1'), '{"room":"lab"}', retain);
      const stale = {
        online: true,
        outbox: 0,
        version: '1',
        uptime: 1,
        at: Date.now() - 3 * 86_400_000,
      };
      await box.publishAsync(topics.status('test', 'box-1'), JSON.stringify(stale), retain);
      const config = testConfig(dir, broker.mqttUrl, {
        LIKEBOX_SCHEDULE_FILE: await writeSchedule(dir, Date.now() - 20 * 60_000),
      });
      const ingest = await ingestOn(broker, config);
      const acked = waitForMessage<{ seq: number }>(
        organiser,
        topics.ack('test', 'box-1'),
        (a) => a.seq === 1,
      );

      // Act: a vote from a room the schedule does not know, pressed on an unsynced clock.
      const vote = { seq: 1, value: 1, at: Date.now() - 1000, room: 'hallway', synced: false };
      await box.publishAsync(topics.vote('test', 'box-1'), JSON.stringify(vote), { qos: 1 });
      await acked;

      // Assess: the room came from the retained config; the retained status was no heartbeat.
      const metrics = await ingest.metrics.metrics();
      expect(metrics).toMatch(/likebox_ingest_votes_room_check_total\{check="from-config"\} 1/);
      expect(metrics).toMatch(/likebox_ingest_votes_retimed_total\{reason="arrival"\} 1/);
    });
  },
);
