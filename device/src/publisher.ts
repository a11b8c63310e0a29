import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import {
  type Ack,
  type DeviceConfig,
  decodePayload,
  encodePayload,
  filters,
  type Now,
  parseTopic,
  type Schedule,
  type Status,
  type Tally,
  TopicDelivery,
  topics,
} from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Outbox } from './outbox.js';

/** Options of the {@link Publisher}. */
export interface PublisherOptions {
  /** Broker URL. */
  url: string;
  /** MQTT username (default: the device id, as the device role expects). */
  username?: string | undefined;
  /** MQTT password. */
  password?: string | undefined;
  /** Event slug. */
  event: string;
  /** Device id: the `{device}` topic level and the fixed MQTT client id. */
  device: string;
  /** Votes published and not yet PUBACKed at once. */
  maxInflight: number;
  /** Without ack progress for this long, unacknowledged votes are published again. */
  ackTimeoutMs: number;
  /** Period of the status heartbeat. */
  heartbeatMs: number;
  /** Delay between reconnection attempts. */
  reconnectMs?: number;
}

/** What the publisher receives for the box, already validated. */
export interface PublisherEvents {
  connection: [connected: boolean];
  ack: [Ack];
  config: [DeviceConfig];
  schedule: [Schedule];
  now: [room: string, now: Now];
  tally: [room: string, tally: Tally];
}

/**
 * The box's MQTT side: publishes the outbox (QoS 1, at most `maxInflight` at once, again after a
 * reconnect or an ack timeout), deletes votes when the retained `ack` covers them, keeps the
 * retained `status` with its last will, and hands validated retained messages to the box.
 *
 * It uses `mqtt.connect` rather than `connectAsync`: `connectAsync` ends the client on the first
 * error (ECONNREFUSED when a box boots before the network), and a box must keep retrying forever.
 */
export class Publisher extends EventEmitter<PublisherEvents> {
  readonly #o: PublisherOptions;
  readonly #log: Logger;
  readonly #outbox: Outbox;
  readonly #status: () => Omit<Status, 'online'>;
  #client: MqttClient | null = null;
  #connected = false;
  #cursor = 1;
  #inflight = 0;
  /** Bumped on every (re)connection: completions of older publishes no longer count. */
  #generation = 0;
  #lastAckProgress = Date.now();
  #timers: NodeJS.Timeout[] = [];
  #errorLogged = false;
  /** Dropped inbound messages (invalid payloads), for the logs and tests. */
  dropped = 0;

  constructor(
    o: PublisherOptions,
    outbox: Outbox,
    status: () => Omit<Status, 'online'>,
    log: Logger,
  ) {
    super();
    this.#o = o;
    this.#outbox = outbox;
    this.#status = status;
    this.#log = log;
  }

