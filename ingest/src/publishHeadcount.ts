import {
  decodePayload,
  encodePayload,
  type Schedule,
  type Talk,
  TopicDelivery,
  topics,
} from '@likebox/protocol';
import mqtt from 'mqtt';
import { IngestError } from './errors.js';

/** Where and as whom {@link publishHeadcount} publishes. */
export interface HeadcountTarget {
  /** Broker URL. */
  url: string;
  /** A user with the organiser role. */
  username?: string | undefined;
  /** Its password. */
  password?: string | undefined;
  /** Event slug. */
  event: string;
  /** How long to wait for the connection and for the retained schedule, ms. Default 10,000. */
  timeoutMs?: number;
}

/** The retained schedule of the event, or an error saying there is none. */
function retainedSchedule(client: mqtt.MqttClient, event: string, timeoutMs: number) {
  return new Promise<Schedule>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new IngestError(`no schedule of event ${event} on the broker: is the ingest running?`),
      );
    }, timeoutMs);
    client.on('message', (_topic, payload) => {
      const decoded = decodePayload('schedule', payload);
      clearTimeout(timer);
      if (decoded.success) resolve(decoded.data);
      else reject(new IngestError(`the broker's schedule is invalid: ${decoded.error}`));
    });
    client.subscribeAsync(topics.schedule(event), { qos: 1 }).catch(reject);
  });
}

/**
 * Publishes the headcount of talk `id` (retained, QoS 1, on `rooms/{room}/talks/{talk}/headcount`,
 * the room read from the event's retained schedule) and resolves with the talk once the broker
 * acknowledged it. Throws {@link IngestError} for a talk the schedule does not know, no schedule,
 * an unreachable broker, or a user without the organiser role (the broker closes its connection).
 */
export async function publishHeadcount(
  target: HeadcountTarget,
  id: string,
  count: number,
  at: number,
): Promise<Talk> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  let client: mqtt.MqttClient;
  try {
    client = await mqtt.connectAsync(target.url, {
      ...{ protocolVersion: 4, username: target.username, password: target.password },
      clientId: `likebox-results-${process.pid}-${Date.now().toString(36)}`,
      ...{ clean: true, reconnectPeriod: 0, connectTimeout: timeoutMs },
    });
  } catch (err) {
    const message = `cannot connect to ${target.url}: ${(err as Error).message}`;
    throw new IngestError(message, { cause: err });
  }
  const closed = new Promise<never>((_, reject) => {
    client.once('close', () => {
      reject(new IngestError('the broker closed the connection: is this user an organiser?'));
    });
  });
  closed.catch(() => undefined);
  let done = false;
  try {
    const schedule = await Promise.race([
      retainedSchedule(client, target.event, timeoutMs),
      closed,
    ]);
    const talk = schedule.talks.find((t) => t.id === id);
    if (talk === undefined) {
      throw new IngestError(
        `unknown talk ${JSON.stringify(id)}: not in event ${target.event}'s schedule`,
      );
    }
    const topic = topics.headcount(target.event, talk.room, talk.id);
    const payload = encodePayload('headcount', { count, at });
    const { qos, retain } = TopicDelivery.headcount;
    await Promise.race([client.publishAsync(topic, payload, { qos, retain }), closed]);
    done = true;
    return talk;
  } finally {
    // A graceful end waits for messages in flight, forever once the broker closed the connection.
    await client.endAsync(!done);
  }
}
