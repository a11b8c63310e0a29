import { flagOf, limitHeapGrowth, parseArgs, untilSignal } from '@likebox/runtime';
import { pino } from 'pino';
import { CONFIG_KEYS, loadConfig } from './config.js';
import { startIngest } from './ingest.js';

const VARIABLES: [string, string][] = [
  ['LIKEBOX_EVENT', 'event slug in every topic (demo)'],
  ['LIKEBOX_DATA_DIR', 'folder of the journal (./data)'],
  ['LIKEBOX_JOURNAL_FILE', 'SQLite journal ($LIKEBOX_DATA_DIR/ingest-journal.sqlite)'],
  ['LIKEBOX_JOURNAL_SYNC', 'full (fsync each commit) or normal (full)'],
  ['LIKEBOX_MQTT_URL', 'broker URL (mqtt://127.0.0.1:1883)'],
  ['LIKEBOX_MQTT_USERNAME', 'user with the ingest role (ingest)'],
  ['LIKEBOX_MQTT_PASSWORD', 'its password'],
  ['LIKEBOX_MQTT_CLIENT_ID', 'persistent session id (likebox-ingest-{event})'],
  ['LIKEBOX_INFLUX_URL', 'InfluxDB URL; none = journal only, backfilled later'],
  ['LIKEBOX_INFLUX_DATABASE', 'v1 database / 2.x DBRP / 3.x database (likebox)'],
  ['LIKEBOX_INFLUX_RETENTION_POLICY', 'retention policy to write into (database default)'],
  ['LIKEBOX_INFLUX_RETENTION', 'duration of a created retention policy (INF)'],
  ['LIKEBOX_INFLUX_USERNAME', '1.x user (with a token: any, likebox)'],
  ['LIKEBOX_INFLUX_PASSWORD', '1.x password'],
  ['LIKEBOX_INFLUX_TOKEN', '2.x / 3.x API token'],
  ['LIKEBOX_INFLUX_BATCH_SIZE', 'points per write (5000)'],
  ['LIKEBOX_SCHEDULE_FILE', 'schedule file, watched and reloaded'],
  ['LIKEBOX_PUBLIC_VOTES_PER_SECOND', 'cap of the public votes stream per room (200; 0 = off)'],
  ['LIKEBOX_CLOCK_TOLERANCE_MS', 'box clock error before re-timing (10000)'],
  ['LIKEBOX_BIND', 'HTTP address (127.0.0.1)'],
  ['LIKEBOX_HTTP_PORT', 'HTTP port of /health and /metrics (8080; 0 = any)'],
  ['LIKEBOX_LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (info)'],
];

/** `likebox ingest --help`. */
export const INGEST_HELP = [
  'Usage: likebox ingest [--flag value ...]',
  '',
  'MQTT votes into the durable journal and InfluxDB; acks, tallies, now, schedule.',
  'Every setting is an environment variable or the matching flag (the flag wins):',
  '',
  ...VARIABLES.map(([key, text]) => `  ${flagOf(key).padEnd(30)} ${key.padEnd(32)} ${text}`),
  '',
].join('\n');

/**
 * `likebox ingest`: reads the configuration (environment, then flags), starts the ingest and runs
 * until SIGINT/SIGTERM, then stops it cleanly. A bad configuration or a failed start logs the
 * problem and sets exit code 1.
 */
export async function ingest(argv: string[]): Promise<void> {
  let log = pino({ name: 'ingest' });
  try {
    const args = parseArgs(argv, process.env, CONFIG_KEYS);
    if (args.help) {
      process.stdout.write(INGEST_HELP);
      return;
    }
    const config = loadConfig(args.env);
    log = pino({ name: 'ingest', level: config.logLevel });
    limitHeapGrowth();
    const signalled = untilSignal(log);
    const running = await startIngest(config, { logger: log, processMetrics: true });
    await signalled;
    await running.stop();
    log.info('stopped');
  } catch (err) {
    log.fatal({ err }, 'ingest failed to start');
    process.exitCode = 1;
  }
}
