import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, startBroker } from '@likebox/broker';
import { decodePayload, filters, parseTopic, topics } from '@likebox/protocol';
import { testIo as commandIo } from '@likebox/runtime/testing';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scheduleCommand } from '../../src/cli.js';
import { importSchedule } from '../../src/index.js';

const NOW = Date.parse('2015-06-11T15:00:00+02:00');

function testIo(env: Record<string, string> = {}) {
  const test = commandIo({ env, now: NOW });
  return { io: test.io, out: [test.stdout], err: [test.stderr] };
}

/** `likebox schedule …argv`, in process; resolves with the exit code. */
function runSchedule(argv: string[], io: ReturnType<typeof testIo>['io']): Promise<number> {
  return scheduleCommand.main(argv, { io });
}

async function brokerWithUsers() {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-delay-'));
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'org', 'organiser', 'org-secret-1');
  await addUser(usersFile, 'ingest', 'ingest', 'ingest-secret-1');
  await addUser(usersFile, 'box-1', 'device', 'box-secret-1');
  const broker = await startBroker({ usersFile, mqttPort: 0 });
  onTestFinished(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { broker, dir };
}

/** Subscribes as the ingest to every room's delay topic and collects what arrives. */
async function delayListener(url: string) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    username: 'ingest',
    password: 'ingest-secret-1',
  });
  onTestFinished(() => client.endAsync());
  const received: { room: string; payload: unknown }[] = [];
  const arrived = new Promise<void>((resolve) => {
    client.on('message', (topic, payload) => {
      const parsed = parseTopic(topic);
      const decoded = decodePayload('delay', payload);
      if (parsed?.kind === 'delay' && decoded.success) {
        received.push({ room: parsed.room, payload: decoded.data });
        resolve();
      }
    });
  });
  await client.subscribeAsync(filters.room('demo', '+', 'delay'), { qos: 1 });
  return { received, arrived };
}

