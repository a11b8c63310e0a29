import { join } from 'node:path';
import { type BrokerLimits, LimitsEnvSchema, limitsOf } from '@likebox/broker';
import { Slug } from '@likebox/protocol';
import { ConfigError } from '@likebox/runtime';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
const port = z.coerce.number().int().min(0).max(65_535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => /^(true|1|yes)$/.test(value));

/**
 * What `likebox up` reads on top of the ingest's variables (ARCHITECTURE.md table). Every variable
 * also has a `--flag` (`LIKEBOX_MQTT_PORT` = `--mqtt-port`).
 */
export const UpConfigSchema = z.object({
  /** `LIKEBOX_EVENT`: the event slug in every topic. */
  LIKEBOX_EVENT: Slug.default('demo'),
  /** `LIKEBOX_DATA_DIR`: users file, credentials, journal, managed InfluxDB, demo programme. */
  LIKEBOX_DATA_DIR: z.string().min(1).default('./data'),
  /** `LIKEBOX_BIND`: address of the MQTT, WebSocket and HTTP listeners (loopback by default). */
  LIKEBOX_BIND: z.string().min(1).default('127.0.0.1'),
  /** `LIKEBOX_MQTT_PORT`: MQTT/TCP port (0: any free port). */
  LIKEBOX_MQTT_PORT: port.default(1883),
  /** `LIKEBOX_WS_PORT`: MQTT over WebSocket port, used by the live page (0: any free port). */
  LIKEBOX_WS_PORT: port.default(9001),
  /** `LIKEBOX_HTTP_PORT`: live page, `/healthz` and `/metrics` (0: any free port). */
  LIKEBOX_HTTP_PORT: port.default(8080),
  /** `LIKEBOX_USERS_FILE`: the broker's users; default `$LIKEBOX_DATA_DIR/users.json`. */
  LIKEBOX_USERS_FILE: optionalText,
  /** `LIKEBOX_ALLOW_ANONYMOUS`: anonymous MQTT clients get the read-only public role. */
  LIKEBOX_ALLOW_ANONYMOUS: bool.default(false),
  /** `LIKEBOX_INFLUX_URL`: an InfluxDB to write to; when unset, see `LIKEBOX_INFLUXD`. */
  LIKEBOX_INFLUX_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `LIKEBOX_INFLUXD`: without `LIKEBOX_INFLUX_URL`, `auto` starts a private `influxd` child when
   * one is installed (data in `$LIKEBOX_DATA_DIR/influxdb`, loopback, free port); `off` never does.
   * With neither, votes stay in the journal and are backfilled once an InfluxDB is configured.
   */
  LIKEBOX_INFLUXD: z.enum(['auto', 'off']).default('auto'),
  /** `LIKEBOX_INFLUXD_PATH`: the influxd executable for `LIKEBOX_INFLUXD=auto`. */
  LIKEBOX_INFLUXD_PATH: z.string().min(1).default('influxd'),
  /**
   * `LIKEBOX_SIMULATE` (`--simulate N`): run N simulated boxes in process, voting on the demo
   * programme (BreizhCamp 2015, shifted so that talks run now) unless a schedule file is given.
   */
  LIKEBOX_SIMULATE: z.coerce.number().int().min(0).max(500).default(0),
  /**
   * `LIKEBOX_SCHEDULE_FILE`: the programme (normalised JSON or any importable format). Unset, the
   * `demo` event and simulations replay the demo programme now; other events run without one.
   */
  LIKEBOX_SCHEDULE_FILE: optionalText,
  /** `LIKEBOX_LOG_LEVEL`: pino level of the JSON logs on stdout. */
  LIKEBOX_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** The embedded broker's limits, as for `likebox broker` (`LIKEBOX_MESSAGES_PER_SECOND`, ...). */
  ...LimitsEnvSchema.shape,
});

/** The validated environment of `likebox up`. */
export type UpEnv = z.infer<typeof UpConfigSchema>;

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
  /** MQTT/TCP port, 0 = free. */
  mqttPort: number;
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
  /** Schedule file given by the user, or undefined. */
  scheduleFile: string | undefined;
  /** pino level. */
  logLevel: UpEnv['LIKEBOX_LOG_LEVEL'];
  /** The embedded broker's limits. */
  limits: Partial<BrokerLimits>;
}

/** Reads the `up` configuration from `env`; throws {@link ConfigError} listing every problem. */
export function loadUpConfig(env: Record<string, string | undefined>): UpConfig {
  const parsed = UpConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(z.prettifyError(parsed.error));
  const e = parsed.data;
  return {
    event: e.LIKEBOX_EVENT,
    dataDir: e.LIKEBOX_DATA_DIR,
    usersFile: e.LIKEBOX_USERS_FILE ?? join(e.LIKEBOX_DATA_DIR, 'users.json'),
    bind: e.LIKEBOX_BIND,
    mqttPort: e.LIKEBOX_MQTT_PORT,
    wsPort: e.LIKEBOX_WS_PORT,
    httpPort: e.LIKEBOX_HTTP_PORT,
    allowAnonymous: e.LIKEBOX_ALLOW_ANONYMOUS,
    influxUrl: e.LIKEBOX_INFLUX_URL,
    managedInfluxd: e.LIKEBOX_INFLUXD === 'auto',
    influxdPath: e.LIKEBOX_INFLUXD_PATH,
    simulate: e.LIKEBOX_SIMULATE,
    scheduleFile: e.LIKEBOX_SCHEDULE_FILE,
    logLevel: e.LIKEBOX_LOG_LEVEL,
    limits: limitsOf(e),
  };
}

/** Every variable {@link loadUpConfig} reads, for `--help` and `--flag` parsing. */
export const UP_CONFIG_KEYS = Object.keys(UpConfigSchema.shape) as (keyof UpEnv)[];
