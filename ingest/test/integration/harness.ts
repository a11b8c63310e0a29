import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { addUser, type RunningBroker, startBroker } from '@likebox/broker';
import type { Schedule, Vote } from '@likebox/protocol';
import { topics } from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { startIngest } from '../../src/ingest.js';

export { influxNumber, influxRows, startTestInfluxd } from '@likebox/influx/testing';
export { basicAuth, eventually, tempDir } from '@likebox/runtime/testing';

/**
 * The two ways the ingest reaches the broker: over MQTT (`likebox ingest`) and in process (`likebox
 * up`). `start` starts the ingest on `broker` that way, stopped when the test finishes.
 */
export const INGEST_LINKS = [
  { link: 'over MQTT', start: (_broker: RunningBroker, config: Config) => ingestStopped(config) },
  {
    link: 'in process',
    start: (broker: RunningBroker, config: Config) => ingestStopped(config, { broker }),
  },
];

/** Starts the ingest, stopped when the test finishes. */
async function ingestStopped(config: Config, options?: { broker: RunningBroker }) {
  const ingest = await startIngest(config, options);
  onTestFinished(() => ingest.stop());
  return ingest;
}

/**
 * Password of every test user, drawn per test file: an ingest of another file that outlives its
 * broker reconnects every second to that broker's port, with the same client id
 * (`likebox-ingest-test`), and a later broker may get the port. With one password for all, it
 * would take over this file's ingest session and acknowledge votes this ingest never stores (the
 * suspected cause of the one run of crash.test.ts, under the full suite, that missed 2 of 20,000
 * votes after the broker dropped its ingest; not reproduced alone).
 */
export const PASSWORD = `test-password-${randomBytes(6).toString('hex')}`;

/** A real broker on a free port with users `ingest`, `organiser`, `viewer` (public) and the given boxes. */
export async function startTestBroker(dir: string, boxes: string[]): Promise<RunningBroker> {
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'ingest', 'ingest', PASSWORD);
  await addUser(usersFile, 'organiser', 'organiser', PASSWORD);
  await addUser(usersFile, 'viewer', 'public', PASSWORD);
  for (const box of boxes) await addUser(usersFile, box, 'device', PASSWORD);
  // Unthrottled: the tests flood on purpose (the default is 100 messages/s per client).
  const broker = await startBroker({ usersFile, mqttPort: 0, limits: { messagesPerSecond: 0 } });
  onTestFinished(() => broker.close());
  return broker;
}

/** An MQTT.js client as `username`, closed when the test finishes. */
export async function connectAs(
  url: string,
  username: string,
  clientId = username,
): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    username,
    password: PASSWORD,
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

/** Publishes votes of one box, QoS 1, and waits for every PUBACK. */
export async function publishVotes(
  box: MqttClient,
  event: string,
  device: string,
  votes: Vote[],
): Promise<void> {
  await Promise.all(
    votes.map((vote) =>
      box.publishAsync(topics.vote(event, device), JSON.stringify(vote), { qos: 1 }),
    ),
  );
}

/**
 * Resolves with the first message on `topic` whose payload satisfies `accept`. The listener is in
 * place before the SUBSCRIBE goes out: a retained message may arrive before the SUBACK.
 */
export function waitForMessage<T>(
  client: MqttClient,
  topic: string,
  accept: (payload: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      const value = JSON.parse(payload.toString()) as T;
      if (!accept(value)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(value);
    };
    client.on('message', onMessage);
    client.subscribeAsync(topic, { qos: 1 }).catch(reject);
  });
}

/** The ingest configuration of a test: loopback, free HTTP port, journal in `dir`. */
export function testConfig(
  dir: string,
  brokerUrl: string,
  overrides: Record<string, string> = {},
): Config {
  return loadConfig({
    LIKEBOX_EVENT: 'test',
    LIKEBOX_DATA_DIR: dir,
    LIKEBOX_MQTT_URL: brokerUrl,
    LIKEBOX_MQTT_USERNAME: 'ingest',
    LIKEBOX_MQTT_PASSWORD: PASSWORD,
    LIKEBOX_HTTP_PORT: '0',
    LIKEBOX_JOURNAL_SYNC: 'normal',
    ...overrides,
  });
}

/** A schedule of event `test` with one room `amphi` and one talk `t1` from `start` for an hour. */
export async function writeSchedule(dir: string, start: number): Promise<string> {
  const schedule: Schedule = {
    version: 1,
    event: 'test',
    name: 'Test',
    timeZone: 'UTC',
    rooms: [
      { slug: 'amphi', name: 'Amphi' },
      { slug: 'lab', name: 'Lab' },
    ],
    talks: [
      {
        id: 't1',
        room: 'amphi',
        start: new Date(start).toISOString(),
        end: new Date(start + 3_600_000).toISOString(),
        title: 'Talk one',
        speakers: ['Ada'],
        format: 'Conférence',
        votable: true,
      },
    ],
  };
  const file = join(dir, 'schedule.json');
  await writeFile(file, JSON.stringify(schedule));
  return file;
}

/** `n` votes of seq `from`…, +1 for even seqs and -1 for odd, pressed at `at` + seq ms. */
export function votes(from: number, n: number, at: number, room = 'amphi'): Vote[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = from + i;
    return { seq, value: seq % 2 === 0 ? 1 : -1, at: at + seq, room, synced: true } satisfies Vote;
  });
}

/** The built ingest command, `ingest/dist/main.js`. */
export const INGEST_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Spawns `node ingest/dist/main.js` and resolves once it logs `message` (by default: started). */
export async function spawnIngest(
  env: Record<string, string>,
  message = 'ingest started',
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [INGEST_MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.includes(`"${message}"`)) resolve();
    });
  });
  return child;
}
