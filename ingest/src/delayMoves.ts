import type { ScheduleIndex, VoteWindow } from '@likebox/protocol';
import { NO_TALK } from './attribution.js';
import type { InfluxWriter } from './influxWriter.js';
import type { Journal, StoredDelay } from './journal.js';
import type { Tallies } from './tallies.js';

/** Votes moved per `"{from} → {to}"` talk pair. */
export type MoveSummary = Record<string, number>;

/** What {@link moveVotesForDelay} updates. */
export interface DelayMoveParts {
  /** Event slug. */
  event: string;
  /** Stores the delay and moves the votes ({@link Journal.moves}). */
  journal: Journal;
  /** The live tallies (their hooks re-seal the talks whose counted votes changed). */
  tallies: Tallies;
  /** The InfluxDB writer, sent back to write the moved votes again; undefined without InfluxDB. */
  writer: InfluxWriter | undefined;
}

const same = (a: VoteWindow, b: VoteWindow) => a.opens === b.opens && a.closes === b.closes;

/**
 * The earliest press time in `room` whose talk can differ between two schedules, or undefined when
 * none can. A press at `at` counts for the window that opened last among those open at `at`
 * (protocol `ScheduleIndex.talkAt`): only windows that opened at or before `at` take part, so
 * where every window that changed opens after `at` in both schedules, the answer is the same.
 */
export function firstChange(
  before: ScheduleIndex,
  after: ScheduleIndex,
  room: string,
): number | undefined {
  const old = new Map(before.windows(room).map((w) => [w.talk.id, w.window]));
  const now = new Map(after.windows(room).map((w) => [w.talk.id, w.window]));
  let first: number | undefined;
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (a !== undefined && b !== undefined && same(a, b)) continue;
    const opens = Math.min(
      a?.opens ?? Number.POSITIVE_INFINITY,
      b?.opens ?? Number.POSITIVE_INFINITY,
    );
    first = Math.min(first ?? opens, opens);
  }
  return first;
}

/**
 * Stores `delay` and moves the votes already cast in its room to the talk the new schedule
 * (`after`) gives them, in one journal transaction ({@link Journal.moves}); then takes the counted
 * ones out of their old talk's tally and into the new one (the tallies' hooks recount the results
 * and re-seal both talks when sealed), and sends the InfluxDB writer back to write them again (it
 * first deletes the old talks' points). Returns the votes moved per talk pair, flagged ones
 * included.
 */
export function moveVotesForDelay(
  parts: DelayMoveParts,
  delay: StoredDelay,
  before: ScheduleIndex,
  after: ScheduleIndex,
): MoveSummary {
  const { event, journal, tallies, writer } = parts;
  const { room } = delay;
  const from = firstChange(before, after, room);
  if (from === undefined) {
    journal.saveDelay(event, delay);
    return {};
  }
  const talks = new Set([NO_TALK]);
  for (const index of [before, after]) for (const w of index.windows(room)) talks.add(w.talk.id);
  const talkAt = (at: number) => after.talkAt(room, at)?.talk.id ?? NO_TALK;
  const moving = { talks: [...talks], from, talkAt };
  const { moved, rewindTo } = journal.moves.moveForDelay(event, delay, moving);
  const summary: MoveSummary = {};
  for (const vote of moved) {
    const pair = `${vote.from} → ${vote.to}`;
    summary[pair] = (summary[pair] ?? 0) + 1;
    if (vote.flag !== null) continue;
    tallies.remove(room, vote.from, vote.value);
    tallies.add(room, vote.to, vote.value);
  }
  if (rewindTo !== undefined) writer?.rewind(rewindTo);
  return summary;
}
