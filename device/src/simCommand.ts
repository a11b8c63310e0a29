import type { Schedule } from '@likebox/protocol';
import { ConfigError, defineCommand } from '@likebox/runtime';
import { loadScheduleFile, replayProgramme } from '@likebox/schedule';
import type { Logger } from 'pino';
import { type SimConfig, SimEnv, simConfigOf } from './config.js';
import { DEFAULT_CROWD } from './crowd.js';
import { SCENARIOS, ScenarioList, type ScenarioName } from './scenarios.js';

/**
 * The programme of `--schedule`: a normalised schedule or any importable programme; with
 * `--replay-now`, shifted so its first day starts now (the shift kept in the data folder, the
 * shifted programme written beside it for the ingest to read).
 */
async function programmeOf(sim: SimConfig, dataDir: string, event: string, log: Logger) {
  const file = sim.LIKEBOX_SCHEDULE_FILE;
  if (file === undefined) return null;
  const tz = sim.LIKEBOX_SCHEDULE_TZ;
  const options = {
    event,
    tzHint: 'LIKEBOX_SCHEDULE_TZ' as const,
    ...(tz === undefined ? {} : { tz }),
  };
  const { schedule } = await loadScheduleFile(file, options);
  if (!sim.LIKEBOX_REPLAY_NOW) return schedule;
  const replay = await replayProgramme(schedule, file, dataDir, Date.now());
  log.info(
    { file: replay.path, offsetMs: replay.offsetMs, kept: replay.kept },
    'programme replayed now: give the ingest this file as LIKEBOX_SCHEDULE_FILE',
  );
  return replay.schedule;
}

/** The scenario names of `--scenario`; an unknown one is a {@link ConfigError} naming the known. */
function scenariosOf(list: string): ScenarioName[] {
  const parsed = ScenarioList.safeParse(list);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`LIKEBOX_SCENARIO: "${list}": the scenarios are ${SCENARIOS.join(', ')}`);
}

/** `likebox sim`: runs the simulated boxes until SIGINT/SIGTERM. */
export const simCommand = defineCommand({
  name: 'sim',
  summary: 'N simulated boxes voting like exit crowds',
  description:
    'N virtual boxes (Johnny-Five on a virtual IO, VoteGate, durable outbox, MQTT) voting like ' +
    'real exit crowds when the talks of the programme end, in real time; each talk has its own ' +
    'like rate, each room its crowd size; --scenario adds misuse and faults. Each box connects ' +
    'as its device id (a device user per box, sharing LIKEBOX_MQTT_PASSWORD) unless ' +
    'LIKEBOX_MQTT_USERNAME names one account for all, e.g. an organiser.',
  env: SimEnv,
  aliases: { schedule: 'schedule-file' },
  examples: ['likebox sim --boxes 6 --schedule talks.xml --replay-now --scenario troll,late-room'],
  // Johnny-Five keeps its boards' timers after the boxes stopped.
  exitAfterStop: true,
  run: async (ctx) => {
    const { sim, box } = simConfigOf(ctx.env);
    const scenarios = scenariosOf(sim.LIKEBOX_SCENARIO);
    const schedule: Schedule | null = await programmeOf(
      sim,
      box.LIKEBOX_DATA_DIR,
      box.LIKEBOX_EVENT,
      ctx.log,
    );
    const signalled = ctx.untilSignal();
    // Loaded here: defining the command (for `--help`) must not load Johnny-Five.
    const { Simulator } = await import('./sim.js');
    const simulator = new Simulator(
      {
        ...{ boxes: sim.LIKEBOX_BOXES, prefix: sim.LIKEBOX_SIM_PREFIX, schedule },
        ...{ shiftToToday: sim.LIKEBOX_SHIFT_TO_TODAY, burstNow: sim.LIKEBOX_BURST_NOW },
        crowd: {
          ...DEFAULT_CROWD,
          attendees: sim.LIKEBOX_ATTENDEES,
          burstMs: sim.LIKEBOX_BURST_S * 1000,
        },
        ...{ seed: sim.LIKEBOX_SIM_SEED, scenarios },
        minuteMs: sim.LIKEBOX_SIM_MINUTE_MS,
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