  /** Whether the broker connection is up. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Starts connecting (never waits for the network). */
  start(): void {
    const { event, device } = this.#o;
    const client = mqtt.connect(this.#o.url, {
      protocolVersion: 4,
      clientId: device,
      clean: false,
      username: this.#o.username ?? device,
      ...(this.#o.password === undefined ? {} : { password: this.#o.password }),
      keepalive: 30,
      reconnectPeriod: this.#o.reconnectMs ?? 2000,
      connectTimeout: 10_000,
      will: {
        topic: topics.status(event, device),
        payload: Buffer.from(encodePayload('status', { ...this.#status(), online: false })),
        ...TopicDelivery.status,
      },
    });
    this.#client = client;
    client.on('connect', () => this.#onConnect(client));
    client.on('close', () => this.#onClose());
    client.on('error', (err) => {
      // Once per outage at warn: a box offline for hours would otherwise log every retry.
      if (this.#errorLogged) this.#log.debug({ err }, 'mqtt error');
      else this.#log.warn({ err }, 'mqtt error');
      this.#errorLogged = true;
    });
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    this.#timers.push(setInterval(() => this.#heartbeat(), this.#o.heartbeatMs));
    this.#timers.push(
      setInterval(() => this.#checkAckTimeout(), Math.max(100, this.#o.ackTimeoutMs / 4)),
    );
  }

  /** Publishes the retained `online:false` status and disconnects. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    const client = this.#client;
    this.#client = null;
    if (client === null) return;
    if (this.#connected) {
      await Promise.race([
        this.#publishStatus(client, false),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    }
    await client.endAsync(!this.#connected);
  }

  /** Publishes waiting votes, up to the in-flight window. Call after recording a vote. */
  pump(): void {
    const client = this.#client;
    if (client === null || !this.#connected) return;
    const room = this.#o.maxInflight - this.#inflight;
    if (room <= 0) return;
    const votes = this.#outbox.pending(this.#cursor, room);
    const generation = this.#generation;
    const topic = topics.vote(this.#o.event, this.#o.device);
    for (const vote of votes) {
      this.#cursor = vote.seq + 1;
      this.#inflight++;
      client
        .publishAsync(topic, encodePayload('vote', vote), TopicDelivery.vote)
        .catch((err: unknown) => this.#log.debug({ err, seq: vote.seq }, 'vote publish failed'))
        .finally(() => {
          if (generation !== this.#generation) return;
          this.#inflight--;
          this.pump();
        });
    }
  }

  #onConnect(client: MqttClient): void {
    // Nagle holds small segments back (QoS 0 p99 measured at 31-35 ms with it, 1.4 ms without,
    // at 2,000 msg/s): no delay on the box's socket.
    if (client.stream instanceof Socket) client.stream.setNoDelay(true);
    this.#connected = true;
    this.#errorLogged = false;
    this.#generation++;
    this.#inflight = 0;
    this.#cursor = this.#outbox.ackedSeq + 1;
    this.#lastAckProgress = Date.now();
    this.#log.info({ url: this.#o.url }, 'connected');
    this.emit('connection', true);
    const { event, device } = this.#o;
    const subscriptions = [
      filters.device(event, device, 'ack'),
      filters.device(event, device, 'config'),
      filters.schedule(event),
      filters.room(event, '+', 'now'),
      filters.room(event, '+', 'tally'),
    ];
    client
      .subscribeAsync(subscriptions, { qos: 1 })
      .then((granted) => {
        // A subscription outside the device role gets return code 128 instead of an error.
        const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
        if (refused.length > 0) this.#log.warn({ refused }, 'subscriptions refused by the broker');
      })
      .catch((err: unknown) => this.#log.warn({ err }, 'subscribe failed'));
    this.#publishStatus(client, true).catch((err: unknown) =>
      this.#log.debug({ err }, 'status publish failed'),
    );
    this.pump();
  }

  #onClose(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#generation++;
    this.#inflight = 0;
    this.#log.warn('disconnected');
    this.emit('connection', false);
  }

  #onMessage(topic: string, payload: Buffer): void {
    try {
      const dropped = this.#dispatch(topic, payload);
      if (dropped !== null) this.#drop(topic, dropped);
    } catch (err) {
      this.#log.error({ err, topic }, 'handler failed');
    }
  }

  /** Hands a message to the box; returns why it was dropped, or null. */
  #dispatch(topic: string, payload: Buffer): string | null {
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.event !== this.#o.event) return 'unexpected topic';
    const kind = parsed.kind;
    const wanted = ['ack', 'config', 'schedule', 'now', 'tally'] as const;
    if (!(wanted as readonly string[]).includes(kind)) return 'unexpected topic';
    if ('device' in parsed && parsed.device !== this.#o.device) return 'another device';
    if (payload.length === 0) return null; // a cleared retained message
    const decoded = decodePayload(kind as (typeof wanted)[number], payload);
    if (!decoded.success) return decoded.error;
    const data = decoded.data;
    if (kind === 'ack') this.#onAck(data as Ack);
    else if (kind === 'config') this.emit('config', data as DeviceConfig);
    else if (kind === 'schedule') this.emit('schedule', data as Schedule);
    else if ('room' in parsed && kind === 'now') this.emit('now', parsed.room, data as Now);
    else if ('room' in parsed) this.emit('tally', parsed.room, data as Tally);
    return null;
  }

  #onAck(ack: Ack): void {
    const before = this.#outbox.ackedSeq;
    const deleted = this.#outbox.acknowledge(ack.seq);
    if (ack.seq > before) this.#lastAckProgress = Date.now();
    if (this.#cursor <= ack.seq) this.#cursor = ack.seq + 1;
    this.#log.debug({ seq: ack.seq, deleted }, 'ack');
    this.emit('ack', ack);
  }

  #checkAckTimeout(): void {
    if (!this.#connected || this.#outbox.depth === 0) {
      this.#lastAckProgress = Date.now();
      return;
    }
    if (Date.now() - this.#lastAckProgress < this.#o.ackTimeoutMs) return;
    this.#log.info(
      { from: this.#outbox.ackedSeq + 1, depth: this.#outbox.depth },
      'ack timeout: publishing again',
    );
    this.#lastAckProgress = Date.now();
    this.#generation++;
    this.#inflight = 0;
    this.#cursor = this.#outbox.ackedSeq + 1;
    this.pump();
  }

  #heartbeat(): void {
    const client = this.#client;
    if (client === null || !this.#connected) return;
    this.#publishStatus(client, true).catch((err: unknown) =>
      this.#log.debug({ err }, 'status publish failed'),
    );
  }

  async #publishStatus(client: MqttClient, online: boolean): Promise<void> {
    const status = encodePayload('status', { ...this.#status(), online });
    await client.publishAsync(
      topics.status(this.#o.event, this.#o.device),
      status,
      TopicDelivery.status,
    );
  }

  #drop(topic: string, reason: string): void {
    this.dropped++;
    this.#log.warn({ topic, reason }, 'inbound message dropped');
  }
}
