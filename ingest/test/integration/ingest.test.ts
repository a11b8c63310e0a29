import { readFile, writeFile } from 'node:fs/promises';
import type { RunningBroker } from '@likebox/broker';
import { filters, topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Config } from '../../src/config.js';
import { startIngest } from '../../src/ingest.js';
import {
  basicAuth,
  connectAs,
  eventually,
  influxRows,
  PASSWORD,
  publishVotes,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  testConfig,
  votes,
  waitForMessage,
  writeSchedule,
} from './harness.js';

/** The two ways the ingest reaches the broker: `likebox ingest` and `likebox up`. */
const LINKS = [
  { link: 'over MQTT', attach: (_broker: RunningBroker) => ({}) },
  { link: 'in process', attach: (broker: RunningBroker) => ({ broker }) },
];

describe.each(LINKS)('startIngest $link', ({ attach }) => {
  /** Starts the ingest on `broker` the way this suite's link does, stopped after the test. */
  async function ingestOn(broker: RunningBroker, config: Config) {
    const ingest = await startIngest(config, attach(broker));
    onTestFinished(() => ingest.stop());
    return ingest;
  }

  it('stores exactly the unique votes with their tags when boxes send duplicates', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1', 'box-2']);
    const influxd = await startTestInfluxd(dir);
    const talkStart = Date.now() - 20 * 60_000;
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'unique',
      LIKEBOX_SCHEDULE_FILE: await writeSchedule(dir, talkStart),
      LIKEBOX_DEAD_LETTERS: 'organiser',
    });
    const ingest = await ingestOn(broker, config);
    const box1 = await connectAs(broker.mqttUrl, 'box-1');
    const box2 = await connectAs(broker.mqttUrl, 'box-2');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const acked = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === 300,
    );

    // Act
    const now = Date.now() - 1000;
    await publishVotes(box1, 'test', 'box-1', votes(1, 200, now));
    await publishVotes(box1, 'test', 'box-1', votes(150, 151, now)); // 150-200 again, then 201-300
    await publishVotes(box2, 'test', 'box-2', votes(1, 50, now, 'lab'));
    await publishVotes(box2, 'test', 'box-2', votes(1, 50, now, 'lab'));
    await box1.publishAsync(topics.vote('test', 'box-1'), '{"seq":"x"}', { qos: 1 });

    // Assess
    expect((await acked).seq).toBe(300);
    const rows = await eventually(async () => {
      const found = await influxRows(influxd.url, 'unique', 'SELECT * FROM vote');
      return found.length >= 350 ? found : undefined;
    });
    expect(rows).toHaveLength(350);
    const box1Rows = rows.filter((r) => r.device === 'box-1');
    expect(new Set(box1Rows.map((r) => r.seq)).size).toBe(300);
    expect(box1Rows.every((r) => r.room === 'amphi' && r.talk === 't1' && r.event === 'test')).toBe(
      true,
    );
    expect(rows.filter((r) => r.device === 'box-2').every((r) => r.talk === 'none')).toBe(true);
    const health = await fetch(`${ingest.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: {
        mqtt: { status: 'ok', connected: true },
        influx: { status: 'ok', configured: true, reachable: true },
        journal: { status: 'ok', pending: 0, gaps: 0 },
      },
    });
    const metrics = await (await fetch(`${ingest.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/likebox_ingest_votes_accepted_total 350/);
    const organiser = basicAuth('organiser', PASSWORD);
    const deadLetters = await fetch(`${ingest.httpUrl}/dead-letters`, {
      headers: { authorization: organiser },
    });
    const dead = (await deadLetters.json()) as {
      payload: string;
    }[];
    expect(dead).toMatchObject([{ topic: topics.vote('test', 'box-1'), payload: '{"seq":"x"}' }]);
    expect(metrics).toMatch(/likebox_ingest_votes_duplicate_total 101/);
    expect(metrics).toMatch(
      /likebox_ingest_messages_invalid_total\{kind="vote",reason="schema"\} 1/,
    );
  });

  it('publishes the tally, the public stream and now when votes arrive in a talk window', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_SCHEDULE_FILE: await writeSchedule(dir, Date.now() - 20 * 60_000),
    });
    const ingest = await ingestOn(broker, config);
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const publicVotes: unknown[] = [];
    await watcher.subscribeAsync(filters.room('test', 'amphi', 'votes'));
    watcher.on('message', (topic, payload) => {
      if (topic === topics.votes('test', 'amphi')) publicVotes.push(JSON.parse(payload.toString()));
    });
    const tally = waitForMessage<{ talk: string; likes: number; dislikes: number }>(
      watcher,
      topics.tally('test', 'amphi'),
      (t) => t.likes + t.dislikes === 4,
    );

    // Act
    await publishVotes(box, 'test', 'box-1', votes(1, 4, Date.now() - 500));
    const now = await waitForMessage<{ talk: { id: string } | null }>(
      watcher,
      topics.now('test', 'amphi'),
      () => true,
    );

    // Assess
    expect(await tally).toMatchObject({ talk: 't1', likes: 2, dislikes: 2 });
    expect(now.talk?.id).toBe('t1');
    await eventually(async () => (publicVotes.length === 4 ? true : undefined));
    expect(publicVotes[0]).toMatchObject({ talk: 't1' });
    expect(Object.keys(publicVotes[0] as object).sort()).toEqual(['at', 'talk', 'value']);
    expect(ingest.health()).toMatchObject({ status: 'ok', influx: { configured: false } });
  });

  it('republishes schedule and now when an organiser declares a room late and the file changes', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const file = await writeSchedule(dir, Date.now() + 3_600_000);
    await ingestOn(broker, testConfig(dir, broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: file }));
    const organiser = await connectAs(broker.mqttUrl, 'organiser');
    type Sched = { delays?: Record<string, { minutes: number }>; talks: { title: string }[] };
    const delayed = waitForMessage<Sched>(
      organiser,
      topics.schedule('test'),
      (s) => s.delays?.amphi?.minutes === 10,
    );
    const nowDelayed = waitForMessage<{ delay: number }>(
      organiser,
      topics.now('test', 'amphi'),
      (n) => n.delay === 10,
    );

    // Act
    await organiser.publishAsync(topics.delay('test', 'amphi'), JSON.stringify({ minutes: 10 }), {
      qos: 1,
    });
    await delayed;
    await nowDelayed;
    const text = (await readFile(file, 'utf8')).replace('Talk one', 'Talk one, revised');
    const reloaded = waitForMessage<Sched>(organiser, topics.schedule('test'), (s) =>
      s.talks.some((t) => t.title === 'Talk one, revised'),
    );
    await writeFile(file, text);

    // Assess
    const schedule = await reloaded;
    expect(schedule.delays?.amphi?.minutes).toBe(10);
  });

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

  it('acks only up to a missing seq and reports the gap until the box sends it', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const ingest = await ingestOn(broker, testConfig(dir, broker.mqttUrl));
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const at = Date.now() - 1000;

    // Act
    const firstAck = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === 2,
    );
    await publishVotes(box, 'test', 'box-1', [...votes(1, 2, at), ...votes(4, 2, at)]);
    await firstAck;
    const gapsWhileMissing = ingest.health().journal.gaps;
    const fullAck = waitForMessage<{ seq: number }>(
      watcher,
      topics.ack('test', 'box-1'),
      (a) => a.seq === 5,
    );
    await publishVotes(box, 'test', 'box-1', votes(3, 1, at));

    // Assess
    expect(gapsWhileMissing).toBe(1);
    expect((await fullAck).seq).toBe(5);
    expect(ingest.health().journal.gaps).toBe(0);
  });
});

describe('startIngest over MQTT', () => {
  it('refuses to start when the broker rejects its credentials', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const config = testConfig(dir, broker.mqttUrl, { LIKEBOX_MQTT_PASSWORD: 'wrong-password-1' });

    // Act
    const started = startIngest(config);

    // Assess
    await expect(started).rejects.toThrow(/Not authorized|Bad username or password/);
  });
});
