import { encodePayload, TopicDelivery, topics } from '@likebox/protocol';
import mqtt from 'mqtt';
import { ScheduleError } from './errors.js';

/** Where and as whom {@link publishDelay} publishes. */
export interface DelayTarget {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  /** A user with the organiser role. */
  username?: string;
  /** Its password. */
  password?: string;
  /** Event slug. */
  event: string;
  /** Room slug. */
  room: string;
  /** Give up connecting after this many ms. Default 10,000. */
  connectTimeoutMs?: number;
}

/**
 * Publishes "this room runs `minutes` late since `at`" on `rooms/{room}/delay` (QoS 1, not
 * retained) and resolves once the broker acknowledged it. The ingest folds it into the schedule's
 * `delays` and republishes `schedule` and `now`. Throws {@link ScheduleError} when the broker
 * cannot be reached, refuses the credentials, or closes the connection (a user without the
 * organiser role is disconnected by the broker's ACL).
 */
export async function publishDelay(
  target: DelayTarget,
  minutes: number,
  at: number,
): Promise<void> {
  const topic = topics.delay(target.event, target.room);
  const payload = encodePayload('delay', { minutes, at });
  let client: mqtt.MqttClient;
  try {
    client = await mqtt.connectAsync(target.url, {
      protocolVersion: 4,
      username: target.username,
      password: target.password,
      clientId: `likebox-schedule-${process.pid}-${Date.now().toString(36)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: target.connectTimeoutMs ?? 10_000,
    });
  } catch (err) {
    throw new ScheduleError(`cannot connect to ${target.url}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const closed = new Promise<never>((_, reject) => {
    client.once('close', () => {
      reject(
        new ScheduleError(
          'the broker closed the connection: does this user have the organiser role?',
        ),
      );
    });
  });
  closed.catch(() => undefined);
  let acknowledged = false;
  try {
    const { qos, retain } = TopicDelivery.delay;
    await Promise.race([client.publishAsync(topic, payload, { qos, retain }), closed]);
    acknowledged = true;
  } finally {
    // A graceful end waits for in-flight messages, forever once the broker has closed the
    // connection: force it when the publish was not acknowledged.
    await client.endAsync(!acknowledged);
  }
}
