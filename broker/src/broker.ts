import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import { connectedClients, retainedStore } from './aedes/internals.js';
import { type ClusterParts, createClusterParts } from './cluster.js';
import type { BrokerContext } from './context.js';
import { wireEvents } from './events.js';
import { createAuthenticate } from './hooks/authenticate.js';
import { createAuthorizePublish } from './hooks/authorizePublish.js';
import { createAuthorizeSubscribe } from './hooks/authorizeSubscribe.js';
import { type BrokerLimits, ConnectionRateLimiter, DEFAULT_LIMITS } from './limits.js';
import { type Listener, listenMqtt, listenWebSocket, type TlsOptions } from './listeners.js';
import { LikeboxMemoryPersistence } from './memoryPersistence.js';
import { BrokerMetrics } from './metrics.js';
import { guardPacketSize, packetLimitFor } from './packetGuard.js';
import { assertSafeToListen } from './safety.js';
import { UserDirectory } from './userDirectory.js';
import { batchWrites } from './writeBatching.js';

/** Options of {@link startBroker}; only `usersFile` is required. */
export interface StartBrokerOptions {
  /** Path of the users JSON file (`likebox users`); a missing file means no users. */
  usersFile: string;
  /** Address to bind every listener to. Default `127.0.0.1`. */
  host?: string;
  /** MQTT/TCP port. Default 1883; 0 = a free port. */
  mqttPort?: number;
  /** MQTT over WebSocket port; null/undefined = off; 0 = a free port. */
  wsPort?: number | null;
  /** Certificate and key: enables the MQTT over TLS listener (and WSS with `wsTls`). */
  tls?: TlsOptions;
  /** MQTT over TLS port, used when `tls` is set. Default 8883; 0 = a free port. */
  tlsPort?: number;
  /** Serve the WebSocket listener over HTTPS with `tls`. Default false. */
  wsTls?: boolean;
  /** Accept clients without credentials, with the public role. Default false. */
  allowAnonymous?: boolean;
  /** Event of users whose entry has no `event`; undefined = such users may act on any event. */
  event?: string;
  /** Limits; each missing field takes its default from `DEFAULT_LIMITS`. */
  limits?: Partial<BrokerLimits>;
  /** Redis URL: cluster mode (mqemitter-redis + aedes-persistence-redis). Default off. */
  redisUrl?: string;
  /** Logger; the broker logs through `logger.child({ module: 'broker' })`. Default: silent. */
  logger?: Logger;
  /** Also collect Node process metrics (CPU, memory, GC) in `metrics`. Default false. */
  processMetrics?: boolean;
  /** Id of this broker in a cluster (Aedes `id`). Default: random. */
  id?: string;
}

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

