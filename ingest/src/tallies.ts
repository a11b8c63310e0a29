import type { ScheduleIndex, Tally } from '@likebox/protocol';
import { NO_TALK } from './attribution.js';
import type { Journal } from './journal.js';
import type { Outputs } from './outputs.js';

/** Shortest interval between two `tally` messages of a room, ms. */
export const TALLY_EVERY_MS = 250;

interface Counts {
  likes: number;
  dislikes: number;
}

/** Options of {@link Tallies} beyond its outputs and schedule. */
export interface TallyPolicy {
  /** `after-close`: an open talk's tally carries `hidden: true` and no counts. Default `live`. */
  showCounts?: 'live' | 'after-close';
  /** Called with each counted vote's talk and value (the results and sealed results follow them). */
  onVote?: (talk: string, value: 1 | -1) => void;
  /** Called with the talk of a counted vote set aside as misuse. */
  onRemove?: (talk: string) => void;
}

/**
 * Likes and dislikes per talk, loaded from the journal at start and kept up to date with each
 * stored vote; publishes each room's retained `tally` for its current talk (or, between windows,
 * its last talk) at most every {@link TALLY_EVERY_MS}.
 */
export class Tallies {
  readonly #counts = new Map<string, Counts>();
  readonly #dirty = new Set<string>();
  readonly #outputs: Outputs;
  readonly #index: () => ScheduleIndex | undefined;
  readonly #policy: TallyPolicy;
  #timer: NodeJS.Timeout | undefined;

  constructor(outputs: Outputs, index: () => ScheduleIndex | undefined, policy: TallyPolicy = {}) {
    this.#outputs = outputs;
    this.#index = index;
    this.#policy = policy;
  }

  /** Loads the counts of every talk from the journal. */
  load(journal: Journal, event: string): void {
    for (const row of journal.flags.tallies(event)) {
      this.#counts.set(row.talk, { likes: row.likes, dislikes: row.dislikes });
    }
  }

  /** Counts a newly stored vote. */
  add(room: string, talk: string, value: 1 | -1): void {
    if (talk === NO_TALK) return;
    this.#policy.onVote?.(talk, value);
    const counts = this.#counts.get(talk) ?? { likes: 0, dislikes: 0 };
    if (value === 1) counts.likes += 1;
    else counts.dislikes += 1;
    this.#counts.set(talk, counts);
    this.#dirty.add(room);
    this.#timer ??= setTimeout(() => this.flush(), TALLY_EVERY_MS);
  }

  /** Takes out a counted vote set aside as misuse (its talk's sealed result is made again). */
  remove(room: string, talk: string, value: 1 | -1): void {
    const counts = this.#counts.get(talk);
    if (talk === NO_TALK || counts === undefined) return;
    this.#policy.onRemove?.(talk);
    if (value === 1) counts.likes = Math.max(0, counts.likes - 1);
    else counts.dislikes = Math.max(0, counts.dislikes - 1);
    this.#dirty.add(room);
    this.#timer ??= setTimeout(() => this.flush(), TALLY_EVERY_MS);
  }

  /** Counted likes and dislikes of every talk with votes. */
  counts(): ReadonlyMap<string, Readonly<Counts>> {
    return this.#counts;
  }

  /** Marks every room for republishing (the schedule or a current talk changed). */
  touchAll(): void {
    const index = this.#index();
    if (index === undefined) return;
    for (const room of index.schedule.rooms) this.#dirty.add(room.slug);
    this.#timer ??= setTimeout(() => this.flush(), TALLY_EVERY_MS);
  }

  /** Publishes the tally of each room marked since the last flush. */
  flush(at = Date.now()): void {
    this.#timer = undefined;
    const index = this.#index();
    if (index === undefined) {
      this.#dirty.clear();
      return;
    }
    for (const room of this.#dirty) this.#outputs.tally(room, this.tally(index, room, at));
    this.#dirty.clear();
  }

  /**
   * The room's tally at `at`: its current talk, else the last one whose window opened; an open
   * talk's counts withheld under `after-close`.
   */
  tally(index: ScheduleIndex, room: string, at: number): Tally {
    const current = index.talkAt(room, at);
    const talk =
      current?.talk.id ??
      index
        .windows(room)
        .filter((w) => w.window.opens <= at)
        .at(-1)?.talk.id ??
      null;
    if (current !== null && this.#policy.showCounts === 'after-close') {
      return { talk, likes: 0, dislikes: 0, hidden: true, at };
    }
    const counts = talk === null ? undefined : this.#counts.get(talk);
    return { talk, likes: counts?.likes ?? 0, dislikes: counts?.dislikes ?? 0, at };
  }

  /** Stops the pending flush. */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
