import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startManagedInfluxd } from '@likebox/influx';
import {
  type Now,
  type Result,
  type Schedule,
  type Tally,
  topics,
  type Vote,
} from '@likebox/protocol';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  connectAs,
  eventually,
  influxRows,
  PASSWORD,
  publishVotes,
  spawnIngest,
  startTestBroker,
  startTestInfluxd,
  tempDir,
  testConfig,
  waitForMessage,
} from './harness.js';

const MIN = 60_000;
const DB = 'moves';

/**
 * Room amphi: t1 from `start` for an hour, t2 right after it (vote windows [+10, +75) and
 * [+70, +135) min from `start`, the later one winning their overlap).
 */
async function writeTwoTalks(dir: string, start: number): Promise<string> {
  const schedule: Schedule = {
    ...{ version: 1, event: 'test', name: 'Test', timeZone: 'UTC' },
    rooms: [{ slug: 'amphi', name: 'Amphi' }],
    talks: ['t1', 't2'].map((id, i) => ({
      ...{ id, room: 'amphi', title: id, speakers: ['Ada'], format: 'Talk', votable: true },
      start: new Date(start + i * 60 * MIN).toISOString(),
      end: new Date(start + (i + 1) * 60 * MIN).toISOString(),
    })),
  };
  const file = join(dir, 'schedule.json');
  await writeFile(file, JSON.stringify(schedule));
  return file;
}

/** `n` votes from seq `from`, alternately +1 and -1, pressed `gapMs` apart from `at`. */
function paced(from: number, n: number, at: number, gapMs: number): Vote[] {
  return Array.from({ length: n }, (_, i) => ({
    ...{ seq: from + i, value: (i % 2 === 0 ? 1 : -1) as 1 | -1 },
    ...{ at: at + i * gapMs, room: 'amphi', synced: true },
  }));
}

/** The boxes of the exit burst: a vote each way, as people leaving (no misuse pattern). */
const EXIT = Array.from({ length: 10 }, (_, i) => `exit-${i + 1}`);

/**
 * t1 started 2 h ago and t2 ends now; the room ran 15 min late, so t1's exit burst (20 votes, 76–79
 * min after t1's start) fell into t2's window: 10 votes in t1, 20 + 10 in t2 as cast.
 */
async function chain(dir: string) {
  const start = Math.floor(Date.now() / MIN) * MIN - 120 * MIN;
  const broker = await startTestBroker(dir, ['box-1', 'box-2', ...EXIT]);
  const influxd = await startTestInfluxd(dir);
  const env = {
    LIKEBOX_SCHEDULE_FILE: await writeTwoTalks(dir, start),
    LIKEBOX_INFLUX_URL: influxd.url,
    LIKEBOX_INFLUX_DATABASE: DB,
    LIKEBOX_INFLUX_RETENTION_POLICY: 'votes',
    LIKEBOX_INFLUX_RETENTION: '520w',
  };
  const organiser = await connectAs(broker.mqttUrl, 'organiser');
  const cast = async () => {
    const box1 = await connectAs(broker.mqttUrl, 'box-1');
    await publishVotes(box1, 'test', 'box-1', paced(1, 10, start + 30 * MIN, 1000));
    for (const [i, device] of EXIT.entries()) {
      const box = await connectAs(broker.mqttUrl, device);
      await publishVotes(box, 'test', device, paced(1, 2, start + 76 * MIN + i * 20_000, 5000));
    }
    const box2 = await connectAs(broker.mqttUrl, 'box-2');
    await publishVotes(box2, 'test', 'box-2', paced(1, 10, start + 100 * MIN, 1000));
  };
  const delay = (minutes: number) =>
    organiser.publishAsync(
      topics.delay('test', 'amphi'),
      JSON.stringify({ minutes, at: start + 60 * MIN }),
      { qos: 1 },
    );
  /** Stops InfluxDB, declares 15 min late, and resolves once the ingest applied it (`now`). */
  const delayWhileInfluxDown = async () => {
    await influxd.stop();
    await delay(15);
    await waitForMessage<Now>(organiser, topics.now('test', 'amphi'), (n) => n.delay === 15);
  };
  /** Starts InfluxDB again, on its data and port. */
  const restartInflux = async () => {
    const again = await startManagedInfluxd({ dataDir: `${dir}/influxd`, port: influxd.port });
    onTestFinished(() => again.stop());
    return again;
  };
  return { broker, influxd, env, cast, delay, delayWhileInfluxDown, restartInflux };
}

/** A query's first number per talk (`GROUP BY talk`). */
async function perTalk(url: string, q: string): Promise<Record<string, number>> {
  const rows = await influxRows(url, DB, `${q} GROUP BY "talk"`);
  return Object.fromEntries(
    rows.map((row) => [String(row.talk), Number(row.count ?? row.sum ?? 0)]),
  );
}

/** Distinct presses (device, seq) per talk in `vote`, and how many points repeat one elsewhere. */
async function presses(url: string) {
  const rows = await influxRows(
    url,
    DB,
    `SELECT "seq", "device", "talk" FROM "${DB}"."votes"."vote"`,
  );
  const byTalk: Record<string, Set<string>> = {};
  const all = new Set<string>();
  for (const row of rows) {
    const key = `${row.device}/${row.seq}`;
    all.add(key);
    byTalk[String(row.talk)] ??= new Set();
    byTalk[String(row.talk)]?.add(key);
  }
  const counts = Object.fromEntries(Object.entries(byTalk).map(([t, keys]) => [t, keys.size]));
  return { counts, doubled: rows.length - all.size };
}

