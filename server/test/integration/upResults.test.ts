import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodePayload, encodePayload, filters, type Result, topics } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIKEBOX, type RunningUpProcess, startUpProcess, upEnv } from '../../src/testing.js';
import { likebox } from '../support/allCommands.js';

const run = promisify(execFile);
const EVENT = 'res';
/** A talk id with a `/`: the topic level percent-encodes it. */
const CLOSING = 'ends/soon';
const OPEN = 'open-1';
const MIN = 60_000;

function schedule(closingEnd: number) {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  const talk = (id: string, room: string, start: number, end: number) => ({
    ...{ id, room, start: iso(start), end: iso(end), title: `Talk ${id}` },
    ...{ speakers: ['Ada'], format: 'talk', votable: true },
  });
  return {
    ...{ version: 1, event: EVENT, name: 'Results', timeZone: 'Europe/Paris' },
    rooms: [
      { slug: 'amphi', name: 'Amphi' },
      { slug: 'lab', name: 'Lab' },
    ],
    talks: [
      talk(CLOSING, 'amphi', now - 30 * MIN, closingEnd),
      talk(OPEN, 'lab', now - MIN, now + 60 * MIN),
    ],
    windows: { default: { openAfterStart: 0, closeAfterEnd: 0 }, byFormat: {} },
  };
}

async function users(env: NodeJS.ProcessEnv, name: string, role: string) {
  const args = [LIKEBOX, 'users', 'add', name, '--role', role, '--password', `${name}-secret-pw`];
  await run(process.execPath, args, { env, cwd: env.LIKEBOX_DATA_DIR });
}

async function client(up: RunningUpProcess, user: string, password = `${user}-secret-pw`) {
  const c = await mqtt.connectAsync(up.summary.mqttUrl, {
    ...{ protocolVersion: 4, username: user, password, clientId: `${user}-${Date.now()}` },
  });
  onTestFinished(() => c.endAsync());
  return c;
}

interface Sent {
  seq: number;
  value: 1 | -1;
  room: string;
  at: number;
}

async function vote(box: mqtt.MqttClient, sent: Sent) {
  const payload = encodePayload('vote', { ...sent, epoch: 'e1', synced: true });
  await box.publishAsync(topics.vote(EVENT, 'box-1'), payload, { qos: 1 });
}

/** The retained ack of box-1 has reached `seq`: every vote up to it is in the journal. */
async function acked(up: RunningUpProcess, seq: number) {
  const box = await client(up, 'box-1');
  const seen = { seq: 0 };
  box.on('message', (_t, payload) => {
    const decoded = decodePayload('ack', payload);
    if (decoded.success) seen.seq = decoded.data.seq;
  });
  await box.subscribeAsync(topics.ack(EVENT, 'box-1'), { qos: 1 });
  await eventually(() => (seen.seq >= seq ? true : undefined));
  await box.endAsync();
}

/** The parts of the API's answers this test reads. */
interface ApiBody {
  error?: string;
  talk?: unknown;
  figures?: Record<string, number | null>;
  sealed?: unknown;
  walkOut?: { beforeEnd: number };
  curve?: { points: { likes: number; dislikes: number }[] };
  talks?: { id: string; rank: number | null; likes: number | null }[];
}

async function api(up: RunningUpProcess, path: string) {
  const response = await fetch(new URL(`/api/v1/${path}`, up.summary.httpUrl));
  return { status: response.status, body: (await response.json()) as ApiBody };
}

/** The digest recomputed from the votes this test sent, as the contract defines it. */
function digestOf(sent: Sent[]): string {
  const lines = [...sent]
    .sort((a, b) => a.seq - b.seq)
    .map((v) => `box-1\te1\t${v.seq}\t${v.value}\n`)
    .join('');
  return createHash('sha256').update(lines).digest('hex');
}