/** A broker started by {@link startBroker}. */
export interface RunningBroker {
  /** The Aedes instance. */
  aedes: Aedes;
  /**
   * The retained messages whose topics match any of `filters`: what a subscriber in this process
   * (`aedes.subscribe`, which passes on live messages only) would have been sent on subscription.
   */
  retained(filters: string[]): AsyncIterable<RetainedMessage>;
  /** `mqtt://host:port` of the TCP listener. */
  mqttUrl: string;
  /** `ws://host:port` (or `wss://`) of the WebSocket listener, or null when off. */
  wsUrl: string | null;
  /** `mqtts://host:port` of the TLS listener, or null when off. */
  mqttsUrl: string | null;
  /** Port of the TCP listener. */
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

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function createAccept(aedes: Aedes, ctx: BrokerContext) {
  const limiter = new ConnectionRateLimiter(ctx.limits);
  const initialLimit = packetLimitFor(null, ctx.limits);
  return (stream: Duplex, socket: Socket, req?: IncomingMessage) => {
    if (!limiter.admit(socket.remoteAddress)) {
      ctx.metrics.refusedConnections.inc({ reason: 'rate' });
      ctx.log.warn({ address: socket.remoteAddress }, 'connection rate limit: connection closed');
      stream.destroy();
      return;
    }
    batchWrites(stream);
    const client = aedes.handle(stream, req);
    guardPacketSize(client, initialLimit);
  };
}

/** Closes the clients whose user was removed or whose password or role changed. */
function revokeChanged(ctx: BrokerContext): void {
  const clients = ctx.aedes === null ? [] : connectedClients(ctx.aedes);
  for (const client of clients) {
    const state = ctx.clients.get(client);
    if (state === undefined || state.identity.user === null) continue;
    const entry = ctx.users.get(state.identity.user);
    if (entry?.hash === state.hash && entry.role === state.identity.role) continue;
    ctx.log.info(
      { clientId: client.id, user: state.identity.user },
      'credentials changed: client closed',
    );
    client.close();
  }
}

function createContext(options: StartBrokerOptions, log: Logger): BrokerContext {
  const ctx: BrokerContext = {
    aedes: null,
    users: new UserDirectory(options.usersFile, log, () => revokeChanged(ctx)),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    metrics: new BrokerMetrics({ processMetrics: options.processMetrics ?? false }),
    log,
    event: options.event ?? null,
    allowAnonymous: options.allowAnonymous ?? false,
    clients: new WeakMap(),
    wills: new WeakMap(),
  };
  return ctx;
}

function createAedes(
  ctx: BrokerContext,
  options: StartBrokerOptions,
  cluster: ClusterParts | null,
) {
  return Aedes.createBroker({
    ...(options.id === undefined ? {} : { id: options.id }),
    // Single broker: our in-memory persistence, whose QoS 1/2 outgoing store does not scan.
    persistence: cluster === null ? new LikeboxMemoryPersistence() : cluster.persistence,
    ...(cluster === null ? {} : { mq: cluster.mq }),
    connectTimeout: 10_000,
    maxTopicLevels: ctx.limits.maxTopicLevels,
    preConnect: (client, packet, callback) => {
      if (packet.will?.topic !== undefined) ctx.wills.set(client, packet.will.topic);
      callback(null, true);
    },
    authenticate: createAuthenticate(ctx),
    authorizePublish: createAuthorizePublish(ctx),
    authorizeSubscribe: createAuthorizeSubscribe(ctx),
    authorizeForward: (_client, packet) => {
      ctx.metrics.countOut();
      return packet;
    },
  });
}

/**
 * Starts an Aedes broker with LikeBox's users, roles, ACL, limits and metrics on MQTT/TCP, and
 * optionally MQTT over WebSocket and TLS. Embeddable: `likebox up` and other workspaces' tests
 * run it in process (port 0 = a free port).
 */
export async function startBroker(options: StartBrokerOptions): Promise<RunningBroker> {
  const log = (options.logger ?? pino({ level: 'silent' })).child({ module: 'broker' });
  const host = options.host ?? '127.0.0.1';
  const ctx = createContext(options, log);
  await ctx.users.load();
  assertSafeToListen(host, ctx.users.users());
  const cluster =
    options.redisUrl === undefined ? null : await createClusterParts(options.redisUrl);
  const aedes = await createAedes(ctx, options, cluster);
  ctx.aedes = aedes;
  wireEvents(aedes, ctx);
  const accept = createAccept(aedes, ctx);
  const listeners: Listener[] = [];
  const closeAll = async () => {
    ctx.users.close();
    await Promise.allSettled(listeners.map((listener) => listener.close()));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await cluster?.close();
  };
  try {
    listeners.push(await listenMqtt(accept, host, options.mqttPort ?? 1883));
    if (options.tls !== undefined) {
      listeners.push(await listenMqtt(accept, host, options.tlsPort ?? 8883, options.tls));
    }
    if (options.wsPort !== undefined && options.wsPort !== null) {
      const tls = options.wsTls === true ? options.tls : undefined;
      const maxPayload = packetLimitFor('ingest', ctx.limits);
      listeners.push(await listenWebSocket(accept, host, options.wsPort, maxPayload, tls));
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  ctx.users.watch();
  return describe(aedes, ctx, options, host, listeners, closeAll, cluster !== null);
}

function describe(
  aedes: Aedes,
  ctx: BrokerContext,
  options: StartBrokerOptions,
  host: string,
  listeners: Listener[],
  closeAll: () => Promise<void>,
  clustered: boolean,
): RunningBroker {
  const [mqtt, ...others] = listeners as [Listener, ...Listener[]];
  const tls = options.tls === undefined ? undefined : others.shift();
  const ws = others.shift();
  const h = urlHost(host);
  let closing: Promise<void> | null = null;
  ctx.log.info(
    { host, mqttPort: mqtt.port, wsPort: ws?.port, tlsPort: tls?.port, clustered },
    'broker listening',
  );
  const store = retainedStore(aedes);
  return {
    aedes,
    retained: (filters) => store.createRetainedStreamCombi(filters),
    mqttUrl: `mqtt://${h}:${mqtt.port}`,
    wsUrl: ws === undefined ? null : `${options.wsTls === true ? 'wss' : 'ws'}://${h}:${ws.port}`,
    mqttsUrl: tls === undefined ? null : `mqtts://${h}:${tls.port}`,
    mqttPort: mqtt.port,
    wsPort: ws?.port ?? null,
    tlsPort: tls?.port ?? null,
    metrics: ctx.metrics.registry,
    health: () => ({
      status: closing === null ? 'ok' : 'closing',
      clients: aedes.connectedClients,
      id: aedes.id,
      cluster: clustered,
    }),
    close: () => {
      closing ??= closeAll().then(() => ctx.log.info('broker closed'));
      return closing;
    },
  };
}
