import type { Hardware } from './board.js';

/**
 * A refused press (the outbox could not record it) sounds one long tone and leaves the LED off:
 * nothing like the short chirp and light of a counted one, so nobody takes it for a vote.
 */
export const REFUSED_BEEP_MS = 600;

/** The LED and buzzer answers to a press, each switched off by its own timer. */
export class Feedback {
  readonly #hw: Hardware;
  readonly #ledMs: number;
  readonly #beepMs: number;
  #ledTimer: NodeJS.Timeout | undefined;
  #beepTimer: NodeJS.Timeout | undefined;

  /**
   * @param ledMs how long the LED stays on after a counted press
   * @param beepMs how long the buzzer chirps after a counted press
   */
  constructor(hw: Hardware, ledMs: number, beepMs: number) {
    this.#hw = hw;
    this.#ledMs = ledMs;
    this.#beepMs = beepMs;
  }

  /** A counted press: LED and a short chirp. */
  counted(): void {
    this.#light(true, this.#ledMs);
    this.#beep(this.#beepMs);
  }

  /** A press the box could not record: LED off, one long tone. */
  refused(): void {
    this.#light(false, 0);
    this.#beep(REFUSED_BEEP_MS);
  }

  /** Cancels the pending switch-offs. */
  stop(): void {
    clearTimeout(this.#ledTimer);
    clearTimeout(this.#beepTimer);
  }

  #light(on: boolean, ms: number): void {
    clearTimeout(this.#ledTimer);
    this.#hw.led(on);
    if (on) this.#ledTimer = setTimeout(() => this.#hw.led(false), ms);
  }

  #beep(ms: number): void {
    clearTimeout(this.#beepTimer);
    this.#hw.buzzer(true);
    this.#beepTimer = setTimeout(() => this.#hw.buzzer(false), ms);
  }
}
