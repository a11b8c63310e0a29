import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { type Logger, pino } from 'pino';
import { connectedClients } from './aedes/internals.js';
import { type AuthPolicy, AuthThrottle, DEFAULT_AUTH_POLICY } from './authThrottle.js';
import { FairCheckQueue } from './checkQueue.js';
import { type ClusterParts, createClusterParts } from './cluster.js';
import type { BrokerContext } from './context.js';
import { ConfigError } from './errors.js';
import { wireEvents } from './events.js';
import { createAuthenticate } from './hooks/authenticate.js';
import { createAuthorizePublish } from './hooks/authorizePublish.js';
import { createAuthorizeSubscribe } from './hooks/authorizeSubscribe.js';
import { type BrokerLimits, ConnectionRateLimiter, DEFAULT_LIMITS } from './limits.js';
import {
  type BrokerListeners,
  HANDSHAKE_TIMEOUT_MS,
  listenMqtt,
  listenWebSocket,
  type TlsOptions,
} from './listeners.js';
import { LikeboxMemoryPersistence } from './memoryPersistence.js';
import { BrokerMetrics } from './metrics.js';
import { guardPacketSize, packetLimitFor } from './packetGuard.js';
import { describeBroker, type RunningBroker } from './runningBroker.js';
import { assertSafeToListen } from './safety.js';
import { UserDirectory } from './userDirectory.js';
import { batchWrites } from './writeBatching.js';

export type { BrokerHealth, RetainedMessage, RunningBroker } from './runningBroker.js';

/** Options of {@link startBroker}; only `usersFile` is required. */
export interface StartBrokerOptions {
  /** Path of the users JSON file (`likebox users`); a missing file means no users. */
  usersFile: string;
  /** Address to bind every listener to. Default `127.0.0.1`. */
  host?: string;
  /**
   * MQTT/TCP port. Default 1883; 0 = a free port; null = off (when TLS or WebSocket carries the
   * traffic: at least one listener must remain).
   */
  mqttPort?: number | null;
  /** MQTT over WebSocket port; null/undefined = off; 0 = a free port. */
  wsPort?: number | null;
  /**
   * Port of the live page: the 426 answer the WebSocket port gives a plain HTTP request (someone
   * who opened it in a browser) points there. Default: that answer names no port.
   */
  livePagePort?: number;
  /** Certificate and key: enables the MQTT over TLS listener (and WSS with `wsTls`). */
  tls?: TlsOptions;
  /** MQTT over TLS port, used when `tls` is set. Default 8883; 0 = a free port. */
  tlsPort?: number;
  /** Serve the WebSocket listener over HTTPS with `tls`. Default false. */
  wsTls?: boolean;
  /**
   * Ms a connection has for its TLS handshake, and a WebSocket connection for its upgrade, before
   * it is closed. Default 10,000.
   */
  handshakeTimeoutMs?: number;
  /** Accept clients without credentials, with the public role. Default false. */
  allowAnonymous?: boolean;
  /** Event of users whose entry has no `event`; undefined = such users may act on any event. */
  event?: string;
  /** Limits; each missing field takes its default from `DEFAULT_LIMITS`. */
  limits?: Partial<BrokerLimits>;
  /** Login throttle and password-check queue; each missing field from `DEFAULT_AUTH_POLICY`. */
  auth?: Partial<AuthPolicy>;
  /** Redis URL: cluster mode (mqemitter-redis + aedes-persistence-redis). Default off. */
  redisUrl?: string;
  /** Logger; the broker logs through `logger.child({ module: 'broker' })`. Default: silent. */
  logger?: Logger;
  /** Also collect Node process metrics (CPU, memory, GC) in `metrics`. Default false. */
  processMetrics?: boolean;
  /** Id of this broker in a cluster (Aedes `id`). Default: random. */
  id?: string;
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
    if (socket.remoteAddress !== undefined) ctx.addresses.set(client, socket.remoteAddress);
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
  const auth = { ...DEFAULT_AUTH_POLICY, ...options.auth };
  const checks = new FairCheckQueue({
    concurrent: auth.concurrentChecks,
    perAddress: auth.queuePerAddress,
    total: auth.queueTotal,
  });
  const throttle = new AuthThrottle(auth);
  const onReload = (changed: ReadonlySet<string>) => {
    for (const name of changed) throttle.forgetAccount(name);
    revokeChanged(ctx);
  };
  const ctx: BrokerContext = {
    aedes: null,
    users: new UserDirectory(options.usersFile, log, checks, onReload),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    metrics: new BrokerMetrics({ processMetrics: options.processMetrics ?? false }),
    log,
    event: options.event ?? null,
    allowAnonymous: options.allowAnonymous ?? false,
    clients: new WeakMap(),
    wills: new WeakMap(),
    addresses: new WeakMap(),
    throttle,
    auth,
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

/** Refuses a configuration that would leave no way in. */
function assertSomeListener(options: StartBrokerOptions): void {
  if (options.mqttPort === null && options.tls === undefined && (options.wsPort ?? null) === null) {
    throw new ConfigError(
      'the MQTT port is off and there is no other listener: keep LIKEBOX_MQTT_PORT, or serve ' +
        'MQTT over TLS (LIKEBOX_TLS_CERT and LIKEBOX_TLS_KEY) or WebSocket (LIKEBOX_WS_PORT)',
    );
  }
}

async function openListeners(
  into: BrokerListeners,
  accept: ReturnType<typeof createAccept>,
  ctx: BrokerContext,
  options: StartBrokerOptions,
  host: string,
): Promise<void> {
  if (options.mqttPort !== null)
    into.mqtt = await listenMqtt(accept, host, options.mqttPort ?? 1883);
  const { handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS } = options;
  if (options.tls !== undefined) {
    const port = options.tlsPort ?? 8883;
    into.tls = await listenMqtt(accept, host, port, options.tls, handshakeTimeoutMs);
  }
  if (options.wsPort !== undefined && options.wsPort !== null) {
    into.ws = await listenWebSocket(accept, host, options.wsPort, {
      maxPayload: packetLimitFor('ingest', ctx.limits),
      handshakeTimeoutMs,
      ...(options.wsTls === true && options.tls !== undefined ? { tls: options.tls } : {}),
      ...(options.livePagePort === undefined ? {} : { livePagePort: options.livePagePort }),
    });
  }
}

/**
 * Starts an Aedes broker with LikeBox's users, roles, ACL, limits and metrics on MQTT/TCP, and
 * optionally MQTT over WebSocket and TLS. Embeddable: `likebox up` and other workspaces' tests
 * run it in process (port 0 = a free port).
 */
export async function startBroker(options: StartBrokerOptions): Promise<RunningBroker> {
  assertSomeListener(options);
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
  const listeners: BrokerListeners = {};
  const closeAll = async () => {
    ctx.users.close();
    await Promise.allSettled(Object.values(listeners).map((listener) => listener.close()));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await cluster?.close();
  };
  try {
    await openListeners(listeners, createAccept(aedes, ctx), ctx, options, host);
  } catch (err) {
    await closeAll();
    throw err;
  }
  ctx.users.watch();
  return describeBroker(aedes, ctx, {
    host,
    listeners,
    wsTls: options.wsTls === true,
    clustered: cluster !== null,
    close: closeAll,
  });
}
