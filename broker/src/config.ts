import { join } from 'node:path';
import { isSlug } from '@likebox/protocol';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { type BrokerLimits, DEFAULT_LIMITS } from './limits.js';

const port = z.coerce.number().int().min(0).max(65535);
/** A port, or `off` / empty to disable the listener. */
const optionalPort = z
  .union([z.literal('off'), z.literal(''), port])
  .transform((v) => (v === 'off' || v === '' ? null : v));
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const count = z.coerce.number().int().min(0);

/**
 * The broker's limits as environment variables: read by `likebox broker` and by `likebox up`,
 * which embeds the broker.
 */
export const LimitsEnvSchema = z.object({
  /** Largest payload of small topics (bytes); votes are tiny. */
  LIKEBOX_MAX_PAYLOAD_BYTES: count.default(DEFAULT_LIMITS.maxPayloadBytes),
  /** Most clients connected at once. */
  LIKEBOX_MAX_CLIENTS: count.default(DEFAULT_LIMITS.maxClients),
  /** Most new connections per remote address per second. */
  LIKEBOX_CONNECTIONS_PER_SECOND: count.default(DEFAULT_LIMITS.connectionsPerSecond),
  /** Sustained PUBLISH rate per box or organiser client (0 = unlimited). */
  LIKEBOX_MESSAGES_PER_SECOND: count.default(DEFAULT_LIMITS.messagesPerSecond),
  /** Burst above that rate (an outbox replay). */
  LIKEBOX_MESSAGE_BURST: count.default(DEFAULT_LIMITS.messageBurst),
  /** Most subscriptions per client. */
  LIKEBOX_MAX_SUBSCRIPTIONS: count.default(DEFAULT_LIMITS.maxSubscriptions),
});

/** The {@link BrokerLimits} that {@link LimitsEnvSchema} variables set. */
export function limitsOf(env: z.infer<typeof LimitsEnvSchema>): Partial<BrokerLimits> {
  return {
    maxPayloadBytes: env.LIKEBOX_MAX_PAYLOAD_BYTES,
    maxClients: env.LIKEBOX_MAX_CLIENTS,
    connectionsPerSecond: env.LIKEBOX_CONNECTIONS_PER_SECOND,
    messagesPerSecond: env.LIKEBOX_MESSAGES_PER_SECOND,
    messageBurst: env.LIKEBOX_MESSAGE_BURST,
    maxSubscriptions: env.LIKEBOX_MAX_SUBSCRIPTIONS,
  };
}

/** Environment of `likebox broker` and `likebox users` (ARCHITECTURE.md, "Configuration"). */
export const ConfigSchema = z
  .object({
    /** The event slug: users without an `event` of their own act on this one. */
    LIKEBOX_EVENT: z.string().refine(isSlug, 'must be a slug').default('demo'),
    /** Data directory; holds the users file by default. */
    LIKEBOX_DATA_DIR: z.string().min(1).default('./data'),
    /** Users file; default `$LIKEBOX_DATA_DIR/users.json`. */
    LIKEBOX_USERS_FILE: z.string().min(1).optional(),
    /** Address every listener binds to; loopback by default. */
    LIKEBOX_BIND: z.string().min(1).default('127.0.0.1'),
    /** MQTT/TCP port, or `off` (when TLS or WebSocket carries the traffic). */
    LIKEBOX_MQTT_PORT: optionalPort.default(1883),
    /** MQTT over WebSocket port, or `off`. */
    LIKEBOX_WS_PORT: optionalPort.default(9001),
    /** HTTP port of `/health` and `/metrics`, or `off`. */
    LIKEBOX_HTTP_PORT: optionalPort.default(8080),
    /** Anonymous clients get the public role. */
    LIKEBOX_ALLOW_ANONYMOUS: bool.default(false),
    /** Redis URL: cluster mode. */
    LIKEBOX_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** TLS certificate file (PEM); with the key, enables MQTT over TLS. */
    LIKEBOX_TLS_CERT: z.string().min(1).optional(),
    /** TLS private key file (PEM). */
    LIKEBOX_TLS_KEY: z.string().min(1).optional(),
    /** MQTT over TLS port. */
    LIKEBOX_TLS_PORT: port.default(8883),
    /** Serve the WebSocket listener over TLS too (wss://). */
    LIKEBOX_WS_TLS: bool.default(false),
    ...LimitsEnvSchema.shape,
    /** Log level. */
    LIKEBOX_LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine((c) => (c.LIKEBOX_TLS_CERT === undefined) === (c.LIKEBOX_TLS_KEY === undefined), {
    message: 'LIKEBOX_TLS_CERT and LIKEBOX_TLS_KEY go together: set both or neither',
    path: ['LIKEBOX_TLS_KEY'],
  });

/** Validated configuration of the broker commands. */
export type Config = z.infer<typeof ConfigSchema> & { LIKEBOX_USERS_FILE: string };

/** Reads the configuration from `env`; throws {@link ConfigError} listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(z.prettifyError(parsed.error));
  const config = parsed.data;
  return {
    ...config,
    LIKEBOX_USERS_FILE: config.LIKEBOX_USERS_FILE ?? join(config.LIKEBOX_DATA_DIR, 'users.json'),
  };
}

/** The `--flag` of an environment variable: `LIKEBOX_MQTT_PORT` → `mqtt-port`. */
export function flagOf(variable: string): string {
  return variable
    .replace(/^LIKEBOX_/, '')
    .toLowerCase()
    .replaceAll('_', '-');
}

/** Every configuration variable with its flag, for `--help`. */
export const CONFIG_VARIABLES = Object.keys(ConfigSchema.shape);