describe('likebox up results', { timeout: 240_000 }, () => {
  it('serves figures equal to the journal without InfluxDB, across a restart; seals and re-seals a talk; takes a headcount from likebox results headcount', async () => {
    // Prepare
    const dataDir = await tempDir('likebox-results-');
    const scheduleFile = join(dataDir, 'schedule.json');
    await writeFile(scheduleFile, JSON.stringify(schedule(Date.now() + 60 * MIN)));
    const env = upEnv(dataDir, {
      ...{ LIKEBOX_EVENT: EVENT, LIKEBOX_SCHEDULE_FILE: scheduleFile, LIKEBOX_INFLUXD: 'off' },
      LIKEBOX_RESULTS_MIN_VOTES: '3',
    });
    await users(env, 'box-1', 'device');
    await users(env, 'orga', 'organiser');
    let up = await startUpProcess(env);
    const box = await client(up, 'box-1');
    const now = Date.now();
    const sent: Sent[] = [];
    for (let seq = 1; seq <= 12; seq++) {
      const room = seq <= 7 ? 'amphi' : 'lab';
      sent.push({ seq, value: seq % 4 === 0 ? -1 : 1, room, at: now - 1000 + seq });
    }

    // Act: votes through MQTT, a headcount, then the closing talk's window ends in 2 s.
    for (const v of sent) await vote(box, v);
    await acked(up, 12);
    const asOrganiser = {
      ...{ LIKEBOX_EVENT: EVENT, LIKEBOX_MQTT_URL: up.summary.mqttUrl },
      ...{ LIKEBOX_MQTT_USERNAME: 'orga', LIKEBOX_MQTT_PASSWORD: 'orga-secret-pw' },
    };
    const refused = await likebox(['results', 'headcount', 'nope', '3'], dataDir, asOrganiser);
    const entered = await likebox(['results', 'headcount', CLOSING, '14'], dataDir, asOrganiser);
    const closes = Date.now() + 2000;
    await writeFile(scheduleFile, JSON.stringify(schedule(closes)));
    const publicReader = await client(
      up,
      'live-page',
      JSON.parse(await readFile(join(dataDir, 'up-credentials.json'), 'utf8')).passwords[
        'live-page'
      ],
    );
    const results: Result[] = [];
    publicReader.on('message', (_t, payload) => {
      const decoded = decodePayload('result', payload);
      if (decoded.success) results.push(decoded.data);
    });
    const granted = await publicReader.subscribeAsync(filters.talk(EVENT, '+', '+', 'result'), {
      qos: 1,
    });
    const first = await eventually(() => results.find((r) => r.talk === CLOSING), 60_000);
    const late: Sent = { seq: 13, value: -1, room: 'amphi', at: closes - 500 };
    await vote(box, late);
    const resealed = await eventually(() => results.find((r) => r.count === 8), 60_000);
    const talk = await eventually(async () => {
      const answer = await api(up, `talks/${encodeURIComponent(CLOSING)}`);
      return answer.body.figures?.headcount === 14 ? answer : undefined;
    });
    const ranking = await api(up, 'results?min=3');
    const csv = await (await fetch(new URL('/api/v1/votes.csv', up.summary.httpUrl))).text();
    const unknown = await api(up, 'talks/nope');
    up.child.kill('SIGTERM');
    await up.exited;
    const journal = new Database(join(dataDir, 'ingest-journal.sqlite'), { readonly: true });
    const counted = journal
      .prepare(
        `SELECT talk, sum(value = 1) AS likes, sum(value = -1) AS dislikes FROM votes
         WHERE flag IS NULL GROUP BY talk ORDER BY talk`,
      )
      .all();
    journal.close();
    up = await startUpProcess(env);
    const afterRestart = await api(up, `talks/${encodeURIComponent(CLOSING)}`);
    const rankingAfter = await api(up, 'results?min=3');

    // Assess
    const closing = sent.filter((v) => v.room === 'amphi');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown talk "nope"');
    expect(entered.code).toBe(0);
    expect(granted[0]?.qos).toBe(1); // the public role reads sealed results
    expect(first).toMatchObject({
      likes: 6,
      dislikes: 1,
      votes: 7,
      count: 7,
      digest: digestOf(closing),
    });
    expect(resealed).toMatchObject({ likes: 6, dislikes: 2, votes: 8, count: 8 });
    expect(resealed.digest).toBe(digestOf([...closing, late]));
    expect(counted).toEqual([
      { talk: CLOSING, likes: 6, dislikes: 2 },
      { talk: OPEN, likes: 3, dislikes: 2 },
    ]);
    expect(talk.body.figures).toMatchObject({ likes: 6, dislikes: 2, votes: 8, headcount: 14 });
    expect(talk.body.figures?.participation).toBeCloseTo(8 / 14, 12);
    expect(talk.body.talk).toMatchObject({
      id: CLOSING,
      room: { slug: 'amphi', name: 'Amphi' },
      state: 'closed',
    });
    expect(talk.body.sealed).toEqual({ digest: resealed.digest, at: resealed.at });
    expect(talk.body.walkOut?.beforeEnd).toBe(8);
    expect(talk.body.curve?.points.at(-1)).toMatchObject({ likes: 6, dislikes: 2 });
    expect(afterRestart.body.figures).toEqual(talk.body.figures);
    expect(rankingAfter.body.talks).toEqual(ranking.body.talks);
    expect(ranking.body.talks?.map((t) => [t.id, t.rank, t.likes])).toEqual([
      [CLOSING, 1, 6],
      [OPEN, 2, 3],
    ]);
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 13);
    expect(csv).not.toContain('box-1');
    expect(unknown).toEqual({ status: 404, body: { error: 'unknown talk', talk: 'nope' } });
  });
});
