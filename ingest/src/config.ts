import { join } from 'node:path';
import type { InfluxConfig } from '@likebox/influx';
import { Slug } from '@likebox/protocol';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * The ingest configuration, read from `LIKEBOX_*` environment variables (ARCHITECTURE.md table)
 * or the matching `--flags` of `likebox ingest`.
 */
export const ConfigSchema = z
  .object({
    /** `LIKEBOX_EVENT`: the event slug in every topic. */
    LIKEBOX_EVENT: Slug.default('demo'),
    /** `LIKEBOX_DATA_DIR`: folder of the journal (`ingest-journal.sqlite`). */
    LIKEBOX_DATA_DIR: z.string().min(1).default('./data'),
    /** `LIKEBOX_JOURNAL_FILE`: the SQLite journal; default `$LIKEBOX_DATA_DIR/ingest-journal.sqlite`. */
    LIKEBOX_JOURNAL_FILE: optionalText,
    /**
     * `LIKEBOX_JOURNAL_SYNC`: `full` fsyncs every journal transaction (a vote acked to a box survives
     * a power cut); `normal` only survives a process crash, and is faster on slow disks.
     */
    LIKEBOX_JOURNAL_SYNC: z.enum(['full', 'normal']).default('full'),
    /** `LIKEBOX_MQTT_URL`: the broker. */
    LIKEBOX_MQTT_URL: z.url({ protocol: /^(mqtts?|wss?|tcp)$/ }).default('mqtt://127.0.0.1:1883'),
    /** `LIKEBOX_MQTT_USERNAME`: a user with the `ingest` role. */
    LIKEBOX_MQTT_USERNAME: z.string().min(1).default('ingest'),
    /** `LIKEBOX_MQTT_PASSWORD`: its password (none by default: the broker refuses anonymous ingest). */
    LIKEBOX_MQTT_PASSWORD: optionalText,
    /** `LIKEBOX_MQTT_CLIENT_ID`: the fixed client id of the persistent session; default `likebox-ingest-{event}`. */
    LIKEBOX_MQTT_CLIENT_ID: optionalText,
    /** `LIKEBOX_INFLUX_URL`: InfluxDB base URL; none = journal only, backfilled once configured. */
    LIKEBOX_INFLUX_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** `LIKEBOX_INFLUX_DATABASE`: the v1 database (2.x/3.x: the DBRP-mapped bucket / database). */
    LIKEBOX_INFLUX_DATABASE: z.string().min(1).default('likebox'),
    /** `LIKEBOX_INFLUX_RETENTION_POLICY`: write into this retention policy (1.x: created when missing). */
    LIKEBOX_INFLUX_RETENTION_POLICY: optionalText,
    /** `LIKEBOX_INFLUX_RETENTION`: duration of a created retention policy, InfluxQL syntax. */
    LIKEBOX_INFLUX_RETENTION: z
      .string()
      .regex(/^(INF|\d+[smhdw])$/, 'must be INF or a duration such as 30d, 52w')
      .default('INF'),
    /** `LIKEBOX_INFLUX_USERNAME`: 1.x user (with a token: any name, default `likebox`). */
    LIKEBOX_INFLUX_USERNAME: optionalText,
    /** `LIKEBOX_INFLUX_PASSWORD`: 1.x password. */
    LIKEBOX_INFLUX_PASSWORD: optionalText,
    /** `LIKEBOX_INFLUX_TOKEN`: 2.x/3.x API token, sent as the v1 password; skips database creation. */
    LIKEBOX_INFLUX_TOKEN: optionalText,
    /** `LIKEBOX_INFLUX_BATCH_SIZE`: largest number of points per write request. */
    LIKEBOX_INFLUX_BATCH_SIZE: positiveInt(50_000).default(5000),
    /** `LIKEBOX_SCHEDULE_FILE`: the schedule (normalised JSON, or any importable programme); watched. */
    LIKEBOX_SCHEDULE_FILE: optionalText,
    /** `LIKEBOX_PUBLIC_VOTES_PER_SECOND`: cap of the public `votes` stream per room (0: off). */
    LIKEBOX_PUBLIC_VOTES_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(200),
    /** `LIKEBOX_CLOCK_TOLERANCE_MS`: how far a box clock may be off before its votes are re-timed. */
    LIKEBOX_CLOCK_TOLERANCE_MS: positiveInt(86_400_000).default(10_000),
    /** `LIKEBOX_BIND`: address of the HTTP health and metrics server. */
    LIKEBOX_BIND: z.string().min(1).default('127.0.0.1'),
    /** `LIKEBOX_HTTP_PORT`: port of `/health` and `/metrics` (0: any free port). */
    LIKEBOX_HTTP_PORT: port.default(8080),
    /** `LIKEBOX_LOG_LEVEL`: pino level. */
    LIKEBOX_LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .check((ctx) => {
    const value = ctx.value;
    if (value.LIKEBOX_INFLUX_TOKEN !== undefined && value.LIKEBOX_INFLUX_PASSWORD !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        path: ['LIKEBOX_INFLUX_TOKEN'],
        message: 'set LIKEBOX_INFLUX_TOKEN (2.x/3.x) or LIKEBOX_INFLUX_PASSWORD (1.x), not both',
      });
    }
  });

