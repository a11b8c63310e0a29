import type { Simulator } from '@likebox/device';
import { type Schedule, ScheduleIndex } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { NeededUser } from './credentials.js';

/** Device ids of the simulated boxes are `sim-box-1` … `sim-box-N`. */
export const SIM_PREFIX = 'sim-box';

/** The device accounts of `count` simulated boxes; they share the first one's password. */
export function simulatedBoxUsers(count: number): NeededUser[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${SIM_PREFIX}-${i + 1}`,
    role: 'device' as const,
    ...(i === 0 ? {} : { sameAs: `${SIM_PREFIX}-1` }),
  }));
}

/**
 * The schedule with the rooms that have a talk taking votes at `at` listed first: the simulator
 * puts box i in room i, so a few boxes stand where something happens now.
 */
export function roomsLiveFirst(schedule: Schedule, at: number): Schedule {
  const index = new ScheduleIndex(schedule);
  const live = (slug: string) => (index.talkAt(slug, at) === null ? 1 : 0);
  const rooms = [...schedule.rooms].sort((a, b) => live(a.slug) - live(b.slug));
  return { ...schedule, rooms };
}

/** Options of {@link startSimulatedBoxes}. */
export interface SimulatedBoxesOptions {
  /** Number of boxes. */
  count: number;
  /** Event slug. */
  event: string;
  /** The in-process broker. */
  mqttUrl: string;
  /** The password the device accounts share. */
  password: string;
  /** Data folder: the boxes keep their outboxes in `sim/`. */
  dataDir: string;
  /** The programme: box i stands in room i modulo its rooms, live rooms first. */
  schedule: Schedule;
  /** pino level of the boxes. */
  logLevel: string;
  /** Logger. */
  logger: Logger;
}

/**
 * Runs `likebox sim`'s simulator in process: real boxes (Johnny-Five on a virtual IO, VoteGate,
 * durable outbox, MQTT) with exit-crowd bursts when talks end, and one burst at once so the live
 * page moves from the first second.
 */
export async function startSimulatedBoxes(options: SimulatedBoxesOptions): Promise<Simulator> {
  // Loaded here, not at the top: a server without simulated boxes never loads Johnny-Five and
  // the box code (2 MB of V8 heap).
  const { DEFAULT_CROWD, loadSimConfig, Simulator } = await import('@likebox/device');
  // Only what the boxes need: none of the server's own LIKEBOX_* settings apply to them.
  const { box } = loadSimConfig({
    LIKEBOX_EVENT: options.event,
    LIKEBOX_DATA_DIR: options.dataDir,
    LIKEBOX_MQTT_URL: options.mqttUrl,
    LIKEBOX_MQTT_PASSWORD: options.password,
    LIKEBOX_LOG_LEVEL: options.logLevel,
  });
  const simulator = new Simulator(
    {
      boxes: options.count,
      prefix: SIM_PREFIX,
      schedule: roomsLiveFirst(options.schedule, Date.now()),
      shiftToToday: false,
      burstNow: true,
      crowd: DEFAULT_CROWD,
    },
    box,
    options.logger.child({ module: 'sim' }),
  );
  try {
    await simulator.start();
  } catch (err) {
    await simulator.stop();
    throw err;
  }
  return simulator;
}
