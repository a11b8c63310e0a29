import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, startBroker } from '@likebox/broker';
import { decodePayload, filters, type Status } from '@likebox/protocol';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { Box } from '../../src/box.js';
import { fixedClockSync } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { VirtualButtons } from '../../src/control.js';
import { Outbox, type OutboxOptions } from '../../src/outbox.js';
import { VirtualIo } from '../../src/virtualIo.js';

export { FAST_GATE, PRESS_GAP_MS } from '../../src/testing.js';

/** Passwords of the test users. */
export const PW = {
  device: 'box-secret',
  ingest: 'ingest-secret',
  organiser: 'org-secret',
} as const;

/** A TCP port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** An MQTT client with the organiser role (may publish anything of the event), ended after the test. */
export async function organiser(url: string) {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    username: 'org',
    password: PW.organiser,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

/** Every retained `status` of box-1 an organiser sees, in order (the last is the current one). */
export async function statuses(url: string): Promise<Status[]> {
  const org = await organiser(url);
  const seen: Status[] = [];
  org.on('message', (_topic, payload) => {
    const decoded = decodePayload('status', payload);
    if (decoded.success) seen.push(decoded.data);
  });
  await org.subscribeAsync(filters.device('demo', 'box-1', 'status'), { qos: 1 });
  return seen;
}

/** A temp dir removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'likebox-device-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes the users file: box-1..N (device), ingest, org (organiser). */
export async function writeUsers(dir: string, devices: string[] = ['box-1']): Promise<string> {
  const usersFile = join(dir, 'users.json');
  for (const device of devices) await addUser(usersFile, device, 'device', PW.device);
  await addUser(usersFile, 'ingest', 'ingest', PW.ingest);
  await addUser(usersFile, 'org', 'organiser', PW.organiser);
  return usersFile;
}

/** A real broker on a free port with the test users. */
export async function broker(dir: string, mqttPort = 0) {
  const usersFile = await writeUsers(dir);
  const running = await startBroker({ usersFile, mqttPort });
  onTestFinished(() => running.close());
  return running;
}

/**
 * A virtual box (real Johnny-Five, real SQLite outbox in `dir`, real MQTT client), stopped after
 * the test. `outbox` options go to `Outbox.open`.
 */
export async function virtualBox(
  dir: string,
  url: string,
  env: Record<string, string> = {},
  outboxOptions: OutboxOptions = {},
) {
  const config = loadConfig({
    LIKEBOX_DEVICE_ID: 'box-1',
    LIKEBOX_MQTT_URL: url,
    LIKEBOX_MQTT_PASSWORD: PW.device,
    LIKEBOX_DATA_DIR: dir,
    LIKEBOX_ROOM: 'amphi-a',
    LIKEBOX_BOOT_MS: '50',
    LIKEBOX_MIN_INTERVAL_MS: '100',
    ...env,
  });
  const io = new VirtualIo({ lcd: { address: 0x27, cols: 16, rows: 2 } });
  const outbox = Outbox.open(join(dir, `${config.LIKEBOX_DEVICE_ID}.sqlite`), outboxOptions);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const box = new Box({
    config,
    log,
    io,
    outbox,
    clock: fixedClockSync(false),
    version: '0.0.0-test',
    ip: '',
  });
  try {
    await box.start();
  } catch (err) {
    outbox.close();
    throw err;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await box.stop();
    outbox.close();
  };
  onTestFinished(stop);
  await new Promise((r) => setTimeout(r, 80)); // past the boot guard
  const buttons = new VirtualButtons(io, box, { like: 2, dislike: 3 }, true, 500);
  return { box, io, outbox, buttons, stop, config };
}
