import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isSlug, SchedulePayload, Slug, slugify } from '@likebox/protocol';
import { ConfigError } from '@likebox/runtime';
import { z } from 'zod';
import { applyDelay, resolveRoom } from './applyDelay.js';
import type { CliIo, ExitCode } from './cliIo.js';
import { ScheduleError } from './errors.js';
import { publishDelay } from './publishDelay.js';

/** Help of `likebox schedule delay`. */
export const DELAY_HELP = `Usage: likebox schedule delay ROOM MINUTES [options]

Declares that ROOM (slug or name) runs MINUTES late from now on (0 cancels, negative: early).
Talks of that room that have not ended yet shift their vote windows. Publishes on the
room's delay topic as an organiser; the ingest republishes the schedule and "now".

Options (environment variable in brackets):
  --event SLUG      event slug [LIKEBOX_EVENT, default demo]
  --mqtt-url URL    broker [LIKEBOX_MQTT_URL, default mqtt://127.0.0.1:1883]
  --username NAME   a user with the organiser role [LIKEBOX_MQTT_USERNAME]
  --password PW     its password [LIKEBOX_MQTT_PASSWORD]
  --at ISO          when the delay starts (default: now)
  --file FILE       also apply it to this normalised schedule file (rewritten in place)
  --no-publish      only update --file, do not publish`;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** Configuration of `likebox schedule delay`, from `LIKEBOX_*` variables overridden by flags. */
export const DelayConfigSchema = z.object({
  /** `LIKEBOX_EVENT`: the event slug. */
  LIKEBOX_EVENT: Slug.default('demo'),
  /** `LIKEBOX_MQTT_URL`: the broker. */
  LIKEBOX_MQTT_URL: z.url({ protocol: /^(mqtts?|wss?|tcp)$/ }).default('mqtt://127.0.0.1:1883'),
  /** `LIKEBOX_MQTT_USERNAME`: a user with the organiser role. */
  LIKEBOX_MQTT_USERNAME: optionalText,
  /** `LIKEBOX_MQTT_PASSWORD`: its password. */
  LIKEBOX_MQTT_PASSWORD: optionalText,
});

/** Reads the configuration; throws {@link ConfigError} listing every problem. */
export function loadDelayConfig(env: Readonly<Record<string, string | undefined>>) {
  const parsed = DelayConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(z.prettifyError(parsed.error));
  return parsed.data;
}

/** The environment with each given flag in place of its variable. */
function withFlags(
  env: Readonly<Record<string, string | undefined>>,
  flags: { event?: string; 'mqtt-url'?: string; username?: string; password?: string },
): Record<string, string | undefined> {
  return {
    ...env,
    ...(flags.event === undefined ? {} : { LIKEBOX_EVENT: flags.event }),
    ...(flags['mqtt-url'] === undefined ? {} : { LIKEBOX_MQTT_URL: flags['mqtt-url'] }),
    ...(flags.username === undefined ? {} : { LIKEBOX_MQTT_USERNAME: flags.username }),
    ...(flags.password === undefined ? {} : { LIKEBOX_MQTT_PASSWORD: flags.password }),
  };
}

function parseMinutes(text: string | undefined): number {
  const minutes = Number(text);
  if (text === undefined || !/^[+-]?\d+$/.test(text) || Math.abs(minutes) > 240) {
    throw new ScheduleError(
      `MINUTES must be a whole number between -240 and 240, got ${JSON.stringify(text ?? '')}`,
    );
  }
  return minutes;
}

function parseAt(text: string | undefined, now: number): number {
  if (text === undefined) return now;
  const at = Date.parse(text);
  if (!Number.isFinite(at))
    throw new ScheduleError(`--at: not a date-time: ${JSON.stringify(text)}`);
  return at;
}

async function updateFile(
  file: string,
  room: string,
  minutes: number,
  at: number,
): Promise<string> {
  const schedule = SchedulePayload.parse(JSON.parse(await readFile(file, 'utf8')));
  const updated = applyDelay(schedule, room, minutes, at);
  await writeFile(file, `${JSON.stringify(updated, null, 2)}\n`);
  return resolveRoom(schedule, room);
}

/** `likebox schedule delay`. */
export async function runDelay(argv: string[], io: CliIo): Promise<ExitCode> {
  // "-5" is a negative number of minutes, not a short option.
  const negative = argv.filter((arg) => /^-\d+$/.test(arg));
  const parsed = parseArgs({
    args: argv.filter((arg) => !/^-\d+$/.test(arg)),
    allowPositionals: true,
    allowNegative: true,
    options: {
      event: { type: 'string' },
      'mqtt-url': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      at: { type: 'string' },
      file: { type: 'string' },
      publish: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const values = parsed.values;
  const positionals = [...parsed.positionals, ...negative];
  if (values.help) {
    io.out(`${DELAY_HELP}\n`);
    return 0;
  }
  const [roomName, minutesText, ...extra] = positionals;
  if (roomName === undefined || minutesText === undefined || extra.length > 0) {
    io.err(`expected ROOM and MINUTES\n\n${DELAY_HELP}\n`);
    return 2;
  }
  const config = loadDelayConfig(withFlags(io.env, values));
  const minutes = parseMinutes(minutesText);
  const at = parseAt(values.at, io.now());
  let room = isSlug(roomName) ? roomName : slugify(roomName);
  if (values.file !== undefined) room = await updateFile(values.file, roomName, minutes, at);
  if (values.publish) {
    const target = { url: config.LIKEBOX_MQTT_URL, event: config.LIKEBOX_EVENT, room };
    await publishDelay(
      { ...target, username: config.LIKEBOX_MQTT_USERNAME, password: config.LIKEBOX_MQTT_PASSWORD },
      minutes,
      at,
    );
  }
  const where = values.publish ? `published to ${config.LIKEBOX_MQTT_URL}` : 'not published';
  io.err(`room ${room} runs ${minutes} min late since ${new Date(at).toISOString()} (${where})\n`);
  return 0;
}
