import type { Hardware } from './board.js';
import { mainScreen, refusedScreen, type ScreenState, thanksScreen } from './screen.js';

/** A flash after a press: thanks for `value`, or why it was refused. */
interface Flash {
  value: 1 | -1;
  refused: 'full' | 'error' | null;
  /** Monotonic ms when it ends. */
  until: number;
}

/**
 * What the LCD shows over time: the boot screen until the boot guard ends (or the first press),
 * then the main screen, replaced for `flashMs` after each press by "Merci ! +1" or, for a press
 * the outbox could not record, "Vote non compte".
 */
export class BoxScreen {
  readonly #hw: Hardware;
  readonly #flashMs: number;
  #flash: Flash | null = null;
  #bootUntil = 0;

  constructor(hw: Hardware, flashMs: number) {
    this.#hw = hw;
    this.#flashMs = flashMs;
  }

  /** Shows the boot screen for `ms`. */
  boot(lines: string[], ms: number): void {
    this.#bootUntil = performance.now() + ms;
    this.#hw.show(lines);
  }

  /** Flashes the thanks for a counted press (ends the boot screen). */
  thanks(value: 1 | -1): void {
    this.#start({ value, refused: null, until: performance.now() + this.#flashMs });
  }

  /** Flashes "not counted" and why (ends the boot screen). */
  refused(value: 1 | -1, storage: 'full' | 'error'): void {
    this.#start({ value, refused: storage, until: performance.now() + this.#flashMs });
  }

  /** Draws `state` (nothing while the boot screen lasts). */
  render(state: ScreenState): void {
    const now = performance.now();
    if (now < this.#bootUntil) return;
    const flash = this.#flash;
    if (flash === null || now >= flash.until) {
      this.#flash = null;
      this.#hw.show(mainScreen(state));
    } else if (flash.refused === null) this.#hw.show(thanksScreen(state, flash.value));
    else this.#hw.show(refusedScreen(state, flash.refused));
  }

  #start(flash: Flash): void {
    this.#flash = flash;
    this.#bootUntil = 0;
  }
}
