import { readFile } from 'node:fs/promises';
import {
  type CommandContext,
  defineCommand,
  type HealthCheck,
  healthOf,
  startHttpServer,
} from '@likebox/runtime';
import type { BrokerHealth } from './broker.js';
import { BrokerEnv, type Config, configOf, limitsOf } from './config.js';

/** The `broker` check of a health document, from the broker's own health. */
export function brokerCheck(health: BrokerHealth): HealthCheck {
  const { status, ...details } = health;
  return status === 'ok'
    ? { status: 'ok', ...details }
    : { status: 'failing', reason: 'the broker is closing', ...details };
}

async function tlsOf(config: Config) {
  if (config.LIKEBOX_TLS_CERT === undefined || config.LIKEBOX_TLS_KEY === undefined)
    return undefined;
  const [cert, key] = await Promise.all([
    readFile(config.LIKEBOX_TLS_CERT),
    readFile(config.LIKEBOX_TLS_KEY),
  ]);
  return { cert, key };
}

/** Starts the broker and its HTTP server, each pushed on the command's parts. */
async function startParts(config: Config, ctx: CommandContext<unknown, unknown>): Promise<void> {
  // Loaded here: defining the command (for `--help`, or `likebox` listing variables) must not
  // load Aedes.
  const { startBroker } = await import('./broker.js');
  const tls = await tlsOf(config);
  const broker = await startBroker({
    usersFile: config.LIKEBOX_USERS_FILE,
    host: config.LIKEBOX_BIND,
    mqttPort: config.LIKEBOX_MQTT_PORT,
    wsPort: config.LIKEBOX_WS_PORT,
    ...(tls === undefined
      ? {}
      : { tls, tlsPort: config.LIKEBOX_TLS_PORT, wsTls: config.LIKEBOX_WS_TLS }),
    allowAnonymous: config.LIKEBOX_ALLOW_ANONYMOUS,
    event: config.LIKEBOX_EVENT,
    ...(config.LIKEBOX_REDIS_URL === undefined ? {} : { redisUrl: config.LIKEBOX_REDIS_URL }),
    limits: limitsOf(config),
    logger: ctx.log,
    processMetrics: true,
  });
  ctx.parts.push('broker', () => broker.close());
  if (config.LIKEBOX_HTTP_PORT === null) return;
  const http = await startHttpServer({
    host: config.LIKEBOX_BIND,
    port: config.LIKEBOX_HTTP_PORT,
    registries: [broker.metrics],
    health: () => healthOf({ broker: brokerCheck(broker.health()) }),
    log: ctx.log.child({ module: 'http' }),
  });
  ctx.parts.push('http', () => http.close());
  ctx.log.info({ url: http.url }, 'http listening');
}

/**
 * `likebox broker`: starts the broker and its HTTP server (`/healthz`, `/metrics`), runs until
 * SIGINT/SIGTERM, then stops both.
 */
export const brokerCommand = defineCommand({
  name: 'broker',
  summary: 'the MQTT broker (TCP, WebSocket, TLS) with users, roles and ACL',
  description:
    'The LikeBox MQTT broker: Aedes on MQTT/TCP and MQTT over WebSocket (optionally TLS), users ' +
    'and roles from the users file (`likebox users`), the ACL of ARCHITECTURE.md, limits, ' +
    '/healthz and /metrics on the HTTP port. With LIKEBOX_REDIS_URL, several brokers share ' +
    'state (cluster mode).',
  env: BrokerEnv,
  run: async (ctx) => {
    const signalled = ctx.untilSignal();
    await startParts(configOf(ctx.env), ctx);
    await signalled;
    return 0;
  },
});
