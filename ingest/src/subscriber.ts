import type { Socket } from 'node:net';
import { decodePayload, filters, topicParser } from '@likebox/protocol';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { AckGate } from './ackGate.js';
import type { IngestContext } from './ingestContext.js';
import { reasonOf } from './invalidMessages.js';
import type { InboundVote } from './votePipeline.js';

/** MQTT connection settings of the ingest. */
export interface SubscriberOptions {
  /** Broker URL. */
  url: string;
  /** User with the `ingest` role. */
  username: string;
  /** Its password. */
  password: string | undefined;
  /** Fixed client id: the broker keeps the session (subscriptions, un-acked votes) under it. */
  clientId: string;
}

/** The subscriptions, all QoS 1: every box's vote, status and config, and every room's delay. */
export function subscriptions(event: string): Record<string, { qos: 1 }> {
  return {
    [filters.device(event, '+', 'vote')]: { qos: 1 },
    [filters.device(event, '+', 'status')]: { qos: 1 },
    [filters.device(event, '+', 'config')]: { qos: 1 },
    [filters.room(event, '+', 'delay')]: { qos: 1 },
  };
}

/**
 * Creates the ingest's MQTT client, not yet connected: persistent session (`clean: false`, fixed
 * client id), MQTT 3.1.1, TCP no-delay, and the {@link AckGate} installed before it connects (a
 * resumed session delivers the queued votes right after CONNACK). `onConnect` runs on every
 * (re)connection, to republish the retained outputs a restarted broker may have lost.
 */
export function createSubscriber(
  options: SubscriberOptions,
  base: Pick<IngestContext, 'log' | 'metrics' | 'event'>,
  context: () => IngestContext,
  gate: AckGate,
  onConnect: () => void,
): MqttClient {
  const client = mqtt.connect(options.url, {
    clientId: options.clientId,
    clean: false,
    username: options.username,
    password: options.password,
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    manualConnect: true,
    log: mqttLog(base.log),
  });
  gate.install(client);
  client.handleMessage = (packet, callback) => {
    const ctx = context();
    try {
      dispatch(packet as IPublishPacket, ctx, gate);
    } catch (err) {
      ctx.log.error({ err, topic: (packet as IPublishPacket).topic }, 'message handler failed');
    }
    callback();
  };
  wireConnection(client, options, base, onConnect);
  return client;
}

/**
 * MQTT.js's internal debug lines go to the logger at `trace` level. Left to its own `debug`
 * module, it spends a call, an `enabled` check and an arguments array on every packet even when
 * disabled (2–3 % of the ingest's CPU during a flood), and `DEBUG=mqttjs*` stays available as
 * `LIKEBOX_LOG_LEVEL=trace`.
 */
function mqttLog(log: Logger): (...args: unknown[]) => void {
  if (!log.isLevelEnabled('trace')) return () => undefined;
  return (format: unknown, ...args: unknown[]) => log.trace({ args }, `mqtt.js: ${String(format)}`);
}

/** Topics taken apart once each: a few per box, so a flood parses each topic once. */
const parseTopicCached = topicParser();

/**
 * Connects and resolves on the first CONNACK. An unreachable broker is retried every second (the
 * ingest waits for it); a broker refusing the credentials (CONNACK 4 or 5) rejects at once.
 */
export async function connectSubscriber(client: MqttClient): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error & { code?: unknown }) => {
      if (err.code !== 4 && err.code !== 5) return;
      client.off('connect', onConnect);
      client.off('error', onError);
      client.end(true);
      reject(err);
    };
    const onConnect = () => {
      client.off('error', onError);
      resolve();
    };
    client.once('connect', onConnect);
    client.on('error', onError);
    client.connect();
  });
}

