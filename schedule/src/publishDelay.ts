import {
  decodePayload,
  encodePayload,
  isSlug,
  type Schedule,
  slugify,
  TopicDelivery,
  topics,
} from '@likebox/protocol';
import mqtt from 'mqtt';
import { resolveRoom } from './applyDelay.js';
import { ScheduleError } from './errors.js';

/** How long to wait for the retained schedule after the SUBACK (Aedes sends it before). */
const SCHEDULE_WAIT_MS = 1000;

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
  /** The room, slug or display name, checked against the event's retained schedule. */
  room: string;
  /** Give up connecting after this many ms. Default 10,000. */
  connectTimeoutMs?: number;
}

/** The event's retained schedule, or undefined when the broker holds none. */
async function retainedSchedule(
  client: mqtt.MqttClient,
  event: string,
): Promise<Schedule | undefined> {
  const topic = topics.schedule(event);
  let found: Schedule | undefined;
  const onMessage = (t: string, payload: Buffer) => {
    const decoded = t === topic ? decodePayload('schedule', payload) : undefined;
    if (decoded?.success) found = decoded.data;
  };
  client.on('message', onMessage);
  try {
    await client.subscribeAsync(topic, { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, SCHEDULE_WAIT_MS));
  } catch {
    // A user who may not read the schedule: the ACL answers later, by closing the connection.
  } finally {
    client.off('message', onMessage);
  }
  return found;
}

/**
 * The room's slug: resolved against the event's retained schedule (throws {@link ScheduleError}
 * naming the known rooms when it has no such room), or, when the broker holds no schedule, the
 * name's slug.
 */
async function checkedRoom(client: mqtt.MqttClient, target: DelayTarget): Promise<string> {
  const schedule = await retainedSchedule(client, target.event);
  if (schedule !== undefined) return resolveRoom(schedule, target.room);
  return isSlug(target.room) ? target.room : slugify(target.room);
}

/**
 * Publishes "this room runs `minutes` late since `at`" on `rooms/{room}/delay` (QoS 1, not
 * retained) and resolves with the room's slug once the broker acknowledged it. The room is first
 * checked against the event's retained schedule. The ingest folds it into the schedule's
 * `delays` and republishes `schedule` and `now`. Throws {@link ScheduleError} when the schedule
 * has no such room, the broker cannot be reached, refuses the credentials, or closes the
 * connection (a user without the organiser role is disconnected by the broker's ACL).
 */
export async function publishDelay(
  target: DelayTarget,
  minutes: number,
  at: number,
): Promise<string> {
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
    const room = await Promise.race([checkedRoom(client, target), closed]);
    const topic = topics.delay(target.event, room);
    const { qos, retain } = TopicDelivery.delay;
    await Promise.race([client.publishAsync(topic, payload, { qos, retain }), closed]);
    acknowledged = true;
    return room;
  } finally {
    // A graceful end waits for in-flight messages, forever once the broker has closed the
    // connection: force it when the publish was not acknowledged.
    await client.endAsync(!acknowledged);
  }
}
