import { applyDelay } from '@likebox/schedule';
import { moveVotesForDelay } from './delayMoves.js';
import type { StartIngestOptions } from './ingest.js';
import type { CoreParts } from './ingestParts.js';
import type { Outputs } from './outputs.js';
import { loadSchedule, ScheduleState } from './scheduleState.js';
import { Tallies, type TallyPolicy } from './tallies.js';

/**
 * Tallies and the live schedule, both publishing through `outputs`; `hooks` hear every vote the
 * tallies count or take out (the results' running figures and seals follow them).
 */
export function scheduleParts(
  core: CoreParts,
  outputs: Outputs,
  options: StartIngestOptions,
  hooks: Required<Pick<TallyPolicy, 'onVote' | 'onRemove'>>,
) {
  const { config, log, journal } = core;
  const holder: { schedule?: ScheduleState } = {};
  const showCounts = config.results.showCounts;
  const tallies = new Tallies(outputs, () => holder.schedule?.index, { showCounts, ...hooks });
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
    moveVotes: (delay, before, after) =>
      moveVotesForDelay(
        { event: config.event, journal, tallies, writer: core.writer },
        delay,
        before,
        after,
      ),
    onChange: () => tallies.touchAll(),
    onSchedule: (changed) => core.feeds?.schedule(changed),
  });
  holder.schedule = schedule;
  return { tallies, schedule };
}
