import { join } from 'node:path';
import { defineCommand, limitHeapGrowth } from '@likebox/runtime';
import type { UpSummary } from './up.js';
import { CREDENTIALS_FILE, UpEnv, upConfigOf } from './upConfig.js';

function scheduleText(s: UpSummary): string {
  if (s.scheduleUrl !== null) return `schedule ${s.scheduleUrl}`;
  return s.scheduleFile === null
    ? 'no schedule (votes keep talk=none)'
    : `schedule ${s.scheduleFile}`;
}

/** The one line that says what runs where (stderr, for the person who typed `npm start`). */
export function summaryLine(s: UpSummary): string {
  const influx =
    s.influxUrl === null
      ? `InfluxDB none (${s.influxNote}): votes stay in the journal and are backfilled once one is set`
      : `InfluxDB ${s.influxUrl} (${s.influx})`;
  // Bound to every address: the addresses a phone, a TV or a box can open, not 0.0.0.0.
  const lan = s.lan;
  const parts = [
    `event ${s.event}`,
    `MQTT ${lan === null ? s.mqttUrl : lan.mqtt.join(' ')}`,
    ...(s.wsUrl === null ? [] : [`WebSocket ${lan === null ? s.wsUrl : lan.ws.join(' ')}`]),
    `live page ${lan === null ? s.httpUrl : lan.http.join(' ')}`,
    influx,
    scheduleText(s),
    `data ${s.dataDir}`,
    ...(s.simulated > 0 ? [`${s.simulated} simulated boxes`] : []),
  ];
  return `likebox up: ${parts.join(' | ')}`;
}

function firstRunHint(s: UpSummary): string {
  if (s.createdUsers.length === 0) return '';
  const file = join(s.dataDir, CREDENTIALS_FILE);
  return (
    `likebox up: created users ${s.createdUsers.join(', ')} (random passwords, kept in ${file}). ` +
    'Add a box with: npx likebox users add box-1 --role device\n'
  );
}

/** What to tell the person who typed `npm start` about a port already taken. */
export function explainFailure(err: unknown): string | undefined {
  if ((err as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return undefined;
  const port = (err as { port?: number }).port;
  return (
    `port ${port ?? ''} is already in use (another broker, such as Debian's mosquitto ` +
    'service? `sudo systemctl stop mosquitto`, or choose another port with --mqtt-port, ' +
    '--ws-port or --http-port)'
  );
}

/**
 * `likebox up` (and `npm start`): starts the event server, prints what runs where, and runs
 * until SIGINT/SIGTERM, then stops every part in reverse order so nothing accepted is lost.
 */
export const upCommand = defineCommand({
  name: 'up',
  summary: 'the whole event server in one process: broker, ingest, live web page',
  description:
    'The whole event server in one process: MQTT broker, ingest (journal, acks, tallies, ' +
    'InfluxDB) and the live web page. Loopback only unless LIKEBOX_BIND says otherwise. On ' +
    'first run it creates the accounts it needs with random passwords (hashes in the users ' +
    `file, clear text only in $LIKEBOX_DATA_DIR/${CREDENTIALS_FILE}, mode 0600).`,
  env: UpEnv,
  examples: [
    'npm start                          broker, ingest and live page on 127.0.0.1',
    'npm start -- --simulate 6          plus six simulated boxes voting on a replayed programme',
    'npx likebox users add box-1 --role device  an account for a real box',
  ],
  explain: explainFailure,
  run: async (ctx) => {
    limitHeapGrowth();
    // Listen first: a Ctrl-C during the start stops what has started once it is up.
    const signalled = ctx.untilSignal();
    // Loaded here: defining the command (for `--help`) must not load every part.
    const { startUp } = await import('./up.js');
    const summary = await startUp(upConfigOf(ctx.env), { logger: ctx.log, parts: ctx.parts });
    ctx.log.info({ ...summary }, 'likebox up ready');
    ctx.io.stderr.write(`${summaryLine(summary)}\n${firstRunHint(summary)}`);
    await signalled;
    return 0;
  },
});
