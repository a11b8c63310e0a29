import { readFileSync } from 'node:fs';
import { SchedulePayload } from '@likebox/protocol';
import { pino } from 'pino';
import { z } from 'zod';
import { flagsToEnv } from './args.js';
import { ConfigSchema, loadSimConfig, SimConfigSchema } from './config.js';
import { DEFAULT_CROWD } from './crowd.js';
import { ConfigError } from './errors.js';
import { Simulator } from './sim.js';

const HELP = `likebox sim: N virtual boxes voting like real exit crowds against the schedule

Usage: likebox sim [--boxes N] [--schedule FILE] [--shift-to-today] [--burst-now] [box flags ...]

  --boxes N             number of boxes (10); box i stands in room i modulo the schedule's rooms
  --sim-prefix NAME     device ids NAME-1..NAME-N (sim)
  --schedule FILE       normalised schedule JSON (LIKEBOX_SCHEDULE_FILE); default: the retained topic
  --shift-to-today      move the programme by whole days so it runs today
  --burst-now           one exit burst at every box right away
  --attendees N         people passing a box per burst (40)   --burst-s S   burst length (240)
  --mqtt-url --mqtt-username --mqtt-password --event --data-dir --log-level   as for likebox device

Each box connects as its device id (a device user per box, sharing --mqtt-password) unless
--mqtt-username names one account for all, e.g. an organiser.`;

function readSchedule(path: string) {
  const parsed = SchedulePayload.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new ConfigError(
      `${path} is not a normalised schedule:\n${z.prettifyError(parsed.error)}`,
    );
  return parsed.data;
}

/** Reads flags, environment and schedule file; prints the problems and returns null when invalid. */
function parse(argv: string[]) {
  try {
    const args = argv.map((a) =>
      a === '--schedule' ? '--schedule-file' : a.replace(/^--schedule=/, '--schedule-file='),
    );
    const known = [...Object.keys(ConfigSchema.shape), ...Object.keys(SimConfigSchema.shape)];
    const loaded = loadSimConfig({ ...process.env, ...flagsToEnv(args, known) });
    const file = loaded.sim.LIKEBOX_SCHEDULE_FILE;
    return { loaded, schedule: file === undefined ? null : readSchedule(file) };
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof SyntaxError)) throw err;
    console.error(`likebox sim: invalid configuration\n${err.message}`);
    process.exitCode = 1;
    return null;
  }
}

/** `likebox sim`: runs the simulated boxes until SIGINT/SIGTERM. */
export async function simCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const parsed = parse(argv);
  if (parsed === null) return;
  const { loaded, schedule } = parsed;
  const { sim, box } = loaded;
  const log = pino({ name: 'sim', level: box.LOG_LEVEL });
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
    log,
  );
  const stop = async (signal: string) => {
    log.info({ signal, ...simulator.stats }, 'stopping');
    await simulator.stop();
    process.exit();
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    await simulator.start();
  } catch (err) {
    log.fatal({ err }, 'simulator failed to start');
    process.exitCode = 1;
    await simulator.stop();
  }
}