/** What InfluxDB holds per talk: votes (`vote`), their minute totals (`vote_1m`), distinct presses. */
async function influxFigures(url: string) {
  const distinct = await presses(url);
  return {
    votes: await perTalk(url, `SELECT count(value) FROM "${DB}"."votes"."vote"`),
    minutes: await perTalk(url, 'SELECT sum(votes) FROM vote_1m'),
    presses: distinct.counts,
    doubled: distinct.doubled,
  };
}

const expected = (t1: number, t2: number) => ({
  votes: { t1, t2 },
  minutes: { t1, t2 },
  presses: { t1, t2 },
  doubled: 0,
});

/** Resolves once InfluxDB holds `want`; fails with what it holds after `timeoutMs`. */
async function influxShows(url: string, want: ReturnType<typeof expected>, timeoutMs = 60_000) {
  const json = JSON.stringify(want);
  const met = await eventually(
    async () => (JSON.stringify(await influxFigures(url)) === json ? true : undefined),
    timeoutMs,
  ).catch(() => false);
  if (!met) expect(await influxFigures(url)).toEqual(want);
}

describe('a delay declared after the votes were cast', () => {
  it('moves the late exit burst to its talk in the journal, the API, the retained tally and result and InfluxDB, and back on a delay of 0', async () => {
    // Prepare
    const dir = await tempDir();
    const c = await chain(dir);
    const config = testConfig(dir, c.broker.mqttUrl, c.env);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const ingest = await startIngest(config, { logger });
    let stopped = false;
    onTestFinished(() => (stopped ? undefined : ingest.stop()));
    await c.cast();
    await influxShows(c.influxd.url, expected(10, 30));
    const talk = async (id: string) =>
      (
        (await (await fetch(`${ingest.httpUrl}/api/v1/talks/${id}`)).json()) as {
          figures: { votes: number };
        }
      ).figures.votes;
    const reader = await connectAs(c.broker.mqttUrl, 'organiser', 'reader');

    // Act
    await c.delay(15);
    await influxShows(c.influxd.url, expected(30, 10));
    const result = await waitForMessage<Result>(
      reader,
      topics.result('test', 'amphi', 't1'),
      (r) => r.votes === 30,
    );
    const tally = await waitForMessage<Tally>(
      reader,
      topics.tally('test', 'amphi'),
      (t) => t.talk === 't2' && t.likes + t.dislikes === 10,
    );
    const moved = { t1: await talk('t1'), t2: await talk('t2') };
    await c.delay(0);
    await influxShows(c.influxd.url, expected(10, 30));
    await eventually(async () => ((await talk('t1')) === 10 ? true : undefined));
    const back = { t1: await talk('t1'), t2: await talk('t2') };
    await ingest.stop();
    stopped = true;

    // Assess
    expect(moved).toEqual({ t1: 30, t2: 10 });
    const declared = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'room delay declared');
    expect(declared).toMatchObject([
      { room: 'amphi', minutes: 15, moved: { 't2 → t1': 20 } },
      { room: 'amphi', minutes: 0, moved: { 't1 → t2': 20 } },
    ]);
    expect(result).toMatchObject({ talk: 't1', votes: 30, count: 30 });
    expect(tally).toMatchObject({ talk: 't2', likes: 5, dislikes: 5 });
    expect(back).toEqual({ t1: 10, t2: 30 });
    const db = new Database(config.journalFile, { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    const talks = db
      .prepare('SELECT talk, count(DISTINCT device || seq) AS n FROM votes GROUP BY talk')
      .all();
    expect(talks).toEqual([
      { talk: 't1', n: 10 },
      { talk: 't2', n: 30 },
    ]);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'influx%'").pluck().get()).toBe(
      0,
    );
  }, 180_000);

  it('keeps the InfluxDB deletions pending while InfluxDB is down and does them once it is back', async () => {
    // Prepare
    const dir = await tempDir();
    const c = await chain(dir);
    const ingest = await startIngest(testConfig(dir, c.broker.mqttUrl, c.env));
    onTestFinished(() => ingest.stop());
    await c.cast();
    await influxShows(c.influxd.url, expected(10, 30));
    await eventually(async () => (ingest.health().journal.pending === 0 ? true : undefined));

    // Act
    await c.delayWhileInfluxDown();
    const pendingWhileDown = await eventually(() => ingest.health().journal.pending || undefined);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a few failed retries
    const influxd = await c.restartInflux();

    // Assess
    expect(pendingWhileDown).toBeGreaterThan(0);
    await influxShows(influxd.url, expected(30, 10));
  }, 180_000);

  it('finishes the InfluxDB deletions and rewrites after the ingest is killed -9 right after the delay', async () => {
    // Prepare
    const dir = await tempDir();
    const c = await chain(dir);
    const env = {
      ...{ LIKEBOX_EVENT: 'test', LIKEBOX_DATA_DIR: dir, LIKEBOX_HTTP_PORT: '0' },
      ...{ LIKEBOX_MQTT_URL: c.broker.mqttUrl, LIKEBOX_MQTT_USERNAME: 'ingest' },
      ...{ LIKEBOX_MQTT_PASSWORD: PASSWORD, ...c.env },
    };
    const first = await spawnIngest(env);
    await c.cast();
    await influxShows(c.influxd.url, expected(10, 30));

    // Act: InfluxDB down, so nothing of the move reaches it before the kill.
    await c.delayWhileInfluxDown();
    first.kill('SIGKILL');
    await once(first, 'exit');
    const influxd = await c.restartInflux();
    await spawnIngest(env);

    // Assess
    await influxShows(influxd.url, expected(30, 10));
  }, 180_000);
});
