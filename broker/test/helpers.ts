import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import {
  addUser,
  type Role,
  type RunningBroker,
  type StartBrokerOptions,
  startBroker,
} from '../src/index.js';

/** Password every test user gets. */
export const PASSWORD = 'test-pass-3141';

/** A temp dir removed when the test finishes. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-broker-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A users file holding `users` (name → role), all with {@link PASSWORD}. */
export async function usersFileWith(users: Record<string, Role>): Promise<string> {
  const file = join(await tempDir(), 'users.json');
  await Promise.all(
    Object.entries(users).map(([name, role]) => addUser(file, name, role, PASSWORD)),
  );
  return file;
}

/** Starts a broker on free ports, closed when the test finishes. */
export async function brokerWith(
  users: Record<string, Role>,
  options: Partial<StartBrokerOptions> = {},
): Promise<RunningBroker> {
  const usersFile = await usersFileWith(users);
  const broker = await startBroker({ usersFile, mqttPort: 0, ...options });
  onTestFinished(() => broker.close());
  return broker;
}

/** Connects an MQTT 3.1.1 client as `user`, ended when the test finishes. */
export async function connectAs(
  url: string,
  user: string | null,
  options: IClientOptions = {},
): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...(user === null ? {} : { username: user, password: PASSWORD }),
    ...options,
  });
  onTestFinished(() => client.endAsync(true));
  return client;
}

/** Resolves with the first message received on a topic matching `topic`. */
export function nextMessage(
  client: MqttClient,
  topic?: string,
): Promise<{ topic: string; payload: Buffer }> {
  return new Promise((resolve) => {
    const onMessage = (received: string, payload: Buffer) => {
      if (topic !== undefined && received !== topic) return;
      client.off('message', onMessage);
      resolve({ topic: received, payload });
    };
    client.on('message', onMessage);
  });
}

/** Resolves when the client's connection closes. */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) resolve();
    else client.once('close', () => resolve());
  });
}

/** Subscribes and returns the SUBACK return codes (128 = refused) instead of throwing on a refusal. */
export async function grants(
  client: MqttClient,
  filters: string | string[],
  qos: 0 | 1 = 1,
): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos })).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (granted === undefined) throw err;
    return granted;
  }
}

/** A self-signed certificate for 127.0.0.1 and its key (openssl, EC P-256, one day). */
export async function selfSigned(): Promise<{ cert: Buffer; key: Buffer }> {
  const dir = await tempDir();
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { cert: await readFile(cert), key: await readFile(key) };
}
