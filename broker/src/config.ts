import { join } from 'node:path';
import { Bool, OptionalText, Port, parseVariables, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { type BrokerLimits, DEFAULT_LIMITS } from './limits.js';

const count = z.coerce.number().int().min(0);

/**
 * The broker's limits as environment variables: read by `likebox broker` and by `likebox up`,
 * which embeds the broker.
 */
export const LimitsEnvSchema = z.object({
  LIKEBOX_MAX_PAYLOAD_BYTES: count
    .default(DEFAULT_LIMITS.maxPayloadBytes)
    .describe('Largest payload of small topics, in bytes (votes are tiny).'),
  LIKEBOX_MAX_CLIENTS: count
    .default(DEFAULT_LIMITS.maxClients)
    .describe('Most clients connected at once.'),
  LIKEBOX_CONNECTIONS_PER_SECOND: count
    .default(DEFAULT_LIMITS.connectionsPerSecond)
    .describe('Most new connections per remote address per second.'),
  LIKEBOX_MESSAGES_PER_SECOND: count
    .default(DEFAULT_LIMITS.messagesPerSecond)
    .describe('Sustained PUBLISH rate per box or organiser client (0: unlimited).'),
  LIKEBOX_MESSAGE_BURST: count
    .default(DEFAULT_LIMITS.messageBurst)
    .describe('Burst above that rate (a box replaying its outbox).'),
  LIKEBOX_MAX_SUBSCRIPTIONS: count
    .default(DEFAULT_LIMITS.maxSubscriptions)
    .describe('Most subscriptions per client.'),
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

/** Where the users file is: read by `likebox broker`, `likebox users` and `likebox up`. */
export const UsersFileEnv = SharedEnv.pick({ LIKEBOX_DATA_DIR: true, LIKEBOX_USERS_FILE: true });

/** The users file {@link UsersFileEnv} names. */
export function usersFileOf(env: z.infer<typeof UsersFileEnv>): string {
  return env.LIKEBOX_USERS_FILE ?? join(env.LIKEBOX_DATA_DIR, 'users.json');
}

/**
 * The variables of `likebox broker` (ARCHITECTURE.md, "Configuration"), without the checks across
 * them ({@link BrokerEnv} has those): `likebox up` picks from it.
 */
export const BrokerVariables = z.object({
  ...SharedEnv.pick({
    LIKEBOX_EVENT: true,
    LIKEBOX_BIND: true,
    LIKEBOX_MQTT_PORT: true,
    LIKEBOX_WS_PORT: true,
    LIKEBOX_HTTP_PORT: true,
    LIKEBOX_LOG_LEVEL: true,
    LIKEBOX_LOG_FORMAT: true,
  }).shape,
  ...UsersFileEnv.shape,
  LIKEBOX_ALLOW_ANONYMOUS: Bool.default(false).describe(
    'Anonymous MQTT clients get the read-only public role.',
  ),
  LIKEBOX_REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe('Redis URL: cluster mode, several brokers sharing state.'),
  LIKEBOX_TLS_CERT: OptionalText.describe(
    'TLS certificate file (PEM); with the key, serves MQTT over TLS.',
  ),
  LIKEBOX_TLS_KEY: OptionalText.describe('TLS private key file (PEM).'),
  LIKEBOX_TLS_PORT: Port.default(8883).describe('MQTT over TLS port.'),
  LIKEBOX_WS_TLS: Bool.default(false).describe('Serve the WebSocket listener over TLS (wss://).'),
  ...LimitsEnvSchema.shape,
});

/** Environment of `likebox broker`. */
export const BrokerEnv = BrokerVariables.check((ctx) => {
  const { LIKEBOX_TLS_CERT: cert, LIKEBOX_TLS_KEY: key } = ctx.value;
  if ((cert === undefined) !== (key === undefined)) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      path: ['LIKEBOX_TLS_KEY'],
      message: 'LIKEBOX_TLS_CERT and LIKEBOX_TLS_KEY go together: set both or neither',
    });
  }
});

/** Validated configuration of `likebox broker`, with the users file resolved. */
export type Config = z.infer<typeof BrokerEnv> & { LIKEBOX_USERS_FILE: string };

/** The configuration of parsed variables: the users file resolved. */
export function configOf(env: z.infer<typeof BrokerEnv>): Config {
  return { ...env, LIKEBOX_USERS_FILE: usersFileOf(env) };
}

/** Reads the configuration from `env`; throws `ConfigError` listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  return configOf(parseVariables(BrokerEnv, env));
}
