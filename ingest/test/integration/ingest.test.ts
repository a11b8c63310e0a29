import { readFile, writeFile } from 'node:fs/promises';
import { filters, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  basicAuth,
  connectAs,
  eventually,
  INGEST_LINKS,
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

describe.each(INGEST_LINKS)('startIngest $link', ({ start: ingestOn }) => {
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
