import { readFile } from 'node:fs/promises';
import { type RunningHttpServer, startHttpServer } from '@likebox/runtime';
import type { Logger } from 'pino';
import { assertNoProblems, type FlagSpec, parseCommandLine } from './args.js';
import { type RunningBroker, startBroker } from './broker.js';
import { CONFIG_VARIABLES, type Config, flagOf, limitsOf, loadConfig } from './config.js';

const BOOLEAN_VARIABLES = new Set(['LIKEBOX_ALLOW_ANONYMOUS', 'LIKEBOX_WS_TLS']);

/** `--flag` → variable, for every configuration variable. */
export const BROKER_FLAGS: Record<string, FlagSpec> = Object.fromEntries(
  CONFIG_VARIABLES.map((variable) => [
    flagOf(variable),
    { variable, boolean: BOOLEAN_VARIABLES.has(variable) },
  ]),
);

/** Help text of `likebox broker`. */
export const BROKER_HELP = `Usage: likebox broker [options]

The LikeBox MQTT broker: Aedes on MQTT/TCP and MQTT over WebSocket (optionally TLS), users and
roles from the users file (\`likebox users\`), the ACL of ARCHITECTURE.md, limits, /health and
/metrics on the HTTP port. With LIKEBOX_REDIS_URL, several brokers share state (cluster mode).

Every option is also an environment variable: --mqtt-port 1883 = LIKEBOX_MQTT_PORT=1883.
${CONFIG_VARIABLES.map((v) => `  --${flagOf(v).padEnd(24)} ${v}`).join('\n')}
`;

/** A running `likebox broker`. */
export interface BrokerCommand {
  /** The broker. */
  broker: RunningBroker;
  /** The health/metrics server, or null when off. */
  http: RunningHttpServer | null;
  /** Stops HTTP then the broker, each in its own try. */
  stop(): Promise<void>;
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

/** Parses the command line over `env`; returns null when `--help` was asked. */
export function brokerConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): Config | null {
  const line = parseCommandLine(argv, env, BROKER_FLAGS);
  if (line.help) return null;
  let config: Config | undefined;
  try {
    config = loadConfig(line.env);
  } catch (err) {
    assertNoProblems(line.problems, err);
  }
  if (line.positionals.length > 0) line.problems.push(`unexpected argument ${line.positionals[0]}`);
  assertNoProblems(line.problems);
  return config as Config;
}

/** Starts the broker and its HTTP server from a validated configuration. */
export async function runBroker(config: Config, log: Logger): Promise<BrokerCommand> {
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
    logger: log,
    processMetrics: true,
  });
  let http: RunningHttpServer | null = null;
  if (config.LIKEBOX_HTTP_PORT !== null) {
    try {
      http = await startHttpServer({
        host: config.LIKEBOX_BIND,
        port: config.LIKEBOX_HTTP_PORT,
        registries: [broker.metrics],
        health: () => broker.health(),
      });
    } catch (err) {
      await broker.close();
      throw err;
    }
  }
  const stop = async () => {
    try {
      await http?.close();
    } catch (err) {
      log.error({ err }, 'closing the HTTP server failed');
    }
    await broker.close();
  };
  return { broker, http, stop };
}
