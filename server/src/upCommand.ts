import { join } from 'node:path';
import { loadConfig as loadIngestConfig } from '@likebox/ingest';
import { ConfigError, flagOf, limitHeapGrowth, untilSignal } from '@likebox/runtime';
import { type Logger, pino } from 'pino';
import { CREDENTIALS_FILE } from './credentials.js';
import type { UpSummary } from './up.js';
import { startUp } from './up.js';
import { parseUpArgs } from './upArgs.js';
import { loadUpConfig, type UpConfig } from './upConfig.js';

const VARIABLES: [string, string][] = [
  ['LIKEBOX_EVENT', 'event slug in every topic (demo)'],
  ['LIKEBOX_DATA_DIR', 'users, credentials, journal, managed InfluxDB (./data)'],
  ['LIKEBOX_BIND', 'address of every listener (127.0.0.1)'],
  ['LIKEBOX_MQTT_PORT', 'MQTT port (1883; 0 = any free port)'],
  ['LIKEBOX_WS_PORT', 'MQTT over WebSocket port, for the live page (9001; 0 = any)'],
  ['LIKEBOX_HTTP_PORT', 'live page, /healthz, /metrics (8080; 0 = any)'],
  ['LIKEBOX_USERS_FILE', 'broker users ($LIKEBOX_DATA_DIR/users.json)'],
  ['LIKEBOX_ALLOW_ANONYMOUS', 'anonymous MQTT clients get the public role (false)'],
  ['LIKEBOX_INFLUX_URL', 'InfluxDB to write to (none: see LIKEBOX_INFLUXD)'],
  ['LIKEBOX_INFLUXD', 'auto: start a local influxd when installed; off (auto)'],
  ['LIKEBOX_INFLUXD_PATH', 'influxd executable (influxd)'],
  ['LIKEBOX_SIMULATE', 'N simulated boxes on the demo programme replayed now (0)'],
  ['LIKEBOX_SCHEDULE_FILE', 'programme: normalised, BreizhCamp, frab, pretalx, Sessionize'],
  ['', '(unset: the demo event replays BreizhCamp 2015 now)'],
  ['LIKEBOX_LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent (info)'],
  ['LIKEBOX_MESSAGES_PER_SECOND', 'PUBLISH rate per box (1000; 0 = unlimited); the other broker'],
  ['', 'limits too, as in `likebox broker --help` (LIKEBOX_MAX_CLIENTS, ...)'],
];

/** `likebox up --help`. */
export const UP_HELP = [
  'Usage: likebox up [--flag value ...]        npm start -- [--flag value ...]',
  '',
  'The whole event server in one process: MQTT broker, ingest (journal, acks, tallies, InfluxDB)',
  'and the live web page. Loopback only unless LIKEBOX_BIND says otherwise. On first run it creates',
  `the accounts it needs with random passwords (hashes in the users file, clear text only in`,
  `$LIKEBOX_DATA_DIR/${CREDENTIALS_FILE}, mode 0600). Every setting is an environment variable or`,
  'the matching flag (the flag wins); the ingest settings of `likebox ingest --help` apply too.',
  '',
  ...VARIABLES.map(([key, text]) => {
    const flag = key === '' ? '' : flagOf(key);
    return `  ${flag.padEnd(18)} ${key.padEnd(24)} ${text}`;
  }),
  '',
  'Examples:',
  '  npm start                          broker, ingest and live page on 127.0.0.1',
  '  npm start -- --simulate 6          plus six simulated boxes voting on a replayed programme',
  '  npx likebox users add box-1 --role device  an account for a real box',
  '',
].join('\n');

/** Reads both the `up` and the ingest settings, listing every problem of both at once. */
function loadAll(env: Record<string, string | undefined>): UpConfig {
  const problems: string[] = [];
  let config: UpConfig | undefined;
  try {
    config = loadUpConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err.message);
  }
  try {
    loadIngestConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err.message);
  }
  if (config === undefined || problems.length > 0) throw new ConfigError(problems.join('\n'));
  return config;
}

