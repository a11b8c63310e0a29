import { applyDelay } from '@likebox/schedule';
import type { StartIngestOptions } from './ingest.js';
import type { Parts } from './ingestParts.js';
import type { Outputs } from './outputs.js';
import { loadSchedule, ScheduleState } from './scheduleState.js';
import { Tallies } from './tallies.js';

/** The parts of an ingest opened before its messaging side is wired. */
export type CoreParts = Omit<Parts, 'pipeline' | 'lease' | 'schedule'>;

/** Tallies and the live schedule, both publishing through `outputs`. */
export function scheduleParts(core: CoreParts, outputs: Outputs, options: StartIngestOptions) {
  const { config, log, journal } = core;
  const holder: { schedule?: ScheduleState } = {};
  const tallies = new Tallies(outputs, () => holder.schedule?.index);
  tallies.load(journal, config.event);
  const schedule = new ScheduleState({
    event: config.event,
    file: config.scheduleFile,
    ...(config.scheduleUrl === undefined ? {} : { remote: config.scheduleUrl }),
    tz: config.scheduleTz,
    journal,
    outputs,
    log: log.child({ module: 'schedule' }),
    loader: options.scheduleLoader ?? loadSchedule,
    fold: applyDelay,
    onChange: () => tallies.touchAll(),
    onSchedule: (changed) => core.feeds?.schedule(changed),
  });
  holder.schedule = schedule;
  return { tallies, schedule };
}
