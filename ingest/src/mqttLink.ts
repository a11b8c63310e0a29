import type { Socket } from 'node:net';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { AckGate } from './ackGate.js';
import {
  type BrokerLink,
  type LinkParts,
  type RetainedRead,
  type RetainedUnder,
  subscriptions,
} from './brokerLink.js';
import { readRetainedOver, readRetainedUnder } from './retainedProbe.js';

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

/**
 * The ingest's link to a broker over MQTT (`likebox ingest`): persistent session (`clean: false`,
 * fixed client id), MQTT 3.1.1, TCP no-delay, and an {@link AckGate} installed before it connects
 * (a resumed session delivers the queued votes right after CONNACK), so a vote's PUBACK leaves only
 * after its journal commit. Nothing connects before `start()`.
 */
export class MqttLink implements BrokerLink {
  readonly #client: MqttClient;
  readonly #gate = new AckGate();
  readonly #log: Logger;
  readonly #options: SubscriberOptions;
  /** Resolves `start()`: set until the first connection's subscriptions are in place. */
  #ready: (() => void) | undefined;

  constructor(options: SubscriberOptions, parts: LinkParts) {
    this.#log = parts.log;
    this.#options = options;
    this.#client = mqtt.connect(options.url, {
      clientId: options.clientId,
      clean: false,
      username: options.username,
      password: options.password,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      manualConnect: true,
      log: mqttLog(parts.log),
    });
    this.#gate.install(this.#client);
    this.#client.handleMessage = (packet, callback) => {
      const { topic, payload, qos, messageId, retain } = packet as IPublishPacket;
      try {
        parts.onMessage(topic, payload as Uint8Array, retain, qos === 1 ? messageId : undefined);
      } catch (err) {
        parts.log.error({ err, topic }, 'message handler failed');
      }
      callback();
    };
    wireConnection(this.#client, options.url, parts, () => {
      this.#ready?.();
      this.#ready = undefined;
    });
  }

  get connected(): boolean {
    return this.#client.connected;
  }

  get backlog(): number {
    return (this.#client.stream as { writableLength?: number } | undefined)?.writableLength ?? 0;
  }

  get generation(): number {
    return this.#gate.generation;
  }

  get held(): number {
    return this.#gate.heldCount;
  }

  hold(messageId: number): void {
    this.#gate.hold(messageId);
  }

  release(messageIds: readonly number[], generation: number): void {
    this.#gate.release(messageIds, generation);
  }

  publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): void {
    if (qos === 0 && !this.#client.connected) return;
    this.#client.publish(topic, payload, { qos, retain }, (err) => {
      if (err !== undefined && err !== null) this.#log.warn({ err, topic }, 'publish failed');
    });
  }

  /** Reads a retained message over a separate clean connection (see `readRetainedOver`). */
  readRetained(topic: string): Promise<RetainedRead> {
    return readRetainedOver(this.#options, topic, this.#log);
  }

  /** Reads the retained messages under `filter` over a separate clean connection. */
  readRetainedUnder(filter: string): Promise<RetainedUnder> {
    return readRetainedUnder(this.#options, filter, this.#log);
  }

  subscribe(filter: string): void {
    this.#client.subscribe(filter, { qos: 1 }, (err, granted) => {
      if (err || granted?.[0]?.qos === 128) {
        this.#log.error({ err, filter }, 'subscription refused');
      }
    });
  }

  /**
   * Connects and resolves once connected with the subscriptions in place (on a new session, after
   * the SUBACK, right behind which the broker sends the retained statuses and configs). An
   * unreachable broker is retried every second (the ingest waits for it); a broker refusing the
   * credentials (CONNACK 4 or 5) rejects at once.
   */
  async start(): Promise<void> {
    const client = this.#client;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error & { code?: unknown }) => {
        if (err.code !== 4 && err.code !== 5) return;
        this.#ready = undefined;
        client.off('error', onError);
        client.end(true);
        reject(err);
      };
      this.#ready = () => {
        client.off('error', onError);
        resolve();
      };
      client.on('error', onError);
      client.connect();
    });
  }

  async stop(): Promise<void> {
    await this.#client.endAsync();
  }
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

/** Logs the connection's life; on each connection, subscribes (new session) then calls `ready`. */
function wireConnection(
  client: MqttClient,
  url: string,
  parts: LinkParts,
  ready: () => void,
): void {
  const { log, metrics, event } = parts;
  client.on('connect', (connack) => {
    (client.stream as Socket).setNoDelay?.(true);
    metrics.brokerConnected.set(1);
    log.info({ url, sessionPresent: connack.sessionPresent }, 'connected to broker');
    if (connack.sessionPresent) ready();
    else {
      client.subscribe(subscriptions(event), (err, granted) => {
        const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? [];
        if (err || refused.length > 0) log.error({ err, refused }, 'subscription refused');
        ready();
      });
    }
    parts.onConnect();
  });
  client.on('close', () => metrics.brokerConnected.set(0));
  client.on('offline', () => log.warn({ url }, 'broker unreachable; reconnecting'));
  client.on('error', (err) => log.warn({ err }, 'mqtt error'));
}
