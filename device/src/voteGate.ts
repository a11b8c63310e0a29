import { EventEmitter } from 'node:events';

/** The two buttons of a box. */
export type ButtonName = 'like' | 'dislike';

/** The value a press of each button counts for. */
export const BUTTON_VALUE: Readonly<Record<ButtonName, 1 | -1>> = { like: 1, dislike: -1 };

/** Timing rules of the {@link VoteGate}; every number is in milliseconds. */
export interface VoteGateOptions {
  /**
   * How long the contact must stay closed before the press counts. Johnny-Five's Button reports
   * each edge 7 ms after the last bounce, shifting both edges alike: the closure the gate measures
   * lasts as long as the settled contact did.
   */
  pressMs: number;
  /** How long the contact must stay open after a counted press before the button re-arms. */
  releaseMs: number;
  /** Minimum time between two counted votes of the same button. */
  minIntervalMs: number;
  /** Nothing counts during this long after {@link VoteGate.start}; a button held then must be released first. */
  bootMs: number;
}

/** Defaults: 20 ms closed, 50 ms stable release, one vote per 300 ms, 2 s boot guard. */
export const DEFAULT_GATE_OPTIONS: Readonly<VoteGateOptions> = {
  pressMs: 20,
  releaseMs: 50,
  minIntervalMs: 300,
  bootMs: 2000,
};

/**
 * Why a closure did not count: during the boot guard; before the button re-armed (closed again
 * before staying open `releaseMs`: a held or chattering button); within `minIntervalMs` of the
 * button's last vote; together with the other button; opened before `pressMs`.
 */
export type IgnoreReason = 'boot' | 'not-armed' | 'too-soon' | 'chord' | 'short';

/** Every {@link IgnoreReason}, in a fixed order (status counters, tests). */
export const IGNORE_REASONS: readonly IgnoreReason[] = [
  'boot',
  'not-armed',
  'too-soon',
  'chord',
  'short',
];

/** Events of the {@link VoteGate}. */
export interface VoteGateEvents {
  /** A deliberate press: count it. `at` is the gate clock when it was confirmed. */
  vote: [{ button: ButtonName; value: 1 | -1; at: number }];
  /** A closure that did not count, and why (for logs and tests). */
  ignored: [{ button: ButtonName; reason: IgnoreReason }];
  /** Both buttons were pressed together: nothing counts until both are released. */
  chord: [];
}

/** Timer and clock functions the gate uses; injectable so tests can drive time. */
export interface GateClock {
  /** Monotonic milliseconds (never jumps when NTP sets the wall clock). */
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => NodeJS.Timeout;
  clearTimeout: (timer: NodeJS.Timeout) => void;
}

const otherOf = (button: ButtonName): ButtonName => (button === 'like' ? 'dislike' : 'like');

const monotonicClock: GateClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer),
};

interface ButtonState {
  closed: boolean;
  /** Armed: the next stable closure may count. */
  armed: boolean;
  /** Timer confirming a closure (pressMs) or a release (releaseMs). */
  timer: NodeJS.Timeout | null;
  lastVoteAt: number;
  /** Gate clock when the contact last closed (meaningful while `closed`). */
  closedAt: number;
}

/**
 * Turns the two buttons' contact edges into votes, exactly one per deliberate press.
 *
 * Rules: a closure counts once it has lasted `pressMs`; a button re-arms only after staying open
 * `releaseMs` (so holding never repeats and release bounce never counts); at most one vote per
 * `minIntervalMs` per button; nothing counts during `bootMs` after start, and a button closed at
 * boot must be released first. Both buttons together (a chord): a press counts only if the other
 * button stayed open during its whole confirmation; otherwise neither counts and both must be
 * released before they count again.
 */
export class VoteGate extends EventEmitter<VoteGateEvents> {
  readonly #options: VoteGateOptions;
  readonly #clock: GateClock;
  readonly #buttons: Record<ButtonName, ButtonState>;
  #bootTimer: NodeJS.Timeout | null = null;
  #booting = true;