function wireConnection(
  client: MqttClient,
  options: SubscriberOptions,
  base: Pick<IngestContext, 'log' | 'metrics' | 'event'>,
  onConnect: () => void,
): void {
  const { log, metrics, event } = base;
  client.on('connect', (connack) => {
    (client.stream as Socket).setNoDelay?.(true);
    metrics.brokerConnected.set(1);
    log.info({ url: options.url, sessionPresent: connack.sessionPresent }, 'connected to broker');
    if (!connack.sessionPresent) {
      client.subscribe(subscriptions(event), (err, granted) => {
        const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
        if (err || refused.length > 0) log.error({ err, refused }, 'subscription refused');
      });
    }
    onConnect();
  });
  client.on('close', () => metrics.brokerConnected.set(0));
  client.on('offline', () => log.warn({ url: options.url }, 'broker unreachable; reconnecting'));
  client.on('error', (err) => log.warn({ err }, 'mqtt error'));
}

function dispatch(packet: IPublishPacket, ctx: IngestContext, gate: AckGate): void {
  const arrival = Date.now();
  const topic = packet.topic;
  const parsed = parseTopicCached(topic);
  const payload = packet.payload as Uint8Array;
  if (parsed === null || parsed.event !== ctx.event) {
    const letter = { received: arrival, topic, reason: 'unexpected topic', payload };
    ctx.invalid.reject('topic', 'unknown', letter, 'topic');
    return;
  }
  switch (parsed.kind) {
    case 'vote':
      if (packet.qos === 1 && packet.messageId !== undefined) gate.hold(packet.messageId);
      ctx.pipeline.push(inboundVote(parsed.device, topic, payload, arrival, packet, gate));
      return;
    case 'status':
      onStatus(ctx, parsed.device, topic, payload, arrival, packet.retain);
      return;
    case 'config':
      onConfig(ctx, parsed.device, topic, payload, arrival);
      return;
    case 'delay':
      onDelay(ctx, parsed.room, topic, payload, arrival);
      return;
    default: {
      const letter = { received: arrival, topic, reason: 'not an ingest topic', payload };
      ctx.invalid.reject(parsed.kind, 'unknown', letter, 'topic');
    }
  }
}

/** Validates a vote on arrival; an invalid one becomes a dead letter committed with the batch. */
function inboundVote(
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
  packet: IPublishPacket,
  gate: AckGate,
): InboundVote {
  const decoded = decodePayload('vote', payload);
  const messageId = packet.qos === 1 ? packet.messageId : undefined;
  const generation = gate.generation;
  if (decoded.success) {
    return { device, vote: decoded.data, dead: undefined, arrival, messageId, generation };
  }
  const letter = { received: arrival, topic, reason: decoded.error, payload };
  const dead = { letter, reason: reasonOf(decoded.error) };
  return { device, vote: undefined, dead, arrival, messageId, generation };
}

function onStatus(
  ctx: IngestContext,
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
  retained: boolean,
): void {
  if (payload.byteLength === 0) return; // a cleared retained status
  const decoded = decodePayload('status', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('status', device, letter, reasonOf(decoded.error));
    return;
  }
  const status = decoded.data;
  // A retained status may be hours old: only a live heartbeat tells the box's clock offset.
  if (!retained && status.at !== undefined) ctx.clock.heartbeat(device, status.at, arrival);
  ctx.deviceStatus(device, status, arrival);
}

function onConfig(
  ctx: IngestContext,
  device: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
): void {
  if (payload.byteLength === 0) {
    ctx.configRooms.delete(device);
    return;
  }
  const decoded = decodePayload('config', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('config', device, letter, reasonOf(decoded.error));
    return;
  }
  ctx.configRooms.set(device, decoded.data.room);
}

function onDelay(
  ctx: IngestContext,
  room: string,
  topic: string,
  payload: Uint8Array,
  arrival: number,
): void {
  const decoded = decodePayload('delay', payload);
  if (!decoded.success) {
    const letter = { received: arrival, topic, reason: decoded.error, payload };
    ctx.invalid.reject('delay', room, letter, reasonOf(decoded.error));
    return;
  }
  ctx.schedule.applyDelay(room, decoded.data.minutes, decoded.data.at ?? arrival);
}
