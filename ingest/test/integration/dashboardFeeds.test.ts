import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startManagedInfluxd } from '@likebox/influx';
import type { Schedule } from '@likebox/protocol';
import { topics } from '@likebox/protocol';
import type { MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type RunningIngest, startIngest } from '../../src/ingest.js';
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

const HOUR_MS = 3_600_000;

/** Two votable talks (amphi, `secondRoom`) running around `now`, and a break that is not votable. */
async function writeProgramme(
  dir: string,
  now: number,
  firstTitle = 'Talk one',
  secondRoom = 'lab',
): Promise<string> {
  const talk = (id: string, room: string, title: string, votable: boolean) => ({
    id,
    room,
    start: new Date(now - HOUR_MS / 2).toISOString(),
    end: new Date(now + HOUR_MS / 2).toISOString(),
    title,
    speakers: ['Ada', 'Grace'],
    format: 'Conférence',
    votable,
  });
  const schedule: Schedule = {
    version: 1,
    event: 'test',
    name: 'Test',
    timeZone: 'UTC',
    rooms: [
      { slug: 'amphi', name: 'Amphi' },
      { slug: 'lab', name: 'Lab' },
      { slug: 'hall', name: 'Hall' },
      { slug: 'studio', name: 'Studio' },
    ],
    talks: [
      talk('t1', 'amphi', firstTitle, true),
      talk('t2', secondRoom, 'Talk two', true),
      talk('coffee', 'hall', 'Coffee', false),
    ],
  };
  const file = join(dir, 'schedule.json');
  await writeFile(file, JSON.stringify(schedule));
  return file;
}

/** `talk` rows of the database, by `talk@room`. */
async function talkRows(url: string, db: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await influxRows(
    url,
    db,
    'SELECT title, speakers, start, opens, closes FROM talk GROUP BY talk, room',
  );
  return new Map(rows.map((row) => [`${row.talk}@${row.room}`, row]));
}

/** `[votes, net]` per talk of the rollup. */
const ROLLUP_SUMS = 'SELECT sum(votes) AS votes, sum(net) AS net FROM vote_1m GROUP BY talk';

/** `[votes, net]` per talk of the votes themselves, read from `measurement`. */
const voteSums = (measurement: string) =>
  `SELECT count(value) AS votes, sum(value) AS net FROM ${measurement} GROUP BY talk`;

/** `[talk, votes, net]` rows of a per-talk sums query, as JSON for comparison. */
async function sums(url: string, db: string, q: string): Promise<string> {
  const rows = await influxRows(url, db, q);
  return JSON.stringify(rows.map((r) => [r.talk, r.votes, r.net]).sort());
}

/**
 * Publishes 31 votes in amphi (box-1), then 10 it kept for 3 hours (pressed outside every vote
 * window: talk `none`), and 20 in lab (box-2); waits for both acks and returns the organiser client
 * that watched them.
 */
async function voteInBothRooms(brokerUrl: string, at: number): Promise<MqttClient> {
  const watcher = await connectAs(brokerUrl, 'organiser');
  const acked = [
    waitForMessage<{ seq: number }>(watcher, topics.ack('test', 'box-1'), (a) => a.seq === 41),
    waitForMessage<{ seq: number }>(watcher, topics.ack('test', 'box-2'), (a) => a.seq === 20),
  ];
  const [one, two] = [await connectAs(brokerUrl, 'box-1'), await connectAs(brokerUrl, 'box-2')];
  await publishVotes(one, 'test', 'box-1', votes(1, 31, at, 'amphi'));
  await publishVotes(one, 'test', 'box-1', votes(32, 10, at - 3 * HOUR_MS, 'amphi'));
  await publishVotes(two, 'test', 'box-2', votes(1, 20, at + 90_000, 'lab'));
  await Promise.all(acked);
  return watcher;
}

/** `[talk, votes, net]` of every talk: the leaderboard's sums, late votes included. */
const EXPECTED = JSON.stringify([
  ['none', 10, 0],
  ['t1', 31, -1],
  ['t2', 20, 0],
]);