describe('likebox schedule delay', () => {
  it('publishes the delay as the organiser when given a room name and minutes', async () => {
    // Prepare
    const { broker } = await brokerWithUsers();
    const listener = await delayListener(broker.mqttUrl);
    const { io, err } = testIo({
      LIKEBOX_EVENT: 'demo',
      LIKEBOX_MQTT_URL: broker.mqttUrl,
      LIKEBOX_MQTT_USERNAME: 'org',
      LIKEBOX_MQTT_PASSWORD: 'org-secret-1',
    });

    // Act
    const code = await runSchedule(['delay', 'Belle-Ile-en-Mer', '12'], io);
    await listener.arrived;

    // Assess
    expect(code).toBe(0);
    expect(listener.received).toEqual([
      { room: 'belle-ile-en-mer', payload: { minutes: 12, at: NOW } },
    ]);
    expect(err[0]!()).toContain('room belle-ile-en-mer runs 12 min late');
  });

  it('takes a negative number of minutes and flags over the environment', async () => {
    // Prepare
    const { broker } = await brokerWithUsers();
    const listener = await delayListener(broker.mqttUrl);
    const { io } = testIo({
      LIKEBOX_MQTT_URL: 'mqtt://127.0.0.1:1',
      LIKEBOX_MQTT_USERNAME: 'nobody',
    });
    const flags = ['--mqtt-url', broker.mqttUrl, '--username', 'org', '--password', 'org-secret-1'];

    // Act
    const code = await runSchedule(
      ['delay', 'groix', '-5', '--at', '2015-06-11T14:00:00+02:00', ...flags],
      io,
    );
    await listener.arrived;

    // Assess
    expect(code).toBe(0);
    expect(listener.received[0]?.payload).toEqual({
      minutes: -5,
      at: Date.parse('2015-06-11T14:00:00+02:00'),
    });
  });

  it('fails with a message naming the role when the user may not publish delays', async () => {
    // Prepare
    const { broker } = await brokerWithUsers();
    const { io, err } = testIo();
    const flags = [
      '--mqtt-url',
      broker.mqttUrl,
      '--username',
      'box-1',
      '--password',
      'box-secret-1',
    ];

    // Act
    const code = await runSchedule(['delay', 'groix', '10', ...flags], io);

    // Assess
    expect(code).toBe(1);
    expect(err[0]!()).toMatch(/organiser role/);
  });

  it('fails without publishing when the password is wrong', async () => {
    // Prepare
    const { broker } = await brokerWithUsers();
    const { io, err } = testIo();
    const flags = ['--mqtt-url', broker.mqttUrl, '--username', 'org', '--password', 'wrong'];

    // Act
    const code = await runSchedule(['delay', 'groix', '10', ...flags], io);

    // Assess
    expect(code).toBe(1);
    expect(err[0]!()).toMatch(/cannot connect to mqtt:\/\/127\.0\.0\.1:\d+/);
  });

  it('applies the delay to a schedule file without publishing when asked to', async () => {
    // Prepare
    const { dir } = await brokerWithUsers();
    const text = await readFile(
      new URL('../fixtures/schedules/breizhcamp-2015.json', import.meta.url),
      'utf8',
    );
    const file = join(dir, 'schedule.json');
    await writeFile(file, JSON.stringify(importSchedule(text, { tz: 'Europe/Paris' }).schedule));
    const { io } = testIo();

    // Act
    const code = await runSchedule(['delay', 'Bréhat', '7', '--file', file, '--no-publish'], io);

    // Assess
    expect(code).toBe(0);
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.delays).toEqual({ brehat: { minutes: 7, since: NOW } });
  });

  it('refuses minutes out of range and a bad configuration with exit code 1', async () => {
    // Prepare
    const { io, err } = testIo({ LIKEBOX_EVENT: 'Not A Slug' });

    // Act
    const badMinutes = await runSchedule(['delay', 'groix', '500', '--no-publish'], testIo().io);
    const badConfig = await runSchedule(['delay', 'groix', '5'], io);

    // Assess
    expect(badMinutes).toBe(1);
    expect(badConfig).toBe(1);
    expect(err[0]!()).toContain('LIKEBOX_EVENT');
  });

  it('refuses a room the event schedule does not have, naming the rooms it has, and publishes nothing', async () => {
    // Prepare
    const { broker } = await brokerWithUsers();
    const listener = await delayListener(broker.mqttUrl);
    const organiser = await mqtt.connectAsync(broker.mqttUrl, {
      ...{ protocolVersion: 4, username: 'org', password: 'org-secret-1' },
    });
    onTestFinished(() => organiser.endAsync());
    const schedule = {
      ...{ version: 1, event: 'demo', name: 'Demo', timeZone: 'UTC', talks: [] },
      rooms: [
        { slug: 'amphi', name: 'Amphi' },
        { slug: 'lab', name: 'Lab' },
      ],
    };
    await organiser.publishAsync(topics.schedule('demo'), JSON.stringify(schedule), {
      ...{ qos: 1, retain: true },
    });
    const env = {
      ...{ LIKEBOX_EVENT: 'demo', LIKEBOX_MQTT_URL: broker.mqttUrl },
      ...{ LIKEBOX_MQTT_USERNAME: 'org', LIKEBOX_MQTT_PASSWORD: 'org-secret-1' },
    };
    const refused = testIo(env);
    const accepted = testIo(env);

    // Act
    const unknown = await runSchedule(['delay', 'nowhere', '10'], refused.io);
    const known = await runSchedule(['delay', 'Lab', '10'], accepted.io);
    await listener.arrived;

    // Assess
    expect(unknown).toBe(1);
    expect(refused.err[0]!()).toMatch(/no room "nowhere" in the schedule \(rooms: amphi, lab\)/);
    expect(known).toBe(0);
    expect(listener.received).toEqual([{ room: 'lab', payload: { minutes: 10, at: NOW } }]);
  });
});
