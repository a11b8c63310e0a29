import {
  type BrokerLink,
  type LinkParts,
  type RetainedRead,
  type RetainedUnder,
  subscriptions,
} from './brokerLink.js';

/** A message as Aedes hands it to an in-process subscriber (Buffer from clients, string from `$SYS`). */
interface LocalMessage {
  topic: string;
  payload: Buffer | string;
}

/** Aedes' in-process delivery callback: `done` lets the broker go on with the next message. */
type Deliver = (packet: LocalMessage, done: () => void) => void;

/**
 * What {@link LocalLink} uses of the broker of its process (`RunningBroker` of `@likebox/broker`
 * has this shape): its Aedes instance (subscribe and publish in process, no client, so no ACL: the
 * ingest is the broker's own code) and its retained messages. Written out here, not imported, so
 * the ingest does not depend on the broker package.
 */
export interface LocalBroker {
  /** The Aedes instance (Aedes 1.x `subscribe`, `unsubscribe`, `publish`, `closed`). */
  aedes: {
    readonly closed: boolean;
    subscribe(topic: string, deliver: Deliver, done: () => void): void;
    unsubscribe(topic: string, deliver: Deliver, done: () => void): void;
    publish(
      packet: {
        cmd: 'publish';
        topic: string;
        payload: Buffer;
        qos: 0 | 1;
        retain: boolean;
        dup: boolean;
      },
      done: (err?: Error | null) => void,
    ): void;
  };
  /** The retained messages whose topics match any of `filters`. */
  retained(filters: string[]): AsyncIterable<LocalMessage>;
}

/**
 * The ingest's link to the Aedes broker of its own process (`likebox up`): subscribed on the
 * broker's emitter, so a vote reaches the journal without being encoded, written to a socket,
 * parsed again and acknowledged: with a loopback MQTT session instead, the one event loop of `up`
 * spent 67-91 µs of CPU per vote in a flood, 28-32 µs with this link (bench/ingest.ts). There is
 * no session to acknowledge: a crash stops the broker too, and each box sends again whatever its
 * retained `ack` does not cover yet.
 */
export class LocalLink implements BrokerLink {
  readonly #broker: LocalBroker;
  readonly #parts: LinkParts;
  readonly #patterns: string[];
  #attached = false;
  /** A live message: retained or not on the publisher's side, it is news to a subscriber [MQTT-3.3.1-9]. */
  readonly #deliver: Deliver = (packet, done) => {
    this.#handle(packet.topic, packet.payload, false);
    done();
  };

  constructor(broker: LocalBroker, parts: LinkParts) {
    this.#broker = broker;
    this.#parts = parts;
    this.#patterns = Object.keys(subscriptions(parts.event));
  }

  get connected(): boolean {
    return this.#attached && !this.#broker.aedes.closed;
  }

  get backlog(): number {
    return 0;
  }

  get generation(): number {
    return 0;
  }

  get held(): number {
    return 0;
  }

  /** Nothing to hold: see the class comment. */
  hold(): void {}

  /** Nothing to release: see the class comment. */
  release(): void {}

  publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): void {
    if (this.#broker.aedes.closed) return;
    const bytes = Buffer.from(payload);
    this.#broker.aedes.publish(
      { cmd: 'publish', topic, payload: bytes, qos, retain, dup: false },
      (err) => {
        if (err) this.#parts.log.warn({ err, topic }, 'publish failed');
      },
    );
  }

  /** The retained message of `topic` in the broker's store (no ACL in process: always granted). */
  async readRetained(topic: string): Promise<RetainedRead> {
    const { messages } = await this.readRetainedUnder(topic);
    return { granted: true, payload: messages.get(topic) };
  }

  /** The retained messages under `filter` in the broker's store. */
  async readRetainedUnder(filter: string): Promise<RetainedUnder> {
    const messages = new Map<string, Uint8Array>();
    for await (const message of this.#broker.retained([filter])) {
      messages.set(message.topic, bytesOf(message.payload));
    }
    return { granted: true, messages };
  }

  subscribe(filter: string): void {
    if (this.#patterns.includes(filter)) return;
    this.#patterns.push(filter);
    if (this.#attached) this.#broker.aedes.subscribe(filter, this.#deliver, () => undefined);
  }

  /** Subscribes, then hands over the retained statuses and configs the broker holds. */
  async start(): Promise<void> {
    await Promise.all(
      this.#patterns.map(
        (pattern) =>
          new Promise<void>((resolve) =>
            this.#broker.aedes.subscribe(pattern, this.#deliver, resolve),
          ),
      ),
    );
    this.#attached = true;
    this.#parts.metrics.brokerConnected.set(1);
    for await (const message of this.#broker.retained(this.#patterns)) {
      this.#handle(message.topic, message.payload, true);
    }
    this.#parts.log.info('attached to the broker of this process');
    this.#parts.onConnect();
  }

  async stop(): Promise<void> {
    if (!this.#attached) return;
    this.#attached = false;
    this.#parts.metrics.brokerConnected.set(0);
    if (this.#broker.aedes.closed) return;
    await Promise.all(
      this.#patterns.map(
        (pattern) =>
          new Promise<void>((resolve) =>
            this.#broker.aedes.unsubscribe(pattern, this.#deliver, resolve),
          ),
      ),
    );
  }

  /** Payloads are Buffers from every client; a string comes only from Aedes' own `$SYS` publishes. */
  #handle(topic: string, payload: Buffer | string, retained: boolean): void {
    try {
      this.#parts.onMessage(topic, bytesOf(payload), retained, undefined);
    } catch (err) {
      this.#parts.log.error({ err, topic }, 'message handler failed');
    }
  }
}

function bytesOf(payload: Buffer | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload) : payload;
}
