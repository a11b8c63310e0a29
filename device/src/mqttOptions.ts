import { readFileSync } from 'node:fs';
import { encodePayload, type Status, TopicDelivery, topics } from '@likebox/protocol';
import type { IClientOptions } from 'mqtt';
import { ConfigError } from './errors.js';

/**
 * Default MQTT keepalive of a box, in seconds: a dead link (a black hole: no RST, no FIN) is
 * noticed by the box within 1.5 × 9 = 13.5 s, and by the broker (whose will then says offline)
 * as fast. 30 s took 45–50 s. The cost is a 2-byte PINGREQ and PINGRESP per 9 s of silence.
 */
export const DEFAULT_KEEPALIVE_S = 9;

/** Options of the box's MQTT side (`Publisher`). */
export interface PublisherOptions {
  /** Broker URL. */
  url: string;
  /** MQTT username (default: the device id, as the device role expects). */
  username?: string | undefined;
  /** MQTT password. */
  password?: string | undefined;
  /** Event slug. */
  event: string;
  /** Device id: the `{device}` topic level; the MQTT client id is `{device}-{epoch}`. */
  device: string;
  /** Votes published and not yet PUBACKed at once. */
  maxInflight: number;
  /** Without ack progress for this long, unacknowledged votes are published again. */
  ackTimeoutMs: number;
  /** Period of the status heartbeat. */
  heartbeatMs: number;
  /**
   * MQTT keepalive in seconds (default {@link DEFAULT_KEEPALIVE_S}): MQTT.js pings after this long
   * without an inbound packet and closes the link when nothing came back at 1.5 × keepalive (its
   * KeepaliveManager); the broker gives up on a silent box after 1.5 × keepalive (MQTT-3.1.2-24).
   */
  keepaliveS?: number;
  /**
   * PEM file of CA certificates to trust for mqtts:// and wss://, besides Node's: a broker with a
   * self-signed certificate. MQTT.js hands `ca` to `tls.connect`, and to `ws` for wss://.
   */
  caFile?: string | undefined;
  /** Delay between reconnection attempts. */
  reconnectMs?: number;
  /** Delay before the first retry after the broker refused the login, ms (`LoginRetry`). */
  loginRetryMs?: number;
}

/** Default delay between reconnection attempts after a network failure. */
export const RECONNECT_MS = 2000;

/** Reads the CA file; throws ConfigError when it cannot. */
function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`cannot read the broker's CA file ${file}`, { cause: err });
  }
}

/**
 * MQTT.js options of a box: MQTT 3.1.1, a persistent session under `clientId`, the keepalive,
 * the CA when given, and the last will.
 */
export function mqttOptions(
  o: PublisherOptions,
  clientId: string,
  will: NonNullable<IClientOptions['will']>,
): IClientOptions {
  return {
    protocolVersion: 4,
    clientId,
    clean: false,
    username: o.username ?? o.device,
    ...(o.password === undefined ? {} : { password: o.password }),
    ...(o.caFile === undefined ? {} : { ca: readCa(o.caFile) }),
    keepalive: o.keepaliveS ?? DEFAULT_KEEPALIVE_S,
    reconnectPeriod: o.reconnectMs ?? RECONNECT_MS,
    // A refused login is retried too (MQTT.js stops after one by default), at the pace the
    // publisher sets in `reconnectPeriod` from the error handler.
    reconnectOnConnackError: true,
    connectTimeout: 10_000,
    will,
  };
}

/** The last will of a box: its retained status with `online:false`. */
export function offlineWill(
  o: Pick<PublisherOptions, 'event' | 'device'>,
  status: Omit<Status, 'online'>,
): NonNullable<IClientOptions['will']> {
  return {
    topic: topics.status(o.event, o.device),
    payload: Buffer.from(encodePayload('status', { ...status, online: false, link: 'offline' })),
    ...TopicDelivery.status,
  };
}

/** Whether `promise` resolves within `ms` (false when it rejects or takes longer). */
export function resolvesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const resolved = promise.then(
    () => true,
    () => false,
  );
  return Promise.race([resolved, timeout]).finally(() => clearTimeout(timer));
}
