import { readFile } from 'node:fs/promises';
import { SchedulePayload } from '@likebox/protocol';
import { ConfigError, defineCommand } from '@likebox/runtime';
import { z } from 'zod';
import { SimEnv, simConfigOf } from './config.js';
import { DEFAULT_CROWD } from './crowd.js';

async function readSchedule(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = SchedulePayload.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `${path} is not a normalised schedule:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/** `likebox sim`: runs the simulated boxes until SIGINT/SIGTERM. */
export const simCommand = defineCommand({
  name: 'sim',
  summary: 'N simulated boxes voting like exit crowds',
  description:
    'N virtual boxes (Johnny-Five on a virtual IO, VoteGate, durable outbox, MQTT) voting like ' +
    'real exit crowds when the talks of the schedule end. Each box connects as its device id (a ' +
    'device user per box, sharing LIKEBOX_MQTT_PASSWORD) unless LIKEBOX_MQTT_USERNAME names one ' +
    'account for all, e.g. an organiser.',
  env: SimEnv,
  aliases: { schedule: 'schedule-file' },
  // Johnny-Five keeps its boards' timers after the boxes stopped.
  exitAfterStop: true,
  run: async (ctx) => {
    const { sim, box } = simConfigOf(ctx.env);
    const file = sim.LIKEBOX_SCHEDULE_FILE;
    const schedule = file === undefined ? null : await readSchedule(file);
    const signalled = ctx.untilSignal();
    // Loaded here: defining the command (for `--help`) must not load Johnny-Five.
    const { Simulator } = await import('./sim.js');
    const simulator = new Simulator(
      {
        boxes: sim.LIKEBOX_BOXES,
        prefix: sim.LIKEBOX_SIM_PREFIX,
        schedule,
        shiftToToday: sim.LIKEBOX_SHIFT_TO_TODAY,
        burstNow: sim.LIKEBOX_BURST_NOW,
        crowd: {
          ...DEFAULT_CROWD,
          attendees: sim.LIKEBOX_ATTENDEES,
          burstMs: sim.LIKEBOX_BURST_S * 1000,
        },
      },
      box,
      ctx.log,
    );
    ctx.parts.push('simulator', async () => {
      ctx.log.info({ ...simulator.stats }, 'simulated votes');
      await simulator.stop();
    });
    await simulator.start();
    await signalled;
    return 0;
  },
});
