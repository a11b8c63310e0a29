import { Slug } from '@likebox/protocol';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { DEFAULT_KEEPALIVE_S } from './mqttOptions.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => /^(true|1|yes)$/.test(v));
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

/** Environment of `likebox device` (LIKEBOX_* variables; each has a matching `--flag`). */
export const ConfigSchema = z.object({
  /** Event slug used in every topic. */
  LIKEBOX_EVENT: Slug.default('demo'),
  /** Directory of the box's SQLite file (outbox, cached schedule and config). */
  LIKEBOX_DATA_DIR: z.string().min(1).default('./data'),
  /** The box's id: its MQTT username and the `{device}` level of its topics. */
  LIKEBOX_DEVICE_ID: Slug,
  /** Room used until the retained `config` assigns one (first boot without network). */
  LIKEBOX_ROOM: Slug.optional(),
  /** Broker URL: mqtt://, mqtts://, ws:// or wss://. */
  LIKEBOX_MQTT_URL: z.string().url().default('mqtt://127.0.0.1:1883'),
  /** MQTT username (default: the device id, as the broker's device role expects). */
  LIKEBOX_MQTT_USERNAME: z.string().min(1).optional(),
  /** MQTT password. */
  LIKEBOX_MQTT_PASSWORD: z.string().min(1).optional(),
  /** PEM file of the CA (or self-signed certificate) to trust for an mqtts:// or wss:// broker. */
  LIKEBOX_MQTT_CA: z.string().min(1).optional(),
  /** MQTT keepalive in seconds: a dead link is noticed within 1.5 × this (13.5 s by default). */
  LIKEBOX_KEEPALIVE_S: z.coerce.number().int().min(1).max(600).default(DEFAULT_KEEPALIVE_S),
  /** Hardware: `virtual` (no hardware), `raspi` (raspi-io, Pi 4 and older), `firmata` (Arduino over USB). */
  LIKEBOX_IO: z.enum(['virtual', 'raspi', 'firmata']).default('virtual'),
  /** Serial port of the Arduino running StandardFirmata (`firmata` IO). */
  LIKEBOX_SERIAL_PORT: z.string().min(1).default('/dev/ttyACM0'),
  /** Port of the virtual box's HTTP control (unset: off; 0: any free port). */
  LIKEBOX_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Address the HTTP control listens on. */
  LIKEBOX_BIND: z.string().min(1).default('127.0.0.1'),
  /** Keyboard mode: `+` and `-` in the terminal press the buttons. */
  LIKEBOX_KEYBOARD: bool.default(false),
  /** Pin of the like button (default 2, raspi GPIO17). */
  LIKEBOX_PIN_LIKE: pin.optional(),
  /** Pin of the dislike button (default 3, raspi GPIO27). */
  LIKEBOX_PIN_DISLIKE: pin.optional(),
  /** Pin of the LED (default 13, raspi GPIO22). */
  LIKEBOX_PIN_LED: pin.optional(),
  /** Pin of the active buzzer (default 8, raspi GPIO23); `none`: no buzzer. */
  LIKEBOX_PIN_BUZZER: pin.optional(),
  /** Buttons wired to ground with the internal pull-up (pressed reads LOW). */
  LIKEBOX_PULLUP: bool.default(true),
  /** LCD geometry `COLSxROWS` (16x2 or 20x4), or `none`. */
  LIKEBOX_LCD: z.enum(['16x2', '20x4', 'none']).default('16x2'),
  /** I2C address of the LCD's PCF8574 backpack. */
  LIKEBOX_LCD_ADDRESS: z
    .string()
    .regex(/^(0x[0-9a-fA-F]{1,2}|\d{1,3})$/)
    .transform(Number)
    .default(0x27),
  /** Screen language until the `config` says otherwise. */
  LIKEBOX_LOCALE: z.enum(['fr', 'en']).default('fr'),
  /** VoteGate: ms the contact must stay closed before the press counts. */
  LIKEBOX_PRESS_MS: ms(20),
  /** VoteGate: ms of stable release before a button re-arms. */
  LIKEBOX_RELEASE_MS: ms(50),
  /** VoteGate: minimum ms between two votes of one button. */
  LIKEBOX_MIN_INTERVAL_MS: ms(300),
  /** VoteGate: ms after start during which nothing counts. */
  LIKEBOX_BOOT_MS: ms(2000),
  /** Feedback: how long the LED stays on after a counted press, in ms. */
  LIKEBOX_LED_MS: ms(200),
  /** Feedback: how long the active buzzer sounds, in ms. */
  LIKEBOX_BEEP_MS: ms(60),
  /** Feedback: how long "Merci ! +1" stays on the LCD, in ms. */
  LIKEBOX_THANKS_MS: ms(1500),
  /** Seconds between status heartbeats. */
  LIKEBOX_HEARTBEAT_S: z.coerce.number().min(1).max(3600).default(30),
  /** Seconds without ack progress before unacknowledged votes are published again. */
  LIKEBOX_ACK_TIMEOUT_S: z.coerce.number().min(1).max(3600).default(30),
  /** Votes published and not yet PUBACKed at once (MQTT.js keeps them in RAM). */
  LIKEBOX_MAX_INFLIGHT: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Whether the clock is trustworthy: `auto` asks systemd-timesyncd/timedatectl. */
  LIKEBOX_CLOCK_SYNCED: z.enum(['auto', 'true', 'false']).default('auto'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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

/** Reads the box configuration; throws {@link ConfigError} listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) throw new ConfigError(z.prettifyError(result.error));
  const c = result.data;
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

/** Environment of `likebox sim` on top of the box's (LIKEBOX_DEVICE_ID is not needed). */
export const SimConfigSchema = z.object({
  /** Number of virtual boxes. */
  LIKEBOX_BOXES: z.coerce.number().int().min(1).max(1000).default(10),
  /** Device ids are `{prefix}-1` … `{prefix}-N` (each needs a device user, or use an organiser account). */
  LIKEBOX_SIM_PREFIX: Slug.default('sim'),
  /** A normalised schedule JSON file (protocol SchedulePayload); unset: the retained `schedule` topic. */
  LIKEBOX_SCHEDULE_FILE: z.string().min(1).optional(),
  /** Move the schedule by whole days so it happens today. */
  LIKEBOX_SHIFT_TO_TODAY: bool.default(false),
  /** Start an exit burst at every box at once. */
  LIKEBOX_BURST_NOW: bool.default(false),
  /** People passing each box per exit burst. */
  LIKEBOX_ATTENDEES: z.coerce.number().int().min(0).max(10_000).default(40),
  /** Length of an exit burst in seconds. */
  LIKEBOX_BURST_S: z.coerce.number().min(0.1).max(3600).default(240),
});

/** The validated simulator configuration. */
export type SimConfig = z.infer<typeof SimConfigSchema>;

/** Reads the simulator configuration; throws {@link ConfigError} listing every problem at once. */
export function loadSimConfig(env: NodeJS.ProcessEnv = process.env): {
  sim: SimConfig;
  box: Config;
} {
  const sim = SimConfigSchema.safeParse(env);
  let box: Config | null = null;
  let boxError = '';
  try {
    box = loadConfig({ LIKEBOX_DEVICE_ID: 'sim-1', LIKEBOX_CLOCK_SYNCED: 'true', ...env });
  } catch (err) {
    boxError = (err as Error).message;
  }
  if (!sim.success || box === null) {
    throw new ConfigError(
      [sim.success ? '' : z.prettifyError(sim.error), boxError].filter(Boolean).join('\n'),
    );
  }
  return { sim: sim.data, box };
}
