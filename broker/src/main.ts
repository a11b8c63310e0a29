// First, before Aedes loads mqtt-packet: its disabled debug loggers become free.
import '@likebox/runtime/quiet-debug';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { BROKER_HELP, brokerConfig, runBroker } from './brokerCommand.js';
import { BrokerError } from './errors.js';
import { runUsersCommand } from './usersCommand.js';

/**
 * `likebox broker`: reads LIKEBOX_* and the flags, starts the broker and its HTTP server, stops
 * both on SIGINT/SIGTERM. The only place that touches process.env, signals and the exit code.
 */
export async function brokerMain(argv: string[]): Promise<void> {
  let config: ReturnType<typeof brokerConfig>;
  try {
    config = brokerConfig(argv, process.env);
  } catch (err) {
    process.stderr.write(`likebox broker: invalid configuration\n${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (config === null) {
    process.stdout.write(BROKER_HELP);
    return;
  }
  const log = pino({ name: 'broker', level: config.LIKEBOX_LOG_LEVEL });
  let running: Awaited<ReturnType<typeof runBroker>>;
  try {
    running = await runBroker(config, log);
  } catch (err) {
    log.fatal({ err }, 'broker failed to start');
    process.exitCode = 1;
    return;
  }
  if (running.http !== null) log.info({ url: running.http.url }, 'http listening');
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    running.stop().then(
      () => log.info('stopped'),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `likebox users`: manages the users file; prints errors and sets the exit code. */
export async function usersMain(argv: string[]): Promise<void> {
  try {
    await runUsersCommand(argv, process.env, process);
  } catch (err) {
    if (!(err instanceof BrokerError)) throw err;
    process.stderr.write(`likebox users: ${err.message}\n`);
    process.exitCode = 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) await brokerMain(process.argv.slice(2));
