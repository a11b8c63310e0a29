import { filters } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { IngestMetrics } from './metrics.js';

/**
 * How the ingest reaches the broker. Two kinds:
 * - {@link MqttLink} (`likebox ingest`): an MQTT.js client with a persistent session, whose PUBACKs
 *   are held until the journal commit, so the broker redelivers what a crash left unstored;
 * - {@link LocalLink} (`likebox up`): the Aedes broker of the same process, subscribed to directly.
 *   Nothing is encoded, sent over a socket or acknowledged: a crash takes broker and ingest down
 *   together, and each box keeps its votes in its outbox until the retained `ack` says they are
 *   stored, then sends them again.
 */
export interface BrokerLink {
  /** True while messages flow (connected, or subscribed in process). */
  readonly connected: boolean;
  /** Bytes written to the broker and not yet sent (0 in process). */
  readonly backlog: number;
  /** Acknowledgements held until their votes are stored (0 in process: nothing to hold). */
  readonly held: number;
  /** The current connection's number: a release for an earlier connection is ignored. */
  readonly generation: number;
  /** Holds the acknowledgement of QoS 1 message `messageId` until {@link release}. */
  hold(messageId: number): void;
  /** Sends the held acknowledgements of `messageIds` if they belong to connection `generation`. */
  release(messageIds: readonly number[], generation: number): void;
  /** Publishes; a QoS 0 message is skipped while not connected (never queued). */
  publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): void;
  /**
   * Reads the retained message of `topic` as the broker holds it now, before {@link start}:
   * `granted` false when the broker refuses the subscription (its ACL has no such topic).
   */
  readRetained(topic: string): Promise<RetainedRead>;
  /** Reads every retained message under `filter` (wildcards allowed) as the broker holds them now. */
  readRetainedUnder(filter: string): Promise<RetainedUnder>;
  /** Adds a subscription (QoS 1) to a started link; its messages go to the same handler. */
  subscribe(filter: string): void;
  /**
   * Connects (subscribing when the session is new) and resolves once messages flow; the retained
   * messages of the subscriptions come first. Rejects when the broker refuses the credentials.
   */
  start(): Promise<void>;
  /** Disconnects or unsubscribes. */
  stop(): Promise<void>;
}

/** What {@link BrokerLink.readRetained} found. */
export interface RetainedRead {
  /** False when the broker refused the subscription. */
  granted: boolean;
  /** The retained payload, undefined when there is none. */
  payload?: Uint8Array | undefined;
}

/** What {@link BrokerLink.readRetainedUnder} found. */
export interface RetainedUnder {
  /** False when the broker refused the subscription. */
  granted: boolean;
  /** Each retained message's payload by topic. */
  messages: Map<string, Uint8Array>;
}

/**
 * Receives each message from a {@link BrokerLink}. `retained`: a retained message sent on
 * subscription (it may be hours old), not a live one. `messageId`: set when the link can hold the
 * message's acknowledgement (a QoS 1 message on {@link MqttLink}).
 */
export type MessageHandler = (
  topic: string,
  payload: Uint8Array,
  retained: boolean,
  messageId: number | undefined,
) => void;

/**
 * The subscriptions, all QoS 1: every box's vote, status and config, every room's delay and every
 * talk's headcount.
 */
export function subscriptions(event: string): Record<string, { qos: 1 }> {
  return {
    [filters.device(event, '+', 'vote')]: { qos: 1 },
    [filters.device(event, '+', 'status')]: { qos: 1 },
    [filters.device(event, '+', 'config')]: { qos: 1 },
    [filters.room(event, '+', 'delay')]: { qos: 1 },
    [filters.talk(event, '+', '+', 'headcount')]: { qos: 1 },
  };
}

/** What a {@link BrokerLink} reports to. */
export interface LinkParts {
  /** Event slug (the subscriptions). */
  event: string;
  /** Logger (`module: subscriber`). */
  log: Logger;
  /** Metrics (`broker_connected`). */
  metrics: IngestMetrics;
  /** Receives every message; must not throw. */
  onMessage: MessageHandler;
  /** Runs on every (re)connection, to publish the retained outputs a restarted broker may lack. */
  onConnect: () => void;
}
