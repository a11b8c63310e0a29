import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { RetainedRead, RetainedUnder } from './brokerLink.js';
import type { SubscriberOptions } from './mqttLink.js';

/**
 * How long to wait after the SUBACK for the retained message. Brokers send it right behind the
 * SUBACK on the same connection (Aedes streams it from its persistence once the SUBACK is written,
 * `lib/handlers/subscribe.js`; Mosquitto likewise), so it arrives within a round trip of the
 * persistence: well under a millisecond on loopback with Aedes' memory store, a few with Redis.
 */
export const RETAINED_GRACE_MS = 200;

/**
 * Reads the retained messages under `filter` (a topic, or a filter with wildcards) over a
 * short-lived connection of its own: a clean session with a random client id, so the ingest's
 * persistent session (whose client id another running ingest may be using right now) is not
 * touched. Waits for the broker like the ingest does (retrying every second); rejects when it
 * refuses the credentials (CONNACK 4 or 5). `messages` maps each topic to its payload.
 */
export async function readRetainedUnder(
  options: SubscriberOptions,
  filter: string,
  log: Logger,
): Promise<RetainedUnder> {
  const client = mqtt.connect(options.url, {
    clientId: `${options.clientId}-probe-${randomBytes(4).toString('hex')}`,
    clean: true,
    username: options.username,
    password: options.password,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  try {
    return await new Promise<RetainedUnder>((resolve, reject) => {
      const messages = new Map<string, Uint8Array>();
      let warned = false;
      client.on('message', (t, bytes, packet) => {
        // The only subscription is `filter`: every retained message here matches it.
        if (packet.retain) messages.set(t, bytes);
      });
      client.on('error', (err: Error & { code?: unknown }) => {
        if (err.code === 4 || err.code === 5) reject(err);
        else if (!warned) log.warn({ err }, 'broker unreachable; waiting for it');
        warned = true;
      });
      client.once('connect', () => {
        client.subscribe(filter, { qos: 1 }, (err, granted) => {
          if (err) reject(err);
          else if (granted?.[0]?.qos === 128) resolve({ granted: false, messages });
          else setTimeout(() => resolve({ granted: true, messages }), RETAINED_GRACE_MS);
        });
      });
    });
  } finally {
    client.end(true);
  }
}

/** The retained message of one `topic`, read as {@link readRetainedUnder} does. */
export async function readRetainedOver(
  options: SubscriberOptions,
  topic: string,
  log: Logger,
): Promise<RetainedRead> {
  const { granted, messages } = await readRetainedUnder(options, topic, log);
  return { granted, payload: messages.get(topic) };
}
