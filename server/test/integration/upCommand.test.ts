import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  decodePayload,
  encodePayload,
  filters,
  parseTopic,
  ScheduleIndex,
  SchedulePayload,
  type Tally,
  topics,
} from '@likebox/protocol';
import { eventually, tempDir as runtimeTempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIKEBOX, startUpProcess, upEnv } from '../../src/testing.js';
import type { UpSummary } from '../../src/up.js';

const run = promisify(execFile);
/** Each test starts real processes (node, influxd, mosquitto clients) on a shared, busy machine. */
const UP_TEST_TIMEOUT_MS = 120_000;

const tempDir = () => runtimeTempDir('likebox-up-');

function portOf(url: string): string {
  return new URL(url).port;
}

/** `mosquitto_sub -C 1` on a retained topic: its payload, parsed. */
async function retained(summary: UpSummary, topic: string, user: string, password: string) {
  const { stdout } = await run('mosquitto_sub', [
    ...['-h', '127.0.0.1', '-p', portOf(summary.mqttUrl), '-V', 'mqttv311'],
    ...['-u', user, '-P', password, '-t', topic, '-C', '1', '-W', '45'],
  ]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Follows tallies as the live page does until one satisfies `accept` (votes arrive over time). */
async function tallyWhere(
  summary: UpSummary,
  password: string,
  accept: (tally: Tally, room: string) => boolean,
): Promise<Tally> {
  const client = await mqtt.connectAsync(summary.mqttUrl, {
    protocolVersion: 4,
    username: 'live-page',
    password,
  });
  onTestFinished(() => client.endAsync());
  const found = new Promise<Tally>((resolve) => {
    client.on('message', (topic, payload) => {
      const parsed = parseTopic(topic);
      if (parsed?.kind !== 'tally') return;
      const decoded = decodePayload('tally', payload);
      if (decoded.success && accept(decoded.data, parsed.room)) resolve(decoded.data);
    });
  });
  await client.subscribeAsync(filters.room('demo', '+', 'tally'), { qos: 1 });
  return found;
}

/** Votes in InfluxDB once the writer has written (or backfilled) them: polls for up to 45 s. */
async function influxCount(url: string): Promise<number> {
  const q = encodeURIComponent('SELECT count(value) FROM vote');
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/query?db=likebox&q=${q}`);
    const body = (await response.json()) as {
      results: { series?: { values: [string, number][] }[] }[];
    };
    const count = body.results[0]?.series?.[0]?.values[0]?.[1];
    if (count !== undefined) return count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 0;
}

async function addDevice(env: NodeJS.ProcessEnv, name: string, password: string) {
  await run(
    process.execPath,
    [LIKEBOX, 'users', 'add', name, '--role', 'device', '--password', password],
    {
      env,
      cwd: env.LIKEBOX_DATA_DIR,
    },
  );
}

/** A room of the replayed demo programme whose talk takes votes now (and longest from now). */
async function liveRoom(summary: UpSummary): Promise<string> {
  const schedule = SchedulePayload.parse(JSON.parse(await readFile(summary.scheduleFile!, 'utf8')));
  const index = new ScheduleIndex(schedule);
  const now = Date.now();
  const live = schedule.rooms
    .map((room) => ({ room: room.slug, talk: index.talkAt(room.slug, now) }))
    .filter((entry) => entry.talk !== null)
    .sort((a, b) => b.talk!.window.closes - a.talk!.window.closes);
  return live[0]!.room;
}

async function publishVote(summary: UpSummary, device: string, password: string, room: string) {
  const vote = encodePayload('vote', { seq: 1, value: 1, at: Date.now(), room, synced: true });
  await run('mosquitto_pub', [
    ...['-h', '127.0.0.1', '-p', portOf(summary.mqttUrl), '-V', 'mqttv311', '-q', '1'],
    ...['-i', device, '-u', device, '-P', password, '-t', topics.vote('demo', device), '-m', vote],
  ]);
}

describe('likebox up', { timeout: UP_TEST_TIMEOUT_MS }, () => {
  it('takes a mosquitto_pub vote into the journal, the retained tally and the managed InfluxDB, then exits cleanly on SIGINT', async () => {
    // Prepare
    const dataDir = await tempDir();
    const env = upEnv(dataDir);
    const up = await startUpProcess(env);
    await addDevice(env, 'box-1', 'box-1-secret-pw');
    const credentials = JSON.parse(await readFile(join(dataDir, 'up-credentials.json'), 'utf8'));
    const livePage = credentials.passwords['live-page'] as string;

    // Act
    const room = await liveRoom(up.summary);
    await publishVote(up.summary, 'box-1', 'box-1-secret-pw', room);
    const ack = await retained(up.summary, topics.ack('demo', 'box-1'), 'box-1', 'box-1-secret-pw');
    const tally = await tallyWhere(up.summary, livePage, (t, r) => r === room && t.likes > 0);
    const stored = await influxCount(up.summary.influxUrl!);
    const health = await fetch(new URL('/healthz', up.summary.httpUrl));
    const page = await fetch(up.summary.httpUrl);
    // Ctrl-C under `npm start`: the terminal's SIGINT and npm's forwarded copy.
    up.child.kill('SIGINT');
    up.child.kill('SIGINT');
    const { code, messages } = await up.exited;
    const journal = new Database(join(dataDir, 'ingest-journal.sqlite'), { readonly: true });
    onTestFinished(() => {
      journal.close();
    });
    const journalled = journal.prepare('SELECT device, seq, value FROM votes').all();

    // Assess
    expect(up.summary.influx).toBe('managed');
    expect(up.summary.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(up.summaryLine).toMatch(/^likebox up: event demo \| MQTT mqtt:\/\/127\.0\.0\.1:\d+ \|/);
    expect(up.summary.createdUsers).toEqual(['live-page']);
    expect(journalled).toEqual([{ device: 'box-1', seq: 1, value: 1 }]);
    expect(ack).toEqual({ seq: 1, epoch: '' }); // acked = durably in the journal (legacy epoch)
    expect(tally).toMatchObject({ likes: 1, dislikes: 0 }); // retained, as the live page reads it
    expect(stored).toBe(1);
    expect(health.status).toBe(200);
    expect(page.status).toBe(200);
    expect(code).toBe(0);
    expect(messages.at(-1)).toBe('stopped');
  });

  it('runs on its journal alone without InfluxDB and backfills once a managed influxd is there', async () => {
    // Prepare
    const dataDir = await tempDir();
    const journalOnly = await startUpProcess(upEnv(dataDir, { LIKEBOX_INFLUXD: 'off' }));
    await addDevice(upEnv(dataDir), 'box-2', 'box-2-secret-pw');
    await publishVote(journalOnly.summary, 'box-2', 'box-2-secret-pw', 'groix');
    await retained(journalOnly.summary, topics.ack('demo', 'box-2'), 'box-2', 'box-2-secret-pw');
    journalOnly.child.kill('SIGTERM');
    const first = await journalOnly.exited;

    // Act
    const withInflux = await startUpProcess(upEnv(dataDir));
    const stored = await influxCount(withInflux.summary.influxUrl!);
    withInflux.child.kill('SIGINT');
    const second = await withInflux.exited;

    // Assess
    expect(journalOnly.summary.influx).toBe('none');
    expect(journalOnly.summaryLine).toContain('InfluxDB none (LIKEBOX_INFLUXD=off)');
    expect(first.code).toBe(0);
    expect(withInflux.summary.createdUsers).toEqual([]); // the first run's accounts are kept
    expect(stored).toBe(1);
    expect(second.code).toBe(0);
  });

  it('runs simulated boxes on the demo programme with --simulate, whose votes reach the tallies', async () => {
    // Prepare
    const dataDir = await tempDir();
    const up = await startUpProcess(upEnv(dataDir, { LIKEBOX_INFLUXD: 'off' }), [
      '--simulate',
      '2',
    ]);
    const credentials = JSON.parse(await readFile(join(dataDir, 'up-credentials.json'), 'utf8'));

    // Act: the first box stands in a room whose talk takes votes; its first burst starts at once.
    const tally = await tallyWhere(
      up.summary,
      credentials.passwords['live-page'],
      (t) => t.likes + t.dislikes > 0,
    );
    up.child.kill('SIGINT');
    const { code } = await up.exited;

    // Assess
    expect(up.summary.simulated).toBe(2);
    expect(up.summaryLine).toContain('| 2 simulated boxes');
    expect(up.summary.createdUsers).toEqual(['live-page', 'sim-box-1', 'sim-box-2']);
    expect(tally.talk).not.toBeNull();
    expect(code).toBe(0);
  });

  it('leaves no simulated box behind when it is killed -9', async () => {
    // Prepare: `up` runs its boxes as a child `likebox sim`
    const dataDir = await tempDir();
    const up = await startUpProcess(upEnv(dataDir, { LIKEBOX_INFLUXD: 'off' }), [
      '--simulate',
      '1',
    ]);
    const sim = await eventually(async () => {
      const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(up.child.pid)]);
      const line = stdout.split('\n').find((l) => l.includes(' sim '));
      return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0]);
    });

    // Act
    up.child.kill('SIGKILL');
    await up.exited;

    // Assess: the box process sees its IPC channel close and stops by itself
    const gone = await eventually(() => {
      try {
        process.kill(sim, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 15_000);
    expect(gone).toBe(true);
  });

  it('refuses to start on a bad configuration, listing every problem of up, its broker and its ingest', async () => {
    // Prepare
    const dataDir = await tempDir();
    const args = [
      'up',
      '--mqtt-port',
      'nope',
      '--influxd',
      'maybe',
      '--influx-retention',
      'forever',
      '--messages-per-second',
      'many',
    ];

    // Act
    const result = await run(process.execPath, [LIKEBOX, ...args], {
      env: upEnv(dataDir),
      cwd: dataDir,
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

    // Assess
    expect(result.code).toBe(1);
    const fatal = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      msg: string;
      err: { message: string };
    };
    expect(fatal.msg).toBe('invalid configuration');
    expect(result.stderr).toMatch(/^likebox up: invalid configuration\n/);
    const keys = ['LIKEBOX_MQTT_PORT', 'LIKEBOX_INFLUXD', 'LIKEBOX_INFLUX_RETENTION'];
    for (const key of [...keys, 'LIKEBOX_MESSAGES_PER_SECOND']) {
      expect(fatal.err.message).toContain(key);
    }
  });
});