  constructor(options: Partial<VoteGateOptions> = {}, clock: GateClock = monotonicClock) {
    super();
    this.#options = { ...DEFAULT_GATE_OPTIONS, ...options };
    this.#clock = clock;
    const fresh = (): ButtonState => ({
      closed: false,
      armed: false,
      timer: null,
      lastVoteAt: Number.NEGATIVE_INFINITY,
      closedAt: 0,
    });
    this.#buttons = { like: fresh(), dislike: fresh() };
  }

  /** Starts the boot guard; buttons open when it ends are armed. */
  start(): void {
    this.#booting = true;
    this.#bootTimer = this.#clock.setTimeout(() => {
      this.#booting = false;
      this.#bootTimer = null;
      for (const state of Object.values(this.#buttons)) {
        if (!state.closed && state.timer === null) state.armed = true;
      }
    }, this.#options.bootMs);
  }

  /** Stops every timer; later input is ignored until {@link start}. */
  stop(): void {
    if (this.#bootTimer !== null) this.#clock.clearTimeout(this.#bootTimer);
    this.#bootTimer = null;
    this.#booting = true;
    for (const state of Object.values(this.#buttons)) this.#cancel(state);
  }

  /** Whether the button is currently seen closed. */
  isClosed(button: ButtonName): boolean {
    return this.#buttons[button].closed;
  }

  /** How long the button has been closed, in ms (0 while it is open). */
  closedFor(button: ButtonName): number {
    const state = this.#buttons[button];
    return state.closed ? this.#clock.now() - state.closedAt : 0;
  }

  /** Feeds one contact edge: `closed` true when the button went down, false when it went up. */
  input(button: ButtonName, closed: boolean): void {
    const state = this.#buttons[button];
    if (state.closed === closed) return;
    state.closed = closed;
    if (closed) state.closedAt = this.#clock.now();
    const confirming = closed === false && state.armed && state.timer !== null;
    this.#cancel(state);
    if (closed) this.#onClose(button, state);
    else if (confirming)
      this.#ignore(button, 'short'); // opened before pressMs: stays armed
    else this.#onOpen(state);
  }

  #onClose(button: ButtonName, state: ButtonState): void {
    const other = this.#buttons[otherOf(button)];
    if (this.#booting) this.#ignore(button, 'boot');
    else if (!state.armed) this.#ignore(button, 'not-armed');
    else if (other.closed) this.#chord(button, state, other);
    else
      state.timer = this.#clock.setTimeout(
        () => this.#confirm(button, state),
        this.#options.pressMs,
      );
  }

  #onOpen(state: ButtonState): void {
    if (state.armed) return;
    state.timer = this.#clock.setTimeout(() => {
      state.timer = null;
      if (!this.#booting) state.armed = true;
    }, this.#options.releaseMs);
  }

  #confirm(button: ButtonName, state: ButtonState): void {
    state.timer = null;
    state.armed = false;
    const at = this.#clock.now();
    if (at - state.lastVoteAt < this.#options.minIntervalMs) {
      this.#ignore(button, 'too-soon');
    } else {
      state.lastVoteAt = at;
      this.emit('vote', { button, value: BUTTON_VALUE[button], at });
    }
  }

  #chord(button: ButtonName, state: ButtonState, other: ButtonState): void {
    // The other button may be confirming its own press: it no longer counts either.
    if (other.timer !== null && other.armed) this.#ignore(otherOf(button), 'chord');
    this.#ignore(button, 'chord');
    this.#cancel(other);
    other.armed = false;
    state.armed = false;
    this.emit('chord');
  }

  #cancel(state: ButtonState): void {
    if (state.timer !== null) this.#clock.clearTimeout(state.timer);
    state.timer = null;
  }

  #ignore(button: ButtonName, reason: IgnoreReason): void {
    this.emit('ignored', { button, reason });
  }
}
