import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schedule } from '@likebox/protocol';
import { topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import { freePort, startManagedInfluxd } from '../../src/managedInfluxd.js';
import {
  connectAs,
  eventually,
  influxRows,
  publishVotes,
  startTestBroker,
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
    'SELECT title, speakers, opens, closes FROM talk GROUP BY talk, room',
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

/** Publishes 31 votes in amphi (box-1) and 20 in lab (box-2) and waits for both acks. */
async function voteInBothRooms(brokerUrl: string, at: number): Promise<void> {
  const watcher = await connectAs(brokerUrl, 'organiser');
  const acked = [
    waitForMessage<{ seq: number }>(watcher, topics.ack('test', 'box-1'), (a) => a.seq === 31),
    waitForMessage<{ seq: number }>(watcher, topics.ack('test', 'box-2'), (a) => a.seq === 20),
  ];
  const [one, two] = [await connectAs(brokerUrl, 'box-1'), await connectAs(brokerUrl, 'box-2')];
  await publishVotes(one, 'test', 'box-1', votes(1, 31, at, 'amphi'));
  await publishVotes(two, 'test', 'box-2', votes(1, 20, at + 90_000, 'lab'));
  await Promise.all(acked);
}

const EXPECTED = JSON.stringify([
  ['t1', 31, -1],
  ['t2', 20, 0],
]);

describe('DashboardFeeds', () => {
  it('writes the talk points, rewrites them on reload and rolls up the votes when a schedule is loaded', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1', 'box-2']);
    const influxd = await startManagedInfluxd({ dataDir: `${dir}/influxd` });
    onTestFinished(() => influxd.stop());
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
    await voteInBothRooms(broker.mqttUrl, now - 120_000);
    await writeProgramme(dir, now, 'Talk one, renamed', 'studio');

    // Assess
    const talks = await eventually(async () => {
      const rows = await talkRows(influxd.url, 'feeds');
      return rows.get('t1@amphi')?.title === 'Talk one, renamed' && rows.size === 2
        ? rows
        : undefined;
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
    expect(pendingWhileDown).toBe(51);
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
});
