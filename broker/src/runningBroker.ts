import type { Aedes } from 'aedes';
import type { Registry } from 'prom-client';
import { retainedStore } from './aedes/internals.js';
import type { BrokerContext } from './context.js';
import { BrokerError } from './errors.js';
import type { BrokerListeners } from './listeners.js';

/** Health of a running broker, as served on `/health`. */
export interface BrokerHealth {
  /** `ok` while listening, `closing` once `close()` was called. */
  status: 'ok' | 'closing';
  /** Connected clients. */
  clients: number;
  /** Aedes broker id. */
  id: string;
  /** Cluster mode on Redis. */
  cluster: boolean;
}

/** A retained message as the broker's persistence keeps it. */
export interface RetainedMessage {
  /** Its topic. */
  topic: string;
  /** Its payload. */
  payload: Buffer;
}

/** A broker started by `startBroker`. */
export interface RunningBroker {
  /** The Aedes instance. */
  aedes: Aedes;
  /**
   * The retained messages whose topics match any of `filters`: what a subscriber in this process
   * (`aedes.subscribe`, which passes on live messages only) would have been sent on subscription.
   */
  retained(filters: string[]): AsyncIterable<RetainedMessage>;
  /**
   * `mqtt://host:port` of the TCP listener; when it is off, the URL of the TLS listener, else of
   * the WebSocket one (the broker's main entry either way).
   */
  mqttUrl: string;
  /** `ws://host:port` (or `wss://`) of the WebSocket listener, or null when off. */
  wsUrl: string | null;
  /** `mqtts://host:port` of the TLS listener, or null when off. */
  mqttsUrl: string | null;
  /** Port of the TCP listener; when it is off, the port of {@link RunningBroker.mqttUrl}. */
  mqttPort: number;
  /** Port of the WebSocket listener, or null when off. */
  wsPort: number | null;
  /** Port of the TLS listener, or null when off. */
  tlsPort: number | null;
  /** The broker's own Prometheus registry. */
  metrics: Registry;
  /** The broker's health. */
  health(): BrokerHealth;
  /** Stops the listeners, disconnects every client and closes Aedes (and Redis). */
  close(): Promise<void>;
}

/** What {@link describeBroker} needs besides Aedes and the context. */
export interface BrokerParts {
  /** The address the listeners are bound to. */
  host: string;
  /** The listeners, by kind (at least one). */
  listeners: BrokerListeners;
  /** The WebSocket listener serves HTTPS (wss://). */
  wsTls: boolean;
  /** Cluster mode on Redis. */
  clustered: boolean;
  /** Stops the listeners, Aedes and Redis. */
  close: () => Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The {@link RunningBroker} handle of a started broker: its URLs, health and `close()`. */
export function describeBroker(
  aedes: Aedes,
  ctx: BrokerContext,
  parts: BrokerParts,
): RunningBroker {
  const { mqtt, tls, ws } = parts.listeners;
  const h = urlHost(parts.host);
  let closing: Promise<void> | null = null;
  ctx.log.info(
    {
      host: parts.host,
      mqttPort: mqtt?.port ?? null,
      wsPort: ws?.port,
      tlsPort: tls?.port,
      clustered: parts.clustered,
    },
    'broker listening',
  );
  const store = retainedStore(aedes);
  const wsUrl = ws === undefined ? null : `${parts.wsTls ? 'wss' : 'ws'}://${h}:${ws.port}`;
  const mqttsUrl = tls === undefined ? null : `mqtts://${h}:${tls.port}`;
  const main = mqtt ?? tls ?? ws;
  if (main === undefined) throw new BrokerError('a broker has at least one listener');
  return {
    aedes,
    retained: (filters) => store.createRetainedStreamCombi(filters),
    mqttUrl: mqtt === undefined ? (mqttsUrl ?? wsUrl ?? '') : `mqtt://${h}:${mqtt.port}`,
    wsUrl,
    mqttsUrl,
    mqttPort: main.port,
    wsPort: ws?.port ?? null,
    tlsPort: tls?.port ?? null,
    metrics: ctx.metrics.registry,
    health: () => ({
      status: closing === null ? 'ok' : 'closing',
      clients: aedes.connectedClients,
      id: aedes.id,
      cluster: parts.clustered,
    }),
    close: () => {
      closing ??= parts.close().then(() => ctx.log.info('broker closed'));
      return closing;
    },
  };
}
