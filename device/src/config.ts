import { Slug } from '@likebox/protocol';
import { Bool, Port, parseVariables, RehearsalEnv, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { DEFAULT_KEEPALIVE_S } from './mqttOptions.js';

const ms = (fallback: number) => z.coerce.number().int().min(0).max(600_000).default(fallback);
/** A pin as the IO plugin names it: a number (Arduino, virtual) or a string such as `GPIO17` (raspi-io). */
const pin = z
  .string()
  .min(1)
  .max(32)
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : v));

/** Default pins per IO: Arduino numbering for virtual and Firmata, BCM names for raspi-io. */
const DEFAULT_PINS = {
  virtual: { like: '2', dislike: '3', led: '13', buzzer: '8' },
  firmata: { like: '2', dislike: '3', led: '13', buzzer: '8' },
  raspi: { like: 'GPIO17', dislike: 'GPIO27', led: 'GPIO22', buzzer: 'GPIO23' },
} as const;

/** The variables of a box that the simulated boxes of `likebox sim` read too. */
export const BoxEnv = z.object({
  ...SharedEnv.pick({ LIKEBOX_EVENT: true, LIKEBOX_DATA_DIR: true, LIKEBOX_MQTT_URL: true }).shape,
  LIKEBOX_MQTT_USERNAME: SharedEnv.shape.LIKEBOX_MQTT_USERNAME.meta({
    defaultText: 'the device id',
  }),
  ...SharedEnv.pick({
    LIKEBOX_MQTT_PASSWORD: true,
    LIKEBOX_LOG_LEVEL: true,
    LIKEBOX_LOG_FORMAT: true,
  }).shape,
  LIKEBOX_MQTT_CA: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file of the CA (or self-signed certificate) to trust for an mqtts:// or wss:// broker.',
    ),
  LIKEBOX_LOGIN_RETRY_S: z.coerce
    .number()
    .min(0.1)
    .max(300)
    .default(5)
    .describe(
      'Seconds before the box tries again after the broker refused its login (wrong password, ' +
        'unknown box); doubled after each refusal, up to 5 minutes.',
    ),
  LIKEBOX_KEEPALIVE_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(DEFAULT_KEEPALIVE_S)
    .describe('MQTT keepalive in seconds: a dead link is noticed within 1.5 × this.'),
  LIKEBOX_ROOM: Slug.optional().describe(
    'Room used until the retained config assigns one (first boot without network).',
  ),
  LIKEBOX_PULLUP: Bool.default(true).describe(
    'Buttons wired to ground with the internal pull-up (pressed reads LOW).',
  ),
  LIKEBOX_LCD: z
    .enum(['16x2', '20x4', 'none'])
    .default('16x2')
    .describe('LCD geometry COLSxROWS, or none.'),
  LIKEBOX_LCD_ADDRESS: z
    .string()
    .regex(/^(0x[0-9a-fA-F]{1,2}|\d{1,3})$/, 'must be an I2C address such as 0x27')
    .transform(Number)
    .prefault('0x27')
    .describe("I2C address of the LCD's PCF8574 backpack (0x3F on a PCF8574A)."),
  LIKEBOX_LOCALE: z
    .enum(['fr', 'en'])
    .default('fr')
    .describe('Screen language until the config says otherwise.'),
  LIKEBOX_PRESS_MS: ms(20).describe('VoteGate: ms the contact must stay closed before it counts.'),
  LIKEBOX_RELEASE_MS: ms(50).describe('VoteGate: ms of stable release before a button re-arms.'),
  LIKEBOX_MIN_INTERVAL_MS: ms(300).describe('VoteGate: minimum ms between two votes of a button.'),
  LIKEBOX_BOOT_MS: ms(2000).describe('VoteGate: ms after start during which nothing counts.'),
  LIKEBOX_LED_MS: ms(200).describe('How long the LED stays on after a counted press, ms.'),
  LIKEBOX_BEEP_MS: ms(60).describe('How long the active buzzer sounds, ms.'),
  LIKEBOX_THANKS_MS: ms(1500).describe('How long "Merci ! +1" stays on the LCD, ms.'),
  LIKEBOX_HEARTBEAT_S: z.coerce
    .number()
    .min(1)
    .max(3600)
    .default(30)
    .describe('Seconds between status heartbeats.'),
  LIKEBOX_ACK_TIMEOUT_S: z.coerce
    .number()
    .min(1)
    .max(3600)
    .default(30)
    .describe('Seconds without ack progress before unacknowledged votes are published again.'),
  LIKEBOX_MAX_INFLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .describe('Votes published and not yet PUBACKed at once (MQTT.js keeps them in RAM).'),
});

const pinText = (name: string, virtual: string, raspi: string) =>
  pin.optional().meta({
    description: `Pin of the ${name}.`,
    defaultText: `${virtual}; raspi: ${raspi}`,
  });

