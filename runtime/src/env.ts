import { Slug } from '@likebox/protocol';
import { z } from 'zod';
import { LOG_FORMATS } from './logFormat.js';

/*
 * The environment variables several commands read, each defined once here, and the zod pieces the
 * commands build their own variables from. A command composes its schema from these
 * (`...SharedEnv.pick({ LIKEBOX_EVENT: true }).shape`) and its own fields.
 *
 * Every field's help text is its zod description (`.describe()` or `.meta({ description })`),
 * given on the field itself: `--help` reads it from the schema, so the text lives in one place.
 * A field whose default is computed (from another variable) says so with
 * `.meta({ description, defaultText })`.
 */

/** pino levels, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A TCP port; 0 asks for any free port. */
export const Port = z.coerce.number().int().min(0).max(65_535);

/** A TCP port, or `off` (or an empty value) for a listener that is not started: `null`. */
export const OptionalPort = z
  .union([z.literal('off'), z.literal(''), Port], { error: 'must be a port (0-65535) or off' })
  .transform((value) => (value === 'off' || value === '' ? null : value));

/**
 * A yes/no variable: `true`/`false`, `1`/`0`, `yes`/`no`; empty is `false`. As a flag it also
 * stands alone (`--allow-anonymous` = true) and has a `--no-` form.
 */
export const Bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A text that may be unset; an empty or blank value counts as unset. */
export const OptionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** The URL of an MQTT broker: `mqtt://`, `mqtts://`, `ws://`, `wss://` or `tcp://`. */
export const MqttUrl = z.url({ protocol: /^(mqtts?|wss?|tcp)$/ });

/** The variables several commands read, each defined once. */
export const SharedEnv = z.object({
  // Described inside its default: a command that takes the event from elsewhere when unset
  // (`likebox schedule import`) unwraps the default and keeps the description.
  LIKEBOX_EVENT: Slug.describe('Event slug in every topic.').default('demo'),
  LIKEBOX_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Data folder: users file, journal, outbox, credentials, managed InfluxDB.'),
  LIKEBOX_BIND: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address every listener binds to (loopback unless said otherwise).'),
  LIKEBOX_MQTT_PORT: OptionalPort.default(1883).describe(
    'MQTT/TCP port (0: any free port; off: none, with TLS or WebSocket on).',
  ),
  LIKEBOX_WS_PORT: OptionalPort.default(9001).describe(
    'MQTT over WebSocket port, used by the live page (0: any free port; off: none).',
  ),
  LIKEBOX_HTTP_PORT: OptionalPort.default(8080).describe(
    'HTTP port of /healthz and /metrics (0: any free port; off: none).',
  ),
  LIKEBOX_LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .default('info')
    .describe('Level of the logs (pino): fatal, error, warn, info, debug, trace or silent.'),
  LIKEBOX_LOG_FORMAT: z
    .enum(LOG_FORMATS)
    .default('auto')
    .describe(
      'Log lines: json (one JSON object a line, for journald, Docker, jq), pretty (readable ' +
        'lines), or auto: pretty on a terminal, json otherwise.',
    ),
  LIKEBOX_MQTT_URL: MqttUrl.default('mqtt://127.0.0.1:1883').describe('The MQTT broker to use.'),
  LIKEBOX_MQTT_USERNAME: OptionalText.describe('MQTT username.'),
  LIKEBOX_MQTT_PASSWORD: OptionalText.describe('Its password.'),
  LIKEBOX_USERS_FILE: OptionalText.meta({
    description: 'The users file (`likebox users` writes it).',
    defaultText: '$LIKEBOX_DATA_DIR/users.json',
  }),
  LIKEBOX_SCHEDULE_FILE: OptionalText.describe(
    'The programme: a normalised schedule JSON or any programme `likebox schedule import` reads ' +
      '(the ingest and `up` reload it when it changes).',
  ),
  LIKEBOX_SCHEDULE_URL: OptionalText.pipe(z.url({ protocol: /^https?$/ }).optional()).describe(
    'The programme at an http(s) URL (a pretalx, frab or Sessionize export, or a normalised ' +
      'schedule), in place of LIKEBOX_SCHEDULE_FILE: fetched at start and every ' +
      'LIKEBOX_SCHEDULE_REFRESH_MINUTES, its last good copy kept in the data folder.',
  ),
  LIKEBOX_SCHEDULE_REFRESH_MINUTES: z.coerce
    .number()
    .min(0)
    .max(1440)
    .default(5)
    .describe('Minutes between two checks of LIKEBOX_SCHEDULE_URL (0: at start only).'),
  LIKEBOX_SCHEDULE_TZ: OptionalText.describe(
    'IANA time zone of the programme (Europe/Paris): needed by a file or URL programme that ' +
      'names none and whose times carry no UTC offset; wins over a zone the programme names.',
  ),
});

/**
 * The rehearsal variables `likebox sim` reads and `likebox up --simulate` passes on to it (issue
 * 17). Scenario names are checked by `likebox sim`, which knows them.
 */
export const RehearsalEnv = z.object({
  LIKEBOX_REPLAY_NOW: Bool.default(false).describe(
    'Shift the programme so that its first day starts now (its first slot under way); the shift ' +
      'is kept in $LIKEBOX_DATA_DIR/replay.json, so a restart does not move it again.',
  ),
  LIKEBOX_SCENARIO: z
    .string()
    .max(200)
    .default('')
    .meta({
      description:
        'Rehearsal scenarios of the simulated boxes, comma-separated: troll, stuck-button, ' +
        'offline-box, clock-skew, late-room, burst (device/README.md).',
      defaultText: 'none',
    }),
  LIKEBOX_SIM_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .default(1)
    .describe(
      "Seed of the simulated talks' qualities (like rates), rooms' crowd sizes and crowds' presses.",
    ),
  LIKEBOX_SIM_MINUTE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(60_000)
    .describe(
      "A scenario minute in ms (troll's period, offline, late, stuck); tests shorten it. In " +
        "`up --simulate`, also the minute of the ingest's late-room watch.",
    ),
  LIKEBOX_BURST_S: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(240)
    .describe("Length of a simulated room's exit burst, seconds."),
  LIKEBOX_ATTENDEES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(40)
    .describe(
      "Base size of a room's exit crowd: each room gets 0.4 to 1.6 times it (seeded), shared by its boxes.",
    ),
});

/** The schedule variables, one of which {@link checkScheduleSource} checks against the other. */
type ScheduleSource = Pick<SharedEnv, 'LIKEBOX_SCHEDULE_FILE' | 'LIKEBOX_SCHEDULE_URL'>;

/**
 * A check for a command's object holding both schedule sources (a spread of the shape does not
 * carry it): a programme comes from a file or from a URL, not both.
 */
export function checkScheduleSource(ctx: z.core.ParsePayload<ScheduleSource>): void {
  const value = ctx.value;
  if (value.LIKEBOX_SCHEDULE_FILE === undefined || value.LIKEBOX_SCHEDULE_URL === undefined) return;
  ctx.issues.push({
    code: 'custom',
    input: value,
    path: ['LIKEBOX_SCHEDULE_URL'],
    message: 'set LIKEBOX_SCHEDULE_FILE or LIKEBOX_SCHEDULE_URL, not both',
  });
}

/** The validated values of {@link SharedEnv}. */
export type SharedEnv = z.output<typeof SharedEnv>;
