import type { BrokerLimits } from '@likebox/broker';
// The `config` subpaths: defining `likebox up` must not load Aedes, MQTT.js or SQLite.
import { BrokerVariables, LimitsEnvSchema, limitsOf, usersFileOf } from '@likebox/broker/config';
import { checkInfluxCredentials, InfluxEnv, ManagedInfluxdEnv } from '@likebox/influx/env';
import { IngestOwnEnv } from '@likebox/ingest/config';
import { checkScheduleSource, RehearsalEnv, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';

/** Name of the file, in the data folder, where `up` keeps the passwords it generated. */
export const CREDENTIALS_FILE = 'up-credentials.json';

/**
 * What `likebox up` reads (ARCHITECTURE.md table): the shared variables, the broker's users,
 * anonymous access and limits, the ingest's own and InfluxDB variables, and its own. Not the
 * ingest's MQTT client variables: its ingest subscribes to the broker inside the process.
 */
export const UpEnv = z
  .object({
    ...SharedEnv.pick({
      LIKEBOX_EVENT: true,
      LIKEBOX_DATA_DIR: true,
      LIKEBOX_BIND: true,
      LIKEBOX_MQTT_PORT: true,
      LIKEBOX_WS_PORT: true,
      LIKEBOX_HTTP_PORT: true,
      LIKEBOX_SCHEDULE_FILE: true,
      LIKEBOX_SCHEDULE_URL: true,
      LIKEBOX_SCHEDULE_REFRESH_MINUTES: true,
      LIKEBOX_SCHEDULE_TZ: true,
      LIKEBOX_LOG_LEVEL: true,
      LIKEBOX_LOG_FORMAT: true,
    }).shape,
    ...BrokerVariables.pick({ LIKEBOX_USERS_FILE: true, LIKEBOX_ALLOW_ANONYMOUS: true }).shape,
    ...InfluxEnv.shape,
    ...ManagedInfluxdEnv.shape,
    ...IngestOwnEnv.shape,
    LIKEBOX_SIMULATE: z.coerce
      .number()
      .int()
      .min(0)
      .max(500)
      .default(0)
      .describe(
        'Run N simulated boxes (`likebox sim`), voting on the schedule file, or on the demo ' +
          'programme (BreizhCamp 2015, shifted so that talks run now) when none is given.',
      ),
    ...RehearsalEnv.shape,
    ...LimitsEnvSchema.shape,
  })
  .check(checkInfluxCredentials)
  .check(checkScheduleSource)
  .check((ctx) => {
    // The live page needs both: its page on HTTP, its live data over MQTT/WebSocket.
    for (const key of ['LIKEBOX_WS_PORT', 'LIKEBOX_HTTP_PORT'] as const) {
      if (ctx.value[key] !== null) continue;
      const message = 'likebox up serves the live page: it cannot be off';
      ctx.issues.push({ code: 'custom', input: 'off', path: [key], message });
    }
  });

/** The validated environment of `likebox up`. */
export type UpEnv = z.infer<typeof UpEnv>;

/** The `likebox up` configuration, as {@link startUp} takes it. */
export interface UpConfig {
  /** Event slug. */
  event: string;
  /** Data folder (created when missing). */
  dataDir: string;
  /** The broker's users file. */
  usersFile: string;
  /** Listen address of every listener. */
  bind: string;
  /** MQTT/TCP port, 0 = free, null = off (the WebSocket listener then carries MQTT). */
  mqttPort: number | null;
  /** WebSocket port, 0 = free. */
  wsPort: number;
  /** HTTP port, 0 = free. */
  httpPort: number;
  /** Anonymous clients get the public role. */
  allowAnonymous: boolean;
  /** External InfluxDB URL, or undefined. */
  influxUrl: string | undefined;
  /** Start a managed influxd when no URL is given. */
  managedInfluxd: boolean;
  /** influxd executable. */
  influxdPath: string;
  /** Number of simulated boxes (0 = none). */
  simulate: number;
  /** Replay the schedule file now (`--replay-now`). */
  replayNow: boolean;
  /** `likebox sim` variables passed on to the simulated boxes (scenarios, seed, timings). */
  simEnv: Record<string, string>;
  /** Schedule file given by the user, or undefined. */
  scheduleFile: string | undefined;
  /** Programme URL given by the user (`LIKEBOX_SCHEDULE_URL`), or undefined. */
  scheduleUrl: string | undefined;
  /** pino level. */
  logLevel: UpEnv['LIKEBOX_LOG_LEVEL'];
  /** The embedded broker's limits. */
  limits: Partial<BrokerLimits>;
  /** The validated variables, the embedded ingest's settings among them. */
  env: UpEnv;
}

/**
 * The rehearsal variables `up` passes on to `likebox sim`: all but LIKEBOX_REPLAY_NOW, which `up`
 * applies itself (the boxes get the shifted programme). Read off the schema, so that a variable
 * added there cannot be left behind (LIKEBOX_ATTENDEES was, and `up` ignored it).
 */
const SIM_VARIABLES = Object.keys(RehearsalEnv.shape).filter(
  (key) => key !== 'LIKEBOX_REPLAY_NOW',
) as (keyof z.infer<typeof RehearsalEnv>)[];

/** The `likebox sim` variables of `up`, as the simulated boxes' process takes them. */
function simEnvOf(e: UpEnv): Record<string, string> {
  return Object.fromEntries(SIM_VARIABLES.map((key) => [key, String(e[key])]));
}

/** The `up` configuration of its validated variables. */
export function upConfigOf(e: UpEnv): UpConfig {
  return {
    event: e.LIKEBOX_EVENT,
    dataDir: e.LIKEBOX_DATA_DIR,
    usersFile: usersFileOf(e),
    bind: e.LIKEBOX_BIND,
    mqttPort: e.LIKEBOX_MQTT_PORT,
    wsPort: e.LIKEBOX_WS_PORT ?? 0,
    httpPort: e.LIKEBOX_HTTP_PORT ?? 0,
    allowAnonymous: e.LIKEBOX_ALLOW_ANONYMOUS,
    influxUrl: e.LIKEBOX_INFLUX_URL,
    managedInfluxd: e.LIKEBOX_INFLUXD === 'auto',
    influxdPath: e.LIKEBOX_INFLUXD_PATH,
    simulate: e.LIKEBOX_SIMULATE,
    replayNow: e.LIKEBOX_REPLAY_NOW,
    simEnv: simEnvOf(e),
    scheduleFile: e.LIKEBOX_SCHEDULE_FILE,
    scheduleUrl: e.LIKEBOX_SCHEDULE_URL,
    logLevel: e.LIKEBOX_LOG_LEVEL,
    limits: limitsOf(e),
    env: e,
  };
}