/** The one line that says what runs where (stderr, for the person who typed `npm start`). */
export function summaryLine(s: UpSummary): string {
  const influx =
    s.influxUrl === null
      ? `InfluxDB none (${s.influxNote}): votes stay in the journal and are backfilled once one is set`
      : `InfluxDB ${s.influxUrl} (${s.influx})`;
  const parts = [
    `event ${s.event}`,
    `MQTT ${s.mqttUrl}`,
    ...(s.wsUrl === null ? [] : [`WebSocket ${s.wsUrl}`]),
    `live page ${s.httpUrl}`,
    influx,
    s.scheduleFile === null ? 'no schedule (votes keep talk=none)' : `schedule ${s.scheduleFile}`,
    `data ${s.dataDir}`,
    ...(s.simulated > 0 ? [`${s.simulated} simulated boxes`] : []),
  ];
  return `likebox up: ${parts.join(' | ')}`;
}

function firstRunHint(s: UpSummary): string | null {
  if (s.createdUsers.length === 0) return null;
  const file = join(s.dataDir, CREDENTIALS_FILE);
  return (
    `likebox up: created users ${s.createdUsers.join(', ')} (random passwords, kept in ${file}). ` +
    'Add a box with: npx likebox users add box-1 --role device'
  );
}

/** What to tell the person who typed `npm start` when it failed, besides the JSON log. */
export function explainFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'EADDRINUSE') {
    const port = (err as { port?: number }).port;
    return (
      `likebox up: port ${port ?? ''} is already in use (another broker, such as Debian's ` +
      'mosquitto service? `sudo systemctl stop mosquitto`, or choose another port with ' +
      '--mqtt-port, --ws-port or --http-port)'
    );
  }
  if (err instanceof ConfigError) return `likebox up: invalid configuration\n${message}`;
  return `likebox up: failed to start: ${message}`;
}

/** How long a stopped `up` may take to exit on its own, ms. */
export const EXIT_GRACE_MS = 5000;

/**
 * Every part is stopped, so the process should end as the event loop drains. A handle some
 * library leaves open (seen once in a while in CI right after the simulated boxes started: the
 * process logged `stopped` and never exited) would keep it running until SIGKILL, or a systemd or
 * Docker stop timeout: after {@link EXIT_GRACE_MS} it exits anyway, naming what was still open.
 * The timer is unref'd: it never delays a normal exit.
 */
function exitIfStillRunning(log: Logger): void {
  setTimeout(() => {
    log.warn({ open: process.getActiveResourcesInfo() }, 'still running after stop: exiting');
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

/**
 * `likebox up` (and `npm start`): reads the configuration (environment, then flags), starts the
 * event server, prints what runs where, and runs until SIGINT/SIGTERM, then stops every part in
 * order so nothing accepted is lost. A bad configuration or a failed start logs every problem and
 * sets exit code 1.
 */
export async function up(argv: string[]): Promise<void> {
  let log = pino({ name: 'likebox-up' });
  try {
    const args = parseUpArgs(argv, process.env);
    if (args.help) {
      process.stdout.write(UP_HELP);
      return;
    }
    const config = loadAll(args.env);
    log = pino({ name: 'likebox-up', level: config.logLevel });
    limitHeapGrowth();
    // Listen first: a Ctrl-C during start-up stops what has started once it is up.
    const signalled = untilSignal(log);
    const running = await startUp(config, { logger: log, env: args.env });
    log.info({ ...running.summary }, 'likebox up ready');
    const hint = firstRunHint(running.summary);
    process.stderr.write(`${summaryLine(running.summary)}\n${hint === null ? '' : `${hint}\n`}`);
    await signalled;
    await running.stop();
    log.info('stopped');
    exitIfStillRunning(log);
  } catch (err) {
    log.fatal({ err }, 'likebox up failed');
    process.stderr.write(`${explainFailure(err)}\n`);
    process.exitCode = 1;
  }
}
