import type { RefusedCounts } from '@likebox/protocol';
import type { ButtonName, IgnoreReason, VoteGate } from './voteGate.js';

/** A button closed without a break this long is held (or stuck): status `stuck`, count `held`. */
export const STUCK_MS = 10_000;

const KEY_OF: Readonly<Record<IgnoreReason, keyof RefusedCounts>> = {
  boot: 'boot',
  'not-armed': 'notArmed',
  'too-soon': 'tooSoon',
  chord: 'chord',
  short: 'short',
};

const BUTTONS: readonly ButtonName[] = ['like', 'dislike'];

/**
 * The raw presses a box did not count, kept as information (issue #17): every closure the gate
 * ignored, by reason, and the presses held {@link STUCK_MS} or more; plus which buttons are held
 * now. Counted since the box started, published in its `status`.
 */
export class PressCounters {
  readonly #refused: RefusedCounts = {
    boot: 0,
    notArmed: 0,
    tooSoon: 0,
    chord: 0,
    short: 0,
    held: 0,
  };
  #stuck: ButtonName[] = [];

  /** Counts one closure the gate ignored. */
  ignored(reason: IgnoreReason): void {
    this.#refused[KEY_OF[reason]]++;
  }

  /**
   * Looks at the gate's buttons: a button newly held {@link STUCK_MS} counts one `held` press.
   * Returns whether the set of held buttons changed (the status should then be published).
   */
  check(gate: VoteGate): boolean {
    const stuck = BUTTONS.filter((b) => gate.closedFor(b) >= STUCK_MS);
    const added = stuck.filter((b) => !this.#stuck.includes(b));
    this.#refused.held += added.length;
    const changed = added.length > 0 || stuck.length !== this.#stuck.length;
    this.#stuck = stuck;
    return changed;
  }

  /** The counts so far. */
  get refused(): RefusedCounts {
    return { ...this.#refused };
  }

  /** The buttons held now. */
  get stuck(): ButtonName[] {
    return [...this.#stuck];
  }
}
