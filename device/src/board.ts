import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type five from 'johnny-five';
import type { ButtonName } from './voteGate.js';

// The four Johnny-Five classes the box uses, required one by one: the package's entry point loads
// every component (motors, IMUs, servos…), about 5 MB of RSS more on a box that has 80 MB to live in.
const require = createRequire(import.meta.url);
const Board = require('johnny-five/lib/board.js') as typeof five.Board;
const Button = require('johnny-five/lib/button.js') as typeof five.Button;
const Led = require('johnny-five/lib/led/led.js') as typeof five.Led;
const LCD = require('johnny-five/lib/lcd.js') as typeof five.LCD;

/** A pin as the IO plugin names it. */
export type PinId = number | string;

/** What the box needs from its hardware. */
export interface HardwareOptions {
  pins: { like: PinId; dislike: PinId; led: PinId; buzzer: PinId | null };
  /** Buttons to ground with the internal pull-up (pressed reads LOW). */
  pullup: boolean;
  /** LCD behind a PCF8574 backpack, or null. */
  lcd: { address: number; cols: number; rows: number } | null;
}

/** The box's hardware once the board is ready. */
export interface Hardware {
  /** Switches the LED. */
  led(on: boolean): void;
  /** Switches the active buzzer (no-op without one). */
  buzzer(on: boolean): void;
  /** Shows these lines on the LCD, rewriting only the characters that changed (no-op without LCD). */
  show(lines: readonly string[]): void;
  /** Stops reporting button edges. */
  close(): void;
}

/** Receives every (Johnny-Five filtered) contact edge: `closed` true when pressed. */
export type EdgeHandler = (button: ButtonName, closed: boolean) => void;

/**
 * Builds the Johnny-Five board and components on an IO plugin: the only file importing
 * johnny-five. Buttons go through Johnny-Five's Button (its 7 ms trailing filter); the VoteGate
 * sits on top. The LED and the active buzzer are switched on/off (Piezo tones and Led pulses are
 * generated in JavaScript and burn CPU). `onFault` hears IO failures after start (the serial port
 * closed or failed: an unplugged Arduino); before the board is ready they reject.
 */
export async function createHardware(
  io: unknown,
  options: HardwareOptions,
  onEdge: EdgeHandler,
  onFault: (err: Error) => void = () => undefined,
): Promise<Hardware> {
  const board = new Board({
    io,
    repl: false,
    debug: false,
    sigint: false,
  } as five.BoardOption);
  // @types/johnny-five types Board without its EventEmitter methods.
  const events = board as unknown as NodeJS.EventEmitter;
  // Firmata emits a serial port's errors (no such port, unplugged) on the IO plugin itself.
  const ioEvents = io instanceof EventEmitter ? io : null;
  ioEvents?.on('error', onFault);
  for (const type of ['close', 'disconnect'])
    ioEvents?.on(type, () => onFault(new Error(`IO ${type}`)));
  await new Promise<void>((resolve, reject) => {
    events.once('ready', () => resolve());
    events.once('error', (err: unknown) => reject(err));
    ioEvents?.once('error', (err: unknown) => reject(err));
  });
  let open = true;
  for (const name of ['like', 'dislike'] as const) {
    const button = new Button({ board, pin: options.pins[name], isPullup: options.pullup });
    button.on('down', () => open && onEdge(name, true));
    button.on('up', () => open && onEdge(name, false));
  }
  const led = new Led({ board, pin: options.pins.led } as five.LedOption);
  led.off();
  const buzzer =
    options.pins.buzzer === null
      ? null
      : new Led({ board, pin: options.pins.buzzer } as five.LedOption);
  buzzer?.off();
  const show = options.lcd === null ? () => undefined : lcdWriter(board, options.lcd);
  return {
    led: (on) => (on ? led.on() : led.off()),
    buzzer: (on) => (on ? buzzer?.on() : buzzer?.off()),
    show,
    close: () => {
      open = false;
    },
  };
}

/** The part of Johnny-Five's LCD used here (its typings lack `address` and `setCursor`). */
interface LcdDriver {
  cursor(row: number, col: number): LcdDriver;
  print(text: string): LcdDriver;
}

/**
 * A writer that keeps a shadow of the screen and sends only the changed span of each row: a
 * full 16x2 redraw through a PCF8574 is about 140 I2C writes, and `clear()` busy-waits.
 */
function lcdWriter(
  board: five.Board,
  geometry: { address: number; cols: number; rows: number },
): (lines: readonly string[]) => void {
  const lcd = new LCD({
    board,
    controller: 'PCF8574',
    address: geometry.address,
    rows: geometry.rows,
    cols: geometry.cols,
  } as five.LCDI2COption) as unknown as LcdDriver;
  const shadow = Array.from({ length: geometry.rows }, () => ' '.repeat(geometry.cols));
  return (lines) => {
    for (let row = 0; row < geometry.rows; row++) {
      const wanted = (lines[row] ?? '').padEnd(geometry.cols).slice(0, geometry.cols);
      const current = shadow[row] ?? '';
      let first = 0;
      while (first < wanted.length && wanted[first] === current[first]) first++;
      if (first === wanted.length) continue;
      let last = wanted.length - 1;
      while (last > first && wanted[last] === current[last]) last--;
      lcd.cursor(row, first).print(wanted.slice(first, last + 1));
      shadow[row] = wanted;
    }
  };
}
