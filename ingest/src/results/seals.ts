import type { Result, ScheduleIndex } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { SealView } from './results.js';
import { voteDigest, wilsonLowerBound } from './resultsMath.js';
import type { ResultsStore } from './resultsStore.js';

/** How often closed windows are looked for. */
export const SEAL_EVERY_MS = 5000;

/** Options of {@link Seals}. */
export interface SealsOptions {
  /** Event slug. */
  event: string;
  /** The journal's read side. */
  store: ResultsStore;
  /** The live schedule. */
  index: () => ScheduleIndex | undefined;
  /** Publishes the retained `rooms/{room}/talks/{talk}/result`. */
  publish: (room: string, result: Result) => void;
  /** Logger (`module: seals`). */
  log: Logger;
  /** Clock. */
  now?: () => number;
}

/**
 * The sealed results: when a talk's vote window closes, its final figures and the digest of its
 * votes go out retained on `result`; a vote for it stored later (a box that was offline) seals it
 * again. At start every closed talk is sealed once more (the same payload when nothing changed:
 * `at` is the window's close or the latest vote's arrival, never the time of sealing).
 */
export class Seals {
  readonly #o: SealsOptions;
  readonly #sealed = new Map<string, SealView>();
  readonly #touched = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SealsOptions) {
    this.#o = options;
  }

  /** The last seal of `talk` published by this process. */
  seal(talk: string): SealView | undefined {
    return this.#sealed.get(talk);
  }

  /** A vote for `talk` was stored (or its votes changed): seal it again if its window closed. */
  touch(talk: string): void {
    if (this.#sealed.has(talk)) this.#touched.add(talk);
  }

  /** Seals what is due now, then every {@link SEAL_EVERY_MS}. */
  start(): void {
    this.check();
    this.#timer = setInterval(() => {
      try {
        this.check();
      } catch (err) {
        this.#o.log.error({ err }, 'sealing failed');
      }
    }, SEAL_EVERY_MS);
  }

  /** Seals every talk whose window has closed and that is unsealed or touched since. */
  check(now = (this.#o.now ?? Date.now)()): void {
    const index = this.#o.index();
    if (index === undefined) return;
    for (const talk of index.schedule.talks) {
      if (!talk.votable) continue;
      const window = index.windows(talk.room).find((w) => w.talk.id === talk.id)?.window;
      if (window === undefined || window.closes > now) continue;
      if (this.#sealed.has(talk.id) && !this.#touched.has(talk.id)) continue;
      this.#touched.delete(talk.id);
      const result = this.result(talk.id, window.closes);
      this.#sealed.set(talk.id, { digest: result.digest, at: result.at });
      this.#o.publish(talk.room, result);
    }
  }

  /** The sealed result of `talk` from the journal. */
  result(talk: string, closes: number): Result {
    const { votes, lastReceived } = this.#o.store.digestVotes(this.#o.event, talk);
    let likes = 0;
    for (const vote of votes) if (vote.value > 0) likes += 1;
    const { digest, count } = voteDigest(votes);
    return {
      ...{ talk, likes, dislikes: votes.length - likes, votes: votes.length },
      wilson: wilsonLowerBound(likes, votes.length),
      ...{ closes, at: Math.max(closes, lastReceived), digest, count },
    };
  }

  /** Stops the timer. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