/** Environment of `likebox device` (LIKEBOX_* variables; each has a matching `--flag`). */
export const ConfigSchema = z.object({
  LIKEBOX_DEVICE_ID: Slug.describe("The box's id: its MQTT username and the {device} topic level."),
  ...BoxEnv.shape,
  ...SharedEnv.pick({ LIKEBOX_BIND: true }).shape,
  LIKEBOX_IO: z
    .enum(['virtual', 'raspi', 'firmata'])
    .default('virtual')
    .describe(
      'Hardware: virtual (none), raspi (raspi-io, Pi 4 and older), firmata (Arduino over USB).',
    ),
  LIKEBOX_SERIAL_PORT: z
    .string()
    .min(1)
    .default('/dev/ttyACM0')
    .describe('Serial port of the Arduino running StandardFirmata (firmata IO).'),
  LIKEBOX_CONTROL_PORT: Port.optional().meta({
    description:
      "Port of the virtual box's HTTP control: POST /buttons/{like|dislike}/{press|release|click}, " +
      'GET /lcd, /led, /status, /healthz (0: any free port).',
    defaultText: 'off',
  }),
  LIKEBOX_KEYBOARD: Bool.default(false).describe(
    'Virtual box keyboard mode: + like, - dislike, q quit (the logs go to stderr).',
  ),
  LIKEBOX_PIN_LIKE: pinText('like button', '2', 'GPIO17'),
  LIKEBOX_PIN_DISLIKE: pinText('dislike button', '3', 'GPIO27'),
  LIKEBOX_PIN_LED: pinText('LED', '13', 'GPIO22'),
  LIKEBOX_PIN_BUZZER: pinText('active buzzer (none: no buzzer)', '8', 'GPIO23'),
  LIKEBOX_CLOCK_SYNCED: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('Whether the clock is trustworthy: auto asks systemd-timesyncd/timedatectl.'),
});

/** The validated configuration of a box, with pins resolved for the chosen IO. */
export type Config = z.infer<typeof ConfigSchema> & {
  pins: {
    like: string | number;
    dislike: string | number;
    led: string | number;
    buzzer: string | number | null;
  };
};

/** The configuration of validated variables: the pins resolved for the IO. */
export function configOf(c: z.infer<typeof ConfigSchema>): Config {
  const defaults = DEFAULT_PINS[c.LIKEBOX_IO];
  const resolve = (value: string | number | undefined, fallback: string) =>
    value ?? (/^\d+$/.test(fallback) ? Number(fallback) : fallback);
  const buzzer = resolve(c.LIKEBOX_PIN_BUZZER, defaults.buzzer);
  return {
    ...c,
    pins: {
      like: resolve(c.LIKEBOX_PIN_LIKE, defaults.like),
      dislike: resolve(c.LIKEBOX_PIN_DISLIKE, defaults.dislike),
      led: resolve(c.LIKEBOX_PIN_LED, defaults.led),
      buzzer: buzzer === 'none' ? null : buzzer,
    },
  };
}

/** Reads the box configuration; throws `ConfigError` listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return configOf(parseVariables(ConfigSchema, env));
}

/** Variables of `likebox sim` on top of the box's. */
export const SimConfigSchema = z.object({
  LIKEBOX_BOXES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe('Number of virtual boxes, spread over the rooms with votable talks.'),
  LIKEBOX_SIM_PREFIX: Slug.default('sim').describe(
    'Device ids are PREFIX-1 … PREFIX-N (each needs a device user, or use one organiser account).',
  ),
  ...SharedEnv.pick({ LIKEBOX_SCHEDULE_FILE: true, LIKEBOX_SCHEDULE_TZ: true }).shape,
  LIKEBOX_SHIFT_TO_TODAY: Bool.default(false).describe(
    'Move the programme by whole days so that it runs today.',
  ),
  LIKEBOX_BURST_NOW: Bool.default(false).describe(
    'One exit burst right away at every box whose room has a vote window open.',
  ),
  ...RehearsalEnv.shape,
});

/** The validated simulator configuration. */
export type SimConfig = z.infer<typeof SimConfigSchema>;

/**
 * Environment of `likebox sim`: the box variables that apply to virtual boxes (their ids, IO,
 * pins and clock are the simulator's), and the simulator's own.
 */
export const SimEnv = z.object({ ...BoxEnv.shape, ...SimConfigSchema.shape });

/** The simulator's and its boxes' configurations, from validated variables. */
export function simConfigOf(env: z.infer<typeof SimEnv>): { sim: SimConfig; box: Config } {
  const entries = Object.entries(env);
  const isSim = ([key]: [string, unknown]) => key in SimConfigSchema.shape;
  const sim = Object.fromEntries(entries.filter(isSim)) as SimConfig;
  const boxOnly = Object.fromEntries(entries.filter((e) => !isSim(e))) as z.infer<typeof BoxEnv>;
  const defaults = loadConfig({ LIKEBOX_DEVICE_ID: 'sim-1', LIKEBOX_CLOCK_SYNCED: 'true' });
  return { sim, box: { ...defaults, ...boxOnly } };
}

/** Reads the simulator configuration; throws `ConfigError` listing every problem at once. */
export function loadSimConfig(env: NodeJS.ProcessEnv = process.env): {
  sim: SimConfig;
  box: Config;
} {
  return simConfigOf(parseVariables(SimEnv, env));
}
