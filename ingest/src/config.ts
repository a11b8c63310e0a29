import { join } from 'node:path';
import type { InfluxConfig } from '@likebox/influx';
import { checkInfluxCredentials, InfluxEnv, influxConfigOf } from '@likebox/influx/env';
import { checkScheduleSource, OptionalText, parseVariables, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/**
 * The variables of the ingest itself, besides the shared and InfluxDB ones: `likebox up` reads
 * them too.
 */
export const IngestOwnEnv = z.object({
  LIKEBOX_JOURNAL_FILE: OptionalText.meta({
    description: 'The SQLite journal of accepted votes.',
    defaultText: '$LIKEBOX_DATA_DIR/ingest-journal.sqlite',
  }),
  LIKEBOX_JOURNAL_SYNC: z
    .enum(['full', 'normal'])
    .default('full')
    .describe(
      'full fsyncs every journal transaction (a vote acked to a box survives a power cut); ' +
        'normal only survives a process crash, and is faster on slow disks.',
    ),
  LIKEBOX_PUBLIC_VOTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(200)
    .describe('Cap of the public `votes` stream, messages per second and room (0: off).'),
  LIKEBOX_CLOCK_TOLERANCE_MS: positiveInt(86_400_000)
    .default(10_000)
    .describe('How far a box clock may be off before its votes are re-timed, ms.'),
});

/** Who may read `GET /dead-letters` of `likebox ingest` (raw payloads of invalid messages). */
export const DeadLettersEnv = z.object({
  LIKEBOX_DEAD_LETTERS: z
    .enum(['off', 'organiser'])
    .default('off')
    .describe(
      'Who may read GET /dead-letters (raw payloads of invalid messages): off, or organiser ' +
        '(HTTP Basic, an organiser of the users file).',
    ),
  ...SharedEnv.pick({ LIKEBOX_USERS_FILE: true }).shape,
});

/**
 * The variables of `likebox ingest` (ARCHITECTURE.md table), without the checks across them
 * ({@link ConfigSchema} has those).
 */
export const IngestVariables = z.object({
  ...SharedEnv.pick({ LIKEBOX_EVENT: true, LIKEBOX_DATA_DIR: true, LIKEBOX_MQTT_URL: true }).shape,
  LIKEBOX_MQTT_USERNAME: SharedEnv.shape.LIKEBOX_MQTT_USERNAME.default('ingest'),
  ...SharedEnv.pick({ LIKEBOX_MQTT_PASSWORD: true }).shape,
  LIKEBOX_MQTT_CLIENT_ID: OptionalText.meta({
    description: 'The fixed client id of the persistent session.',
    defaultText: 'likebox-ingest-{event}',
  }),
  ...InfluxEnv.shape,
  ...IngestOwnEnv.shape,
  ...SharedEnv.pick({
    LIKEBOX_SCHEDULE_FILE: true,
    LIKEBOX_SCHEDULE_URL: true,
    LIKEBOX_SCHEDULE_REFRESH_MINUTES: true,
    LIKEBOX_SCHEDULE_TZ: true,
    LIKEBOX_BIND: true,
    LIKEBOX_HTTP_PORT: true,
    LIKEBOX_LOG_LEVEL: true,
    LIKEBOX_LOG_FORMAT: true,
  }).shape,
  ...DeadLettersEnv.shape,
});

/** The ingest configuration, read from `LIKEBOX_*` variables or the matching flags. */
export const ConfigSchema =
  IngestVariables.check(checkInfluxCredentials).check(checkScheduleSource);

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
  /**
   * Programme URL, in place of a file: fetched at start and every `everyMs` (0: at start only),
   * its last good copy kept in `dataDir`.
   */
  scheduleUrl: { url: string; everyMs: number; dataDir: string } | undefined;
  /** IANA time zone the programme (file or URL) is read in (`LIKEBOX_SCHEDULE_TZ`). */
  scheduleTz: string | undefined;
  /** Clock tolerance in ms. */
  clockToleranceMs: number;
  /** Cap of the public `votes` stream, messages per second and room (0: off). */
  publicVotesPerSecond: number;
  /** HTTP server; undefined = none (`off`, or an embedding server mounts the handler itself). */
  http: { host: string; port: number } | undefined;
  /** Who may read `/dead-letters`, and the users file organisers are checked against. */
  deadLetters: { access: 'off' | 'organiser'; usersFile: string };
  /** pino level. */
  logLevel: Env['LIKEBOX_LOG_LEVEL'];
}

/**
 * The configuration the validated variables describe (without {@link DeadLettersEnv}'s: `/dead-
 * letters` is off, as where the ingest is embedded without its own HTTP server).
 */
export function configOf(
  e: Omit<Env, keyof typeof DeadLettersEnv.shape> & Partial<z.infer<typeof DeadLettersEnv>>,
): Config {
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
    influx: influxConfigOf(e),
    scheduleFile: e.LIKEBOX_SCHEDULE_FILE,
    scheduleUrl:
      e.LIKEBOX_SCHEDULE_URL === undefined
        ? undefined
        : {
            url: e.LIKEBOX_SCHEDULE_URL,
            everyMs: Math.round(e.LIKEBOX_SCHEDULE_REFRESH_MINUTES * 60_000),
            dataDir: e.LIKEBOX_DATA_DIR,
          },
    scheduleTz: e.LIKEBOX_SCHEDULE_TZ,
    clockToleranceMs: e.LIKEBOX_CLOCK_TOLERANCE_MS,
    publicVotesPerSecond: e.LIKEBOX_PUBLIC_VOTES_PER_SECOND,
    http:
      e.LIKEBOX_HTTP_PORT === null
        ? undefined
        : { host: e.LIKEBOX_BIND, port: e.LIKEBOX_HTTP_PORT },
    logLevel: e.LIKEBOX_LOG_LEVEL,
    deadLetters: {
      access: e.LIKEBOX_DEAD_LETTERS ?? 'off',
      usersFile: e.LIKEBOX_USERS_FILE ?? join(e.LIKEBOX_DATA_DIR, 'users.json'),
    },
  };
}

/**
 * Reads the configuration from `env`. Throws `ConfigError` listing every problem at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return configOf(parseVariables(ConfigSchema, env));
}
