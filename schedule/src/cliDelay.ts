import { readFile, writeFile } from 'node:fs/promises';
import { isSlug, SchedulePayload, slugify } from '@likebox/protocol';
import { Bool, defineCommand, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { applyDelay, resolveRoom } from './applyDelay.js';
import { ScheduleError } from './errors.js';

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

/** Configuration of `likebox schedule delay`, from `LIKEBOX_*` variables overridden by flags. */
export const DelayConfigSchema = SharedEnv.pick({
  LIKEBOX_EVENT: true,
  LIKEBOX_MQTT_URL: true,
  LIKEBOX_MQTT_USERNAME: true,
  LIKEBOX_MQTT_PASSWORD: true,
});

/** `likebox schedule delay`. */
export const delayCommand = defineCommand({
  name: 'schedule delay',
  summary: 'declare that a room runs late (published as an organiser over MQTT)',
  description:
    'Declares that ROOM runs MINUTES late from now on (0 cancels, negative: early). Talks of ' +
    "that room that have not ended yet shift their vote windows. Publishes on the room's delay " +
    'topic as a user with the organiser role; the ingest republishes the schedule and "now".',
  env: DelayConfigSchema,
  flags: z.object({
    at: z.string().optional().meta({
      description: 'When the delay starts, ISO 8601.',
      defaultText: 'now',
    }),
    file: z
      .string()
      .optional()
      .describe('Also apply it to this normalised schedule file (rewritten in place).'),
    publish: Bool.default(true).describe('Publish it (--no-publish: only update --file).'),
  }),
  aliases: { username: 'mqtt-username', password: 'mqtt-password' },
  args: [
    { name: 'ROOM', description: 'the room, slug or name' },
    { name: 'MINUTES', description: 'how late, -240 to 240 (0 cancels)' },
  ],
  run: async (ctx) => {
    const [roomName = '', minutesText] = ctx.args;
    const { env, flags } = ctx;
    const minutes = parseMinutes(minutesText);
    const at = parseAt(flags.at, ctx.io.now());
    let room = isSlug(roomName) ? roomName : slugify(roomName);
    if (flags.file !== undefined) room = await updateFile(flags.file, roomName, minutes, at);
    if (flags.publish) {
      // Loaded here: defining the command must not load MQTT.js.
      const { publishDelay } = await import('./publishDelay.js');
      const target = { url: env.LIKEBOX_MQTT_URL, event: env.LIKEBOX_EVENT, room: roomName };
      const credentials = {
        username: env.LIKEBOX_MQTT_USERNAME,
        password: env.LIKEBOX_MQTT_PASSWORD,
      };
      const stopped = ctx.untilSignal().then(() => {
        throw new ScheduleError('stopped before the broker acknowledged the delay');
      });
      room = await Promise.race([
        publishDelay({ ...target, ...credentials }, minutes, at),
        stopped,
      ]);
    }
    const where = flags.publish ? `published to ${env.LIKEBOX_MQTT_URL}` : 'not published';
    ctx.io.stderr.write(
      `room ${room} runs ${minutes} min late since ${new Date(at).toISOString()} (${where})\n`,
    );
    return 0;
  },
});