/** The raw, validated environment. */
export type Env = z.infer<typeof ConfigSchema>;

/** The ingest configuration, as {@link startIngest} takes it. */
export interface Config {
  /** Event slug. */
  event: string;
  /** The SQLite journal file. */
  journalFile: string;
  /** `full` or `normal` SQLite synchronous mode. */
  journalSync: 'full' | 'normal';
  /** MQTT connection. */
  mqtt: { url: string; username: string; password: string | undefined; clientId: string };
  /** InfluxDB, or undefined for journal-only operation. */
  influx: InfluxConfig | undefined;
  /** Schedule file, watched and reloaded. */
  scheduleFile: string | undefined;
  /** Clock tolerance in ms. */
  clockToleranceMs: number;
  /** Cap of the public `votes` stream, messages per second and room (0: off). */
  publicVotesPerSecond: number;
  /** HTTP server; undefined = none (an embedding server mounts the handler itself). */
  http: { host: string; port: number } | undefined;
  /** pino level. */
  logLevel: Env['LIKEBOX_LOG_LEVEL'];
}

function toInflux(env: Env): InfluxConfig | undefined {
  if (env.LIKEBOX_INFLUX_URL === undefined) return undefined;
  const token = env.LIKEBOX_INFLUX_TOKEN;
  return {
    url: env.LIKEBOX_INFLUX_URL,
    database: env.LIKEBOX_INFLUX_DATABASE,
    retentionPolicy: env.LIKEBOX_INFLUX_RETENTION_POLICY,
    retention: env.LIKEBOX_INFLUX_RETENTION,
    username: env.LIKEBOX_INFLUX_USERNAME ?? (token === undefined ? undefined : 'likebox'),
    password: token ?? env.LIKEBOX_INFLUX_PASSWORD,
    token: token !== undefined,
    batchSize: env.LIKEBOX_INFLUX_BATCH_SIZE,
  };
}

/**
 * Reads the configuration from `env`. Throws {@link ConfigError} listing every problem at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(z.prettifyError(parsed.error));
  const e = parsed.data;
  return {
    event: e.LIKEBOX_EVENT,
    journalFile: e.LIKEBOX_JOURNAL_FILE ?? join(e.LIKEBOX_DATA_DIR, 'ingest-journal.sqlite'),
    journalSync: e.LIKEBOX_JOURNAL_SYNC,
    mqtt: {
      url: e.LIKEBOX_MQTT_URL,
      username: e.LIKEBOX_MQTT_USERNAME,
      password: e.LIKEBOX_MQTT_PASSWORD,
      clientId: e.LIKEBOX_MQTT_CLIENT_ID ?? `likebox-ingest-${e.LIKEBOX_EVENT}`,
    },
    influx: toInflux(e),
    scheduleFile: e.LIKEBOX_SCHEDULE_FILE,
    clockToleranceMs: e.LIKEBOX_CLOCK_TOLERANCE_MS,
    publicVotesPerSecond: e.LIKEBOX_PUBLIC_VOTES_PER_SECOND,
    http: { host: e.LIKEBOX_BIND, port: e.LIKEBOX_HTTP_PORT },
    logLevel: e.LIKEBOX_LOG_LEVEL,
  };
}

/** Every variable {@link loadConfig} reads, for `--help` and `--flag` parsing. */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as (keyof Env)[];