describe('DashboardFeeds', () => {
  it('writes the talk points, rewrites them on reload and delay, and rolls up the votes, late ones included, when a schedule is loaded', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1', 'box-2']);
    const influxd = await startTestInfluxd(dir);
    const now = Date.now();
    const file = await writeProgramme(dir, now);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'feeds',
      LIKEBOX_INFLUX_RETENTION_POLICY: 'votes',
      LIKEBOX_SCHEDULE_FILE: file,
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());

    // Act
    const organiser = await voteInBothRooms(broker.mqttUrl, now - 120_000);
    await writeProgramme(dir, now, 'Talk one, renamed', 'studio');
    await organiser.publishAsync(topics.delay('test', 'amphi'), JSON.stringify({ minutes: 10 }), {
      qos: 1,
    });

    // Assess
    const talks = await eventually(async () => {
      const rows = await talkRows(influxd.url, 'feeds');
      const t1 = rows.get('t1@amphi');
      const delayed = t1?.start === now - HOUR_MS / 2 + 600_000;
      return t1?.title === 'Talk one, renamed' && delayed && rows.size === 2 ? rows : undefined;
    });
    expect([...talks.keys()].sort()).toEqual(['t1@amphi', 't2@studio']);
    expect(talks.get('t2@studio')).toMatchObject({ title: 'Talk two', speakers: 'Ada, Grace' });
    expect(Number(talks.get('t1@amphi')?.closes)).toBeGreaterThan(
      Number(talks.get('t1@amphi')?.opens),
    );
    const rollup = await eventually(async () => {
      const got = await sums(influxd.url, 'feeds', ROLLUP_SUMS);
      return got === EXPECTED ? got : undefined;
    });
    expect(rollup).toBe(await sums(influxd.url, 'feeds', voteSums('"feeds"."votes"."vote"')));
  }, 60_000);

  it('writes both measurements once InfluxDB comes up after the votes were journalled', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1', 'box-2']);
    const port = await freePort();
    const now = Date.now();
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_INFLUX_URL: `http://127.0.0.1:${port}`,
      LIKEBOX_INFLUX_DATABASE: 'late',
      LIKEBOX_SCHEDULE_FILE: await writeProgramme(dir, now),
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());
    await voteInBothRooms(broker.mqttUrl, now - 120_000);
    const pendingWhileDown = ingest.health().journal.pending;

    // Act
    const influxd = await startManagedInfluxd({ dataDir: `${dir}/influxd`, port });
    onTestFinished(() => influxd.stop());

    // Assess
    expect(pendingWhileDown).toBe(61);
    const talks = await eventually(async () => {
      const rows = await talkRows(influxd.url, 'late');
      return rows.size === 2 ? rows : undefined;
    });
    expect([...talks.keys()].sort()).toEqual(['t1@amphi', 't2@lab']);
    expect(talks.get('t1@amphi')?.title).toBe('Talk one');
    await eventually(async () =>
      (await sums(influxd.url, 'late', ROLLUP_SUMS)) === EXPECTED ? true : undefined,
    );
  }, 60_000);

  it('writes the rollup of a journal InfluxDB has never seen when the ingest starts with InfluxDB configured', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1', 'box-2']);
    const now = Date.now();
    const programme = { LIKEBOX_SCHEDULE_FILE: await writeProgramme(dir, now) };
    let journalOnly: RunningIngest | undefined = await startIngest(
      testConfig(dir, broker.mqttUrl, programme),
    );
    onTestFinished(() => journalOnly?.stop());
    await voteInBothRooms(broker.mqttUrl, now - 120_000);
    await journalOnly.stop();
    journalOnly = undefined;
    const influxd = await startTestInfluxd(dir);

    // Act
    const config = testConfig(dir, broker.mqttUrl, {
      ...programme,
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'seen',
    });
    const ingest = await startIngest(config);
    onTestFinished(() => ingest.stop());

    // Assess
    const rollup = await eventually(async () => {
      const got = await sums(influxd.url, 'seen', ROLLUP_SUMS);
      return got === EXPECTED ? got : undefined;
    });
    expect(rollup).toBe(await sums(influxd.url, 'seen', voteSums('vote')));
  }, 60_000);
});
