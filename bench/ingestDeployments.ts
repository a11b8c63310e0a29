/**
 * The two deployments bench/ingest.ts measures, each started as it ships:
 * - standalone: `likebox broker` (bench/ingestBroker.ts) and `node ingest/dist/main.js`, two
 *   processes, the ingest on an MQTT persistent session;
 * - `likebox up`: broker, ingest (subscribed in process) and live page in one process, as
 *   `npm start`, the container image and the systemd unit run it.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { addUser } from '@likebox/broker';
import { nodeFlags, spawnLine } from './processes.js';

/** An ingest under test: where it reports what it stored. */
export interface RunningIngest {
  /** Its process (the whole server for `up`). */
  child: ChildProcess;
  /** `/metrics` of the ingest. */
  metricsUrl: string;
  /** Journal votes not yet in InfluxDB. */
  pending(): Promise<number>;
}

/** Votes the ingest stored in its journal since it started (`/metrics`). */
export async function accepted(ingest: RunningIngest): Promise<number> {
  const text = await (await fetch(ingest.metricsUrl)).text();
  return Number(/likebox_ingest_votes_accepted_total (\d+)/.exec(text)?.[1] ?? 0);
}

/** Journal votes not yet in InfluxDB, from the health document's `journal` check. */
async function journalPending(url: string): Promise<number> {
  const health = (await (await fetch(url)).json()) as { checks: { journal: { pending: number } } };
  return health.checks.journal.pending;
}

/** Starts `node ingest/dist/main.js` (event `event`) on `brokerUrl`, writing database `db`. */
export async function startStandaloneIngest(
  dataDir: string,
  options: { event: string; brokerUrl: string; password: string; influxUrl: string; db: string },
): Promise<RunningIngest & { clientId: string }> {
  const clientId = `bench-${options.db}`;
  const env = {
    LIKEBOX_EVENT: options.event,
    LIKEBOX_DATA_DIR: dataDir,
    LIKEBOX_MQTT_URL: options.brokerUrl,
    LIKEBOX_MQTT_USERNAME: 'ingest',
    LIKEBOX_MQTT_PASSWORD: options.password,
    LIKEBOX_MQTT_CLIENT_ID: clientId,
    LIKEBOX_INFLUX_URL: options.influxUrl,
    LIKEBOX_INFLUX_DATABASE: options.db,
    LIKEBOX_HTTP_PORT: '0',
    LIKEBOX_LOG_LEVEL: 'info',
  };
  const flags = nodeFlags('BENCH_INGEST_FLAGS');
  const [child, line] = await spawnLine([...flags, 'ingest/dist/main.js'], env, /"ingest started"/);
  const httpUrl = (JSON.parse(line) as { httpUrl: string }).httpUrl;
  return {
    child,
    clientId,
    metricsUrl: `${httpUrl}/metrics`,
    pending: () => journalPending(`${httpUrl}/healthz`),
  };
}

/** A running `likebox up`, with the MQTT URL its boxes connect to. */
export interface RunningUp extends RunningIngest {
  /** `mqtt://127.0.0.1:PORT`. */
  mqttUrl: string;
  /** `http://127.0.0.1:PORT`: the live page and the API. */
  httpUrl: string;
}

/**
 * Writes the users of `likebox up` for the bench into `dataDir/users.json`: boxes `box-1…n` on
 * the server's event, and boxes `ref-1…n` with a reader `ref-reader` (organiser) pinned to event
 * `refEvent`, so that the reference delivery goes through the same broker without reaching the
 * ingest (subscribed to the server's event only).
 */
export async function writeUpUsers(
  dataDir: string,
  boxes: number,
  password: string,
  refEvent: string,
): Promise<void> {
  const usersFile = join(dataDir, 'users.json');
  for (let i = 1; i <= boxes; i += 1) {
    await addUser(usersFile, `box-${i}`, 'device', password);
    await addUser(usersFile, `ref-${i}`, 'device', password, { event: refEvent });
  }
  await addUser(usersFile, 'ref-reader', 'organiser', password, { event: refEvent });
}

/**
 * Starts `node server/bin/likebox.js up` on free ports (no per-client rate limit: a protection, not
 * what is measured), writing database `db` of the InfluxDB at `influxUrl`; without `influx`, `up`
 * starts its own influxd as it ships. `env`: more variables (a programme, ...).
 */
export async function startUp(
  dataDir: string,
  options: { event: string; influx?: { url: string; db: string }; env?: Record<string, string> },
): Promise<RunningUp> {
  const influx = options.influx;
  const env = {
    LIKEBOX_EVENT: options.event,
    LIKEBOX_DATA_DIR: dataDir,
    LIKEBOX_MQTT_PORT: '0',
    LIKEBOX_WS_PORT: '0',
    LIKEBOX_HTTP_PORT: '0',
    ...(influx === undefined
      ? {}
      : { LIKEBOX_INFLUX_URL: influx.url, LIKEBOX_INFLUX_DATABASE: influx.db }),
    LIKEBOX_MESSAGES_PER_SECOND: '0',
    LIKEBOX_LOG_LEVEL: 'info',
    ...options.env,
  };
  const [child, line] = await spawnLine(
    [...nodeFlags('BENCH_UP_FLAGS'), 'server/bin/likebox.js', 'up'],
    env,
    /"likebox up ready"/,
  );
  const summary = JSON.parse(line) as { mqttUrl: string; httpUrl: string };
  const http = summary.httpUrl.replace(/\/$/, '');
  return {
    child,
    mqttUrl: summary.mqttUrl,
    httpUrl: http,
    metricsUrl: `${http}/metrics`,
    // `/healthz` of `up` holds the ingest's health under `ingest`.
    pending: () => journalPending(`${http}/healthz`),
  };
}
